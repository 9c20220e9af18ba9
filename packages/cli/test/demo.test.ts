import { hostPython, pythonHas } from '@gaugenn/core';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageDir } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const noRuntime = (await pythonHas(['ai_edge_litert', 'ncnn', 'cv2'])) ? undefined : `ai_edge_litert, ncnn or cv2 missing for ${hostPython()}: run \`npx gaugenn setup\``;
const noPackages = packageDir('@mediapipe/pose') ? undefined : 'missing npm package @mediapipe/pose (run npm ci)';
if (noRuntime ?? noPackages) process.stderr.write(`[skip] ${noRuntime ?? noPackages}\n`);

describe('gaugenn demo', () => {
  it.skipIf(noRuntime ?? noPackages)('builds the corpus, measures every TFLite model on the host with LiteRT, writes the store and the report', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-demo-'));
    const r = await gaugenn(['demo', '--json', '--runs', '3', '--warmup', '1', '--no-setup'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.store).toBe(join(cwd, 'gaugenn-demo', 'gaugenn.db'));
    expect(existsSync(s.report)).toBe(true);
    expect(s.models).toBeGreaterThanOrEqual(10);
    expect(s.analysed).toBe(s.models);
    // Every model is measured or recorded as failed with its cause (a MediaPipe model with a custom op that
    // stock LiteRT lacks is a real failure, not a crash); nothing is left pending.
    expect(s.jobs.pending).toBe(0);
    expect(s.jobs.done + s.jobs.failed).toBe(s.models);
    expect(s.jobs.done).toBeGreaterThanOrEqual(s.models - 2);

    const db = new Database(s.store, { readonly: true });
    // Every model the @mediapipe packages ship was found; pose_landmark_* ship in two packages: real duplicates.
    const dup = db.prepare("SELECT COUNT(DISTINCT app_id) n FROM occurrences o JOIN models m ON m.sha256 = o.model_sha256 WHERE m.first_path LIKE '%pose_landmark_lite.tflite'").get() as { n: number };
    expect(dup.n).toBe(2);
    const control = db.prepare("SELECT package, frameworks FROM apps WHERE package = 'io.appium.settings'").get() as { package: string; frameworks: string } | undefined;
    if (packageDir('io.appium.settings')) expect(JSON.parse(control!.frameworks)).toEqual([]);
    const failures = db.prepare("SELECT error FROM jobs WHERE status = 'failed'").all() as { error: string }[];
    for (const f of failures) expect(JSON.parse(f.error).message).toMatch(/custom op/);
    // Models hidden in the packed-asset blobs were found by content, at their offsets.
    const packed = db.prepare("SELECT COUNT(*) n FROM occurrences WHERE path LIKE '%_packed_assets.data@%'").get() as { n: number };
    expect(packed.n).toBeGreaterThanOrEqual(5);
    const engines = (db.prepare("SELECT DISTINCT engine FROM jobs WHERE status = 'done'").all() as { engine: string }[]).map((e) => e.engine).join();
    expect(engines).toMatch(/ai-edge-litert/);
    // The ncnn and Caffe apps ran on their own runtimes.
    expect(engines).toMatch(/ncnn/);
    expect(engines).toMatch(/opencv/i);
    const frameworks = (db.prepare('SELECT DISTINCT framework FROM models').all() as { framework: string }[]).map((r) => r.framework).sort();
    expect(frameworks).toEqual(['caffe', 'ncnn', 'tflite']);
    db.close();
    const html = readFileSync(s.report, 'utf8');
    expect(html).toContain('pose_landmark_heavy.tflite');
    expect(html).toMatch(/<svg/);
  });
});
