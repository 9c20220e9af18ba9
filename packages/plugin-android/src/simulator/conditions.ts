/**
 * The physical state of a simulated phone that tests change while it runs: thermal zones (set, cooled at once or
 * over time, warmed by load), CPU frequency, battery and charger, and a load-following `current_now`. Everything
 * is written into the sandbox's sysfs files, where the phone's tools and the device plugin read it.
 */
import { LoadWatcher } from './phone-processes.js';
import { coreCount, type SimBattery, type SimDeviceProfile } from './profiles.js';
import type { Sandbox } from './sandbox.js';
import type { SimCommand } from './shell-service.js';

/** Battery change for `setBattery`; fields left out keep their value. */
export interface SimBatteryUpdate {
  levelPct?: number;
  usbPowered?: boolean;
  currentUa?: number;
  voltageUv?: number;
  tempC?: number;
}

/** `current_now` follows the load: `busyUa` while a shell command matching `busyWhile` runs, else `idleUa`. */
export interface SimCurrentProfile {
  idleUa: number;
  busyUa: number;
  busyWhile: RegExp;
}

/** Heating under load, for `setThermalProfile`. */
export interface SimThermalProfile {
  busyWhile: RegExp;
  riseCPerS: number;
  coolCPerS: number;
  /** Ceiling while busy (default 95 °C). */
  maxC?: number;
  /** Zones that react (index, type, type prefix or `all`, the default). */
  zones?: number | string;
}

