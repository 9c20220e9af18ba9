#!/usr/bin/env node
/**
 * bench/startup: how long the CLI takes before it does anything, side by side with a bare `node -e 0` (the floor
 * any Node CLI pays). Each command runs as a fresh process, interleaved with the baseline, N times; the median
 * wall time of each is reported with its ratio to the baseline. Goal: `gaugenn --version` and
 * `gaugenn extract --help` under 3× the baseline.
 *
 *   node bench/startup.mjs [--runs 15]
 *
 * Needs a build (`npx tsc -b packages/cli`); the first run writes the oclif manifest if it is missing.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'packages/cli/bin/run.cjs');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 15) || 15;
const GOAL = 3;

const CASES = [
  { name: 'node -e 0 (baseline)', argv: ['-e', '0'] },
  { name: 'gaugenn --version', argv: [BIN, '--version'] },
  { name: 'gaugenn extract --help', argv: [BIN, 'extract', '--help'] },
  { name: 'gaugenn --help', argv: [BIN, '--help'] },
];

function once(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// One warm-up of each (page cache, manifest), then interleaved runs so machine noise hits every case alike.
for (const c of CASES) once(c.argv);
const times = CASES.map(() => []);
for (let i = 0; i < RUNS; i++) CASES.forEach((c, k) => times[k].push(once(c.argv)));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const base = median(times[0]);
const rows = [['command', 'median ms', 'min ms', 'ratio to node -e 0']];
CASES.forEach((c, k) => rows.push([c.name, median(times[k]).toFixed(0), Math.min(...times[k]).toFixed(0), `${(median(times[k]) / base).toFixed(2)}x`]));
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((v, c) => (c === 0 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  '));
const ratio = (k) => median(times[k]) / base;
const met = ratio(1) < GOAL && ratio(2) < GOAL;
console.log(`\n${RUNS} runs each, interleaved. Goal: --version and extract --help under ${GOAL}x the baseline: ${met ? 'met' : 'NOT met'}.`);
