/** A group of cores that share a max frequency (big.LITTLE layout), as read from cpufreq. */
export interface CpuCluster {
  /** Core indices in this cluster. */
  cores: number[];
  maxFreqMHz: number;
}

/** What a device is, as its plugin reads it from the device itself. */
export interface DeviceInfo {
  model?: string;
  manufacturer?: string;
  soc?: string;
  cpu: {
    cores: number;
    /** Max frequency of each core in MHz (cpufreq `cpuinfo_max_freq`), one per core. */
    maxFreqsMHz?: number[];
    name?: string;
    /** Clusters from slowest to fastest (the last one is the big cluster). */
    clusters?: CpuCluster[];
  };
  gpu?: string;
  ramBytes?: number;
  os: string;
  /** Android version string (`ro.build.version.release`), where the device is Android. */
  androidVersion?: string;
  /** Android API level (`ro.build.version.sdk`). */
  apiLevel?: number;
  /** The primary ABI. */
  abi: string;
  /** Every ABI the device runs, preferred first (`ro.product.cpu.abilist`). */
  abis?: string[];
}

/** Battery state as the device reports it. */
export interface BatteryState {
  levelPct: number | null;
  tempC: number | null;
  usbPowered: boolean | null;
}

/** One thermal zone: its sysfs name, its type string, and its temperature in °C. */
export interface ThermalZone {
  zone: string;
  type: string;
  tempC: number;
}

/**
 * Measurement hygiene a device may apply around a job (DESIGN.md measurement protocol). Every field is a request;
 * the device says in {@link HygieneReport} what it could do.
 */
export interface HygieneRequest {
  screenOff?: boolean;
  stayAwake?: boolean;
  wifiOff?: boolean;
}

/** What the device did and saw for hygiene, recorded on the job. */
export interface HygieneReport {
  applied: string[];
  failed: { what: string; why: string }[];
  /** CPU governor per core (`scaling_governor`), where readable. */
  governors?: string[];
  /** Current frequency per core in MHz (`scaling_cur_freq`), where readable. */
  curFreqsMHz?: number[];
}

/** Options for running a command on a device. */
export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
  env?: Record<string, string>;
  /** Data written to the command's standard input. */
  input?: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** How core and runners reach a device: files in and out, commands, file reads. */
export interface Transport {
  push(localPath: string, remotePath: string): Promise<void>;
  pull(remotePath: string, localPath: string): Promise<void>;
  exec(command: string, args: string[], options?: ExecOptions): Promise<ExecResult>;
  readFile(remotePath: string): Promise<Buffer>;
  /** A directory on the device where runners may put models and binaries. */
  workDir(): Promise<string>;
  /**
   * Push a local file once per content: the device keeps it under a name derived from its sha256, and a second
   * call for the same bytes pushes nothing. Returns the path on the device. Optional: runners fall back to `push`.
   */
  pushCached?(localPath: string, options?: { name?: string; mode?: number }): Promise<string>;
  /**
   * Start a command detached from the connection (it keeps running when the link drops, e.g. USB power cut for an
   * energy run). Its combined output goes to `outFile` and its exit code to `rcFile` on the device when it ends.
   */
  spawnDetached?(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; outFile: string; rcFile: string }): Promise<void>;
  /** Remove a file or folder on the device. */
  remove?(remotePath: string): Promise<void>;
}

