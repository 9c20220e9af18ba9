/**
 * The ADB device simulator: a loopback adbd for tests and for trying gaugeNN without a phone. The real adb server
 * reaches it with `adb connect 127.0.0.1:PORT`; it serves `shell:`/`exec:` and `sync:` over the transport
 * protocol, runs commands on the host inside a sandbox that looks like a phone, and offers a control API to heat
 * it, drain or charge its battery, and unplug/replug it while a test runs. It is a simulator, not a device.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { EventEmitter } from 'node:events';
import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransportConnection, type DeviceStream } from './stream-mux.js';
import { startShell, type SimCommand } from './shell-service.js';
import { replayScript } from './shims.js';
import { startSync } from './sync-service.js';
import { Sandbox } from './sandbox.js';
import { startControlServer } from './control-server.js';
import { killTagged } from './phone-processes.js';
import { PhoneConditions, type SimBatteryUpdate, type SimCurrentProfile, type SimThermalProfile } from './conditions.js';
import { SIM_PROFILES, type SimBattery, type SimDeviceProfile } from './profiles.js';

export type { SimBatteryUpdate, SimCurrentProfile, SimThermalProfile } from './conditions.js';

/** Options of {@link AdbDeviceSimulator.start}. */
export interface AdbSimulatorOptions {
  /** TCP port on 127.0.0.1 (0 = a free one, the default). */
  port?: number;
  /** `ro.serialno`. The adb server itself names a connected device by its address, `127.0.0.1:PORT`. */
  serial?: string;
  /** A profile id (`sm8450`, `sm7125`) or a full profile. Default `sm8450`. */
  profile?: string | SimDeviceProfile;
  /** `ro.product.model` (shown by `adb devices -l`); shorthand for the same key in `props`. */
  model?: string;
  /** Overrides of profile properties, e.g. `{ 'ro.product.manufacturer': 'Google' }`. */
  props?: Record<string, string>;
  /** Sandbox folder (kept on close); default a fresh temp folder, removed on close. */
  dir?: string;
  /** Max payload we advertise in CNXN (default 256 KiB; the agreed one is the smaller of ours and the server's). */
  maxPayload?: number;
  /** Extra environment for every shell command. */
  env?: Record<string, string>;
  /** Also serve the HTTP control port (see control-server.ts): `true` for a free port, or a port number. */
  control?: boolean | number;
}

/** A replaying runner stand-in, for {@link AdbDeviceSimulator.installReplay}. */
export interface SimReplay {
  /** What it prints (stdout and stderr are one stream on the phone). */
  output: string | Buffer;
  /** How long a run takes before the output appears (ms). */
  runMs?: number;
  exitCode?: number;
  /** Logcat lines it appends when it starts (e.g. tag `tflite`, the delegate lines). */
  logcat?: { tag: string; message: string; priority?: 'V' | 'D' | 'I' | 'W' | 'E' | 'F' }[];
}

/** One call of a shim tool (getprop, taskset, input, …) as recorded by the sandbox. */
export interface SimToolCall {
  at: number;
  tool: string;
  args: string[];
}

/** Simulators not closed yet. */
const live = new Set<AdbDeviceSimulator>();

/**
 * Events: `command` (SimCommand started), `commandEnd` (SimCommand), `online` (a server finished CNXN),
 * `offline` (a transport closed), `pushed` ({ path, bytes }).
 */
export class AdbDeviceSimulator extends EventEmitter {
  // A process that exits without closing its simulators leaves no processes or temp folders behind.
  static {
    process.once('exit', () => {
      for (const sim of live) sim.cleanUp();
    });
  }

  /** Every command run so far, in start order. */
  readonly commands: SimCommand[] = [];
  readonly profile: SimDeviceProfile;
  readonly sandbox: Sandbox;
  private server: Server | undefined;
  private readonly connections = new Set<TransportConnection>();
  private readonly sockets = new Set<Socket>();
  private _port: number;
  private commandId = 0;
  private readonly ownsDir: boolean;
  private readonly simId: string;
  private closed = false;
  private powerBeforeUnplug: boolean | undefined;
  private readonly conditions: PhoneConditions;

