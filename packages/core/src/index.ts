/**
 * @gaugenn/core — the public API that plugins and the CLI use.
 * Everything a plugin author touches is exported from here; deep imports are not part of the API.
 */
export * from './errors/gauge-error.js';
export * from './ir/model-graph.js';
export * from './ir/totals.js';
export * from './extract/types.js';
export * from './extract/signatures.js';
export * from './device/types.js';
export * from './plugin/types.js';
export * from './gauge.js';
export * from './archive/index.js';
export * from './stats/latency-stats.js';
export * from './util/hash.js';
export * from './config/schema.js';
export * from './config/defaults.js';
export * from './config/load-config.js';
export * from './plugin/load-plugins.js';
export * from './gauge-factory.js';
export * from './builtin/core-plugin.js';
export * from './device/host-device.js';
export * from './store/store.js';
export * from './bench/thermal-gate.js';
export * from './bench/run-jobs.js';
export * from './pipeline/extract.js';
export * from './pipeline/analyze.js';
export * from './pipeline/bench.js';
export * from './pipeline/report.js';
export * from './util/progress.js';
export * from './device/host-python.js';
export * from './device/runner-output.js';
export * from './device/runner-env.js';
export * from './energy/index.js';
export * from './fetch/types.js';
export * from './fetch/download.js';
export * from './fetch/map-limit.js';
export * from './fetch/csv-line.js';
export * from './fetch/list-source.js';
export * from './bench/job-stats.js';
export * from './bench/cpu-mask.js';
export * from './bench/delegation-warnings.js';
export * from './store/queries/index.js';
