/**
 * A PRIVATE real adb server per test file, on a free port, so parallel test files never share the default 5037
 * server (and never see each other's simulated devices). Start it, `connect()` simulators to it, `kill()` it at
 * the end. Point adbkit at it with `Adb.createClient({ port: server.port })`; point the adb binary at it with
 * `adb -P PORT …` (what `server.adb()` does) or `ADB_SERVER_SOCKET=tcp:127.0.0.1:PORT`.
 *
 * Everything here is asynchronous on purpose: a simulator living in the same process must keep answering while
 * adb runs, so never call adb with execFileSync/spawnSync there (the CNXN handshake would time out).
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';

export interface AdbResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface AdbDeviceRow {
  serial: string;
  state: string;
  /** `product:… model:… device:… transport_id:…` fields of `adb devices -l`. */
  fields: Record<string, string>;
}

export interface PrivateAdbServer {
  port: number;
  /** `host:port` in the `server` syntax of gaugeNN's device config. */
  address: string;
  /** Environment for child processes that should use this server (`ADB_SERVER_SOCKET`). */
  env: Record<string, string>;
  /** Run `adb -P PORT …args` (resolves with the exit code; never rejects on a non-zero exit). */
  adb(args: string[], opts?: { timeoutMs?: number; input?: string }): Promise<AdbResult>;
  /** `adb connect` (an address or anything with `address`), checking that it says connected. */
  connect(target: string | { address: string }): Promise<void>;
  devices(): Promise<AdbDeviceRow[]>;
  /** Poll `adb devices` until `serial` is in `state` (`device`, `offline`, or `gone` = not listed). */
  waitFor(serial: string, state: string, timeoutMs?: number): Promise<number>;
  kill(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<AdbResult> {
  return new Promise((resolve) => {
    const child = execFile('adb', args, { encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ stdout, stderr, code });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export async function startAdbServer(): Promise<PrivateAdbServer> {
  // A free port can be taken by another test's listener (a simulator) before adb binds it; adb then talks to that
  // listener and reports a protocol fault. Try again on a fresh port.
  let port = 0;
  let started: AdbResult = { stdout: '', stderr: 'not tried', code: 1 };
  for (let attempt = 0; attempt < 5 && started.code !== 0; attempt++) {
    port = await freePort();
    started = await run(['-P', String(port), 'start-server']);
  }
  if (started.code !== 0) throw new Error(`adb -P ${port} start-server failed: ${started.stderr || started.stdout}`);
  const adb = (args: string[], opts?: { timeoutMs?: number; input?: string }) => run(['-P', String(port), ...args], opts);
  const devices = async (): Promise<AdbDeviceRow[]> => {
    const { stdout } = await adb(['devices', '-l']);
    return stdout
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => {
        const [serial = '', state = '', ...rest] = l.split(/\s+/);
        return { serial, state, fields: Object.fromEntries(rest.map((f) => [f.slice(0, f.indexOf(':')), f.slice(f.indexOf(':') + 1)])) };
      });
  };
  return {
    port,
    address: `127.0.0.1:${port}`,
    env: { ADB_SERVER_SOCKET: `tcp:127.0.0.1:${port}` },
    adb,
    devices,
    async connect(target) {
      const addr = typeof target === 'string' ? target : target.address;
      const r = await adb(['connect', addr]);
      // adb 1.0.41 exits 0 even when it fails to connect: read what it says.
      if (!/connected to/.test(r.stdout)) throw new Error(`adb connect ${addr}: ${r.stdout}${r.stderr}`);
    },
    async waitFor(serial, state, timeoutMs = 30_000) {
      const t0 = Date.now();
      for (;;) {
        const row = (await devices()).find((d) => d.serial === serial);
        if ((row?.state ?? 'gone') === state) return Date.now() - t0;
        if (Date.now() - t0 > timeoutMs) throw new Error(`${serial} not ${state} after ${timeoutMs} ms (is ${row?.state ?? 'gone'})`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    async kill() {
      await adb(['kill-server'], { timeoutMs: 15_000 });
    },
  };
}
