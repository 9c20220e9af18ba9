import Database from 'better-sqlite3';
import { hostPython, pythonHas } from '@gaugenn/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn, spawnGaugenn } from './cli.js';

const MODELS = [
  'tflite/mobilenet_v1_0.25_128_quant.tflite',
  'tflite/mobilenet_v1_0.5_160_quant.tflite',
  'tflite/mobilenet_v2_1.0_224_quant.tflite',
  'tflite/deeplabv3_mnv2_dm05_pascal_quant.tflite',
  'tflite/split_concat.tflite',
  'tflite/model_invoking_error.tflite',
].map(fixture);

const hasLiteRT = await pythonHas(['ai_edge_litert']);
const noRuntime = hasLiteRT ? undefined : `no ai_edge_litert for ${hostPython()}: run \`npx gaugenn setup\``;
if (noRuntime) process.stderr.write(`[skip] ${noRuntime}\n`);

type Row = { id: number; status: string; finished_at: string | null; attempts: number; error: string | null; model: string };
function jobs(db: string): Row[] {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return d.prepare('SELECT j.id, j.status, j.finished_at, j.attempts, j.error, m.first_path AS model FROM jobs j JOIN models m ON m.sha256 = j.model_sha256 ORDER BY j.id').all() as Row[];
  } finally {
    d.close();
  }
}

describe('gaugenn bench: resumable campaigns on the host with the real LiteRT runtime', () => {
  it.skipIf(missing(...MODELS) || noRuntime)('killed mid-campaign finishes only what was left; a second bench re-measures nothing; a model that fails at invoke is a failed job', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-bench-'));
    const db = join(cwd, 'g.db');
    expect((await gaugenn(['extract', ...MODELS, '--store', db, '--json'], { cwd })).exitCode).toBe(0);
    expect((await gaugenn(['analyze', '--store', db, '--json'], { cwd })).exitCode).toBe(0);

    // Start a campaign and kill it hard as soon as the first job is committed.
    const child = spawnGaugenn(['bench', '--store', db, '--runs', '40', '--warmup', '2', '--json'], cwd);
    let before: Row[] = [];
    for (let i = 0; i < 1200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        before = jobs(db);
      } catch {
        continue; // the store may not exist yet
      }
      if (before.some((j) => j.status === 'done' || j.status === 'failed')) break;
    }
    child.kill('SIGKILL');
    await child;
    before = jobs(db);
    const finishedBefore = before.filter((j) => j.status === 'done' || j.status === 'failed');
    expect(finishedBefore.length).toBeGreaterThan(0);
    expect(finishedBefore.length).toBeLessThan(MODELS.length);

    const second = await gaugenn(['bench', '--store', db, '--runs', '40', '--warmup', '2', '--json'], { cwd });
    expect(second.exitCode, second.stderr).toBe(0);
    const after = jobs(db);
    expect(after).toHaveLength(MODELS.length);
    // Jobs finished before the kill were not touched again.
    for (const j of finishedBefore) expect(after.find((a) => a.id === j.id)).toEqual(j);
    const out = JSON.parse(second.stdout);
    for (const j of out.jobs) {
      if (j.model.endsWith('model_invoking_error.tflite')) {
        expect(j.status).toBe('failed');
        expect(j.error.code).toBe('RUNNER_FAILED');
        expect(j.samplesMs).toEqual([]);
      } else {
        expect(j.status, `${j.model}: ${JSON.stringify(j.error)}`).toBe('done');
        expect(j.samplesMs).toHaveLength(40);
        expect(j.median).toBeGreaterThan(0);
        expect(j.p90).toBeGreaterThanOrEqual(j.median);
        expect(j.engine).toMatch(/litert|tflite|tensorflow/i);
      }
    }

    // Once more over the same store: nothing is measured again.
    const third = await gaugenn(['bench', '--store', db, '--json'], { cwd });
    expect(third.exitCode).toBe(0);
    expect(jobs(db)).toEqual(after);
  });
});
