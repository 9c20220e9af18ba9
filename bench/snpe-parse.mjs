/**
 * DLC analysis speed: gaugeNN's whole analysis of each real DLC (container, records, IR, a sha256 per weight tensor)
 * against a baseline that only reads the container's members with core's zip reader and hashes the whole
 * `model.params` once — the I/O and hashing floor any analysis pays. Median of repeated runs, side by side.
 * Input: the DLCs in ../shared/fixtures/snpe. Run after `npm ci` (it uses the built packages):
 *   node bench/snpe-parse.mjs [--repeat 15]
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BufferByteSource, ZipReader } from '@gaugenn/core';
import { parseDlcBytes } from '@gaugenn/plugin-snpe';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '..', 'shared', 'fixtures', 'snpe');
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 15;
const files = ['hsp-aidemo_det_500m_quantized.dlc', 'mlcommons_v0_7_deeplabv3_quantized_hta_enabled.dlc', 'sensifai_Enhancement_SNPE.dlc', 'nemo_public_EDSR_transpose_B4_F32_S4.dlc'];

async function baseline(bytes) {
  const z = await ZipReader.open(new BufferByteSource(bytes));
  let n = 0;
  for (const e of z.entries) {
    const h = createHash('sha256');
    for await (const c of z.chunks(e)) h.update(c);
    n += h.digest().length;
  }
  return n;
}

async function median(fn) {
  const t = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return t.sort((a, b) => a - b)[t.length >> 1];
}

console.log(`file | MB | gaugeNN analysis ms | baseline (read members + sha256) ms | ratio`);
for (const f of files) {
  const p = join(dir, f);
  if (!existsSync(p)) {
    console.log(`${f} | missing`);
    continue;
  }
  const bytes = readFileSync(p);
  await parseDlcBytes(bytes);
  const ours = await median(() => parseDlcBytes(bytes));
  const base = await median(() => baseline(bytes));
  console.log(`${f} | ${(bytes.length / 1e6).toFixed(2)} | ${ours.toFixed(2)} | ${base.toFixed(2)} | ${(ours / base).toFixed(2)}×`);
}
