/**
 * `stf` device specs: reserve devices in DeviceFarmer STF, `adb connect` their remote-connect addresses through
 * an adb server, and hand them out as ADB devices (kind `adb`, so every Android runner takes them; id = the STF
 * serial, which stays the same across reservations while the address does not). Reservations are released by
 * `device.release()` and, for any still held, when the process exits.
 */
import { spawnSync } from 'node:child_process';
import { GaugeError, type DeviceSpec } from '@gaugenn/core';
import { openAdbDevice, type AdbDevice, type Log } from '../device/adb-device.js';
import type { AdbServers } from '../device/adb-devices.js';
import { describeUnusable } from '../device/adb-devices.js';
import type { AdbServer } from '../device/adb-server.js';
import { checkSpec } from '../device/device-spec.js';
import { StfApi, stfPaths, type StfDeviceRow } from './stf-api.js';

interface Held {
  api: StfApi;
  token: string;
  serial: string;
  address: string;
  server: AdbServer;
}

/** Wait this long after `adb connect` for the device to come up as `device` (the handshake takes a moment). */
const ONLINE_WAIT_MS = 15_000;

/** Reservations this process holds, released on `release()` or at exit. */
export class StfReservations {
  private readonly held = new Map<string, Held>();
  private hooked = false;

  add(h: Held): void {
    this.held.set(`${h.api.url} ${h.serial}`, h);
    if (!this.hooked) {
      this.hooked = true;
      process.once('exit', () => this.releaseAtExit());
      // A signal nobody handles ends node without 'exit': release, then die of the signal as node would have.
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        const onSignal = () => {
          this.releaseAtExit();
          if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
        };
        process.once(sig, onSignal);
      }
    }
  }

  /** Release one reservation (adb disconnect, then STF's two DELETEs). Safe to call twice. */
  async release(h: Held): Promise<void> {
    if (!this.held.delete(`${h.api.url} ${h.serial}`)) return;
    await h.server.disconnect(h.address);
    await h.api.release(h.serial);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.values()].map((h) => this.release(h)));
  }

  get size(): number {
    return this.held.size;
  }

  /**
   * At exit only synchronous work runs, so the DELETEs are made by a short child node process (the token goes to
   * it in its environment, not on its command line).
   */
  private releaseAtExit(): void {
    if (!this.held.size) return;
    const list = [...this.held.values()].map((h) => ({ url: h.api.url, token: h.token, paths: [stfPaths.remoteConnect(h.serial), stfPaths.device(h.serial)] }));
    this.held.clear();
    const script = `for (const r of JSON.parse(process.env.GAUGENN_STF_RELEASE)) for (const p of r.paths) { try { await fetch(r.url + p, { method: 'DELETE', headers: { Authorization: 'Bearer ' + r.token }, signal: AbortSignal.timeout(4000) }); } catch {} }`;
    spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, GAUGENN_STF_RELEASE: JSON.stringify(list) }, timeout: 10_000, stdio: 'ignore' });
  }
}

/** A device STF would lend now: present, ready, and nobody using it. */
function free(d: StfDeviceRow): boolean {
  return d.present !== false && d.ready !== false && !d.using && !d.owner;
}

async function waitOnline(server: AdbServer, address: string): Promise<void> {
  const until = Date.now() + ONLINE_WAIT_MS;
  let last = 'absent';
  while (Date.now() < until) {
    const d = (await server.list()).find((x) => x.id === address);
    if (d?.type === 'device') return;
    last = d?.type ?? 'absent';
    if (last === 'unauthorized') break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const hint = last === 'unauthorized' ? ' Add this host\'s adb key (~/.android/adbkey.pub) in STF (Settings → Keys → ADB keys).' : '';
  throw new GaugeError('DEVICE_UNAVAILABLE', `STF device at ${address} did not come up in adb: ${describeUnusable([{ id: address, type: last }])}.${hint}`, { plugin: 'android', hook: 'device:stf', subject: address });
}

/** Reserve, connect and open one STF device; on any failure after reserving, the reservation is released. */
async function lend(api: StfApi, token: string, serial: string, server: AdbServer, reservations: StfReservations, o: { timeoutMs?: number; thermalZones?: string[]; log: Log }): Promise<AdbDevice> {
  await api.reserve(serial, o.timeoutMs);
  const held: Held = { api, token, serial, address: '', server };
  reservations.add(held);
  try {
    held.address = await api.remoteConnect(serial);
    await server.connect(held.address);
    await waitOnline(server, held.address);
    return await openAdbDevice(server, held.address, { id: serial, thermalZones: o.thermalZones, log: o.log, onRelease: () => reservations.release(held) });
  } catch (e) {
    await reservations.release(held);
    throw e;
  }
}

/** The devices an `stf` spec stands for: the named serials, or every device STF would lend now. */
export async function resolveStfSpec(raw: DeviceSpec, servers: AdbServers, reservations: StfReservations, log: Log): Promise<AdbDevice[]> {
  const spec = checkSpec('stf', raw);
  const token = spec.token ?? process.env.STF_TOKEN;
  if (!token) throw new GaugeError('SOURCE_AUTH', `The stf device at ${spec.url} has no token. Generate an access token in STF (Settings → Keys) and set it as the spec's token or in $STF_TOKEN.`, { plugin: 'android', hook: 'device:stf' });
  const api = new StfApi(spec.url, token);
  const server = await servers.get(spec.server);
  const why = await server.unreachable();
  if (why) throw new GaugeError('DEVICE_UNAVAILABLE', `STF devices need a local adb server to connect through: ${why}.`, { plugin: 'android', hook: 'device:stf' });
  let serials = spec.serials;
  if (!serials) {
    const rows = await api.devices();
    serials = rows.filter(free).map((d) => d.serial);
    if (!serials.length) {
      log('warn', `No STF devices free at ${api.url} (${rows.length} listed, all in use, absent or not ready).`);
      return [];
    }
  }
  const out: AdbDevice[] = [];
  const errors: GaugeError[] = [];
  for (const serial of serials) {
    try {
      out.push(await lend(api, token, serial, server, reservations, { timeoutMs: spec.timeoutMs, thermalZones: spec.thermalZones, log }));
    } catch (e) {
      const err = GaugeError.from(e, 'DEVICE_UNAVAILABLE', { plugin: 'android', hook: 'device:stf', subject: serial });
      // A refused token is the same for every device: stop at once.
      if (err.code === 'SOURCE_AUTH') {
        await Promise.all(out.map((d) => d.release?.()));
        throw err;
      }
      errors.push(err);
    }
  }
  if (!out.length && errors.length) throw errors[0]!;
  for (const e of errors) log('warn', `STF device left out: ${e.message}`);
  return out;
}
