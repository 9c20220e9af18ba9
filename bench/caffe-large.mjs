#!/usr/bin/env node
/**
 * Large-caffemodel benchmark: generates a ≥300 MB caffemodel (VGG-style head: a few huge InnerProduct layers,
 * streamed to disk), then analyses it in child processes and prints size, time, MB/s and peak RSS:
 *   streaming  — @gaugenn/plugin-caffe's parseCaffe (bounded-window walker, sha256 per blob)
 *   baseline   — the whole file read into one buffer and decoded with protobufjs (the obvious approach)
 * side by side, with ratios. Peak RSS is each child's maxRSS (process.resourceUsage()).
 * Usage: node bench/caffe-large.mjs [sizeMB=320]   (build first: npx tsc -b packages/plugin-caffe)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pluginUrl = new URL(`file://${join(root, 'packages/plugin-caffe/dist/index.js')}`).href;
const role = process.argv[2];

if (role === '--child-stream' || role === '--child-baseline') {
  const file = process.argv[3];
  const t0 = performance.now();
  let summary;
  if (role === '--child-stream') {
    const { parseCaffe } = await import(pluginUrl);
    const g = await parseCaffe([{ path: file, role: 'caffemodel', sha256: 'skip', bytes: statSync(file).size }]);
    summary = { layers: g.layers.length, params: g.totals.params };
  } else {
    const { readFileSync } = await import('node:fs');
    const { caffeType } = await import(pluginUrl);
    const Net = caffeType('NetParameter');
    const bytes = readFileSync(file);
    const msg = Net.decode(bytes);
    let params = 0;
    for (const l of msg.layer) for (const b of l.blobs) params += b.data.length;
    summary = { layers: msg.layer.length, params };
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, maxRssKB: process.resourceUsage().maxRSS, ...summary }));
  process.exit(0);
}

const sizeMB = Number(role ?? 320);
const { writeCaffemodel, seededFill } = await import(pluginUrl);
const dir = mkdtempSync(join(tmpdir(), 'caffe-large-'));
const file = join(dir, 'large.caffemodel');
try {
  // fc6-like layers of 4096 × K floats until the size is reached.
  const perLayer = 4096 * 4096;
  const layers = [];
  let floats = 0;
  for (let i = 0; floats * 4 < sizeMB * 1e6; i++) {
    layers.push({ name: `fc${i}`, type: 'InnerProduct', bottom: [i ? `fc${i - 1}` : 'data'], top: [`fc${i}`], fields: { inner_product_param: { num_output: 4096 } }, blobs: [{ shape: [4096, 4096], fill: seededFill(i) }, { shape: [4096], fill: seededFill(100 + i) }] });
    floats += perLayer + 4096;
  }
  const tGen = performance.now();
  const written = await writeCaffemodel(file, { name: 'large', layers });
  const genMs = performance.now() - tGen;
  const mb = written / 1e6;
  console.log(`generated ${file}: ${mb.toFixed(1)} MB, ${layers.length} InnerProduct layers, in ${(genMs / 1000).toFixed(1)} s`);

  const run = (which) => JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), which, file], { maxBuffer: 1 << 20 }).toString());
  const stream = run('--child-stream');
  let base;
  try {
    base = run('--child-baseline');
  } catch (e) {
    base = { ms: NaN, maxRssKB: NaN, error: String(e.message).split('\n')[0] };
  }
  const row = (name, r) => `${name.padEnd(34)} ${r.ms.toFixed(0).padStart(8)} ms ${(mb / (r.ms / 1000)).toFixed(0).padStart(8)} MB/s ${(r.maxRssKB / 1024).toFixed(0).padStart(8)} MB`;
  console.log(`\n${'analysis'.padEnd(34)} ${'time'.padStart(11)} ${'speed'.padStart(13)} ${'peak RSS'.padStart(11)}`);
  console.log(row('streaming (plugin-caffe parseCaffe)', stream));
  console.log(row('baseline (protobufjs, one buffer)', base) + (base.error ? `  [${base.error}]` : ''));
  console.log(`\nratio baseline/streaming: time ×${(base.ms / stream.ms).toFixed(2)}, peak RSS ×${(base.maxRssKB / stream.maxRssKB).toFixed(2)}`);
  console.log(`params: streaming ${stream.params}, baseline ${base.params ?? 'n/a'}; file ${mb.toFixed(1)} MB`);
  const ok = stream.maxRssKB / 1024 < 300 && mb >= 300;
  console.log(ok ? 'PASS: peak RSS under 300 MB on a ≥300 MB caffemodel' : 'FAIL: peak RSS target (< 300 MB on ≥ 300 MB) not met');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
