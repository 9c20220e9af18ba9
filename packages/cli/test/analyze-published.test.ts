import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

// Published MobileNet figures (TF-Slim model zoo table: "Million MACs", "Million Parameters"), rounded there to
// whole millions (v2) or to the printed digits; the tolerance is 3%, or half the printed rounding unit when that is
// larger (13.57M prints as "14"). The plugin's own tests also check both v1 models MAC-exact against the architecture.
const CASES = [
  { file: 'tflite/mobilenet_v2_1.0_224_quant.tflite', macs: 300e6, macsUnit: 1e6, paramsMin: 3.4e6, paramsMax: 3.5e6 },
  { file: 'tflite/mobilenet_v1_0.5_160_quant.tflite', macs: 76e6, macsUnit: 1e6, params: 1.32e6, paramsUnit: 0.01e6 },
  { file: 'tflite/mobilenet_v1_0.25_128_quant.tflite', macs: 14e6, macsUnit: 1e6, params: 0.47e6, paramsUnit: 0.01e6 },
];
const within = (got: number, want: number, unit: number) => Math.abs(got - want) <= Math.max(0.03 * want, unit / 2);

describe('gaugenn analyze against published MobileNet figures', () => {
  it.skipIf(missing(...CASES.map((c) => fixture(c.file))))('reports MACs and parameters within 3% of the published counts', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-analyze-'));
    const out = [];
    for (const c of CASES) {
      const r = await gaugenn(['analyze', fixture(c.file), '--json', '--store', join(cwd, 'g.db')], { cwd });
      expect(r.exitCode, r.stderr).toBe(0);
      const [m] = JSON.parse(r.stdout);
      out.push(m);
      expect(m.framework).toBe('tflite');
      expect(within(m.macs, c.macs, c.macsUnit), `${c.file}: ${m.macs} MACs`).toBe(true);
      if (c.paramsMin) {
        expect(m.params).toBeGreaterThanOrEqual(c.paramsMin);
        expect(m.params).toBeLessThanOrEqual(c.paramsMax);
      } else expect(within(m.params, c.params!, c.paramsUnit!), `${c.file}: ${m.params} params`).toBe(true);
      // FLOPs are never MACs: 2 × MACs plus the other arithmetic layers' outputs.
      expect(m.flops).toBeGreaterThanOrEqual(2 * m.macs);
      expect(m.quantization).toBe('uint8');
      expect(m.modality).toBe('image');
    }
  });
});
