/** The validated configuration. See `gaugenn.config.*`; every key has a default. */
export interface GaugeConfig {
  /** SQLite store path. */
  store: string;
  /** Where reports go. */
  reportDir: string;
  /** Where model bytes found in apps are cached, content-addressed. */
  modelCache?: string;
  /** Extra plugins to load: module names or paths. */
  use: string[];
  /** Options per plugin, validated by each plugin's schema. */
  plugins: Record<string, Record<string, unknown>>;
  sources: { type: string; [k: string]: unknown }[];
  devices: { kind: string; id?: string; [k: string]: unknown }[];
  extract: {
    /** Worker threads for extraction (default: the machine's available parallelism). */
    workers?: number;
    /** Read native libraries whole just to search them for embedded models (see LocateOptions). */
    searchLibraries: boolean;
  };
  /**
   * Energy sources measured around every job, in order (the first is the job's primary energy figure):
   * `[{ source: 'monsoon', maxVoltage: 4.4 }, { source: 'android-battery' }]`. Source names: `monsoon`,
   * `android-battery`, `hwmon`, `rapl`, `nvml`. Keys every entry may have: `devices` (ids or kinds it applies to),
   * `baselineMs` (idle baseline before each job, default 3000), `windows` (sub-windows for the spread, default 5).
   */
  energy: import('../energy/types.js').EnergySourceSpec[];
  bench: {
    backends: string[];
    threads: number[];
    warmup: number;
    runs: number;
    timeoutMs: number;
    /** Wait until the device is cooler than this before each job (°C). */
    thermalThresholdC: number;
    /** Give up waiting for the device to cool after this long, and record that. */
    thermalMaxWaitMs: number;
    /** Pause between two jobs on one device (ms), on top of the thermal gate. */
    cooldownMs: number;
    /** Wait while the device battery is under this level (%), then skip the job with BATTERY_LOW. */
    batteryFloorPct?: number;
    /** How long to wait for the battery to recharge above the floor before skipping (ms). */
    batteryWaitMs: number;
    /** How long a lost device (DEVICE_LOST) is waited for before its worker stops (ms). */
    deviceWaitMs: number;
    /** Attempts per job before a lost device fails it for good. */
    maxAttempts: number;
    /** Screen off, stay awake, Wi-Fi off during a campaign, where the device can. */
    hygiene: { screenOff: boolean; stayAwake: boolean; wifiOff: boolean };
    /** Pin the runner to the device's big cluster (taskset mask from the cluster layout). */
    pinBigCluster: boolean;
    /**
     * Unplugged mode, as the study ran it: USB power is cut with `powerOff` while the device runs the job detached,
     * and restored with `powerOn` after `windowMs`; results are collected once the device is back.
     */
    unplugged?: { powerOff: string; powerOn: string; windowMs: number; settleMs?: number };
  };
}
