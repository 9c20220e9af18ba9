/**
 * The CLI on DLC models, as a user runs it: `gaugenn analyze --json` on an APK holding the four real DLC fixtures
 * and a TFLite model gives each model's `formatVersion` and `metadata`; `gaugenn bench` on this machine (no SNPE SDK)
 * fails every DLC job with SNPE_SDK_MISSING and a message naming the setting, while the TFLite job completes.
 * Expected DLC figures: see packages/plugin-snpe/test/parse-fixtures.test.ts for how they were counted.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostPython, pythonHas, writeZip } from '@gaugenn/core';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const DLCS = {
  'assets/det.dlc': { file: 'snpe/hsp-aidemo_det_500m_quantized.dlc', formatVersion: 'DLC v4, SNPE 2.19.2', macs: 733_545_600, sourceFramework: 'onnx' },
  'res/raw/seg': { file: 'snpe/mlcommons_v0_7_deeplabv3_quantized_hta_enabled.dlc', formatVersion: 'DLC v3, SNPE 1.42.2', macs: 5_277_302_784, sourceFramework: 'tensorflow' },
  'assets/enhance.bin': { file: 'snpe/sensifai_Enhancement_SNPE.dlc', formatVersion: 'DLC v3, SNPE 1.37.0', macs: 5_830_139_520, sourceFramework: 'tensorflow' },
  'assets/sr/edsr': { file: 'snpe/nemo_public_EDSR_transpose_B4_F32_S4.dlc', formatVersion: 'DLC v2, SNPE 1.23.1', macs: 8_813_905_920, sourceFramework: 'tensorflow' },
};
const TFLITE = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');
const inputs = [...Object.values(DLCS).map((d) => fixture(d.file)), TFLITE];
const noLiteRT = (await pythonHas(['ai_edge_litert'])) ? undefined : `no ai_edge_litert for ${hostPython()}: run \`npx gaugenn setup\``;
if (noLiteRT) process.stderr.write(`[skip] ${noLiteRT}\n`);
// This machine has no SNPE SDK; make sure the environment does not name one either.
const NO_SDK = { SNPE_ROOT: '', QAIRT_SDK_ROOT: '' };

describe('gaugenn with SNPE DLC models', () => {
  it.skipIf(missing(...inputs) || noLiteRT)('analyze --json gives formatVersion and metadata; bench fails the DLC jobs with SNPE_SDK_MISSING and completes the TFLite one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-snpe-cli-'));
    const apk = join(cwd, 'app.apk');
    await writeZip(apk, [
      ...Object.entries(DLCS).map(([name, d]) => ({ name, data: readFileSync(fixture(d.file)), method: 'store' as const })),
      { name: 'assets/mobilenet.tflite', data: readFileSync(TFLITE), method: 'store' as const },
    ]);
    const db = join(cwd, 'g.db');
    const a = await gaugenn(['analyze', apk, '--json', '--store', db], { cwd, env: NO_SDK });
    expect(a.exitCode, a.stderr).toBe(0);
    // Stored models are named `app!/entry`, the way lineage and the report name them.
    const models = (JSON.parse(a.stdout) as Record<string, any>[]).map((m) => ({ ...m, file: String(m.file).split('!/').pop() }));
    expect(models.map((m) => m.file).sort()).toEqual([...Object.keys(DLCS), 'assets/mobilenet.tflite'].sort());
    for (const [name, d] of Object.entries(DLCS)) {
      const m = models.find((x) => x.file === name)!;
      expect(m.framework).toBe('snpe');
      expect(m.formatVersion).toBe(d.formatVersion);
      expect(m.macs).toBe(d.macs);
      expect(m.metadata).toMatchObject({ sourceFramework: d.sourceFramework, converterVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    }
    // Every framework reports both fields: TFLite's schema version, and its metadata object.
    const t = models.find((x) => x.file === 'assets/mobilenet.tflite')!;
    expect(t.framework).toBe('tflite');
    expect(t.formatVersion).toBe('3');
    expect(typeof t.metadata).toBe('object');

    const b = await gaugenn(['bench', '--store', db, '--runs', '3', '--warmup', '1', '--json'], { cwd, env: NO_SDK });
    expect(b.exitCode, b.stderr).toBe(0);
    const jobs = JSON.parse(b.stdout).jobs as Record<string, any>[];
    expect(jobs).toHaveLength(5);
    for (const j of jobs.filter((x) => x.framework === 'snpe')) {
      expect(j.status).toBe('failed');
      expect(j.error.code).toBe('SNPE_SDK_MISSING');
      expect(j.error.message).toMatch(/plugins\.snpe\.sdkRoot/);
      expect(j.error.message).toMatch(/SNPE_ROOT or QAIRT_SDK_ROOT/);
    }
    const tj = jobs.find((x) => x.framework === 'tflite')!;
    expect(tj.status, JSON.stringify(tj.error)).toBe('done');
    expect(tj.samplesMs).toHaveLength(3);
  });
});
