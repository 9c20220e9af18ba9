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
    bench: {
      backends: ['cpu'],
      threads: [1],
      warmup: 3,
      runs: 20,
      timeoutMs: 120_000,
      thermalThresholdC: 75,
      thermalMaxWaitMs: 120_000,
    },
  };
}
