/**
 * The simulated phone's file system: a directory that looks like Android under /sys, /proc, /data, /sdcard,
 * /system and /vendor, built from a profile, plus a state folder for the shims (props, logcat, settings, events).
 * Control writes are atomic (write + rename), so a `cat` racing a change never reads a half-written file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { coreCount, type SimBattery, type SimDeviceProfile } from './profiles.js';
import { shimScripts } from './shims.js';

/** Host tools linked into /system/bin so Android-path invocations like `/system/bin/sh` work. */
const LINKED_TOOLS = ['sh', 'cat', 'ls', 'echo', 'chmod', 'chown', 'rm', 'mkdir', 'rmdir', 'mv', 'cp', 'ln', 'sleep', 'ps', 'kill', 'id', 'grep', 'sed', 'awk', 'sha256sum', 'md5sum', 'stat', 'touch', 'head', 'tail', 'wc', 'date', 'env', 'nohup', 'setsid', 'which', 'readlink', 'realpath', 'dd', 'printf', 'test', 'true', 'false', 'sort', 'tr', 'cut', 'du', 'df', 'find', 'xargs', 'tee', 'timeout', 'basename', 'dirname', 'pidof', 'pgrep', 'pkill', 'uptime', 'sync'];

const DEFAULT_SETTINGS = ['global/stay_on_while_plugged_in=0', 'global/wifi_on=1', 'global/airplane_mode_on=0', 'system/screen_off_timeout=30000', 'system/screen_brightness=128', 'system/screen_brightness_mode=1'];
const DEFAULT_PACKAGES = ['android', 'com.android.shell', 'com.android.systemui', 'com.android.settings'];

function findOnPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, tool);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

function cpuList(n: number): string {
  return n === 1 ? '0' : `0-${n - 1}`;
}

export class Sandbox {
  /** Android's `/` on the host. */
  readonly root: string;
  /** Simulator state the shims share (not visible as an Android path). */
  readonly state: string;

  constructor(
    readonly dir: string,
    readonly profile: SimDeviceProfile,
    readonly serial: string,
  ) {
    this.root = join(dir, 'root');
    this.state = join(dir, 'state');
  }

  /** Build the tree. Safe to call on an existing folder: state files are reset, /data is kept. */
  build(): void {
    const p = this.profile;
    for (const d of ['data/local/tmp', 'storage/emulated/0', 'system/bin', 'system/xbin', 'system/lib64', 'system/lib', 'vendor/bin', 'vendor/lib64', 'vendor/lib', 'proc', 'sys/class/thermal', 'sys/class/power_supply', 'dev']) {
      mkdirSync(join(this.root, d), { recursive: true });
    }
    mkdirSync(this.state, { recursive: true });
    chmodSync(join(this.root, 'data/local/tmp'), 0o777);
    if (!existsSync(join(this.root, 'sdcard'))) symlinkSync('storage/emulated/0', join(this.root, 'sdcard'));

    const props = { ...p.props, 'ro.serialno': this.serial, 'ro.boot.serialno': this.serial };
    this.write('state', 'props', Object.entries(props).map(([k, v]) => `${k}=${v}\n`).join(''));
    this.write('root', 'system/build.prop', Object.entries(props).filter(([k]) => k.startsWith('ro.')).map(([k, v]) => `${k}=${v}\n`).join(''));
    for (const [f, v] of Object.entries({ logcat: '', events: '', screen: 'on\n', wifi: 'enabled\n', data: 'enabled\n', stayon: 'false\n' })) this.write('state', f, v);
    this.write('state', 'settings', DEFAULT_SETTINGS.map((l) => `${l}\n`).join(''));
    this.write('state', 'packages', DEFAULT_PACKAGES.map((l) => `${l}\n`).join(''));

    this.buildCpu();
    this.buildProc();
    p.thermal.forEach((z, i) => {
      this.write('root', `sys/class/thermal/thermal_zone${i}/type`, `${z.type}\n`);
      this.write('root', `sys/class/thermal/thermal_zone${i}/mode`, 'enabled\n');
      this.setZoneTemp(i, z.tempC);
    });
    this.setBattery(p.battery);
    this.write('root', 'sys/class/power_supply/battery/present', '1\n');
    this.write('root', 'sys/class/power_supply/battery/health', 'Good\n');
    this.write('root', 'sys/class/power_supply/battery/technology', 'Li-ion\n');
    this.write('root', 'sys/class/power_supply/usb/type', 'USB\n');
    if (p.gpuModel) {
      this.write('root', 'sys/class/kgsl/kgsl-3d0/gpu_model', `${p.gpuModel}\n`);
      this.write('root', 'sys/class/kgsl/kgsl-3d0/max_gpuclk', `${p.gpuMaxHz ?? 0}\n`);
      this.write('root', 'sys/class/kgsl/kgsl-3d0/gpuclk', `${Math.round((p.gpuMaxHz ?? 0) / 3)}\n`);
    }

    const bin = join(this.root, 'system/bin');
    for (const tool of LINKED_TOOLS) {
      const target = findOnPath(tool);
      const link = join(bin, tool);
      if (target && !existsSync(link)) symlinkSync(target, link);
    }
    for (const [name, script] of Object.entries(shimScripts(this.root, this.state, p))) {
      writeFileSync(join(bin, name), script, { mode: 0o755 });
    }
  }

