/** `gaugenn analyze` on BVLC's CaffeNet and GoogLeNet deploy files (batch 10): per-inference MACs, metadata.batch 10. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caffenet, googlenet } from '../../../test-support/bvlc-nets.js';
import { gaugenn } from './cli.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gaugenn-bvlc-'));
  await writeFile(join(dir, 'caffenet_deploy.prototxt'), caffenet);
  await writeFile(join(dir, 'googlenet_deploy.prototxt'), googlenet);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('gaugenn analyze on BVLC deploy files', () => {
  for (const [file, published] of [['caffenet_deploy.prototxt', 724e6], ['googlenet_deploy.prototxt', 1.58e9]] as const) {
    it(`${file}: within 2% of the published ${published / 1e6} M MACs per inference, metadata.batch 10, a note`, async () => {
      const r = await gaugenn(['analyze', file, '--json', '--store', join(dir, `${file}.db`)], { cwd: dir });
      expect(r.exitCode, r.stderr).toBe(0);
      const [m] = JSON.parse(r.stdout);
      expect(m.file).toBe(file);
      expect(Math.abs(m.macs - published) / published).toBeLessThan(0.02);
      expect(m.metadata.batch).toBe(10);
      expect(m.inputs[0].shape[0]).toBe(1);
      expect(m.notes.join(' ')).toMatch(/batch of 10 \(metadata\.batch\)/);
    }, 120_000);
  }
});