  private constructor(private readonly opts: AdbSimulatorOptions) {
    super();
    const base = typeof opts.profile === 'object' ? opts.profile : SIM_PROFILES[opts.profile ?? 'sm8450'];
    if (!base) throw new Error(`unknown simulator profile ${JSON.stringify(opts.profile)}; known: ${Object.keys(SIM_PROFILES).join(', ')}`);
    this.profile = { ...base, props: { ...base.props, ...opts.props, ...(opts.model ? { 'ro.product.model': opts.model } : {}) } };
    this.ownsDir = !opts.dir;
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'gaugenn-adbsim-'));
    this.simId = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    this.sandbox = new Sandbox(dir, this.profile, opts.serial ?? `SIM${this.simId.replace(/\W/g, '').slice(-8).toUpperCase()}`);
    this.conditions = new PhoneConditions(this.sandbox, this.profile, `GAUGENN_SIM_ID=${this.simId}\0`);
    this._port = opts.port ?? 0;
  }

  /** Build the sandbox and listen. */
  static async start(opts: AdbSimulatorOptions = {}): Promise<AdbDeviceSimulator> {
    const sim = new AdbDeviceSimulator(opts);
    sim.sandbox.build();
    live.add(sim);
    await sim.listen();
    if (opts.control !== undefined && opts.control !== false) {
      try {
        const c = await startControlServer(sim, typeof opts.control === 'number' ? opts.control : 0);
        sim.control = c.server;
        sim.controlUrl = c.url;
      } catch (err) {
        await sim.close();
        throw err;
      }
    }
    return sim;
  }

  /** Base URL of the HTTP control port, when started with `control` (e.g. `${controlUrl}/unplug` for curl). */
  controlUrl: string | undefined;
  private control: HttpServer | undefined;

  /** A JSON-able snapshot: plugged, battery, zone temperatures, commands run, open transports. */
  state(): { address: string; serial: string; plugged: boolean; battery: SimBattery; thermal: { zone: number; type: string; tempC: number }[]; commands: number; transports: number } {
    return {
      address: this.address,
      serial: this.serial,
      plugged: this.plugged,
      battery: this.batteryState(),
      thermal: this.profile.thermal.map((z, i) => ({ zone: i, type: z.type, tempC: this.sandbox.zoneTemp(i) })),
      commands: this.commands.length,
      transports: this.connections.size,
    };
  }

  get port(): number {
    return this._port;
  }

  /** What to `adb connect`, and the serial the adb server lists it under. */
  get address(): string {
    return `127.0.0.1:${this._port}`;
  }

  /** `ro.serialno` (the adb server names it by {@link address}). */
  get serial(): string {
    return this.sandbox.serial;
  }

  /** Whether it is listening ("plugged in"). */
  get plugged(): boolean {
    return this.server !== undefined;
  }

  /** The CNXN banner: product, model and device from the properties; of the features only `fixed_push_mkdir` (no `shell_v2`, on purpose). */
  get banner(): string {
    const p = this.profile.props;
    return `device::ro.product.name=${p['ro.product.name'] ?? ''};ro.product.model=${p['ro.product.model'] ?? ''};ro.product.device=${p['ro.product.device'] ?? ''};features=fixed_push_mkdir`;
  }

  /** Host path of an Android path in the sandbox. */
  hostPath(androidPath: string): string {
    return this.sandbox.path(androidPath);
  }

  /** Set a thermal zone (index, exact type, or type prefix like `cpu`), or `all`, to a temperature in °C. */
  heat(zone: number | string, tempC: number): void {
    this.conditions.heat(zone, tempC);
  }

  /**
   * Back to the profile's resting temperatures (all zones, or the ones named): at once, or linearly over
   * `overMs` (so a thermal gate sees the phone cool down while it waits).
   */
  cool(zone: number | string = 'all', opts: { overMs?: number } = {}): void {
    this.conditions.cool(zone, opts);
  }

  /** Current reading of a zone (index, type or type prefix) in °C. */
  zoneTemp(zone: number | string): number {
    return this.conditions.zoneTemp(zone);
  }

  /**
   * Let the phone warm up under load and cool when idle: while a process matching `busyWhile` runs, the zones
   * (default: all) rise by `riseCPerS` up to `maxC`; otherwise they fall by `coolCPerS` towards their resting
   * temperatures. `undefined` stops it (temperatures stay where they are).
   */
  setThermalProfile(profile: SimThermalProfile | undefined): void {
    this.conditions.setThermalProfile(profile);
  }

  /** Set `scaling_cur_freq` (kHz) of one CPU or all of them, e.g. to show a throttled phone. */
  setCpuFreq(cpu: number | 'all', kHz: number): void {
    this.conditions.setCpuFreq(cpu, kHz);
  }

  /** Change the battery (power_supply files, and what `dumpsys battery` prints). */
  setBattery(update: SimBatteryUpdate): void {
    this.conditions.setBattery(update);
  }

  /** The battery as the simulator holds it now. */
  batteryState(): SimBattery {
    return this.conditions.batteryState();
  }

  /**
   * Make `current_now` follow the load (energy tests): `busyUa` while a shell command whose text matches
   * `busyWhile` runs, or any process of this phone whose command line matches it (so a detached `nohup` job
   * counts until it ends); `idleUa` otherwise. `undefined` restores the fixed `currentUa`.
   */
  setCurrentProfile(profile: SimCurrentProfile | undefined): void {
    this.conditions.setCurrentProfile(profile);
  }

  /**
   * Put an executable on the phone, e.g. a runner stand-in: `installTool('/system/bin/app_process', script)` or
   * `installTool('benchmark_model', …)` (a bare name goes to /system/bin, which is on the shell's PATH). Commands
   * and their arguments reach it with sandbox paths; `GAUGENN_SIM_ROOT` is the sandbox's `/` for paths it builds
   * itself, and `log -t TAG MSG` appends to the logcat.
   */
  installTool(pathOrName: string, content: string | Buffer): string {
    const androidPath = pathOrName.includes('/') ? pathOrName : `/system/bin/${pathOrName}`;
    this.sandbox.write('root', androidPath.replace(/^\/+/, ''), content);
    chmodSync(this.sandbox.path(androidPath), 0o755);
    return androidPath;
  }

  /**
   * Install a replaying stand-in for a runner (e.g. `benchmark_model` printing a captured output): each run is
   * recorded (`toolCalls(basename)`, arguments with Android paths), appends `logcat` lines, takes `runMs`, prints
   * `output` and exits with `exitCode`. Returns the Android path.
   */
  installReplay(pathOrName: string, replay: SimReplay): string {
    const androidPath = pathOrName.includes('/') ? pathOrName : `/system/bin/${pathOrName}`;
    const name = androidPath.slice(androidPath.lastIndexOf('/') + 1);
    const key = `replays/${androidPath.replace(/[^\w.-]+/g, '_')}`;
    this.sandbox.write('state', `${key}.out`, replay.output);
    const lines = (replay.logcat ?? []).map((l) => `${l.priority ?? 'I'}\t${l.tag}\t${l.message.replace(/[\t\n]/g, ' ')}\n`).join('');
    this.sandbox.write('state', `${key}.logcat`, lines);
    const script = replayScript(this.sandbox.state, name, join(this.sandbox.state, `${key}.out`), join(this.sandbox.state, `${key}.logcat`), replay.runMs ?? 0, replay.exitCode ?? 0);
    return this.installTool(androidPath, script);
  }

  /** Set a system property as `setprop` would (also `ro.*`). */
  setProp(key: string, value: string): void {
    const lines = this.sandbox.read('state', 'props').split('\n').filter((l) => l && !l.startsWith(`${key}=`));
    this.sandbox.write('state', 'props', `${[...lines, `${key}=${value}`].join('\n')}\n`);
  }

  /** Append a logcat line (threadtime format) as a process on the phone would, e.g. tag `tflite`. */
  log(tag: string, message: string, priority: 'V' | 'D' | 'I' | 'W' | 'E' | 'F' = 'I'): void {
    const d = new Date();
    const p2 = (n: number) => String(n).padStart(2, '0');
    const ts = `${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    appendFileSync(join(this.sandbox.state, 'logcat'), `${ts} ${String(process.pid).padStart(5)} ${String(process.pid).padStart(5)} ${priority} ${tag.padEnd(8)}: ${message}\n`);
  }

  /** Calls of the shim tools so far (getprop, taskset with its mask, input keyevent, svc, settings, logcat, …). */
  toolCalls(tool?: string): SimToolCall[] {
    const raw = readFileSync(join(this.sandbox.state, 'events'), 'utf8');
    const root = this.sandbox.root;
    return raw
      .split('\x1e\n')
      .filter(Boolean)
      .map((r) => {
        const [at, t, ...args] = r.split('\x1f');
        // Arguments reached the tool with sandbox paths: show them as the phone's.
        return { at: Number(at), tool: t ?? '', args: args.map((a) => a.split(`${root}/`).join('/')) };
      })
      .filter((c) => !tool || c.tool === tool);
  }

  /** Simulator state the shims keep: `screen` (on|off), `wifi`, `stayon`, … */
  stateOf(name: 'screen' | 'wifi' | 'data' | 'stayon' | 'thermal-status'): string | undefined {
    try {
      return this.sandbox.read('state', name).trim();
    } catch {
      return undefined;
    }
  }

  /**
   * Pull the cable: every transport is dropped (running shell commands get SIGHUP, detached jobs survive), the
   * port stops listening (the adb server sees the device offline, then gone), and USB power is cut unless
   * `keepPower` is set.
   */
  async unplug(opts: { keepPower?: boolean } = {}): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of this.connections) c.drop();
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((res) => server.close(() => res()));
    if (!opts.keepPower && this.powerBeforeUnplug === undefined) {
      this.powerBeforeUnplug = this.conditions.batteryState().usbPowered;
      this.setBattery({ usbPowered: false });
    }
  }

  /**
   * Plug back in: listen on the same port again and restore USB power. An adb server that knew the device
   * reconnects by itself at its next retry (about every 10 s with adb 1.0.41). With `adbServerPort`, that server
   * is told at once, as a USB replug would be seen: `adb disconnect` of the stale entry, then `adb connect`.
   */
  async replug(opts: { adbServerPort?: number } = {}): Promise<void> {
    if (this.powerBeforeUnplug !== undefined) {
      this.setBattery({ usbPowered: this.powerBeforeUnplug });
      this.powerBeforeUnplug = undefined;
    }
    if (!this.server) await this.listen();
    if (opts.adbServerPort) {
      const adb = (...args: string[]) => new Promise<string>((res) => execFile('adb', ['-P', String(opts.adbServerPort), ...args], { timeout: 30_000 }, (_e, out) => res(String(out ?? ''))));
      await adb('disconnect', this.address);
      const said = await adb('connect', this.address);
      if (!/connected to/.test(said)) throw new Error(`adb connect ${this.address} after replug: ${said.trim()}`);
    }
  }

  /** Stop everything: transports, the port, every process started in the sandbox (detached ones too). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.conditions.stop();
    const control = this.control;
    if (control) {
      control.closeAllConnections();
      await new Promise<void>((res) => control.close(() => res()));
    }
    await this.unplug({ keepPower: true });
    this.cleanUp();
  }

  /** Synchronous part of close, also run when the process exits without closing it. */
  private cleanUp(): void {
    live.delete(this);
    killTagged(`GAUGENN_SIM_ID=${this.simId}\0`);
    if (this.ownsDir) rmSync(this.sandbox.dir, { recursive: true, force: true });
  }

  private async listen(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(this._port, '127.0.0.1', () => {
        server.off('error', rej);
        res();
      });
    });
    this._port = (server.address() as { port: number }).port;
    this.server = server;
  }

  private accept(socket: Socket): void {
    if (!this.server) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    const conn = new TransportConnection(socket, {
      banner: this.banner,
      maxPayload: this.opts.maxPayload ?? 256 * 1024,
      resolve: (service) => this.resolve(service),
      log: (line) => { if (process.env.GAUGENN_SIM_DEBUG) process.stderr.write(`[adb-sim ${this.address}] ${line}\n`); },
    });
    this.connections.add(conn);
    conn.on('online', (hostBanner: string) => this.emit('online', hostBanner));
    conn.on('close', () => {
      this.connections.delete(conn);
      this.emit('offline');
    });
  }

  private resolve(service: string): ((stream: DeviceStream) => void) | undefined {
    const m = /^(shell|exec):(.*)$/s.exec(service);
    if (m) return (stream) => startShell(stream, m[1] as 'shell' | 'exec', m[2]!, this.shellContext());
    if (service === 'sync:') return (stream) => startSync(stream, { root: this.sandbox.root, pushed: (path, bytes) => this.emit('pushed', { path, bytes }) });
    return undefined;
  }

  private shellContext() {
    const root = this.sandbox.root;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: [`${root}/system/bin`, `${root}/system/xbin`, `${root}/vendor/bin`, process.env.PATH].join(':'),
      ANDROID_ROOT: `${root}/system`,
      ANDROID_DATA: `${root}/data`,
      EXTERNAL_STORAGE: `${root}/sdcard`,
      TMPDIR: `${root}/data/local/tmp`,
      GAUGENN_SIM_ROOT: root,
      GAUGENN_SIM_STATE: this.sandbox.state,
      GAUGENN_SIM_ID: this.simId,
      ...this.opts.env,
    };
    for (const k of Object.keys(env)) if (k.startsWith('ADB_') || k === 'ANDROID_SERIAL') delete env[k];
    return {
      sandbox: this.sandbox,
      env,
      nextId: () => ++this.commandId,
      started: (cmd: SimCommand) => {
        this.commands.push(cmd);
        this.conditions.commandStarted(cmd);
        this.emit('command', cmd);
      },
      ended: (cmd: SimCommand) => {
        this.conditions.commandEnded(cmd);
        this.emit('commandEnd', cmd);
      },
    };
  }
}