/** A device that models run on. */
export interface Device {
  id: string;
  kind: 'host' | 'adb' | 'ssh' | string;
  info: DeviceInfo;
  transport: Transport;
  /** Hottest thermal zone in °C (or the zones the device's config picks), or undefined when the device exposes none. */
  temperature(): Promise<number | undefined>;
  /** Every thermal zone the device exposes. */
  thermalZones?(): Promise<ThermalZone[]>;
  /** Battery level, temperature and whether USB power is on, where the device has a battery. */
  battery?(): Promise<BatteryState | undefined>;
  /** Apply measurement hygiene before a job and report what was done and the CPU state. */
  prepare?(request: HygieneRequest): Promise<HygieneReport>;
  /** CPU governors and current frequencies, read before and after a job. */
  cpuState?(): Promise<Pick<HygieneReport, 'governors' | 'curFreqsMHz'>>;
  /** Wait until the device is back after a `DEVICE_LOST` (replugged, rebooted); false when it did not return in time. */
  waitForReturn?(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Release what the device holds (adb connections, STF reservations). */
  release?(): Promise<void>;
}

/** A device as the config names it. */
export interface DeviceSpec {
  kind: string;
  id?: string;
  [key: string]: unknown;
}

/** One measurement request handed to a runner. */
export interface RunRequest {
  /** Model files on this machine (the runner pushes them if the device is remote). */
  modelFiles: { path: string; role?: string }[];
  backend: string;
  threads: number;
  warmup: number;
  runs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** CPU affinity mask (hex, as `taskset` takes it) to pin the runner to, e.g. the big cluster. */
  cpuMask?: string;
  /** Batch size to run at (default 1: MACs and latency are per single inference). */
  batch?: number;
}

/**
 * Statistics a runtime printed instead of samples (TFLite's `benchmark_model`), in milliseconds; null where the
 * tool did not print it. Stored and shown as an aggregate job: gaugeNN never invents samples from it.
 */
export interface AggregateStats {
  count: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  median: number | null;
  p5: number | null;
  p95: number | null;
}

/** What the runtime said it did with the delegate a job asked for (the backend truth). */
export interface Delegation {
  /** Delegate kernel or runtime name as the runtime printed it (`TfLiteGpuDelegateV2`, `NNAPI`, `DSP`). */
  delegate: string;
  /** True when the delegate executed at least one node. */
  applied: boolean;
  nodesDelegated: number | null;
  nodesTotal: number | null;
  partitions: number | null;
  /** The runtime's own verdict line, verbatim, where it printed one. */
  verdict?: string;
}

/** A warning recorded on a job (`DELEGATE_PARTIAL`, `DELEGATE_NOT_APPLIED`, `THERMAL_GATE`, …). */
export interface JobWarning {
  code: string;
  message: string;
}

/** What a runner measured. Every timed sample is kept. */
export interface RunResult {
  /** Every timed sample in ms. Empty only when the runtime printed aggregates alone (then `aggregate` is set). */
  samplesMs: number[];
  warmupMs?: number[];
  /** Set when the runtime printed only aggregates; `samplesMs` is then empty. */
  aggregate?: AggregateStats;
  /** What the runtime did with the delegate this backend asks for; null for plain CPU runs. */
  delegation?: Delegation | null;
  /** Warnings the runner found in the runtime's output (partial delegation, silent fallback). */
  warnings?: JobWarning[];
  /** The runtime that ran it, with its version (`ai-edge-litert 2.3.0`). */
  engine: string;
  /** Anything else the runner reported (init time, memory, accelerators, …). */
  extra?: Record<string, unknown>;
}

/**
 * One command that measures a whole job, for runners that need a single invocation. Core runs it attached, or
 * detached from the link in unplugged mode (the output is then read back from a file), and `parse` turns its
 * output into the result.
 */
export interface Invocation {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Files this invocation writes on the device that `parse` needs, read back after it ends (`SNPEDiag_0.log`). */
  outputs?: string[];
  parse(output: { exitCode: number; stdout: string; stderr: string; files: Record<string, Buffer> }): RunResult | Promise<RunResult>;
}

/** A program that runs models of one framework on a device. */
export interface Runner {
  framework: string;
  /** Backends this runner offers on this device. */
  backends(device: Device): string[];
  run(device: Device, request: RunRequest): Promise<RunResult>;
  /**
   * Deploy the model and runtime and return the single command that measures the job, without running it.
   * Runners that offer this can run in unplugged mode (`bench.unplugged`).
   */
  prepare?(device: Device, request: RunRequest): Promise<Invocation>;
}
