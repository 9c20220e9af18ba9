/**
 * Two gaugeNN processes on one store at once, as two terminals (or two machines on a shared disk) would run them.
 * - Two `gaugenn bench` on the host with the real LiteRT runtime: no job is measured twice. Evidence: a small
 *   observer plugin (loaded with `use`) logs every finished job with its process id; each job appears once, was
 *   attempted once, and holds exactly its samples. This needs jobs to be claimed in a transaction (`claimJob`):
 *   without it both processes run the whole pending list.
 * - Two `gaugenn extract` over the same corpus: every app is stored once, with the models a single run finds.
 */
import Database from 'better-sqlite3';
import { hostPython, pythonHas } from '@gaugenn/core';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missing, packageDir } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const pkg = (p: string, f: string) => join(packageDir(p) ?? 'missing', f);
const MODELS = [
  pkg('@mediapipe/face_detection', 'face_detection_short_range.tflite'),
  pkg('@mediapipe/selfie_segmentation', 'selfie_segmentation.tflite'),
  pkg('@mediapipe/selfie_segmentation', 'selfie_segmentation_landscape.tflite'),
  pkg('@mediapipe/face_detection', 'face_detection_full_range.tflite'),
];
const APPS = [
  ...MODELS,
  pkg('io.appium.settings', 'apks/settings_apk-debug.apk'),
  pkg('appium-uiautomator2-server', 'apks/appium-uiautomator2-server-debug-androidTest.apk'),
  pkg('@mediapipe/hands', 'hand_landmark_lite.tflite'),
  pkg('@mediapipe/pose', 'pose_landmark_lite.tflite'),
  pkg('@mediapipe/holistic', 'pose_landmark_lite.tflite'),
];

const hasLiteRT = await pythonHas(['ai_edge_litert']);
const noRuntime = hasLiteRT ? undefined : `no ai_edge_litert for ${hostPython()}: run \`npx gaugenn setup\``;
if (noRuntime) process.stderr.write(`[skip] ${noRuntime}\n`);

const COUNT_PLUGIN = `
import { appendFileSync } from 'node:fs';
export default {
  name: 'job-log',
  apply(g) {
    g.hooks.measure.tapPromise('job-log', async (e) => { appendFileSync(process.cwd() + '/jobs.log', e.jobId + ' ' + process.pid + ' ' + e.status + '\\n'); });
  },
};
`;

function appsOf(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT id, app_key FROM apps ORDER BY app_key').all() as { id: number; app_key: string }[]).map((a) => ({
      app: a.app_key,
      models: (d.prepare("SELECT model_sha256 || '@' || path AS m FROM occurrences WHERE app_id = ? ORDER BY 1").all(a.id) as { m: string }[]).map((r) => r.m),
    }));
  } finally {
    d.close();
  }
}

describe('two processes on one store', () => {
  it.skipIf(missing(...MODELS) || noRuntime)('two `gaugenn bench` at once: no job measured twice (log, attempts, samples)', { timeout: 600_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-concurrent-bench-'));
    writeFileSync(join(cwd, 'job-log.mjs'), COUNT_PLUGIN);
    writeFileSync(join(cwd, 'gaugenn.config.json'), JSON.stringify({ use: ['./job-log.mjs'], bench: { runs: 10, warmup: 1, threads: [1, 2] } }));
    const db = join(cwd, 'g.db');
    expect((await gaugenn(['extract', ...MODELS, '--store', db, '--json'], { cwd })).exitCode).toBe(0);
    expect((await gaugenn(['analyze', '--store', db, '--json'], { cwd })).exitCode).toBe(0);

    // What one process alone records per job (attempts), on a copy of the same store: the baseline.
    const ref = join(cwd, 'ref.db');
    copyFileSync(db, ref);
    expect((await gaugenn(['bench', '--store', ref, '--json'], { cwd })).exitCode).toBe(0);
    const r = new Database(ref, { readonly: true });
    const refAttempts = new Map((r.prepare('SELECT model_sha256 || threads AS k, attempts FROM jobs').all() as { k: string; attempts: number }[]).map((x) => [x.k, x.attempts]));
    r.close();
    writeFileSync(join(cwd, 'jobs.log'), '');

    const [a, b] = await Promise.all([gaugenn(['bench', '--store', db, '--json'], { cwd }), gaugenn(['bench', '--store', db, '--json'], { cwd })]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);

    const d = new Database(db, { readonly: true });
    const jobs = d.prepare('SELECT id, model_sha256 || threads AS k, status, attempts, runs, warmup FROM jobs ORDER BY id').all() as { id: number; k: string; status: string; attempts: number; runs: number; warmup: number }[];
    const samples = (id: number, w: number) => (d.prepare('SELECT COUNT(*) AS n FROM samples WHERE job_id = ? AND warmup = ?').get(id, w) as { n: number }).n;
    const measured = readFileSync(join(cwd, 'jobs.log'), 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[0]));
    expect(jobs).toHaveLength(MODELS.length * 2);
    for (const j of jobs) {
      expect(j.status).toBe('done');
      expect(measured.filter((id) => id === j.id), `job ${j.id} finished by ${measured.filter((id) => id === j.id).length} processes`).toHaveLength(1);
      expect(j.attempts, `job ${j.id} attempts (one process alone: ${refAttempts.get(j.k)})`).toBe(refAttempts.get(j.k));
      expect(samples(j.id, 0)).toBe(j.runs);
      expect(samples(j.id, 1)).toBe(j.warmup);
    }
    expect(measured).toHaveLength(jobs.length);
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    d.close();
  });

  it.skipIf(missing(...APPS))('two `gaugenn extract` at once over one corpus: every app once, as one run stores it', { timeout: 600_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-concurrent-extract-'));
    const ref = join(cwd, 'ref.db');
    expect((await gaugenn(['extract', ...APPS, '--store', ref, '--json'], { cwd })).exitCode).toBe(0);
    const db = join(cwd, 'g.db');
    // The second starts with the corpus reversed, so the two meet in the middle saving the same apps.
    const [a, b] = await Promise.all([
      gaugenn(['extract', ...APPS, '--store', db, '--json'], { cwd }),
      gaugenn(['extract', ...[...APPS].reverse(), '--store', db, '--json'], { cwd }),
    ]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    const got = appsOf(db);
    expect(got).toEqual(appsOf(ref));
    expect(got).toHaveLength(APPS.length);
    const d = new Database(db, { readonly: true });
    expect((d.prepare('SELECT COUNT(*) AS n FROM (SELECT app_id, model_sha256, path FROM occurrences GROUP BY 1,2,3 HAVING COUNT(*) > 1)').get() as { n: number }).n).toBe(0);
    expect((d.prepare('SELECT COUNT(*) AS n FROM occurrences o LEFT JOIN apps a ON a.id = o.app_id WHERE a.id IS NULL').get() as { n: number }).n).toBe(0);
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    d.close();
  });
});
