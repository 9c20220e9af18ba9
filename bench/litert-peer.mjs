#!/usr/bin/env node
/**
 * bench/litert-peer: the same TFLite model measured in the same run by `gaugenn bench` (host device, cpu backend,
 * gaugeNN's LiteRT runner) and by LiteRT's own `litert-benchmark` (it ships with ai-edge-litert in gaugeNN's venv),
 * with the same threads, warm-up and run counts. Rounds alternate the two tools so machine noise hits both; each
 * round gives one median per tool, and the ratio of the medians of those is printed. Goal: within 3%.
 *
 *   node bench/litert-peer.mjs [--model M.tflite] [--threads 1] [--runs 100] [--warmup 10] [--rounds 5]
 *
 * Default model: pose_landmark_lite.tflite from @mediapipe/pose (a real production model, ~10 ms on a laptop
 * core). Needs a build and the host runtime (`npx gaugenn setup`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'packages/cli/bin/run.cjs');
const { hostPython } = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const MODEL = resolve(flag('model', join(root, 'node_modules/@mediapipe/pose/pose_landmark_lite.tflite')));
const THREADS = Number(flag('threads', '1'));
const RUNS = Number(flag('runs', '100'));
const WARMUP = Number(flag('warmup', '10'));
const ROUNDS = Number(flag('rounds', '5'));
const GOAL = 0.03;

if (!existsSync(MODEL)) throw new Error(`${MODEL} not found: run npm ci (the @mediapipe packages), or pass --model`);
const litert = join(dirname(hostPython()), 'litert-benchmark');
if (!existsSync(litert)) throw new Error(`${litert} not found: run \`npx gaugenn setup\` (it installs ai-edge-litert into gaugeNN's venv)`);

const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const work = await mkdtemp(join(tmpdir(), 'gaugenn-peer-'));
const gauge = [];
const peer = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    // A fresh store per round: `gaugenn bench` never measures a finished job twice.
    const store = join(work, `r${i}.db`);
    run(process.execPath, [BIN, 'analyze', MODEL, '--store', store, '--json']);
    const b = JSON.parse(run(process.execPath, [BIN, 'bench', '--store', store, '--runs', String(RUNS), '--warmup', String(WARMUP), '--threads', String(THREADS), '--backend', 'cpu', '--json']));
    const job = b.jobs.find((j) => j.status === 'done');
    if (!job) throw new Error(`gaugenn bench measured nothing: ${JSON.stringify(b.jobs.map((j) => j.error))}`);
    gauge.push(median(job.samplesMs));
    const out = join(work, `r${i}.json`);
    run(litert, ['--model', MODEL, '--use_cpu', '--num_threads', String(THREADS), '--num_runs', String(RUNS), '--warmup_runs', String(WARMUP), '--result_json', out]);
    peer.push(JSON.parse(await readFile(out, 'utf8')).latency.median_ms);
    process.stderr.write(`round ${i + 1}/${ROUNDS}: gaugenn ${gauge.at(-1).toFixed(3)} ms, litert-benchmark ${peer.at(-1).toFixed(3)} ms\n`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
const g = median(gauge);
const p = median(peer);
const ratio = g / p;
console.log(`model: ${MODEL}`);
console.log(`threads ${THREADS}, warm-up ${WARMUP}, runs ${RUNS}, rounds ${ROUNDS} (alternating)`);
console.log(`tool              median of round medians (ms)   rounds (ms)`);
console.log(`gaugenn bench     ${g.toFixed(3).padStart(12)}                   ${gauge.map((x) => x.toFixed(3)).join(' ')}`);
console.log(`litert-benchmark  ${p.toFixed(3).padStart(12)}                   ${peer.map((x) => x.toFixed(3)).join(' ')}`);
console.log(`\nratio gaugenn / litert-benchmark: ${ratio.toFixed(3)} (goal within ${GOAL * 100}%: ${Math.abs(ratio - 1) <= GOAL ? 'met' : 'NOT met'})`);
