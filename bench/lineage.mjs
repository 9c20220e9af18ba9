/**
 * Lineage speed over a generated store: core's `lineagePairs` (inverted index digest → models, so the cost follows
 * the digests models share) against the obvious baseline, set intersection of every pair of models. The corpus
 * stands for a study's: `--models` unique models in families of 8 sharing a backbone (fine-tuned heads), plus
 * unrelated models, 60 non-trivial tensors each, in a real SQLite store. Both sides must find the same pairs.
 *   node bench/lineage.mjs [--models 2000]
 */
import { Store, lineagePairs } from '@gaugenn/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const N = arg('models', 2000);
const TENSORS = 60;
const dir = mkdtempSync(join(tmpdir(), 'gaugenn-bench-lineage-'));
const store = new Store(join(dir, 'bench.db'));

const graph = (digests) => ({
  framework: 'tflite', files: [], inputs: [], outputs: [], modality: 'image', metadata: {},
  totals: { macs: 1, flops: 2, params: 1, weightBytes: 1 },
  quantization: { scheme: 'fp32', weightDtype: 'float32', activationDtype: 'float32', weightDtypes: {} },
  layers: digests.map((d, i) => ({ index: i, name: `l${i}`, op: 'CONV_2D', category: 'conv', inputShapes: [], outputShapes: [], macs: 1, flops: 2, params: 100,
    weights: [{ shape: [100], dtype: 'float32', bytes: 400, digest: d, trivial: false }, { shape: [8], dtype: 'float32', bytes: 32, digest: 'zero-bias', trivial: true }] })),
});
const t0 = performance.now();
store.db.transaction(() => {
  for (let m = 0; m < N; m++) {
    const sha = m.toString(16).padStart(64, '0');
    const family = m % 2 === 0 ? `f${Math.floor(m / 16)}` : `solo${m}`; // half the models in families of 8
    const digests = Array.from({ length: TENSORS }, (_, i) => (i < TENSORS - 2 ? `${family}-w${i}` : `${sha}-head${i}`));
    store.ensureModel({ sha256: sha, framework: 'tflite', bytes: 1, files: [], path: `m${m}.tflite` });
    store.saveAnalysis(sha, graph(digests));
  }
})();
const built = performance.now() - t0;

function naive() {
  const rows = store.db.prepare('SELECT model_sha256 m, digest FROM weights WHERE digest IS NOT NULL AND trivial = 0').all();
  const sets = new Map();
  for (const r of rows) (sets.get(r.m) ?? sets.set(r.m, new Set()).get(r.m)).add(r.digest);
  const ms = [...sets.keys()];
  let pairs = 0;
  for (let i = 0; i < ms.length; i++) {
    const a = sets.get(ms[i]);
    for (let j = i + 1; j < ms.length; j++) {
      const b = sets.get(ms[j]);
      let shared = 0;
      for (const d of a) if (b.has(d)) shared++;
      if (shared > 0) pairs++;
    }
  }
  return pairs;
}

function time(fn, runs = 3) {
  const s = [];
  let result;
  for (let i = 0; i < runs; i++) { const t = performance.now(); result = fn(); s.push(performance.now() - t); }
  s.sort((a, b) => a - b);
  return { median: s[s.length >> 1], result };
}

const ours = time(() => lineagePairs(store).length);
const base = time(naive);
console.log(`store: ${N} models × ${TENSORS} tensors (+1 trivial each), built in ${(built / 1000).toFixed(1)} s`);
console.log(`pairs found: gaugeNN ${ours.result}, all-pairs baseline ${base.result}${ours.result === base.result ? ' (same)' : ' (DIFFER)'}`);
console.log(`lineagePairs (inverted index)   ${ours.median.toFixed(0).padStart(7)} ms`);
console.log(`all-pairs set intersection      ${base.median.toFixed(0).padStart(7)} ms`);
console.log(`ratio baseline / gaugeNN        ${(base.median / ours.median).toFixed(1)}×`);
store.close();
rmSync(dir, { recursive: true, force: true });
