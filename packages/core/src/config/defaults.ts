import type { GaugeConfig } from './schema.js';

/** Defaults that let every command run with no config at all: host device, cpu backend, ./gaugenn.db. */
export function defaultConfig(): GaugeConfig {
  return {
    store: 'gaugenn.db',
    reportDir: 'gaugenn-report',
    use: [],
    plugins: {},
    sources: [],
    devices: [{ kind: 'host' }],
    extract: { searchLibraries: false },
    energy: [],
    bench: {
      backends: ['cpu'],
      threads: [1],
      warmup: 3,
      runs: 20,
      timeoutMs: 120_000,
      thermalThresholdC: 75,
      thermalMaxWaitMs: 120_000,
      cooldownMs: 0,
      batteryWaitMs: 600_000,
      deviceWaitMs: 120_000,
      maxAttempts: 3,
      hygiene: { screenOff: false, stayAwake: false, wifiOff: false },
      pinBigCluster: false,
    },
  };
}

/**
 * A device named on the command line: `host`, `adb` (every online device on the default adb server),
 * `adb:SERIAL` (a serial, or `host:port` to `adb connect`), `KIND:ID` for other kinds.
 */
export function deviceSpecFromFlag(flag: string): import('../device/types.js').DeviceSpec {
  const i = flag.indexOf(':');
  if (i < 0) return { kind: flag };
  const kind = flag.slice(0, i);
  const rest = flag.slice(i + 1);
  return kind === 'adb' ? { kind, serial: rest } : { kind, id: rest };
}
