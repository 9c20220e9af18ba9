import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Store } from '../src/store/store.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { appRecords, snapshotNames } from '../src/store/queries/app-records.js';
import { lineagePairs } from '../src/store/queries/lineage.js';
import type { ExtractedApp } from '../src/extract/types.js';
import type { Layer, ModelGraph } from '../src/ir/model-graph.js';

const app = (id: string, shas: string[], snapshot?: string, pkg = 'com.example'): ExtractedApp => ({
  app: { id, files: [id], source: 'files', ...(snapshot ? { snapshot } : {}) },
  meta: { package: pkg, versionCode: 3 },
  models: shas.map((s, i) => ({ path: `assets/m${i}.tflite`, framework: 'tflite', sha256: s, bytes: 10, files: [{ path: `/cache/${s}`, entry: `assets/m${i}.tflite`, sha256: s, bytes: 10 }] })),
  frameworks: ['tflite'], nativeLibs: [], codeFindings: [], cloudApis: [], suspectedEncrypted: [], errors: [], stats: { entries: 2, bytesRead: 20, archives: 1 },
});

/** A graph whose layers hold one weight tensor each, with the given digests (`~` marks a trivial tensor). */
function graph(digests: string[]): ModelGraph {
  const layers: Layer[] = digests.map((d, i) => ({
    index: i, name: `l${i}`, op: 'CONV_2D', category: 'conv', inputShapes: [], outputShapes: [], macs: 1, flops: 2, params: 100,
    weights: [{ shape: [100], dtype: 'float32', bytes: 400, digest: d.replace('~', ''), trivial: d.startsWith('~') }],
  }));
  return {
    framework: 'tflite', files: [], inputs: [], outputs: [], layers, totals: { macs: 1, flops: 2, params: 100, weightBytes: 400 }, modality: 'image',
    quantization: { scheme: 'fp32', weightDtype: 'float32', activationDtype: 'float32', weightDtypes: {} }, metadata: {},
  };
}

describe('snapshot membership', () => {
  it('keeps an app of each snapshot when the same package file is recorded in two', () => {
    const s = new Store(':memory:');
    s.saveApp(app('/a.apk', ['aaa'], '2024'));
    s.saveApp(app('/a.apk', ['aaa'], '2025'));
    s.saveApp(app('/a.apk', ['aaa', 'bbb'], '2025')); // re-extracting for 2025 replaces that row only
    expect(appRecords(s).map((a) => [a.snapshot, a.models.length])).toEqual([['2024', 1], ['2025', 2]]);
    expect(snapshotNames(s)).toEqual([{ name: '2024', apps: 1 }, { name: '2025', apps: 1 }]);
  });

  it('migrates a schema-2 store without losing occurrences (foreign keys stay off while tables are rebuilt)', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-store-')), 's.db');
    const raw = new Database(p);
    raw.exec(MIGRATIONS[0]!);
    raw.exec(MIGRATIONS[1]!);
    raw.pragma('user_version = 2');
    raw.prepare("INSERT INTO apps (app_key, file, files, source, snapshot, package, extracted_at) VALUES ('/a.apk', '/a.apk', '[]', 'dir', 'old', 'com.a', 'now')").run();
    raw.prepare("INSERT INTO apps (app_key, file, files, source, package, extracted_at) VALUES ('/b.apk', '/b.apk', '[]', 'dir', 'com.b', 'now')").run();
    raw.prepare("INSERT INTO models (sha256, framework, bytes, files, first_path) VALUES ('aaa', 'tflite', 1, '[]', 'm')").run();
    raw.prepare("INSERT INTO occurrences (app_id, model_sha256, path) VALUES (1, 'aaa', 'm'), (2, 'aaa', 'm')").run();
    raw.close();
    const s = new Store(p);
    expect(appRecords(s).map((a) => [a.package, a.snapshot, a.models.length])).toEqual([['com.a', 'old', 1], ['com.b', undefined, 1]]);
    expect(snapshotNames(s).map((x) => x.name)).toEqual(['old']);
    s.close();
  });
});

describe('lineagePairs', () => {
  const store = (graphs: Record<string, string[]>, apps: [string, string[]][]) => {
    const s = new Store(':memory:');
    for (const [id, shas] of apps) s.saveApp(app(id, shas, undefined, id.replace(/\W/g, '')));
    for (const [sha, ds] of Object.entries(graphs)) s.saveAnalysis(sha, graph(ds));
    return s;
  };
  const body = Array.from({ length: 20 }, (_, i) => `w${i}`);

  it('pairs copies of one file as identical, and models sharing all but the head as fine-tuned', () => {
    const s = store({ base: body, tuned: [...body.slice(0, 19), 'head2'] }, [['/x.apk', ['base']], ['/y.apk', ['base', 'tuned']]]);
    const pairs = lineagePairs(s);
    expect(pairs.map((p) => [p.relation, p.a.name, p.b.name, p.sharedTensors])).toEqual([
      ['identical', 'xapk!/assets/m0.tflite', 'yapk!/assets/m0.tflite', 20],
      ['fine-tuned', 'xapk!/assets/m0.tflite', 'yapk!/assets/m1.tflite', 19],
    ]);
  });

  it('calls a shared backbone with a changed middle related, and never relates models through trivial tensors', () => {
    const middle = [...body];
    middle[5] = 'other5';
    const s = store(
      { base: body, mid: middle, t1: ['~zero', 'a1', 'a2'], t2: ['~zero', 'b1', 'b2'] },
      [['/x.apk', ['base', 'mid', 't1', 't2']]],
    );
    const pairs = lineagePairs(s);
    expect(pairs.map((p) => [p.relation, p.a.sha256, p.b.sha256, p.sharedTensors, p.aTensors, p.bTensors])).toEqual([['related', 'base', 'mid', 19, 20, 20]]);
  });
});
