#!/usr/bin/env node
/**
 * bench/android-tflite-runner: gaugeNN's overhead per job with its Android TFLite runners, over the bare runner
 * call, side by side. Both sides run on the ADB device SIMULATOR (plugin-android) through the real adb server:
 *
 * - gaugeNN: `runner.run(device, request)` through plugin-android's adbkit device, i.e. what a job costs: the
 *   runner-folder check, the model's cached push (one stat), the marked shell with its exit code, logcat, parsing.
 * - baseline: the same prepared command sent bare with `adb -P PORT -s SERIAL shell '<line>'`, output dropped.
 *
 * The phone's `app_process` is the test stand-in over LiteRT (packages/plugin-tflite/test/support/standins), so
 * inferences are real; `benchmark_model` is a stand-in printing a real captured output. Jobs alternate sides.
 *
 *   node bench/android-tflite-runner.mjs [--jobs 10] [--runs 10]
 *
 * Needs a build (`npx tsc -b packages/cli`), the runner (`npm run build:android-runner`), `adb`, gaugeNN's venv
 * with LiteRT (`npx gaugenn setup`) and ../shared/fixtures (tflite model, benchmark_model outputs).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const load = (p) => import(pathToFileURL(join(root, p)).href);
const core = await load('packages/core/dist/index.js');
const androidMod = await load('packages/plugin-android/dist/index.js');
const tfliteMod = await load('packages/plugin-tflite/dist/index.js');

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const JOBS = Number(flag('jobs', '10'));
const RUNS = Number(flag('runs', '10'));
const fixtures = resolve(root, '..', 'shared', 'fixtures');
const model = join(fixtures, 'tflite', 'mobilenet_v1_0.25_128_quant.tflite');
const outputs = join(fixtures, 'android', 'benchmark_model_outputs');

const run = promisify(execFile);
const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

const port = await freePort();
// Asynchronous adb calls only: the simulator lives in this process and must keep answering.
const adb = (...a) => run('adb', ['-P', String(port), ...a], { maxBuffer: 64 << 20, timeout: 300_000 });
await adb('start-server');
const work = mkdtempSync(join(tmpdir(), 'gaugenn-bench-android-'));
const phone = await androidMod.AdbDeviceSimulator.start({
  profile: 'sm8450',
  env: { ...core.runnerEnv(), STANDIN_TFLITE_RUNNER_DIR: join(root, 'packages/plugin-tflite/runner') },
});
phone.installTool(
  '/system/bin/app_process',
  `#!/bin/sh\n# STAND-IN for app_process (gaugeNN bench)\nexec "${core.hostPython()}" "${join(root, 'packages/plugin-tflite/test/support/standins/app_process.py')}" "$@"\n`,
);
// benchmark_model stand-in: prints fixture 12 (a 2021 CPU run) as a phone's tool would.
const captured = readFileSync(join(outputs, readdirSync(outputs).find((f) => f.startsWith('12_'))), 'utf8').split('\n').filter((l) => !l.startsWith('# ')).join('\n');
writeFileSync(join(work, 'out.txt'), captured);
const bm = join(work, 'benchmark_model');
writeFileSync(bm, `#!/bin/sh\n# STAND-IN for benchmark_model\ncat "${join(work, 'out.txt')}"\n`, { mode: 0o755 });

try {
  await adb('connect', phone.address);
  const gauge = new core.Gauge(core.defaultConfig());
  await androidMod.default.apply(gauge, { startAdbServer: false });
  await tfliteMod.default.apply(gauge, {});
  const [device] = await gauge.devices({ kind: 'adb', server: `127.0.0.1:${port}`, serial: phone.address });
  const request = { modelFiles: [{ path: model }], backend: 'cpu', threads: 1, warmup: 1, runs: RUNS, timeoutMs: 300_000 };
  const sides = [
    ['gaugenn runner (app_process)', new tfliteMod.AndroidTfliteRunner()],
    ['benchmark_model', new tfliteMod.BenchmarkModelRunner({ binary: bm })],
  ];
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`jobs per side: ${JOBS}, ${RUNS} timed runs + 1 warm-up per job, model ${model.split('/').pop()}, simulated sm8450 via adb -P ${port}, load average ${loadavg()[0].toFixed(1)}\n`);
  console.log(['runner', 'bare adb shell: median (min) ms', 'gaugeNN run(): median (min) ms', 'overhead of medians (ms)', 'ratio'].join(' | '));
  for (const [name, runner] of sides) {
    await runner.run(device, request); // deploy once: pushes are not per-job costs
    const inv = await runner.prepare(device, request);
    const line = androidMod.commandLine(inv.command, inv.args);
    const bare = [];
    const full = [];
    for (let i = 0; i < JOBS; i++) {
      let t0 = performance.now();
      await adb('-s', phone.address, 'shell', line);
      bare.push(performance.now() - t0);
      t0 = performance.now();
      await runner.run(device, request);
      full.push(performance.now() - t0);
    }
    const b = median(bare);
    const f = median(full);
    const min = (xs) => Math.min(...xs).toFixed(1);
    console.log([name, `${b.toFixed(1)} (${min(bare)})`, `${f.toFixed(1)} (${min(full)})`, (f - b).toFixed(1), `${(f / b).toFixed(2)}×`].join(' | '));
  }
  await gauge.release?.();
} finally {
  await adb('kill-server').catch(() => {});
  await phone.close();
}
