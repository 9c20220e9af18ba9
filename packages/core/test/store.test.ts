import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
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
    // This process is alive, so its running job is not someone else's leftover.
    expect(s.recoverInterrupted()).toBe(0);
    // A claimant on this host whose pid no longer exists is a dead process: its job runs again.
    s.db.prepare('UPDATE jobs SET claimed_by = ?').run(`${hostname()}:2147483646`);
    expect(s.recoverInterrupted()).toBe(1);
    expect(s.job(j!.id)!.status).toBe('pending');
    s.startJob(j!.id, 40, 0);
    s.finishJob(j!.id, { samplesMs: [3, 1, 2], warmupMs: [9], engine: 'x 1.0', tempAfterC: 41 });
    expect(s.samples(j!.id)).toEqual([3, 1, 2]);
    expect(s.samples(j!.id, true)).toEqual([9]);
    expect(s.job(j!.id)).toMatchObject({ status: 'done', engine: 'x 1.0', tempBeforeC: 40, tempAfterC: 41, attempts: 2 });
  });

  it('claims each pending job once, keeps campaigns apart, and logs an attempt a lost device ended', () => {
    const s = new Store(':memory:');
    s.saveApp(app('/a.apk', ['aaa', 'bbb']));
    s.saveDevice({ id: 'd1', kind: 'adb', info: { cpu: { cores: 8 }, os: 'Android 14', abi: 'arm64-v8a' }, transport: {} as never, temperature: async () => undefined });
    const c = s.createCampaign({}, 'baseline');
    const jobs = [{ model: 'aaa', framework: 'tflite', backend: 'cpu', threads: 1 }, { model: 'bbb', framework: 'tflite', backend: 'gpu', threads: 1 }];
    expect(s.planJobs(c, 'd1', jobs, 1, 5, 'baseline')).toBe(2);
    // The same jobs in another campaign are new jobs (a replicate measures again).
    expect(s.planJobs(c, 'd1', jobs, 1, 5, 'replicate')).toBe(2);
    expect(s.planJobs(c, 'd1', jobs, 1, 5, 'baseline')).toBe(0);
    const a = s.claimJob('d1', 'baseline', 'hostA:1')!;
    const b = s.claimJob('d1', 'baseline', 'hostB:2')!;
    expect(a.id).not.toBe(b.id);
    expect(s.claimJob('d1', 'baseline', 'hostC:3')).toBeUndefined();
    expect(s.job(a.id)).toMatchObject({ status: 'running', claimedBy: 'hostA:1', attempts: 1, campaign: 'baseline' });
    s.endAttempt(a.id, { code: 'DEVICE_LOST', message: 'unplugged' });
    expect(s.job(a.id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(s.job(a.id)!.attemptLog).toMatchObject([{ attempt: 1, error: { code: 'DEVICE_LOST' } }]);
    const again = s.claimJob('d1', 'baseline')!;
    expect(again.id).toBe(a.id);
    expect(again.attempts).toBe(2);
    // An aggregate job stores the tool's statistics and no invented sample.
    s.finishJob(again.id, { samplesMs: [], engine: 'tflite benchmark_model', aggregate: { count: 50, mean: 4.2, std: 0.3, min: 3.9, max: 5.1, median: null, p5: null, p95: null }, delegation: { delegate: 'TfLiteGpuDelegateV2', applied: true, nodesDelegated: 29, nodesTotal: 65, partitions: 3 }, warnings: [{ code: 'DELEGATE_PARTIAL', message: '29 of 65' }] });
    const done = s.job(again.id)!;
    expect(done).toMatchObject({ status: 'done', samplesKind: 'aggregate', aggregate: { count: 50, mean: 4.2 }, delegation: { nodesDelegated: 29 }, warnings: [{ code: 'DELEGATE_PARTIAL' }] });
    expect(s.samples(again.id)).toEqual([]);
    expect(s.jobs({ campaign: 'replicate' })).toHaveLength(2);
  });

  it('migrates a schema-1 store without losing jobs or samples', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-store-')), 's.db');
    const db = new Database(p);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.exec(`INSERT INTO devices VALUES ('host','host','{}','t');
      INSERT INTO models (sha256, framework, bytes, files, first_path) VALUES ('aaa','tflite',1,'[]','m');
      INSERT INTO jobs (id, device_id, model_sha256, framework, backend, threads, warmup, runs, status, created_at) VALUES (7,'host','aaa','tflite','cpu',1,0,2,'done','t');
      INSERT INTO samples VALUES (7,0,0,1.5),(7,0,1,2.5);`);
    db.close();
    const s = new Store(p);
    expect(s.job(7)).toMatchObject({ campaign: 'default', status: 'done', samplesKind: 'all', warnings: [] });
    expect(s.samples(7)).toEqual([1.5, 2.5]);
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
    s.close();
  });

  it('three processes opening one new store at once all migrate it once (the version is read inside the lock)', async () => {
    const { execa } = await import('execa');
    const { fileURLToPath } = await import('node:url');
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    for (let round = 0; round < 3; round++) {
      const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-store-race-')), 's.db');
      const code = `import { Store } from '@gaugenn/core'; new Store(${JSON.stringify(p)}).close();`;
      const runs = await Promise.all([0, 1, 2].map(() => execa(process.execPath, ['--input-type=module', '-e', code], { cwd, reject: false })));
      for (const r of runs) expect(r.exitCode, String(r.stderr)).toBe(0);
      const db = new Database(p, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      db.close();
    }
  });

  it('refuses a store from a newer gaugeNN with a clear message', () => {
    const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-store-')), 's.db');
    const db = new Database(p);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => new Store(p)).toThrow(/newer gaugeNN/);
  });
});