/** One phone's conditions; the simulator delegates its control API here. */
export class PhoneConditions {
  private battery: SimBattery;
  private currentProfile: SimCurrentProfile | undefined;
  /** Shell commands running now whose text matches the current profile. */
  private busy = 0;
  private readonly busyCommands = new WeakSet<SimCommand>();
  private coolTimer: NodeJS.Timeout | undefined;
  private loadWatch: LoadWatcher | undefined;
  private thermalWatch: LoadWatcher | undefined;
  private thermalTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sandbox: Sandbox,
    private readonly profile: SimDeviceProfile,
    /** `GAUGENN_SIM_ID=<id>\0`, the environment entry of this phone's processes. */
    private readonly tag: string,
  ) {
    this.battery = { ...profile.battery };
  }

  /** Set a thermal zone (index, exact type, or type prefix like `cpu`), or `all`, to a temperature in °C. */
  heat(zone: number | string, tempC: number): void {
    this.stopCooling();
    for (const i of this.zoneIndexes(zone)) this.sandbox.setZoneTemp(i, tempC);
  }

  /**
   * Back to the profile's resting temperatures (all zones, or the ones named): at once, or linearly over
   * `overMs` (so a thermal gate sees the phone cool down while it waits).
   */
  cool(zone: number | string = 'all', opts: { overMs?: number } = {}): void {
    const zones = this.zoneIndexes(zone);
    this.stopCooling();
    if (!opts.overMs) {
      for (const i of zones) this.sandbox.setZoneTemp(i, this.profile.thermal[i]!.tempC);
      return;
    }
    const from = zones.map((i) => this.sandbox.zoneTemp(i));
    const t0 = Date.now();
    const overMs = opts.overMs;
    const step = () => {
      const f = Math.min(1, (Date.now() - t0) / overMs);
      zones.forEach((i, k) => this.sandbox.setZoneTemp(i, from[k]! + (this.profile.thermal[i]!.tempC - from[k]!) * f));
      if (f >= 1) this.stopCooling();
    };
    this.coolTimer = setInterval(step, Math.min(100, overMs));
    this.coolTimer.unref();
  }

  private stopCooling(): void {
    if (this.coolTimer) clearInterval(this.coolTimer);
    this.coolTimer = undefined;
  }

  /**
   * Let the phone warm up under load and cool when idle: while a process matching `busyWhile` runs, the zones
   * (default: all) rise by `riseCPerS` up to `maxC`; otherwise they fall by `coolCPerS` towards their resting
   * temperatures. `undefined` stops it (temperatures stay where they are).
   */
  setThermalProfile(profile: SimThermalProfile | undefined): void {
    this.thermalWatch?.stop();
    this.thermalWatch = undefined;
    if (this.thermalTimer) clearInterval(this.thermalTimer);
    this.thermalTimer = undefined;
    if (!profile) return;
    this.stopCooling();
    const watch = new LoadWatcher(this.tag, profile.busyWhile, () => {});
    watch.start();
    this.thermalWatch = watch;
    const zones = this.zoneIndexes(profile.zones ?? 'all');
    let last = Date.now();
    this.thermalTimer = setInterval(() => {
      const now = Date.now();
      const dt = (now - last) / 1000;
      last = now;
      for (const i of zones) {
        const t = this.sandbox.zoneTemp(i);
        const rest = this.profile.thermal[i]!.tempC;
        const next = watch.isBusy ? Math.min(profile.maxC ?? 95, t + profile.riseCPerS * dt) : Math.max(rest, t - profile.coolCPerS * dt);
        if (next !== t) this.sandbox.setZoneTemp(i, next);
      }
    }, 100);
    this.thermalTimer.unref();
  }

  /** Set `scaling_cur_freq` (kHz) of one CPU or all of them, e.g. to show a throttled phone. */
  setCpuFreq(cpu: number | 'all', kHz: number): void {
    const n = coreCount(this.profile);
    for (let c = 0; c < n; c++) if (cpu === 'all' || cpu === c) this.sandbox.write('root', `sys/devices/system/cpu/cpu${c}/cpufreq/scaling_cur_freq`, `${Math.round(kHz)}\n`);
  }

  /** Current reading of a zone in °C. */
  zoneTemp(zone: number | string): number {
    const [i] = this.zoneIndexes(zone);
    if (i === undefined) throw new Error(`no thermal zone ${JSON.stringify(zone)}`);
    return this.sandbox.zoneTemp(i);
  }

  zoneIndexes(zone: number | string): number[] {
    const zones = this.profile.thermal;
    if (typeof zone === 'number') return zone >= 0 && zone < zones.length ? [zone] : [];
    if (zone === 'all') return zones.map((_, i) => i);
    const exact = zones.flatMap((z, i) => (z.type === zone ? [i] : []));
    return exact.length ? exact : zones.flatMap((z, i) => (z.type.startsWith(zone) ? [i] : []));
  }

  /** Change the battery (power_supply files, and what `dumpsys battery` prints). */
  setBattery(update: SimBatteryUpdate): void {
    this.battery = { ...this.battery, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) };
    this.sandbox.setBattery(this.battery);
    this.applyCurrent();
  }

  /** The battery as the simulator holds it now. */
  batteryState(): SimBattery {
    return { ...this.battery };
  }

  /**
   * Make `current_now` follow the load (energy tests): `busyUa` while a shell command whose text matches
   * `busyWhile` runs, or any process of this phone whose command line matches it (so a detached `nohup` job
   * counts until it ends); `idleUa` otherwise. `undefined` restores the fixed `currentUa`.
   */
  setCurrentProfile(profile: SimCurrentProfile | undefined): void {
    this.loadWatch?.stop();
    this.loadWatch = undefined;
    this.currentProfile = profile;
    if (profile) {
      this.loadWatch = new LoadWatcher(this.tag, profile.busyWhile, () => this.applyCurrent());
      this.loadWatch.start();
    }
    this.applyCurrent();
  }

  private applyCurrent(): void {
    const p = this.currentProfile;
    const busy = this.busy > 0 || this.loadWatch?.isBusy === true;
    this.sandbox.setCurrent(p ? (busy ? p.busyUa : p.idleUa) : this.battery.currentUa);
  }

  /** A shell command started: it may make the phone busy for the current profile. */
  commandStarted(cmd: SimCommand): void {
    if (this.currentProfile?.busyWhile.test(cmd.command)) {
      this.busyCommands.add(cmd);
      this.busy++;
      this.applyCurrent();
    }
  }

  /** A shell command ended: look at the load again now rather than at the next poll. */
  commandEnded(cmd: SimCommand): void {
    if (this.busyCommands.delete(cmd)) this.busy--;
    this.loadWatch?.refresh();
    this.thermalWatch?.refresh();
    if (this.currentProfile) this.applyCurrent();
  }

  /** Stop every timer and watcher. */
  stop(): void {
    this.stopCooling();
    this.loadWatch?.stop();
    this.setThermalProfile(undefined);
  }
}
