/**
 * A STAND-IN for DeviceFarmer STF's REST API on loopback, for tests: not STF, just the five calls gaugeNN makes,
 * shaped as STF's API documents them (android-benchmarking-facts §4): `GET /api/v1/devices`,
 * `POST /api/v1/user/devices`, `POST|DELETE /api/v1/user/devices/{serial}/remoteConnect`,
 * `DELETE /api/v1/user/devices/{serial}`, Bearer token auth, `{ success:false, description }` error bodies.
 * Each device's remoteConnect answers the address of an ADB device simulator.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface StandinDevice {
  serial: string;
  /** What remoteConnect returns (`127.0.0.1:PORT` of a simulator). */
  address: string;
  /** Someone else holds it. */
  busy?: boolean;
  present?: boolean;
}

export interface StfStandin {
  url: string;
  token: string;
  /** Every call, in order: `POST /api/v1/user/devices {"serial":"X"}`. */
  calls: string[];
  /** Serials this token holds now, and those with remote connect on. */
  owned: Set<string>;
  connected: Set<string>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const c of req) s += c;
  return s;
}

export async function startStfStandin(devices: StandinDevice[], token = 'stand-in-token'): Promise<StfStandin> {
  const calls: string[] = [];
  const owned = new Set<string>();
  const connected = new Set<string>();
  const bySerial = new Map(devices.map((d) => [d.serial, d]));
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    calls.push(`${req.method} ${req.url}${text ? ` ${text}` : ''}`);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { success: false, description: 'Unauthorized' });
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/user\/devices\/([^/]+)(\/remoteConnect)?$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/api/v1/devices') {
      return send(200, { success: true, devices: devices.map((d) => ({ serial: d.serial, present: d.present !== false, ready: true, using: owned.has(d.serial), owner: d.busy ? { email: 'someone@else' } : owned.has(d.serial) ? { email: 'me' } : null })) });
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/user/devices') {
      const serial = (JSON.parse(text || '{}') as { serial?: string }).serial ?? '';
      const d = bySerial.get(serial);
      if (!d) return send(404, { success: false, description: 'Unknown device' });
      if (d.busy || d.present === false) return send(403, { success: false, description: 'Device is being used or not available' });
      owned.add(serial);
      return send(200, { success: true, description: 'Device successfully added' });
    }
    if (m) {
      const serial = decodeURIComponent(m[1]!);
      const d = bySerial.get(serial);
      if (!d || !owned.has(serial)) return send(403, { success: false, description: 'Device is not owned by you or is not available' });
      if (m[2] && req.method === 'POST') {
        connected.add(serial);
        return send(200, { success: true, remoteConnectUrl: d.address });
      }
      if (m[2] && req.method === 'DELETE') {
        connected.delete(serial);
        return send(200, { success: true, description: 'Device remote disconnected successfully' });
      }
      if (!m[2] && req.method === 'DELETE') {
        owned.delete(serial);
        return send(200, { success: true, description: 'Device successfully removed' });
      }
    }
    send(404, { success: false, description: 'Not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    calls,
    owned,
    connected,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
