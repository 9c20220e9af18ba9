/**
 * `gaugenn lineage`, `gaugenn diff` and the report's task evidence on real models and real APKs, through the real CLI and a real SQLite store.
 * Variants of a fixture TFLite model are made by changing the bytes of chosen weight tensors in place: each
 * tensor's bytes are found in the file by their stored length prefix and sha256 digest (the flatbuffer keeps a
 * buffer's bytes contiguous behind a uint32 length), so nothing else in the file moves.
 */
import { buildZip, writeZip } from '@gaugenn/core';
import { writeManifest } from '@gaugenn/plugin-android';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const MODEL = 'tflite/mobilenet_v1_0.25_128_quant.tflite';
const OTHERS = ['tflite/mobilenet_v1_0.5_160_quant.tflite', 'tflite/mobilenet_v2_1.0_224_quant.tflite', 'tflite/split_concat.tflite'];
const absent = missing(...[MODEL, ...OTHERS].map(fixture));
if (absent) process.stderr.write(`[skip] lineage/diff tests: missing fixture ${absent}\n`);

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Tensor { layer: number; digest: string; bytes: number; trivial: boolean }

/** Weight tensors of the one model in a store, in layer order. */
function tensorsOf(db: string, where = ''): Tensor[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(`SELECT layer_idx AS layer, digest, bytes, trivial FROM weights WHERE digest IS NOT NULL ${where} ORDER BY layer_idx, n`).all() as any[]).map((r) => ({ ...r, trivial: r.trivial === 1 }));
  } finally {
    d.close();
  }
}

/** Offset of a tensor's bytes in a flatbuffer: behind a uint32 holding its length, matching its digest. */
function locate(file: Buffer, t: Tensor): number {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(t.bytes);
  for (let at = file.indexOf(len); at >= 0; at = file.indexOf(len, at + 1)) {
    const start = at + 4;
    if (start + t.bytes <= file.length && sha(file.subarray(start, start + t.bytes)) === t.digest) return start;
  }
  throw new Error(`tensor ${t.digest} not found in the file`);
}

/** A copy of `file` with one byte of each given tensor changed. */
function withChangedTensors(file: Buffer, tensors: Tensor[]): Buffer {
  const out = Buffer.from(file);
  for (const t of tensors) {
    const at = locate(file, t) + (t.bytes >> 1);
    out[at] = (out[at]! + 1) & 0xff;
  }
  return out;
}