  private buildCpu(): void {
    const p = this.profile;
    const n = coreCount(p);
    const base = 'sys/devices/system/cpu';
    for (const f of ['possible', 'present', 'online']) this.write('root', `${base}/${f}`, `${cpuList(n)}\n`);
    this.write('root', `${base}/kernel_max`, `${n - 1}\n`);
    let cpu = 0;
    p.clusters.forEach((c, ci) => {
      const first = cpu;
      const related = c.cores === 1 ? `${first}` : `${first}-${first + c.cores - 1}`;
      for (let k = 0; k < c.cores; k++, cpu++) {
        const d = `${base}/cpu${cpu}`;
        this.write('root', `${d}/online`, '1\n');
        this.write('root', `${d}/topology/cluster_id`, `${ci}\n`);
        this.write('root', `${d}/cpufreq/cpuinfo_max_freq`, `${c.maxKHz}\n`);
        this.write('root', `${d}/cpufreq/cpuinfo_min_freq`, `${c.minKHz}\n`);
        this.write('root', `${d}/cpufreq/scaling_max_freq`, `${c.maxKHz}\n`);
        this.write('root', `${d}/cpufreq/scaling_min_freq`, `${c.minKHz}\n`);
        this.write('root', `${d}/cpufreq/scaling_cur_freq`, `${c.minKHz}\n`);
        this.write('root', `${d}/cpufreq/scaling_governor`, `${c.governor ?? 'schedutil'}\n`);
        this.write('root', `${d}/cpufreq/scaling_available_governors`, `${c.governor ?? 'schedutil'} performance powersave\n`);
        this.write('root', `${d}/cpufreq/related_cpus`, `${related.replace('-', ' ')}\n`);
        this.write('root', `${d}/cpufreq/affected_cpus`, `${related.replace('-', ' ')}\n`);
      }
    });
  }

  private buildProc(): void {
    const p = this.profile;
    let cpuinfo = '';
    let cpu = 0;
    for (const c of p.clusters) {
      for (let k = 0; k < c.cores; k++, cpu++) {
        cpuinfo += `processor\t: ${cpu}\nBogoMIPS\t: 38.40\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: ${c.part}\nCPU revision\t: 0\n\n`;
      }
    }
    cpuinfo += `Hardware\t: ${p.cpuinfoHardware}\n`;
    this.write('root', 'proc/cpuinfo', cpuinfo);
    const kb = p.memTotalKb;
    this.write('root', 'proc/meminfo', `MemTotal:       ${String(kb).padStart(8)} kB\nMemFree:        ${String(Math.round(kb * 0.12)).padStart(8)} kB\nMemAvailable:   ${String(Math.round(kb * 0.41)).padStart(8)} kB\nBuffers:        ${String(Math.round(kb * 0.004)).padStart(8)} kB\nCached:         ${String(Math.round(kb * 0.3)).padStart(8)} kB\nSwapTotal:       4194300 kB\nSwapFree:        3145724 kB\n`);
    this.write('root', 'proc/version', `${p.kernelVersion}\n`);
  }

  /** Host path of an Android path inside the sandbox. */
  path(androidPath: string): string {
    return join(this.root, androidPath.replace(/^\/+/, ''));
  }

  /** Atomic write of a file under root or state. */
  write(where: 'root' | 'state', rel: string, content: string | Buffer): void {
    const file = join(where === 'root' ? this.root : this.state, rel);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  }

  read(where: 'root' | 'state', rel: string): string {
    return readFileSync(join(where === 'root' ? this.root : this.state, rel), 'utf8');
  }

  setZoneTemp(index: number, tempC: number): void {
    this.write('root', `sys/class/thermal/thermal_zone${index}/temp`, `${Math.round(tempC * 1000)}\n`);
  }

  zoneTemp(index: number): number {
    return Number(this.read('root', `sys/class/thermal/thermal_zone${index}/temp`)) / 1000;
  }

  /** Write the power_supply files (capacity %, temp in tenths °C, µV, µA, status, usb/online). */
  setBattery(b: SimBattery): void {
    const ps = 'sys/class/power_supply';
    this.write('root', `${ps}/battery/capacity`, `${Math.round(b.levelPct)}\n`);
    this.write('root', `${ps}/battery/temp`, `${Math.round(b.tempC * 10)}\n`);
    this.write('root', `${ps}/battery/voltage_now`, `${Math.round(b.voltageUv)}\n`);
    this.write('root', `${ps}/battery/current_now`, `${Math.round(b.currentUa)}\n`);
    this.write('root', `${ps}/battery/status`, `${b.usbPowered ? (b.levelPct >= 100 ? 'Full' : 'Charging') : 'Discharging'}\n`);
    this.write('root', `${ps}/usb/online`, `${b.usbPowered ? 1 : 0}\n`);
  }

  setCurrent(ua: number): void {
    this.write('root', 'sys/class/power_supply/battery/current_now', `${Math.round(ua)}\n`);
  }
}
