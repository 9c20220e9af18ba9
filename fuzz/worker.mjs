/**
 * One target's fuzz run, in a worker thread so the parent can bound its time (terminate on a hang) and its
 * heap (resourceLimits). The parent watches `progress` (shared memory): [0] run index, [1] busy flag, [2] runs
 * started. Modes: `fuzz` (fast-check over n inputs), `replay` (one input by path, error with its stack),
 * `dump` (write one input's bytes without running it), `file` (run saved bytes).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { GaugeError } from '@gaugenn/core';
import { TARGETS as BUILTIN } from './targets.mjs';
import { byteMutators } from './mutate/bytes.mjs';
import { textMutators } from './mutate/text.mjs';
import { rand } from './mutate/rand.mjs';
import { missingSeeds } from './seeds.mjs';

const { targetName, mode, n, seed, path, file, seedName, outDir, progress: sab, strict, extraTargets } = workerData;
const progress = new Int32Array(sab);
const TARGETS = [...BUILTIN, ...(extraTargets ? (await import(extraTargets)).TARGETS : [])];
const target = TARGETS.find((t) => t.name === targetName);
const seeds = await target.seeds();
if (!seeds.length) {
  parentPort.postMessage({ type: 'skipped', why: `no seeds (missing: ${missingSeeds.join(', ') || 'none named'})` });
  process.exit(0);
}
const ctx = target.setup ? await target.setup() : undefined;

// Structure-aware mutators count twice, so about half the mutations keep the format's structure.
const structural = Object.entries(target.structure?.mutators ?? {});
const mutators = [...Object.entries(byteMutators), ...(target.text ? Object.entries(textMutators) : []), ...structural, ...structural];
const infos = new Map();
const infoOf = (i) => {
  if (!infos.has(i)) infos.set(i, target.structure ? target.structure.analyze(seeds[i].bytes) : undefined);
  return infos.get(i);
};

/** The bytes of one generated input: a seed copy and its mutations, applied in order. */
function build(input) {
  let b = Buffer.from(seeds[input.s].bytes);
  const info = infoOf(input.s);
  for (const m of input.m) {
    const [, fn] = mutators[m.k % mutators.length];
    b = Buffer.from(fn(b, rand(m.r), info));
  }
  return b;
}
const describe = (input) => `${seeds[input.s].name} + ${input.m.map((m) => mutators[m.k % mutators.length][0]).join(', ')}`;

const arb = fc.record({
  s: fc.nat({ max: seeds.length - 1 }),
  m: fc.array(fc.record({ k: fc.nat({ max: 1 << 20 }), r: fc.nat() }), { minLength: 1, maxLength: 4 }),
});

const stats = { inputs: 0, accepted: 0, rejected: 0, codes: {}, outcomes: {}, templates: new Set(), slowestMs: 0, slowestRun: -1, seeds: seeds.map((s) => s.name) };
const template = (e) => `${e.code} ${e.message.replace(/\d+(\.\d+)?/g, 'N').replace(/"[^"]*"|'[^']*'|`[^`]*`/g, 'S').slice(0, 140)}`;

function writeRepro(bytes, tag) {
  mkdirSync(outDir, { recursive: true });
  const p = join(outDir, `${targetName}-${String(tag).replace(/[^\w.-]/g, "_")}.bin`);
  writeFileSync(p, bytes);
  return p;
}

async function runOne(bytes, s) {
  try {
    const outcome = await target.run(bytes, s, ctx);
    stats.accepted++;
    stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
  } catch (e) {
    if (!(e instanceof GaugeError)) throw e;
    // A reader that wraps its own TypeError or RangeError into a GaugeError hides a bug: with --strict, that fails too.
    if (strict && (e.cause instanceof TypeError || e.cause instanceof RangeError || e.cause instanceof ReferenceError)) {
      throw Object.assign(new Error(`${e.code} wraps ${e.cause.name}: ${e.cause.message}`), { cause: e.cause, stack: `${e.code} wraps ${e.cause.stack}` });
    }
    stats.rejected++;
    stats.codes[e.code] = (stats.codes[e.code] ?? 0) + 1;
    stats.templates.add(template(e));
  }
}

const done = async (type = 'done') => {
  if (type === 'done') await target.teardown?.(ctx);
  parentPort.postMessage({ type, stats: { ...stats, templates: stats.templates.size, templateList: [...stats.templates].sort() } });
};
// The parent asks for the figures so far when it is stopped (Ctrl-C, SIGTERM): a long run cut short still reports.
parentPort.on('message', (m) => m === 'stats' && done('partial'));
parentPort.unref(); // listening must not keep a finished worker alive

if (mode === 'file') {
  const s = seeds.find((x) => x.name === seedName) ?? seeds[0];
  await runOne(readFileSync(file), s);
  await done();
} else if (mode === 'dump') {
  fc.check(fc.property(arb, (input) => { writeRepro(build(input), `${seed}-${path}`); return true; }), { seed, path, numRuns: 1, endOnFailure: true });
  parentPort.postMessage({ type: 'dumped', file: join(outDir, `${targetName}-${seed}-${String(path).replace(/[^\w.-]/g, "_")}.bin`) });
} else {
  let run = mode === 'replay' ? Number(String(path).split(':')[0]) : 0;
  let first;
  const prop = fc.asyncProperty(arb, async (input) => {
    let bytes;
    try {
      bytes = build(input);
    } catch (e) {
      // A mutator's own bug: say so, rather than blame the reader.
      if (!first) {
        first = { run, path: String(run), input: describe(input), error: `harness (mutator) error: ${e?.stack ?? e}` };
        parentPort.postMessage({ type: 'failure', kind: 'harness', seed, ...first });
      }
      throw e;
    }
    const s = seeds[input.s];
    const index = run++;
    // Let messages in now and then (a synchronous reader never yields to the event loop otherwise).
    if (index % 256 === 0) await new Promise((r) => setImmediate(r));
    Atomics.store(progress, 0, index);
    Atomics.store(progress, 1, 1);
    Atomics.add(progress, 2, 1);
    const t0 = performance.now();
    try {
      stats.inputs++;
      await runOne(bytes, s);
    } catch (e) {
      if (!first) {
        // The unshrunk input, at once: seed + path replay it; the bytes are on disk.
        first = { run: index, path: String(index), input: describe(input), error: e?.stack ?? String(e), file: writeRepro(bytes, `${seed}-${index}`) };
        parentPort.postMessage({ type: 'failure', kind: 'exception', seed, ...first });
      }
      throw e;
    } finally {
      Atomics.store(progress, 1, 0);
      const ms = performance.now() - t0;
      if (ms > stats.slowestMs) {
        stats.slowestMs = ms;
        stats.slowestRun = index;
      }
    }
  });
  const r = await fc.check(prop, { seed, numRuns: mode === 'replay' ? 1 : n, ...(path !== undefined ? { path: String(path) } : {}), endOnFailure: mode === 'replay' });
  if (r.failed && !first) parentPort.postMessage({ type: 'failure', kind: 'harness', seed, run: -1, path: r.counterexamplePath, error: r.errorInstance?.stack ?? String(r.error) });
  if (r.failed && first) {
    const shrunk = r.counterexample ? build(r.counterexample[0]) : undefined;
    parentPort.postMessage({
      type: 'shrunk',
      path: r.counterexamplePath,
      input: r.counterexample ? describe(r.counterexample[0]) : undefined,
      file: shrunk ? writeRepro(shrunk, `${seed}-${r.counterexamplePath}`) : undefined,
      error: r.errorInstance?.stack ?? String(r.error),
    });
  }
  await done();
}
