/**
 * A Device on an adb server: facts read once when it is opened (one shell round trip), battery and thermal zones
 * on demand, hygiene, and waiting for it to come back after it was lost.
 */
import type { BatteryState, Device, DeviceInfo, HygieneRequest, ThermalZone } from '@gaugenn/core';
import { NETWORK_SERIAL, type AdbServer } from './adb-server.js';
import { AdbTransport } from './adb-transport.js';
import { BATTERY_SCRIPT, FACTS_SCRIPT, THERMAL_SCRIPT, gateZones, parseBattery, parseFacts, parseThermal } from './device-facts.js';
import { cpuState, prepare } from './hygiene.js';

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface AdbDeviceOptions {
  /** The id gaugeNN stores (default: the serial). */
  id?: string;
  /** Device kind as stored (`adb`, `stf`). */
  kind?: string;
  /** Thermal zones the gate watches, by sysfs name or type (`*` globs); default the hottest CPU zone. */
  thermalZones?: string[];
  log?: Log;
  /** Extra release work (an STF reservation). */
  onRelease?: () => Promise<void>;
}

/** An ADB device as core sees it, with its transport typed for the plugin's own use. */
export interface AdbDevice extends Device {
  transport: AdbTransport;
  serial: string;
  battery(): Promise<BatteryState | undefined>;
  thermalZones(): Promise<ThermalZone[]>;
}

/** Open a device that the server lists as `device`: read its facts and build the Device. */
export async function openAdbDevice(server: AdbServer, serial: string, o: AdbDeviceOptions = {}): Promise<AdbDevice> {
  const t = new AdbTransport(server, serial);
  const r = await t.shell(FACTS_SCRIPT, { what: `reading the facts of ${serial}`, timeoutMs: 60_000 });
  const facts = parseFacts(r.output);
  return adbDevice(server, t, facts.info, o);
}

function adbDevice(server: AdbServer, t: AdbTransport, info: DeviceInfo, o: AdbDeviceOptions): AdbDevice {
  const serial = t.serial;
  let warnedZones = false;
  const thermalZones = async () => parseThermal((await t.shell(THERMAL_SCRIPT, { what: `thermal zones of ${serial}`, timeoutMs: 30_000 })).output);
  return {
    id: o.id ?? serial,
    kind: o.kind ?? 'adb',
    serial,
    info,
    transport: t,
    thermalZones,
    async temperature() {
      const zones = await thermalZones();
      const picked = gateZones(zones, o.thermalZones);
      if (picked.unmatched && !warnedZones) {
        warnedZones = true;
        o.log?.('warn', `${serial}: no thermal zone matches ${o.thermalZones!.join(', ')}; the gate watches the hottest CPU zone instead (zones: ${zones.map((z) => `${z.zone}=${z.type}`).join(', ') || 'none'}).`);
      }
      return picked.zones.length ? Math.max(...picked.zones.map((z) => z.tempC)) : undefined;
    },
    async battery() {
      return parseBattery((await t.shell(BATTERY_SCRIPT, { what: `battery of ${serial}`, timeoutMs: 30_000 })).output);
    },
    prepare: (request: HygieneRequest) => prepare(t, request),
    cpuState: () => cpuState(t),
    waitForReturn: (timeoutMs: number, signal?: AbortSignal) => waitForDevice(server, serial, timeoutMs, signal),
    async release() {
      await o.onRelease?.();
    },
  };
}

/**
 * Wait until the server lists `serial` as `device` again, through adbkit's device tracker (and one listing for
 * the devices already there). A network serial is re-`adb connect`ed every second, as adb does not always
 * reconnect it soon by itself; a tracker that breaks (adb server restarted) is opened again.
 */
export function waitForDevice(server: AdbServer, serial: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let tracker: { end(): unknown; on(ev: string, f: (...a: any[]) => void): unknown } | undefined;
    const timers: NodeJS.Timeout[] = [];
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t), clearInterval(t);
      signal?.removeEventListener('abort', onAbort);
      // Ended on the next turn: called from inside a tracker event, adbkit would chain its next read after the
      // cancel, and that read's rejection at close would go unhandled.
      const tr = tracker;
      setImmediate(() => { try { tr?.end(); } catch { /* already closed */ } });
      resolve(ok);
    };
    const onAbort = () => finish(false);
    const seen = (d: { id: string; type: string }) => {
      if (d.id === serial && d.type === 'device') finish(true);
    };
    const track = async () => {
      if (done) return;
      try {
        const tr = await server.client.trackDevices();
        if (done) { setImmediate(() => tr.end()); return; }
        tracker = tr;
        tr.on('add', seen);
        tr.on('change', seen);
        const retry = () => { if (!done) timers.push(setTimeout(() => void track(), 1000)); };
        tr.on('error', retry);
        tr.on('end', retry);
        // adbkit may parse the tracker's first list before these listeners exist (it arrives with the OKAY), so
        // the devices already there are read once more by a plain listing.
        for (const d of await server.list()) seen(d);
      } catch {
        timers.push(setTimeout(() => void track(), 1000));
      }
    };
    timers.push(setTimeout(() => finish(false), timeoutMs));
    if (NETWORK_SERIAL.test(serial)) {
      // `adb connect` to a serial the server still holds as offline only answers "already connected"; the server
      // retries on its own schedule (seconds). Dropping the stale entry first makes the reconnect immediate.
      // A fresh connection is also `offline` while its handshake runs: it gets a few seconds before it is dropped.
      let busy = false;
      let connectedAt = 0;
      const reconnect = async () => {
        if (busy || done) return;
        busy = true;
        try {
          const d = (await server.list()).find((x) => x.id === serial);
          if (d?.type === 'device') return seen(d);
          if (d && Date.now() - connectedAt < 3000) return;
          if (d) await server.disconnect(serial);
          connectedAt = Date.now();
          await server.client.connect(serial).catch(() => {});
        } catch {
          // The server itself is away; the tracker loop retries.
        } finally {
          busy = false;
        }
      };
      void reconnect();
      timers.push(setInterval(() => void reconnect(), 1000));
    }
    if (signal?.aborted) return finish(false);
    signal?.addEventListener('abort', onAbort, { once: true });
    void track();
  });
}
