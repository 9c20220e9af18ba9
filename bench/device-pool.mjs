#!/usr/bin/env node
/**
 * bench/device-pool: does a campaign on two devices really run them in parallel? A `gaugenn bench` campaign (the
 * real CLI, as a child process) on two ADB device SIMULATORS reached through a private real adb server, set side by
 * side with what the same jobs cost one after another: Σ(job time) + the cooldowns. Goal ≤ 0.6× with two devices.
 * Also gaugeNN's overhead per job over the bare runner call (the same command sent with `adb shell`).
 *
 * The phones' `benchmark_model` is a stand-in that works for `--work` seconds, then prints a real captured output
 * (../shared/fixtures/android/benchmark_model_outputs/12_*): the job time is the phone's, not the host's.
 *
 *   node bench/device-pool.mjs [--work 1.0] [--cooldown 300]
 *
 * Needs a build (`npx tsc -b packages/cli`), `adb`, and ../shared/fixtures.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const android = await import(pathToFileURL(join(root, 'packages/plugin-android/dist/index.js')).href);
const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const WORK_S = arg('work', 1.0);
const COOLDOWN = arg('cooldown', 300);
const outputs = resolve(root, '..', 'shared', 'fixtures', 'android', 'benchmark_model_outputs');
const model = join(root, 'node_modules', '@mediapipe', 'face_detection', 'face_detection_short_range.tflite');
if (!existsSync(outputs) || !existsSync(model)) {
  console.error(`missing input: ${existsSync(outputs) ? model : outputs}`);
  process.exit(2);
}
const captured = join(outputs, readdirSync(outputs).find((f) => f.startsWith('12_')));

const run = promisify(execFile);
const freePort = () => new Promise((res, rej) => {
  const s = createServer();
  s.once('error', rej);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
});
// Only asynchronous child processes: the simulators live in this process and must keep answering.
const port = await freePort();
const adb = (...a) => run('adb', ['-P', String(port), ...a], { maxBuffer: 64 << 20, timeout: 300_000 });
await adb('start-server');
const work = mkdtempSync(join(tmpdir(), 'gaugenn-bench-pool-'));
const tool = join(work, 'benchmark_model');
writeFileSync(tool, `#!/bin/sh\n# STAND-IN for benchmark_model: works ${WORK_S} s, then prints a real captured output\nsleep ${WORK_S}\ngrep -v '^# ' '${captured}'\n`, { mode: 0o755 });
const phones = [
  await android.AdbDeviceSimulator.start({ profile: 'sm8450', serial: 'POOLA' }),
  await android.AdbDeviceSimulator.start({ profile: 'sm7125', serial: 'POOLB' }),
];
for (const p of phones) await adb('connect', p.address);
const store = join(work, 'g.db');
const cfg = join(work, 'gaugenn.config.yaml');
writeFileSync(cfg, [
  `store: ${store}`,
  'devices:',
  ...phones.map((p) => `  - { kind: adb, serial: "${p.address}", server: "127.0.0.1:${port}" }`),
  'plugins:',
  '  android: { startAdbServer: false }',
  `  tflite: { android: { runner: benchmark_model, benchmarkModel: "${tool}" } }`,
  `bench: { backends: [cpu, gpu, nnapi], threads: [1, 4], warmup: 1, runs: 10, cooldownMs: ${COOLDOWN} }`,
].join('\n') + '\n');

const cli = (args) => new Promise((res, rej) => {
  const c = spawn(process.execPath, [join(root, 'packages/cli/bin/run.js'), ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  c.stdout.on('data', (d) => { out += d; });
  c.stderr.on('data', (d) => { err += d; });
  c.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`gaugenn ${args.join(' ')} exited ${code}: ${err.slice(-800)}`))));
});
await cli(['analyze', model, '--json', '--config', cfg]);
const t0 = performance.now();
const jobs = JSON.parse(await cli(['bench', '--json', '--config', cfg])).jobs;
const commandS = (performance.now() - t0) / 1000;

const ms = (j) => Date.parse(j.finishedAt) - Date.parse(j.startedAt);
const first = Math.min(...jobs.map((j) => Date.parse(j.startedAt)));
const last = Math.max(...jobs.map((j) => Date.parse(j.finishedAt)));
const wallS = (last - first) / 1000;
const perDevice = new Map();
for (const j of jobs) perDevice.set(j.device, (perDevice.get(j.device) ?? 0) + 1);
const cooldownsS = [...perDevice.values()].reduce((s, n) => s + Math.max(0, n - 1), 0) * COOLDOWN / 1000;
const sumS = jobs.reduce((s, j) => s + ms(j), 0) / 1000;
const serialS = sumS + cooldownsS;

// Bare runner calls: the same tool on the same phone, sent with `adb shell`, no gaugeNN in between.
const bare = [];
const remote = '/data/local/tmp/bare-benchmark_model';
await adb('-s', phones[0].address, 'push', tool, remote);
for (let i = 0; i < 6; i++) {
  const t = performance.now();
  await adb('-s', phones[0].address, 'shell', `sh ${remote} --graph=/data/local/tmp/m.tflite --num_threads=1`);
  bare.push(performance.now() - t);
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const jobMedian = median(jobs.map(ms));
const bareMedian = median(bare);

console.log(`\nDevice pool: ${jobs.length} jobs (${[...perDevice.values()].join(' + ')}) on two simulated phones, each job ${WORK_S} s of phone work, cooldown ${COOLDOWN} ms; load ${loadavg()[0].toFixed(1)} on ${(await import('node:os')).cpus().length} cores`);
console.log('| measure | gaugeNN campaign | one device at a time: Σ(job) + cooldowns | ratio |');
console.log('|---|---|---|---|');
console.log(`| wall time | ${wallS.toFixed(2)} s (whole command ${commandS.toFixed(2)} s) | ${serialS.toFixed(2)} s (${sumS.toFixed(2)} + ${cooldownsS.toFixed(2)}) | ${(wallS / serialS).toFixed(2)}× |`);
console.log('\nOverhead per job over the bare runner call (median)');
console.log('| gaugeNN job (claim → thermal gate → push check → run → parse → commit) | bare `adb shell` of the tool | ratio |');
console.log('|---|---|---|');
console.log(`| ${jobMedian.toFixed(0)} ms | ${bareMedian.toFixed(0)} ms | ${(jobMedian / bareMedian).toFixed(2)}× (+${(jobMedian - bareMedian).toFixed(0)} ms) |`);
console.log(`\nAll jobs done: ${jobs.every((j) => j.status === 'done')}`);

await adb('kill-server').catch(() => undefined);
for (const p of phones) await p.close();
process.exit(0);
