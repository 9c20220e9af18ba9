// execa is imported on first use: it costs ~70 ms to load, and extraction workers never run commands.
const loadExeca = async () => (await import('execa')).execa;
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { arch, cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import type { Device, DeviceInfo, ExecOptions, ExecResult, Transport } from './types.js';

/** Map Node's arch to the ABI names Android uses, so host and phones read alike in tables. */
const ABI: Record<string, string> = { x64: 'x86_64', arm64: 'arm64-v8a', arm: 'armeabi-v7a', ia32: 'x86' };

async function readText(p: string): Promise<string | undefined> {
  try {
    return (await readFile(p, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Max frequency of each core from cpufreq, where the kernel exposes it (VMs often do not). */
async function maxFreqs(n: number): Promise<number[] | undefined> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const khz = await readText(`/sys/devices/system/cpu/cpu${i}/cpufreq/cpuinfo_max_freq`);
    if (!khz) return undefined;
    out.push(Math.round(Number(khz) / 1000));
  }
  return out;
}

/** Read what the host is from the OS itself: this is what the report says the device was. */
export async function hostInfo(): Promise<DeviceInfo> {
  const c = cpus();
  const osRelease = (await readText('/etc/os-release'))?.match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1];
  return {
    model: 'host',
    soc: c[0]?.model?.trim(),
    cpu: { cores: c.length, name: c[0]?.model?.trim(), maxFreqsMHz: await maxFreqs(c.length) },
    ramBytes: totalmem(),
    os: `${osRelease ?? type()} (kernel ${release()})`,
    abi: ABI[arch()] ?? arch(),
  };
}

/** Process groups of commands still running: killed if gaugeNN exits first, so no runner outlives it. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

/** The machine gaugeNN runs on; the embedded default device. Commands run locally through execa. */
export class HostTransport implements Transport {
  private dir?: string;

  async push(localPath: string, remotePath: string): Promise<void> {
    if (localPath !== remotePath) await copyFile(localPath, remotePath);
  }

  async pull(remotePath: string, localPath: string): Promise<void> {
    if (localPath !== remotePath) await copyFile(remotePath, localPath);
  }

  /**
   * Run a command on the host. It runs in a process group of its own, and on timeout or cancellation the whole
   * group is killed (SIGKILL), so a runner that forked children cannot leave them running or holding its output
   * open; members left when the command itself exits are killed too.
   */
  async exec(command: string, args: string[], o: ExecOptions = {}): Promise<ExecResult> {
    const sub = (await loadExeca())(command, args, {
      reject: false,
      cancelSignal: o.signal,
      cwd: o.cwd,
      env: o.env,
      input: o.input,
      stripFinalNewline: false,
      detached: true,
    });
    const pid = sub.pid;
    const killGroup = () => {
      if (pid === undefined) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    let timedOut = false;
    const timer = o.timeoutMs ? setTimeout(() => { timedOut = true; killGroup(); }, o.timeoutMs) : undefined;
    const onAbort = () => killGroup();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (pid !== undefined) liveGroups.add(pid);
    sub.on('exit', killGroup);
    const r = await sub;
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    if (pid !== undefined) liveGroups.delete(pid);
    if (r.failed && r.exitCode === undefined && !timedOut && !r.isCanceled && r.signal === undefined) {
      // The program could not be started at all (ENOENT, EACCES): say so as exit code 127, as a shell would.
      return { exitCode: 127, stdout: String(r.stdout ?? ''), stderr: `${r.stderr ?? ''}${r.message}`, timedOut: false };
    }
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), timedOut };
  }

  async readFile(remotePath: string): Promise<Buffer> {
    return readFile(remotePath);
  }

  /** Start a command in its own session, so it outlives this process's terminal; exit code to `rcFile`. */
  async spawnDetached(command: string, args: string[], o: { cwd?: string; env?: Record<string, string>; outFile: string; rcFile: string }): Promise<void> {
    // "$@" keeps each argument intact; the wrapper shell only redirects and records the exit code.
    const script = '"$@" > "$GAUGENN_OUT" 2>&1; echo $? > "$GAUGENN_RC"';
    const child = spawn('sh', ['-c', script, 'sh', command, ...args], {
      cwd: o.cwd, env: { ...process.env, ...o.env, GAUGENN_OUT: o.outFile, GAUGENN_RC: o.rcFile }, detached: true, stdio: 'ignore',
    });
    child.unref();
  }

  async remove(remotePath: string): Promise<void> {
    await rm(remotePath, { recursive: true, force: true });
  }

  async workDir(): Promise<string> {
    this.dir ??= join(tmpdir(), `gaugenn-host-${process.pid}`);
    await mkdir(this.dir, { recursive: true });
    return this.dir;
  }
}

/** Hottest thermal zone, in °C; undefined where the kernel exposes none (many VMs). */
export async function hostTemperature(): Promise<number | undefined> {
  let zones: string[];
  try {
    zones = (await readdir('/sys/class/thermal')).filter((z) => z.startsWith('thermal_zone'));
  } catch {
    return undefined;
  }
  let max: number | undefined;
  for (const z of zones) {
    const t = Number(await readText(`/sys/class/thermal/${z}/temp`));
    if (Number.isFinite(t) && t > 0) max = Math.max(max ?? -Infinity, t / 1000);
  }
  return max;
}

/** Create the host device. */
export async function createHostDevice(id = 'host'): Promise<Device> {
  return { id, kind: 'host', info: await hostInfo(), transport: new HostTransport(), temperature: hostTemperature };
}
