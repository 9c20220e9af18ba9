/**
 * An HTTP control port for a simulator, so a *command line* can act on it: unplugged mode cuts USB power with a
 * configured command (ykushcmd, uhubctl, …), and in tests that command becomes
 * `curl -s -X POST http://127.0.0.1:PORT/unplug`. Loopback only. Routes (any method; query parameters):
 * `/unplug[?keepPower=1]`, `/replug[?adbServerPort=5037]`, `/heat?zone=all&c=45`, `/cool[?zone=…&overMs=…]`,
 * `/battery?levelPct=&usbPowered=&currentUa=&voltageUv=&tempC=`, `/state` (JSON).
 */
import { createServer, type Server } from 'node:http';
import type { AdbDeviceSimulator } from './simulator.js';

function num(v: string | null): number | undefined {
  return v === null || v === '' ? undefined : Number(v);
}

export async function startControlServer(sim: AdbDeviceSimulator, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    const act = async (): Promise<unknown> => {
      switch (url.pathname) {
        case '/unplug':
          await sim.unplug({ keepPower: q.get('keepPower') === '1' || q.get('keepPower') === 'true' });
          return { ok: true };
        case '/replug':
          await sim.replug({ adbServerPort: num(q.get('adbServerPort')) });
          return { ok: true };
        case '/heat':
          sim.heat(zoneArg(q.get('zone')), Number(q.get('c')));
          return { ok: true };
        case '/cool':
          sim.cool(zoneArg(q.get('zone')), { overMs: num(q.get('overMs')) });
          return { ok: true };
        case '/battery': {
          const usb = q.get('usbPowered');
          sim.setBattery({ levelPct: num(q.get('levelPct')), currentUa: num(q.get('currentUa')), voltageUv: num(q.get('voltageUv')), tempC: num(q.get('tempC')), usbPowered: usb === null ? undefined : usb === '1' || usb === 'true' });
          return { ok: true };
        }
        case '/state':
          return sim.state();
        default:
          throw Object.assign(new Error(`unknown route ${url.pathname}`), { status: 404 });
      }
    };
    act().then(
      (body) => reply(200, body),
      (err: Error & { status?: number }) => reply(err.status ?? 400, { error: err.message }),
    );
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, '127.0.0.1', () => res());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

function zoneArg(z: string | null): number | string {
  if (z === null || z === '') return 'all';
  return /^\d+$/.test(z) ? Number(z) : z;
}
