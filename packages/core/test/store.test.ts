import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Store } from '../src/store/store.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import type { ExtractedApp } from '../src/extract/types.js';

// A small extracted app, standing for what the walker returns for an APK with two models.
const app = (id: string, shas: string[]): ExtractedApp => ({
  app: { id, files: [id], source: 'files' },
  meta: { package: 'com.example', versionCode: 3, versionName: '1.2' },
  models: shas.map((s, i) => ({ path: `assets/m${i}.tflite`, framework: 'tflite', sha256: s, bytes: 10, files: [{ path: `/cache/${s}`, entry: `assets/m${i}.tflite`, sha256: s, bytes: 10 }] })),
  frameworks: ['tflite'], nativeLibs: [], codeFindings: [], cloudApis: [], suspectedEncrypted: [], errors: [], stats: { entries: 2, bytesRead: 20, archives: 1 },
});

describe('Store', () => {
  it('is a real SQLite file with the schema at the latest migration', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-store-')), 's.db');
    new Store(p).close();
    const db = new Database(p, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = (db.prepare("select name from sqlite_master where type='table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['apps', 'models', 'occurrences', 'layers', 'weights', 'devices', 'campaigns', 'jobs', 'samples', 'energy']) expect(tables).toContain(t);
    db.close();
  });

  it('counts a model shipped by two apps once, with two occurrences', () => {
    const s = new Store(':memory:');
    s.saveApp(app('/a.apk', ['aaa', 'bbb']));
    s.saveApp(app('/b.apk', ['aaa']));
    const models = s.models();
    expect(models.map((m) => [m.sha256, m.apps])).toEqual([['aaa', 2], ['bbb', 1]]);
    // Re-extracting an app replaces it rather than duplicating occurrences.
    s.saveApp(app('/b.apk', ['aaa']));
    expect(s.model('aaa')!.apps).toBe(2);
    expect(s.apps()).toHaveLength(2);
  });

  it('plans a job once per (device, model, backend, threads), and recovers jobs a dead process left running', () => {
    const s = new Store(':memory:');
    s.saveApp(app('/a.apk', ['aaa']));
    s.saveDevice({ id: 'host', kind: 'host', info: { cpu: { cores: 2 }, os: 'linux', abi: 'x86_64' }, transport: {} as never, temperature: async () => undefined });
    const c = s.createCampaign({});
    expect(s.planJobs(c, 'host', [{ model: 'aaa', framework: 'tflite', backend: 'cpu', threads: 1 }], 1, 5)).toBe(1);
    expect(s.planJobs(c, 'host', [{ model: 'aaa', framework: 'tflite', backend: 'cpu', threads: 1 }], 1, 5)).toBe(0);
    const [j] = s.jobs();
    s.startJob(j!.id, 40, 0);
    expect(s.recoverInterrupted()).toBe(1);
    expect(s.job(j!.id)!.status).toBe('pending');
    s.startJob(j!.id, 40, 0);
    s.finishJob(j!.id, { samplesMs: [3, 1, 2], warmupMs: [9], engine: 'x 1.0', tempAfterC: 41 });
    expect(s.samples(j!.id)).toEqual([3, 1, 2]);
    expect(s.samples(j!.id, true)).toEqual([9]);
    expect(s.job(j!.id)).toMatchObject({ status: 'done', engine: 'x 1.0', tempBeforeC: 40, tempAfterC: 41, attempts: 2 });
  });

  it('refuses a store from a newer gaugeNN with a clear message', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-store-')), 's.db');
    const db = new Database(p);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => new Store(p)).toThrow(/newer gaugeNN/);
  });
});
