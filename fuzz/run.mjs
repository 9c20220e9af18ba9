#!/usr/bin/env node
/**
 * `npm run fuzz -- [--n N] [--target a,b] [--seed S] [--path P] [--file F --seed-name NAME] [--time-ms T]
 *                  [--heap-mb M] [--rss-mb R] [--out DIR] [--json FILE] [--list]`
 *
 * Fuzzes every reader in fuzz/targets.mjs, one at a time, each in a worker thread: N inputs per target
 * (default 1000), each a real seed plus structure-aware and byte mutations drawn by fast-check. Each input is
 * bounded in time (--time-ms, default 5000: the parent terminates a worker whose input runs longer) and memory
 * (--heap-mb, the worker's V8 heap, default 1024; --rss-mb, the whole process, default 4096). A hang, a memory
 * blow-up or any exception that is not a GaugeError is a failure: its reproducer (seed + path, and the input's
 * bytes in --out, default fuzz/crashes/) is printed and the exit code is 1.
 * Replay one input with `--target T --seed S --path P` (prints the stack); run saved bytes with `--file F`.
 * `--targets FILE` adds the targets that module exports as `TARGETS` (same shape as fuzz/targets.mjs).
 * `--dump` with --seed and --path writes that input's bytes without running it.
 * `--strict` also fails a GaugeError that merely wraps a TypeError, RangeError or ReferenceError (a hidden bug).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TARGETS as BUILTIN } from './targets.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values: o } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    target: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    file: { type: 'string' },
    'seed-name': { type: 'string' },
    'time-ms': { type: 'string', default: '5000' },
    'heap-mb': { type: 'string', default: '1024' },
    'rss-mb': { type: 'string', default: '4096' },
    out: { type: 'string', default: join(here, 'crashes') },
    json: { type: 'string' },
    list: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    dump: { type: 'boolean', default: false },
    targets: { type: 'string' },
  },
});
// --targets FILE adds the targets a module exports as TARGETS (a plugin's own readers, outside this repo).
const extraTargets = o.targets ? pathToFileURL(resolve(o.targets)).href : undefined;
const TARGETS = [...BUILTIN, ...(extraTargets ? (await import(extraTargets)).TARGETS : [])];
if (o.list) {
  for (const t of TARGETS) console.log(t.name);
  process.exit(0);
}
const names = o.target ? o.target.split(',') : TARGETS.map((t) => t.name);
for (const n of names) if (!TARGETS.some((t) => t.name === n)) {
  console.error(`No fuzz target "${n}". Targets: ${TARGETS.map((t) => t.name).join(', ')}`);
  process.exit(2);
}
const N = Number(o.n);
const seed = o.seed !== undefined ? Number(o.seed) : Date.now() % 2 ** 31;
const timeMs = Number(o['time-ms']);
const outDir = resolve(o.out);
const mode = o.file ? 'file' : o.path !== undefined ? (o.dump ? 'dump' : 'replay') : 'fuzz';

/** The worker of the target running now; on SIGINT/SIGTERM it is asked for its figures so far. */
let current;
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n(stopped by ${sig}: figures so far)`);
    current?.postMessage('stats');
    setTimeout(() => process.exit(130), 10_000).unref();
  });
}

/** Run one target in a worker; resolve with its stats and failures. */
function fuzzTarget(name, extra = {}) {
  return new Promise((done) => {
    const progress = new SharedArrayBuffer(12);
    const p = new Int32Array(progress);
    const t0 = Date.now();
    const res = { target: name, failures: [], stats: undefined, skipped: undefined };
    const w = new Worker(join(here, 'worker.mjs'), {
      workerData: { targetName: name, mode, n: N, seed, path: o.path, file: o.file && resolve(o.file), seedName: o['seed-name'], outDir, progress, strict: o.strict, extraTargets, ...extra },
      resourceLimits: { maxOldGenerationSizeMb: Number(o['heap-mb']), maxYoungGenerationSizeMb: 64 },
    });
    current = w;
    let last = { started: -1, at: Date.now() };
    let lastReport = Date.now();
    const finish = () => {
      clearInterval(watch);
      res.seconds = (Date.now() - t0) / 1000;
      done(res);
    };
    const kill = (kind, detail) => {
      const run = Atomics.load(p, 0);
      res.failures.push({ kind, seed, run, path: String(run), error: detail });
      w.terminate();
    };
    const watch = setInterval(() => {
      const started = Atomics.load(p, 2);
      if (started !== last.started) last = { started, at: Date.now() };
      else if (Atomics.load(p, 1) === 1 && Date.now() - last.at > timeMs) kill('hang', `input ran over ${timeMs} ms`);
      const rss = process.memoryUsage.rss() / 2 ** 20;
      if (rss > Number(o['rss-mb'])) kill('memory', `process RSS ${rss.toFixed(0)} MiB over --rss-mb ${o['rss-mb']}`);
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        process.stderr.write(`  ${name}: ${started}/${N} inputs, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      }
    }, 100);
    w.on('message', (m) => {
      if (m.type === 'failure') res.failures.push(m);
      else if (m.type === 'shrunk') res.shrunk = m;
      else if (m.type === 'done') res.stats = m.stats;
      else if (m.type === 'partial') {
        res.stats = m.stats;
        res.partial = true;
        w.terminate();
      }
      else if (m.type === 'skipped') res.skipped = m.why;
      else if (m.type === 'dumped') res.dumped = m.file;
    });
    w.on('error', (e) => {
      const run = Atomics.load(p, 0);
      const kind = e?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'exception';
      res.failures.push({ kind, seed, run, path: String(run), error: e?.stack ?? String(e) });
    });
    w.on('exit', finish);
  });
}

