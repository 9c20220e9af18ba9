import { hostPython, pythonHas } from '@gaugenn/core';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const NCNN = ['squeezenet_v1.1', 'mnet.25-opt', 'nanodet_m'].flatMap((n) => [fixture(`ncnn/${n}.param`), fixture(`ncnn/${n}.bin`)]);
const CAFFE = ['mtcnn_det1', 'mtcnn_det2'].flatMap((n) => [fixture(`caffe/${n}.prototxt`), fixture(`caffe/${n}.caffemodel`)]);

async function runtimeMissing(module: string, pkg: string): Promise<string | undefined> {
  if (await pythonHas([module])) return undefined;
  const why = `python module ${module} missing for ${hostPython()}: run \`npx gaugenn setup\` (installs ${pkg})`;
  process.stderr.write(`[skip] ${why}\n`);
  return why;
}
const noNcnn = await runtimeMissing('ncnn', 'ncnn');
const noCv2 = await runtimeMissing('cv2', 'opencv-python-headless');

/** Copy fixtures into a folder that `extract --dir-as-app` takes as one app, so .param/.bin and .prototxt/.caffemodel pair. */
function appDir(files: string[]): { cwd: string; app: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-bench-fw-'));
  const app = join(cwd, 'app');
  mkdirSync(join(app, 'assets'), { recursive: true });
  for (const f of files) copyFileSync(f, join(app, 'assets', basename(f)));
  return { cwd, app };
}

async function extractAnalyzeBench(files: string[]) {
  const { cwd, app } = appDir(files);
  const db = join(cwd, 'g.db');
  const x = await gaugenn(['extract', '--dir-as-app', app, '--store', db, '--json'], { cwd });
  expect(x.exitCode, x.stderr).toBe(0);
  const [extracted] = JSON.parse(x.stdout);
  const a = await gaugenn(['analyze', '--store', db, '--json'], { cwd });
  expect(a.exitCode, a.stderr).toBe(0);
  const b = await gaugenn(['bench', '--store', db, '--runs', '5', '--warmup', '1', '--json'], { cwd });
  expect(b.exitCode, b.stderr).toBe(0);
  return { extracted, analysed: JSON.parse(a.stdout), bench: JSON.parse(b.stdout) };
}

describe('gaugenn bench with the real ncnn and OpenCV runtimes', () => {
  it.skipIf(missing(...NCNN) || noNcnn)('measures the three real ncnn models (param + bin paired in one app) on the host', async () => {
    const { extracted, analysed, bench } = await extractAnalyzeBench(NCNN);
    expect(extracted.models.map((m: any) => m.path).sort()).toEqual(['assets/mnet.25-opt.param', 'assets/nanodet_m.param', 'assets/squeezenet_v1.1.param']);
    for (const m of analysed) {
      expect(m.framework).toBe('ncnn');
      // Weights were paired: every conv layer has a digest.
      const digests = m.layers.flatMap((l: any) => l.weights.map((w: any) => w.digest)).filter(Boolean);
      expect(digests.length, m.file).toBeGreaterThan(10);
    }
    expect(bench.jobs).toHaveLength(3);
    for (const j of bench.jobs) {
      expect(j.status, JSON.stringify(j.error)).toBe('done');
      expect(j.engine).toMatch(/^ncnn /);
      expect(j.samplesMs).toHaveLength(5);
      expect(j.median).toBeGreaterThan(0);
    }
  });

  it.skipIf(missing(...CAFFE) || noCv2)('measures MTCNN det1/det2 (prototxt + caffemodel paired in one app) with OpenCV DNN on the host', async () => {
    const { extracted, analysed, bench } = await extractAnalyzeBench(CAFFE);
    expect(extracted.models.map((m: any) => m.path).sort()).toEqual(['assets/mtcnn_det1.prototxt', 'assets/mtcnn_det2.prototxt']);
    const det1 = analysed.find((m: any) => m.file.endsWith('mtcnn_det1.prototxt'));
    // params equal the weight values stored in det1.caffemodel (counted by the plugin's own tests too).
    expect(det1.params).toBe(6632);
    expect(bench.jobs).toHaveLength(2);
    for (const j of bench.jobs) {
      expect(j.status, JSON.stringify(j.error)).toBe('done');
      expect(j.engine).toMatch(/opencv/i);
      expect(j.samplesMs).toHaveLength(5);
    }
  });

  it.skipIf(missing(...CAFFE))('pairs a prototxt and a caffemodel with unrelated names by their layer names', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-pair-'));
    const app = join(cwd, 'app');
    mkdirSync(app);
    // Real apps often ship `deploy.prototxt` + `weights.caffemodel`: names say nothing, layer names do.
    copyFileSync(fixture('caffe/mtcnn_det2.prototxt'), join(app, 'deploy.prototxt'));
    copyFileSync(fixture('caffe/mtcnn_det2.caffemodel'), join(app, 'weights.caffemodel'));
    copyFileSync(fixture('caffe/mtcnn_det1.caffemodel'), join(app, 'other.caffemodel'));
    const x = await gaugenn(['extract', '--dir-as-app', app, '--store', join(cwd, 'g.db'), '--json'], { cwd });
    expect(x.exitCode, x.stderr).toBe(0);
    const [a] = JSON.parse(x.stdout);
    // deploy.prototxt took weights.caffemodel; the det1 caffemodel fits no prototxt and stands alone as a model.
    expect(a.models.map((m: any) => m.path).sort()).toEqual(['deploy.prototxt', 'other.caffemodel']);
    const an = await gaugenn(['analyze', '--store', join(cwd, 'g.db'), '--json'], { cwd });
    const deploy = JSON.parse(an.stdout).find((m: any) => m.file === 'deploy.prototxt');
    expect(deploy.layers.some((l: any) => l.weights.some((w: any) => w.digest))).toBe(true);
  });

  it.skipIf(missing(...NCNN))('pairs an ncnn param and a .bin with unrelated names by content', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-pair-'));
    const app = join(cwd, 'app');
    mkdirSync(app);
    // Obfuscated names, as shipped by apps that rename their assets: only the param's layers can say which .bin fits.
    copyFileSync(fixture('ncnn/squeezenet_v1.1.param'), join(app, 'a1.param'));
    copyFileSync(fixture('ncnn/nanodet_m.param'), join(app, 'a2.param'));
    copyFileSync(fixture('ncnn/nanodet_m.bin'), join(app, 'b1.bin'));
    copyFileSync(fixture('ncnn/squeezenet_v1.1.bin'), join(app, 'b2.bin'));
    const db = join(cwd, 'g.db');
    const x = await gaugenn(['extract', '--dir-as-app', app, '--store', db, '--json'], { cwd });
    expect(x.exitCode, x.stderr).toBe(0);
    const an = JSON.parse((await gaugenn(['analyze', '--store', db, '--json'], { cwd })).stdout);
    const byFile = Object.fromEntries(an.map((m: any) => [m.file, m]));
    expect(Object.keys(byFile).sort()).toEqual(['a1.param', 'a2.param']);
    expect(byFile['a1.param'].params).toBe(1235496);
    for (const m of an) expect(m.layers.some((l: any) => l.weights.some((w: any) => w.digest)), m.file).toBe(true);
  });
});
