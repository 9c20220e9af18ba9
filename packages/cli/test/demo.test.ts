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
    const dup = db.prepare("SELECT COUNT(DISTINCT a.package) n FROM occurrences o JOIN models m ON m.sha256 = o.model_sha256 JOIN apps a ON a.id = o.app_id WHERE m.first_path LIKE '%pose_landmark_lite.tflite'").get() as { n: number };
    expect(dup.n).toBe(2);
    // Two snapshots; the package files in both are apps of each (one extraction, two rows).
    const snaps = db.prepare('SELECT snapshot, COUNT(*) n FROM apps GROUP BY snapshot ORDER BY snapshot').all();
    const controls = packageDir('io.appium.settings') ? 1 : 0; // the no-ML control APK is in both snapshots when installed
    expect(snaps).toEqual([{ snapshot: '2025-06', n: 7 + controls }, { snapshot: '2026-06', n: 8 + controls }]);
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
    // Every figure with data in the demo is drawn; energy, backend truth and campaign replicability have none
    // (host CPU only, one campaign) and say so.
    const states = Object.fromEntries([...html.matchAll(/data-figure="([^"]+)" data-state="([^"]+)"/g)].map((m) => [m[1], m[2]]));
    const empty = ['backend-truth', 'energy', 'campaign-spread'];
    for (const [id, state] of Object.entries(states)) expect(state, id).toBe(empty.includes(id) ? 'empty' : 'data');
    expect(Object.keys(states)).toHaveLength(15);
    // The lineage section names the duplicated pose models, and the fine-tuned SqueezeNet of the updated ncnn app.
    const lineageSection = html.slice(html.indexOf('<section id="lineage">'), html.indexOf('<section id="snapshots">'));
    expect(lineageSection).toContain('com.gaugenn.demo.pose!/assets/pose_landmark_lite.tflite');
    expect(lineageSection).toContain('com.gaugenn.demo.holistic!/assets/pose_landmark_lite.tflite');
    expect(lineageSection).toContain('fine-tuned');
    const lineage = JSON.parse(readFileSync(join(s.report, '..', 'lineage.json'), 'utf8'));
    const tuned = lineage.pairs.filter((p: { relation: string }) => p.relation === 'fine-tuned');
    expect(tuned).toHaveLength(1);
    expect(tuned[0]).toMatchObject({ aTensors: 46, bTensors: 46, sharedTensors: 45 });
    // Modality and task, with evidence, for the real MediaPipe models.
    const models = JSON.parse(readFileSync(join(s.report, '..', 'models.json'), 'utf8')) as { name: string; modality: string; task: string; taskEvidence: string[] }[];
    const task = (file: string) => models.find((m) => m.name.endsWith(file))!;
    expect(task('pose_landmark_lite.tflite')).toMatchObject({ modality: 'image', task: 'landmarks' });
    expect(task('selfie_segmentation_landscape.tflite')).toMatchObject({ task: 'segmentation', taskEvidence: [expect.stringContaining('per-pixel map')] });
    expect(task('face_detection_short_range.tflite').task).toBe('detection');
    expect(task('squeezenet_demo.param').task).toBe('classification');
    const diff = JSON.parse(readFileSync(join(s.report, '..', 'diff.json'), 'utf8'))[0];
    expect(diff.apps).toMatchObject({ added: ['com.gaugenn.demo.objectron', 'com.gaugenn.demo.selfie_segmentation'], removed: ['com.gaugenn.demo.caffe_mtcnn'], updated: [expect.objectContaining({ package: 'com.gaugenn.demo.ncnn_squeezenet' })] });
  });
});