/** For a hang or memory failure the worker died mid-input: regenerate that input's bytes without running it. */
async function dumpInput(name, f) {
  const r = await new Promise((done) => {
    const w = new Worker(join(here, 'worker.mjs'), { workerData: { targetName: name, mode: 'dump', seed: f.seed, path: f.path, outDir, progress: new SharedArrayBuffer(12), extraTargets } });
    w.on('message', (m) => m.type === 'dumped' && done(m.file));
    w.on('error', () => done(undefined));
    w.on('exit', () => done(undefined));
  });
  f.file = r;
}

if (mode === 'dump') {
  // Write one input's bytes (--target, --seed, --path) without running the reader.
  for (const name of names) {
    const f = { seed, path: o.path };
    await dumpInput(name, f);
    console.log(f.file ?? `could not regenerate input ${o.path} of ${name}`);
  }
  process.exit(0);
}

const results = [];
let failed = 0;
console.log(`gaugeNN fuzz: ${mode === 'fuzz' ? `${N} inputs per target` : mode}, seed ${seed}, ${timeMs} ms and ${o['heap-mb']} MiB heap per input`);
for (const name of names) {
  if (stopping) break;
  const r = await fuzzTarget(name);
  for (const f of r.failures) if (!f.file && f.kind !== 'exception') await dumpInput(name, f);
  results.push(r);
  if (r.skipped) {
    console.log(`${name.padEnd(18)} skipped: ${r.skipped}`);
    continue;
  }
  const s = r.stats;
  const codes = s ? Object.entries(s.codes).sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c}×${k}`).join(' ') : '';
  console.log(
    `${name.padEnd(18)} ${String(s?.inputs ?? '?').padStart(7)} inputs  ${r.seconds.toFixed(1).padStart(7)} s  ` +
      `accepted ${s?.accepted ?? '?'}  rejected ${s?.rejected ?? '?'}  ${s?.templates ?? '?'} distinct errors  ${Object.keys(s?.outcomes ?? {}).length} outcomes  ` +
      `slowest ${s ? s.slowestMs.toFixed(0) : '?'} ms  ${r.failures.length ? `FAILED (${r.failures.length})` : r.partial ? 'ok so far (stopped)' : 'ok'}`,
  );
  if (codes) console.log(`${''.padEnd(18)} codes: ${codes}`);
  for (const f of r.failures) {
    failed++;
    console.log(`\n  ${f.kind.toUpperCase()} in ${name}${f.input ? ` (${f.input})` : ''}\n  reproduce: npm run fuzz -- --target ${name} --seed ${f.seed} --path ${f.path}`);
    if (f.file) console.log(`  bytes:     ${f.file}  (npm run fuzz -- --target ${name} --file ${f.file})`);
    console.log(`  ${String(f.error).split('\n').slice(0, 8).join('\n  ')}`);
  }
  if (r.shrunk?.file) console.log(`  shrunk:    --path ${r.shrunk.path} (${r.shrunk.input}) bytes ${r.shrunk.file}`);
}
if (o.json) writeFileSync(o.json, JSON.stringify({ seed, n: N, timeMs, results }, null, 2));
console.log(failed ? `\n${failed} failure(s)` : `\nno failures`);
process.exit(failed ? 1 : stopping ? 130 : 0);
