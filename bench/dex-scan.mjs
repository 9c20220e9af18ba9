/**
 * DEX scan speed: gaugeNN's reader + matcher (id tables → referenced classes → compiled catalogue) against a
 * naive baseline that searches the raw bytes for every catalogue pattern (`latin1` string + `includes` per
 * pattern; it also cannot tell a call from a log message). Input: the real app DEX in ../shared/fixtures, or a
 * path given as the first argument. Run after `npm ci` (it uses the built packages):
 *   node bench/dex-scan.mjs [file.dex]
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gauge } from '@gaugenn/core';
import tflite from '@gaugenn/plugin-tflite';
import formats from '@gaugenn/plugin-formats';
import android from '@gaugenn/plugin-android';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { DexCode, SignatureIndex } = await import(join(root, 'packages/plugin-android/dist/dex/index.js'));

const file = process.argv[2] ?? join(root, '..', 'shared', 'fixtures', 'android', 'tflite_app_classes.dex');
if (!existsSync(file)) {
  console.error(`missing input: ${file} (pass a .dex path)`);
  process.exit(2);
}
const data = readFileSync(file);
const gauge = new Gauge({});
for (const p of [tflite, android, formats]) await p.apply(gauge, {});
const sigs = gauge.codeSignatures;
const patterns = sigs.flatMap((s) => [
  ...(s.classes ?? []).map((c) => 'L' + (c.endsWith('.*') ? c.slice(0, -1) : c + ';').replaceAll('.', '/')),
  ...(s.methods ?? []).map((m) => m.slice(m.lastIndexOf('.') + 1)),
]);

function ours() {
  const code = DexCode.read(data, 'classes.dex');
  return new SignatureIndex(sigs).match(code).length;
}

function naive() {
  const text = data.toString('latin1');
  let hits = 0;
  for (const p of patterns) if (text.includes(p)) hits++;
  return hits;
}

function time(fn, minMs = 1500) {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  const samples = [];
  const t0 = performance.now();
  let result;
  while (performance.now() - t0 < minMs || samples.length < 10) {
    const s = performance.now();
    result = fn();
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1], runs: samples.length, result };
}

const mb = data.length / 1e6;
const a = time(ours);
const b = time(naive);
const code = DexCode.read(data, 'classes.dex');
console.log(`input: ${file}`);
console.log(`  ${mb.toFixed(2)} MB, ${code.definedClasses} class defs, ${code.methodCount} method ids, ${code.classes.length} referenced classes; catalogue: ${sigs.length} signatures, ${patterns.length} patterns`);
console.log('');
console.log('                          median ms      MB/s   runs  result');
console.log(`  reader + matcher        ${a.median.toFixed(2).padStart(9)} ${(mb / (a.median / 1000)).toFixed(0).padStart(9)} ${String(a.runs).padStart(6)}  ${a.result} signatures matched`);
console.log(`  naive includes()        ${b.median.toFixed(2).padStart(9)} ${(mb / (b.median / 1000)).toFixed(0).padStart(9)} ${String(b.runs).padStart(6)}  ${b.result} patterns present as bytes`);
console.log(`  ratio (naive / ours)    ${(b.median / a.median).toFixed(2)}x`);
