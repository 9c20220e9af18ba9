/**
 * @gaugenn/core — the public API that plugins and the CLI use.
 * Everything a plugin author touches is exported from here; deep imports are not part of the API.
 */
export * from './errors/gauge-error.js';
export * from './ir/model-graph.js';
export * from './ir/totals.js';
export * from './extract/types.js';
export * from './device/types.js';
export * from './plugin/types.js';
export * from './gauge.js';
export * from './archive/index.js';
export * from './report/index.js';
export * from './util/hash.js';
