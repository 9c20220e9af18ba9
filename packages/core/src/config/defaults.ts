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
 * A device named on the command line: `KIND` (every device that kind's plugin finds, e.g. every online adb device)
 * or `KIND:ID` (one device; the kind's plugin says what the id is, e.g. an adb serial or `host:port`).
 */
export function deviceSpecFromFlag(flag: string): import('../device/types.js').DeviceSpec {
  const i = flag.indexOf(':');
  return i < 0 ? { kind: flag } : { kind: flag.slice(0, i), id: flag.slice(i + 1) };
}
