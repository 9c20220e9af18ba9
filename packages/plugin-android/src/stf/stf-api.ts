/**
 * DeviceFarmer STF's REST API, the calls gaugeNN needs (android-benchmarking-facts §4): list devices, reserve
 * one (`POST /api/v1/user/devices`), get its `adb connect` address (`POST …/{serial}/remoteConnect`), and
 * release both (`DELETE …/remoteConnect`, `DELETE …/{serial}`). Bearer token auth, Node's fetch.
 */
import { GaugeError } from '@gaugenn/core';

/** A device as `GET /api/v1/devices` lists it (the fields gaugeNN asks for). */
export interface StfDeviceRow {
  serial: string;
  present?: boolean;
  ready?: boolean;
  using?: boolean;
  owner?: { email?: string; name?: string } | null;
}

const WHERE = { plugin: 'android', hook: 'device:stf' } as const;
const TIMEOUT_MS = 15_000;

/** The device paths of the API, relative to the STF root. */
export const stfPaths = {
  devices: '/api/v1/devices?fields=serial,present,ready,using,owner',
  reserve: '/api/v1/user/devices',
  device: (serial: string) => `/api/v1/user/devices/${encodeURIComponent(serial)}`,
  remoteConnect: (serial: string) => `/api/v1/user/devices/${encodeURIComponent(serial)}/remoteConnect`,
};

export class StfApi {
  readonly url: string;

  constructor(url: string, private readonly token: string) {
    this.url = url.replace(/\/+$/, '');
  }

  private async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      const why = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new GaugeError('DEVICE_UNAVAILABLE', `STF at ${this.url} is not reachable (${why}). Check the url in the stf device spec and that STF runs.`, { ...WHERE, subject: this.url, cause: e });
    }
    let json: any = undefined;
    try {
      json = await res.json();
    } catch {
      // Some errors come as HTML or empty bodies: the status says enough.
    }
    if (res.status === 401 || (res.status === 403 && /token|auth/i.test(String(json?.description ?? '')))) {
      throw new GaugeError('SOURCE_AUTH', `STF at ${this.url} refused the access token (HTTP ${res.status}). Generate one in STF (Settings → Keys → Access tokens) and set it as the stf device's token (or $STF_TOKEN).`, { ...WHERE, subject: this.url });
    }
    return { status: res.status, json };
  }

  /** Every device STF knows, present or not. */
  async devices(): Promise<StfDeviceRow[]> {
    const r = await this.call('GET', stfPaths.devices);
    if (r.status !== 200 || !Array.isArray(r.json?.devices)) throw new GaugeError('DEVICE_UNAVAILABLE', `STF at ${this.url} did not list its devices (HTTP ${r.status}${r.json?.description ? `: ${r.json.description}` : ''}).`, { ...WHERE, subject: this.url });
    return r.json.devices as StfDeviceRow[];
  }

  /** Reserve a device for this user; DEVICE_BUSY when someone else has it or it is not ready. */
  async reserve(serial: string, timeoutMs?: number): Promise<void> {
    const r = await this.call('POST', stfPaths.reserve, { serial, ...(timeoutMs ? { timeout: timeoutMs } : {}) });
    if (r.status === 200 && r.json?.success !== false) return;
    const why = r.json?.description ?? `HTTP ${r.status}`;
    if (r.status === 404) throw new GaugeError('DEVICE_UNAVAILABLE', `STF at ${this.url} has no device ${serial} (${why}). Check the serials in the stf device spec.`, { ...WHERE, subject: serial });
    throw new GaugeError('DEVICE_BUSY', `STF device ${serial} could not be reserved: ${why}. It is in use by someone else or not ready; free it in STF or leave it out of serials.`, { ...WHERE, subject: serial });
  }

  /** The `host:port` to `adb connect` for a reserved device. */
  async remoteConnect(serial: string): Promise<string> {
    const r = await this.call('POST', stfPaths.remoteConnect(serial), {});
    const url = r.json?.remoteConnectUrl;
    if (r.status !== 200 || typeof url !== 'string' || !url) {
      const why = r.json?.description ?? `HTTP ${r.status}`;
      throw new GaugeError(r.status === 403 ? 'DEVICE_BUSY' : 'DEVICE_UNAVAILABLE', `STF gave no remote-connect address for ${serial}: ${why}.`, { ...WHERE, subject: serial });
    }
    return url.replace(/^[a-z]+:\/\//i, '');
  }

  /** Release a reservation: stop remote connect, then stop using the device. Best effort, both calls are made. */
  async release(serial: string): Promise<void> {
    for (const path of [stfPaths.remoteConnect(serial), stfPaths.device(serial)]) {
      try {
        await this.call('DELETE', path);
      } catch {
        // STF gone or the reservation already expired: nothing more to release.
      }
    }
  }
}
