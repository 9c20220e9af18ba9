/**
 * One adb server (local or remote) as adbkit's `Client`, shared by every device reached through it.
 *
 * adbkit re-emits connection errors nobody listens to on the client, and an unhandled 'error' event ends node:
 * each client gets a listener that turns them into a log line.
 */
import { connect as netConnect } from 'node:net';
import type adbkit from '@devicefarmer/adbkit';
import { NO_START_BIN, adbFault } from './adb-errors.js';

type AdbClass = typeof adbkit.Adb;
let adbClass: Promise<AdbClass> | undefined;
/**
 * adbkit is loaded on first use: it costs hundreds of ms to load (bluebird and friends), and extraction workers,
 * which load this plugin too, never talk to devices. It is CommonJS: Node gives its module.exports as the default
 * import, vitest's interop its `default` (Adb itself).
 */
function loadAdb(): Promise<AdbClass> {
  adbClass ??= import('@devicefarmer/adbkit').then((m) => {
    const d = m.default as unknown as { Adb?: AdbClass } & AdbClass;
    return d.Adb ?? d;
  });
  return adbClass;
}

/** adbkit's client and per-device client, by their own types. */
export type AdbClient = ReturnType<AdbClass['createClient']>;
export type AdbDeviceClient = ReturnType<AdbClient['getDevice']>;
/** A device as the adb server lists it. */
export interface AdbListing {
  id: string;
  type: string;
}

export const DEFAULT_SERVER = '127.0.0.1:5037';

/**
 * The server a spec without `server` uses: the one the `adb` command would use, so gaugeNN and `adb devices` agree
 * (`ADB_SERVER_SOCKET=tcp:HOST:PORT`, else `ANDROID_ADB_SERVER_PORT`, else 127.0.0.1:5037).
 */
export function defaultServer(env: NodeJS.ProcessEnv = process.env): string {
  const sock = /^tcp:(?:(.+):)?(\d+)$/.exec(env.ADB_SERVER_SOCKET ?? '');
  if (sock) return `${sock[1] || '127.0.0.1'}:${sock[2]}`;
  const port = Number(env.ANDROID_ADB_SERVER_PORT);
  if (Number.isInteger(port) && port > 0) return `127.0.0.1:${port}`;
  return DEFAULT_SERVER;
}
/** A serial of the form `host:port` is a network device that must be `adb connect`ed. */
export const NETWORK_SERIAL = /^[^\s:]+:\d+$/;

export interface AdbServerOptions {
  /** Let adbkit start a local server (`adb start-server`) when none answers, as the `adb` command does. */
  startServer?: boolean;
  /** The adb binary adbkit starts the server with. */
  adbPath?: string;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Split `host:port` (default port 5037). */
export function parseServer(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i < 0) return { host: address, port: 5037 };
  const port = Number(address.slice(i + 1));
  return { host: address.slice(0, i) || '127.0.0.1', port: Number.isInteger(port) && port > 0 ? port : 5037 };
}

function isLocal(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

/** Whether something accepts TCP connections at host:port (within `timeoutMs`). */
function probe(host: string, port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = netConnect({ host, port });
    const done = (ok: boolean) => {
      s.removeAllListeners();
      s.on('error', () => {});
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** An adb server and the adbkit client that talks to it. */
export class AdbServer {
  readonly client: AdbClient;
  readonly host: string;
  readonly port: number;

  private constructor(readonly address: string, private readonly options: AdbServerOptions, Adb: AdbClass) {
    ({ host: this.host, port: this.port } = parseServer(address));
    // adbkit runs `bin start-server` whenever a connection is refused. Where gaugeNN must not start a server (a
    // remote address, or startServer off) it gets a binary name that cannot exist, so a refusal stays a refusal.
    const mayStart = isLocal(this.host) && options.startServer !== false;
    this.client = Adb.createClient({ host: this.host, port: this.port, bin: mayStart ? (options.adbPath ?? 'adb') : NO_START_BIN });
    this.client.on('error', (err: Error) => options.log?.('warn', `adb server ${address}: ${err.message}`));
  }

  /** A client for the server at `host:port` (nothing is connected until it is used). */
  static async create(address: string, options: AdbServerOptions = {}): Promise<AdbServer> {
    return new AdbServer(address, options, await loadAdb());
  }

  /**
   * Undefined when the server answers; otherwise one line saying why not and what to do. A local server is
   * started the way `adb` itself does it, unless `startServer` is off.
   */
  async unreachable(): Promise<string | undefined> {
    const local = isLocal(this.host);
    if (!(await probe(this.host, this.port)) && !(local && this.options.startServer !== false)) {
      return local
        ? `no adb server answers at ${this.address}; start one with \`adb -P ${this.port} start-server\` (or allow plugins.android.startAdbServer)`
        : `no adb server answers at ${this.address}; start it on that machine with \`adb -a -P ${this.port} server nodaemon\` and check the address`;
    }
    try {
      await this.client.version();
      return undefined;
    } catch (e) {
      return adbFault(e, { server: this.address, phase: 'resolve' }).message;
    }
  }

  /** Every device the server lists, whatever its state. */
  async list(): Promise<AdbListing[]> {
    try {
      return ((await this.client.listDevices()) as AdbListing[]).map((d) => ({ id: d.id, type: d.type }));
    } catch (e) {
      throw adbFault(e, { server: this.address, phase: 'resolve' });
    }
  }

  /** `adb connect host:port`; throws DEVICE_UNAVAILABLE with the server's own words when it fails. */
  async connect(serial: string): Promise<void> {
    try {
      await this.client.connect(serial);
    } catch (e) {
      throw adbFault(e, { server: this.address, serial, phase: 'connect' });
    }
  }

  /** `adb disconnect host:port`, best effort. */
  async disconnect(serial: string): Promise<void> {
    try {
      await this.client.disconnect(serial);
    } catch {
      // Already gone: nothing to release.
    }
  }

  device(serial: string): AdbDeviceClient {
    return this.client.getDevice(serial);
  }
}
