import { hostPython, pythonHas } from '@gaugenn/core';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const MODELS = ['tflite/mobilenet_v1_0.25_128_quant.tflite', 'tflite/split_concat.tflite'].map(fixture);
const noRuntime = (await pythonHas(['ai_edge_litert'])) ? undefined : `no ai_edge_litert for ${hostPython()}: run \`npx gaugenn setup\``;
if (noRuntime) process.stderr.write(`[skip] ${noRuntime}\n`);

describe('gaugenn run', () => {
  it.skipIf(missing(...MODELS) ?? noRuntime)('runs the whole pipeline from a YAML config: sources, devices, bench settings, store and report paths', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-run-'));
    mkdirSync(join(cwd, 'apks'));
    for (const m of MODELS) copyFileSync(m, join(cwd, 'apks', m.split('/').pop()!));
    writeFileSync(join(cwd, 'gaugenn.config.yaml'), [
      'store: out/study.db',
      'reportDir: out/report',
      'sources:',
      '  - { type: dir, path: ./apks }',
      'devices:',
      '  - { kind: host }',
      'bench:',
      '  threads: [1, 2]',
      '  warmup: 1',
      '  runs: 4',
      '',
    ].join('\n'));
    const r = await gaugenn(['run', '--json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.store).toBe(join(cwd, 'out', 'study.db'));
    expect(s.models).toBe(2);
    // Two models × two thread counts.
    expect(s.jobs).toEqual({ done: 4, failed: 0, pending: 0 });
    expect(existsSync(join(cwd, 'out', 'report', 'index.html'))).toBe(true);
    // Run again: nothing new to measure, same totals.
    const again = JSON.parse((await gaugenn(['run', '--json'], { cwd })).stdout);
    expect(again.jobs).toEqual(s.jobs);
  });

  it('without sources in the config, says what to add and exits non-zero', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-run-'));
    const r = await gaugenn(['run'], { cwd });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('sources');
  });
});
