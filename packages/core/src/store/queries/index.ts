/** Store queries: pure functions of the store that reports, diffs and lineage read. Nothing here draws. */
export * from './app-records.js';
export * from './job-records.js';
export * from './lineage.js';
export * from './snapshot-diff.js';
export * from './extraction-reuse.js';
