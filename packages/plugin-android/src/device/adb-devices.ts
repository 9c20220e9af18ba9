/**
 * Resolve an `adb` device spec into devices: every online device of the server, or the one serial named (a
 * `host:port` serial is `adb connect`ed first). No server, no device, or a device not usable is not an exception:
 * the list is empty or shorter and one log line says why and what to do.
 */
import type { DeviceSpec } from '@gaugenn/core';
import { openAdbDevice, type AdbDevice, type Log } from './adb-device.js';
import { AdbServer, NETWORK_SERIAL, defaultServer, type AdbListing, type AdbServerOptions } from './adb-server.js';
import { checkSpec } from './device-spec.js';

/** The adb servers one plugin instance talks to, one adbkit client each. */
export class AdbServers {
  private readonly byAddress = new Map<string, Promise<AdbServer>>();
  constructor(private readonly options: AdbServerOptions) {}

  get(address = defaultServer()): Promise<AdbServer> {
    let s = this.byAddress.get(address);
    if (!s) this.byAddress.set(address, (s = AdbServer.create(address, this.options)));
    return s;
  }
}

const STATE_HINT: Record<string, string> = {
  unauthorized: 'accept the USB debugging prompt on the device',
  offline: 'replug it or run `adb reconnect`',
  authorizing: 'wait for it or replug it',
  connecting: 'wait for it or replug it',
};

/** One phrase per unusable device: `SERIAL (unauthorized: accept the prompt …)`. */
export function describeUnusable(devices: AdbListing[]): string {
  return devices.map((d) => `${d.id} (${d.type}${STATE_HINT[d.type] ? `: ${STATE_HINT[d.type]}` : ''})`).join(', ');
}

/** Open devices; one that fails while its facts are read is logged and left out, the others go on. */
async function openAll(server: AdbServer, serials: string[], log: Log, o: { thermalZones?: string[]; idOf: (s: string) => string }): Promise<AdbDevice[]> {
  const settled = await Promise.allSettled(serials.map((s) => openAdbDevice(server, s, { id: o.idOf(s), thermalZones: o.thermalZones, log })));
  const out: AdbDevice[] = [];
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled') out.push(r.value);
    else log('warn', `adb: ${serials[i]} was listed but its facts could not be read: ${(r.reason as Error).message}`);
  });
  return out;
}

/** The devices an `adb` spec stands for (see the module comment). */
export async function resolveAdbSpec(raw: DeviceSpec, servers: AdbServers, log: Log): Promise<AdbDevice[]> {
  const spec = checkSpec('adb', raw);
  const address = spec.server ?? defaultServer();
  const server = await servers.get(address);
  const serial = spec.serial ?? spec.id;
  // On another server than the default, the same serial may exist twice: the stored id says which server.
  const idOf = (s: string) => (address === defaultServer() ? s : `${s}@${address}`);
  const why = await server.unreachable();
  if (why) {
    log('warn', `No adb devices: ${why}.`);
    return [];
  }
  if (serial && NETWORK_SERIAL.test(serial)) {
    try {
      await server.connect(serial);
    } catch (e) {
      log('warn', `No adb device ${serial}: ${(e as Error).message}`);
      return [];
    }
  }
  const listed = await server.list();
  if (serial) {
    const d = listed.find((x) => x.id === serial);
    if (!d) {
      log('warn', `No adb device ${serial} on the adb server at ${address}${listed.length ? ` (it lists ${listed.map((x) => x.id).join(', ')})` : ' (it lists none)'}; check the cable and \`adb devices\`.`);
      return [];
    }
    if (d.type !== 'device') {
      log('warn', `adb device ${describeUnusable([d])} is not usable.`);
      return [];
    }
    return openAll(server, [serial], log, { thermalZones: spec.thermalZones, idOf });
  }
  const online = listed.filter((d) => d.type === 'device');
  const others = listed.filter((d) => d.type !== 'device');
  if (!listed.length) {
    log('warn', `No adb devices on the adb server at ${address}: plug one in with USB debugging on, or \`adb connect HOST:PORT\`.`);
    return [];
  }
  if (others.length) log('warn', `${others.length} adb device(s) on ${address} not usable: ${describeUnusable(others)}.`);
  return openAll(server, online.map((d) => d.id), log, { thermalZones: spec.thermalZones, idOf });
}