async function run(args: string[], cwd: string) {
  const r = await gaugenn(args, { cwd });
  expect(r.exitCode, `gaugenn ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('gaugenn lineage', () => {
  it.skipIf(absent)('finds a fine-tuned variant (one weight tensor changed) with exactly one tensor not shared', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-lineage-'));
    const original = readFileSync(fixture(MODEL));
    mkdirSync(join(cwd, 'apps'));
    writeFileSync(join(cwd, 'apps', 'base.tflite'), original);
    await run(['extract', 'apps', '--store', 'probe.db', '--json'], cwd);
    await run(['analyze', '--store', 'probe.db', '--json'], cwd);
    const tensors = tensorsOf(join(cwd, 'probe.db'), 'AND trivial = 0');
    expect(tensors.length).toBeGreaterThan(10);
    // Fine-tuning retrains the head: change the last non-trivial weight tensor (the classifier's kernel).
    writeFileSync(join(cwd, 'apps', 'tuned.tflite'), withChangedTensors(original, [tensors[tensors.length - 1]!]));
    await run(['extract', 'apps', '--store', 'study.db', '--json'], cwd);
    await run(['analyze', '--store', 'study.db', '--json'], cwd);
    const out = JSON.parse(await run(['lineage', '--store', 'study.db', '--json'], cwd));
    expect(Object.keys(out)).toEqual(['pairs']);
    expect(out.pairs).toHaveLength(1);
    const p = out.pairs[0];
    expect(Object.keys(p).sort()).toEqual(['a', 'aTensors', 'b', 'bTensors', 'relation', 'sharedTensors']);
    expect(p.relation).toBe('fine-tuned');
    expect(p.aTensors).toBe(tensors.length);
    expect(p.bTensors).toBe(tensors.length);
    expect(p.aTensors - p.sharedTensors).toBe(1);
    expect(p.bTensors - p.sharedTensors).toBe(1);
    expect([p.a.name, p.b.name].sort()).toEqual(['base.tflite!/base.tflite', 'tuned.tflite!/tuned.tflite']);
    expect([p.a.sha256, p.b.sha256]).toContain(sha(original));
  });

  it.skipIf(absent)('does not relate two different models that share only trivial tensors', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-lineage-trivial-'));
    const original = readFileSync(fixture(MODEL));
    mkdirSync(join(cwd, 'apps'));
    writeFileSync(join(cwd, 'apps', 'a.tflite'), original);
    await run(['extract', 'apps', '--store', 'probe.db', '--json'], cwd);
    await run(['analyze', '--store', 'probe.db', '--json'], cwd);
    const all = tensorsOf(join(cwd, 'probe.db'));
    // A different model with the same architecture: every non-trivial tensor changed, the trivial ones (tiny
    // biases) left byte-identical, so the two share only trivial tensors.
    writeFileSync(join(cwd, 'apps', 'b.tflite'), withChangedTensors(original, all.filter((t) => !t.trivial)));
    await run(['extract', 'apps', '--store', 'study.db', '--json'], cwd);
    await run(['analyze', '--store', 'study.db', '--json'], cwd);
    const db = new Database(join(cwd, 'study.db'), { readonly: true });
    const shared = (trivial: number) => (db.prepare(
      `SELECT COUNT(DISTINCT w1.digest) n FROM weights w1 JOIN weights w2 ON w1.digest = w2.digest AND w1.model_sha256 < w2.model_sha256 WHERE w1.trivial = ? AND w2.trivial = ?`,
    ).get(trivial, trivial) as { n: number }).n;
    expect(shared(1)).toBeGreaterThan(0); // they do share tensors…
    expect(shared(0)).toBe(0); // …but only trivial ones
    db.close();
    expect(JSON.parse(await run(['lineage', '--store', 'study.db', '--json'], cwd))).toEqual({ pairs: [] });
  });
});

/** An APK with a binary manifest and the given models under assets/. */
async function apk(path: string, pkg: string, versionCode: number, models: Record<string, Buffer>): Promise<void> {
  await writeZip(path, [
    { name: 'AndroidManifest.xml', data: writeManifest({ package: pkg, versionCode, versionName: `${versionCode}.0`, minSdk: 24, targetSdk: 34 }), method: 'deflate' },
    ...Object.entries(models).map(([name, data]) => ({ name: `assets/${name}`, data, method: 'store' as const })),
  ]);
}

describe('gaugenn diff', () => {
  it.skipIf(absent)('reports added, removed, updated and kept apps between two snapshots, matched by package', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-diff-'));
    const [m1, m2, m3, m4] = [MODEL, ...OTHERS].map((f) => readFileSync(fixture(f)));
    for (const d of ['common', 'a', 'b']) mkdirSync(join(cwd, d));
    // com.kept is the same package file in both snapshots: one file, an app of each.
    await apk(join(cwd, 'common', 'kept.apk'), 'com.kept', 1, { 'm1.tflite': m1! });
    await apk(join(cwd, 'a', 'upd.apk'), 'com.upd', 1, { 'm1.tflite': m1!, 'm2.tflite': m2! });
    await apk(join(cwd, 'a', 'gone.apk'), 'com.gone', 1, { 'm3.tflite': m3! });
    await apk(join(cwd, 'b', 'upd.apk'), 'com.upd', 2, { 'm1.tflite': m1!, 'nested.zip': await buildZip([{ name: 'm4.tflite', data: m4!, method: 'store' }]) });
    await apk(join(cwd, 'b', 'new.apk'), 'com.new', 1, { 'm2.tflite': m2! });
    const ea = JSON.parse(await run(['extract', '--snapshot', '2024', '--category', 'tools', 'common', 'a', '--json'], cwd));
    expect(ea.map((x: { package: string; snapshot: string }) => [x.package, x.snapshot]).sort()).toEqual([['com.gone', '2024'], ['com.kept', '2024'], ['com.upd', '2024']]);
    const eb = JSON.parse(await run(['extract', '--snapshot', '2025', 'common', 'b', '--json'], cwd));
    expect(eb.find((x: { package: string }) => x.package === 'com.kept')).toMatchObject({ snapshot: '2025', models: [expect.objectContaining({ path: 'assets/m1.tflite' })] });

    const db = new Database(join(cwd, 'gaugenn.db'), { readonly: true });
    const kept = db.prepare("SELECT snapshot, category FROM apps WHERE package = 'com.kept' ORDER BY snapshot").all();
    expect(kept).toEqual([{ snapshot: '2024', category: 'tools' }, { snapshot: '2025', category: null }]);
    const occ = db.prepare("SELECT COUNT(*) n FROM occurrences o JOIN apps a ON a.id = o.app_id WHERE a.package = 'com.kept'").get() as { n: number };
    expect(occ.n).toBe(2); // the reused extraction kept its model occurrence in both snapshots
    db.close();

    const d = JSON.parse(await run(['diff', '2024', '2025', '--json'], cwd));
    expect(d.apps.added).toEqual(['com.new']);
    expect(d.apps.removed).toEqual(['com.gone']);
    expect(d.apps.kept).toEqual(['com.kept']);
    expect(d.apps.updated).toEqual([{
      package: 'com.upd',
      modelsAdded: [{ sha256: sha(m4!), path: 'assets/nested.zip!/m4.tflite' }],
      modelsRemoved: [{ sha256: sha(m2!), path: 'assets/m2.tflite' }],
      modelsKept: [{ sha256: sha(m1!), path: 'assets/m1.tflite' }],
    }]);
    expect(d.totals).toEqual({ appsA: 3, appsB: 3, added: 1, removed: 1, updated: 1, kept: 1, modelsA: 3, modelsB: 3, modelsAdded: 1, modelsRemoved: 1, modelsKept: 2 });

    const bad = await gaugenn(['diff', '2024', '2031', '--json'], { cwd });
    expect(bad.exitCode).not.toBe(0);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'INPUT_NOT_FOUND' });
    expect(JSON.parse(bad.stdout).error.message).toContain('Known: 2024, 2025');
  });
});

describe('gaugenn report: modality and task with their evidence', () => {
  it.skipIf(absent)('names the label file beside a classifier as the evidence of its task; needs no install', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-task-'));
    const labels = ['background', ...Array.from({ length: 1000 }, (_, i) => `class_${i}`)].join('\n');
    await writeZip(join(cwd, 'cls.apk'), [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: 'com.cls', versionCode: 1, versionName: '1', minSdk: 24, targetSdk: 34 }), method: 'deflate' },
      { name: 'assets/ml/mobilenet.tflite', data: readFileSync(fixture(MODEL)), method: 'store' },
      { name: 'assets/ml/labels.txt', data: Buffer.from(labels), method: 'deflate' },
    ]);
    await run(['extract', '--snapshot', 's1', '--category', 'photography', 'cls.apk', '--json'], cwd);
    await run(['analyze', '--json'], cwd);
    const r = JSON.parse(await run(['report', '--out', 'rep', '--json'], cwd));
    expect(r.html).toBe(join(cwd, 'rep', 'index.html'));
    for (const t of ['models', 'apps', 'measurements', 'samples', 'devices', 'lineage', 'snapshots', 'diff', 'energy', 'campaigns']) {
      expect(r.csv).toContain(join(cwd, 'rep', `${t}.csv`));
      expect(r.json).toContain(join(cwd, 'rep', `${t}.json`));
    }
    const [m] = JSON.parse(readFileSync(join(cwd, 'rep', 'models.json'), 'utf8'));
    expect(m).toMatchObject({ modality: 'image', task: 'classification' });
    expect(m.taskEvidence[0]).toMatch(/^label file assets\/ml\/labels\.txt \(1001 labels\) matches output .* 1x1001 uint8$/);
    expect(m.modalityEvidence).toMatch(/128×128 pixels, 3 channel/);
    const [a] = JSON.parse(readFileSync(join(cwd, 'rep', 'apps.json'), 'utf8'));
    expect(a).toMatchObject({ package: 'com.cls', snapshot: 's1', category: 'photography' });
    // Each figure's data lies beside the report; the ones with data have their SVG too.
    expect(existsSync(join(cwd, 'rep', 'figures', 'models-by-framework.csv'))).toBe(true);
    expect(readFileSync(join(cwd, 'rep', 'figures', 'models-by-framework.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(cwd, 'rep', 'index.html'), 'utf8')).toContain('label file assets/ml/labels.txt (1001 labels)');
  });
});
