/** What a device is, as its plugin reads it from the device itself. */
export interface DeviceInfo {
  model?: string;
  soc?: string;
  cpu: { cores: number; maxFreqsMHz?: number[]; name?: string };
  gpu?: string;
  ramBytes?: number;
  os: string;
  abi: string;
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
}

/** A device that models run on. */
export interface Device {
  id: string;
  kind: 'host' | 'adb' | 'ssh' | string;
  info: DeviceInfo;
  transport: Transport;
  /** Hottest thermal zone in °C, or undefined when the device exposes none. */
  temperature(): Promise<number | undefined>;
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
}

/** What a runner measured. Every timed sample is kept. */
export interface RunResult {
  samplesMs: number[];
  warmupMs?: number[];
  /** The runtime that ran it, with its version (`ai-edge-litert 2.3.0`). */
  engine: string;
  /** Anything else the runner reported (delegate applied, init time, …). */
  extra?: Record<string, unknown>;
}

/** A program that runs models of one framework on a device. */
export interface Runner {
  framework: string;
  /** Backends this runner offers on this device. */
  backends(device: Device): string[];
  run(device: Device, request: RunRequest): Promise<RunResult>;
}
