/**
 * Campaigns on two phones at once, end to end through `gaugenn bench`: two ADB device SIMULATORS reached through
 * the REAL adb server (a private one for this file), plugin-android's adbkit devices, and both TFLite Android
 * runners. The phones' `app_process` is the stand-in of gaugeNN's Java runner over the real LiteRT runtime (real
 * samples); `benchmark_model` is a stand-in that prints real captured output (fixtures). Neither is a phone: what
 * this shows is the protocol (parallel devices, backend truth, lost devices, the thermal gate), not phone latency.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbDeviceSimulator } from '@gaugenn/plugin-android';
import { startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { appProcessStandin } from '../../plugin-tflite/test/support/android-standins.js';
import { ANDROID_RUNNER_DIST } from '@gaugenn/plugin-tflite';
import { gaugenn, spawnGaugenn } from './cli.js';

const MODEL = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');
const OUT = (n: string) => fixture(`android/benchmark_model_outputs/${n}`);
const F08 = OUT('08_apk_logcat_nnapi_silent_fallback_not_executed_tf_issue56301.txt');
const F12 = OUT('12_cli_2021_taskset_big_cores_cpu_gist_rexhaif.txt');
const F16 = OUT('16_app_log_xnnpack_then_gpu_partitioning_discuss_ai_google_dev.txt');
const skip = missing(MODEL, F08, F12, F16) ?? (!existsSync(join(ANDROID_RUNNER_DIST, 'manifest.json')) ? `the Android runner is not built: run \`npm run build:android-runner\` (${ANDROID_RUNNER_DIST})` : undefined);

/** Real lines of a fixture, without its `# source` header lines. */
const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter((l) => !l.startsWith('# '));

const work = mkdtempSync(join(tmpdir(), 'gaugenn-adb-campaign-'));
let server: PrivateAdbServer;
let a: AdbDeviceSimulator;
let b: AdbDeviceSimulator;
let store: string;

/**
 * The runtime lines each backend's delegate prints on these simulated phones, from real captures: GPU takes 29 of
 * 65 nodes in 3 partitions (fixture 16); NNAPI is created and takes nothing (fixture 08's runtime line).
 */
function writeDelegateLogs(): { gpu: string; nnapi: string } {
  const gpu = join(work, 'gpu.log');
  const nnapi = join(work, 'nnapi.log');
  writeFileSync(gpu, lines(F16).filter((l) => /Replacing|Created|Initialized/.test(l)).join('\n'));
  writeFileSync(nnapi, 'Created TensorFlow Lite delegate for NNAPI.\n');
  return { gpu, nnapi };
}

/** The phone's app_process: picks the delegate log by the runner's --backend, then runs the runner stand-in. */
function appProcessByBackend(logs: { gpu: string; nnapi: string }): string {
  return `#!/bin/sh
# STAND-IN for app_process: the runtime lines a phone's delegate would print, by backend (real captured lines)
prev=""
for x in "$@"; do
  if [ "$prev" = "--backend" ]; then
    case "$x" in gpu) export STANDIN_DELEGATE_LOG='${logs.gpu}';; nnapi) export STANDIN_DELEGATE_LOG='${logs.nnapi}';; esac
  fi
  prev="$x"
done
exec app_process.standin "$@"
`;
}

/**
 * A benchmark_model STAND-IN: prints real captured output chosen by its flags. CPU: fixture 12 as captured.
 * GPU: fixture 16's partitioning lines (XNNPACK, then GPU 29 of 65), then fixture 12's timing block. NNAPI: fixture
 * 08's lines ("Though NNAPI delegate is explicitly applied…"), then the same timing block.
 */
function benchmarkModelStandin(): string {
  const timing = lines(F12).filter((l) => /count=|Inference timings|Running benchmark|Initialized session/.test(l));
  const out = (name: string, body: string[]) => { const p = join(work, name); writeFileSync(p, `${body.join('\n')}\n`); return p; };
  const cpu = out('bm-cpu.txt', lines(F12));
  const gpu = out('bm-gpu.txt', ['STARTING!', ...lines(F16), ...timing]);
  const nnapi = out('bm-nnapi.txt', ['STARTING!', ...lines(F08), ...timing]);
  const p = join(work, 'benchmark_model');
  writeFileSync(p, `#!/bin/sh
# STAND-IN for TFLite's benchmark_model: prints real captured output chosen by its flags
case "$*" in *--use_gpu=true*) cat '${gpu}';; *--use_nnapi=true*) cat '${nnapi}';; *) cat '${cpu}';; esac
`, { mode: 0o755 });
  return p;
}

function config(name: string, extra: string[]): string {
  const p = join(work, name);
  writeFileSync(p, [
    `store: ${store}`,
    'devices:',
    `  - { kind: adb, serial: "${a.address}", server: "${server.address}" }`,
    `  - { kind: adb, serial: "${b.address}", server: "${server.address}" }`,
    'plugins:',
    '  android: { startAdbServer: false }',
    ...extra,
  ].join('\n') + '\n');
  return p;
}

const jobsOf = (stdout: string) => JSON.parse(stdout).jobs as any[];
/** Device ids are `serial@server` for devices on a named adb server. */
const onPhone = (j: any, p: AdbDeviceSimulator) => j.device === p.address || j.device.startsWith(`${p.address}@`);
const overlap = (x: any, y: any) => Date.parse(x.startedAt) < Date.parse(y.finishedAt) && Date.parse(y.startedAt) < Date.parse(x.finishedAt);

beforeAll(async () => {
  if (skip) return;
  store = join(work, 'g.db');
  server = await startAdbServer();
  a = await AdbDeviceSimulator.start({ profile: 'sm8450', serial: 'SIMPHONEA' });
  b = await AdbDeviceSimulator.start({ profile: 'sm7125', serial: 'SIMPHONEB' });
  const logs = writeDelegateLogs();
  for (const p of [a, b]) {
    p.installTool('app_process.standin', appProcessStandin());
    p.installTool('/system/bin/app_process', appProcessByBackend(logs));
    await server.connect(p);
  }
  const r = await gaugenn(['analyze', MODEL, '--json', '--store', store], { cwd: work });
  if (r.exitCode !== 0) throw new Error(r.stderr);
}, 300_000);

afterAll(async () => {
  await server?.kill();
  await a?.close();
  await b?.close();
});

describe('gaugenn bench on two simulated phones through the real adb server', () => {
  it.skipIf(skip)("one campaign per runner on both phones at once: cpu/gpu/nnapi × threads 1 and 4, jobs overlapping across phones, partial and silent fallback as warnings", async () => {
    // gaugeNN's own runner: every sample.
    const own = config('own.yaml', ['bench: { backends: [cpu, gpu, nnapi], threads: [1, 4], warmup: 2, runs: 8, cooldownMs: 100 }']);
    const r = await gaugenn(['bench', '--json', '--config', own, '--campaign', 'own-runner'], { cwd: work });
    expect(r.exitCode, r.stderr).toBe(0);
    const jobs = jobsOf(r.stdout);
    expect(jobs).toHaveLength(2 * 3 * 2);
    expect(jobs.every((j) => j.status === 'done' && j.campaign === 'own-runner' && j.samplesKind === 'all' && j.samplesMs.length === 8)).toBe(true);
    expect(jobs.filter((j) => onPhone(j, a))).toHaveLength(6);
    expect(jobs.filter((j) => onPhone(j, b))).toHaveLength(6);
    // The phones ran at the same time: some job of A overlaps some job of B.
    const onA = jobs.filter((j) => onPhone(j, a));
    const onB = jobs.filter((j) => onPhone(j, b));
    expect(onA.some((x) => onB.some((y) => overlap(x, y)))).toBe(true);
    // …and one job at a time on each.
    for (const list of [onA, onB]) for (const x of list) for (const y of list) if (x !== y) expect(overlap(x, y)).toBe(false);
    for (const j of jobs.filter((x) => x.backend === 'gpu')) {
      expect(j.delegation).toMatchObject({ applied: true, nodesDelegated: 29, nodesTotal: 65, partitions: 3 });
      expect(j.warnings).toEqual([expect.objectContaining({ code: 'DELEGATE_PARTIAL', message: expect.stringMatching(/29 of 65/) })]);
    }
    for (const j of jobs.filter((x) => x.backend === 'nnapi')) {
      expect(j.delegation).toMatchObject({ applied: false, nodesDelegated: 0 });
      expect(j.warnings.map((w: any) => w.code)).toEqual(['DELEGATE_NOT_APPLIED']);
    }
    expect(jobs.filter((x) => x.backend === 'cpu').every((j) => j.delegation === null && j.warnings.length === 0)).toBe(true);

    // TFLite's benchmark_model in a second campaign: aggregates only, stored as aggregates.
    const bm = config('bm.yaml', [
      `  tflite: { android: { runner: benchmark_model, benchmarkModel: "${benchmarkModelStandin()}" } }`,
      'bench: { backends: [cpu, gpu, nnapi], threads: [1, 4], warmup: 1, runs: 50 }',
    ]);
    const r2 = await gaugenn(['bench', '--json', '--config', bm, '--campaign', 'benchmark-model'], { cwd: work });
    expect(r2.exitCode, r2.stderr).toBe(0);
    const agg = jobsOf(r2.stdout);
    expect(agg).toHaveLength(12);
    expect(agg.every((j) => j.status === 'done' && j.samplesKind === 'aggregate' && j.samplesMs.length === 0)).toBe(true);
    // Fixture 12's regular runs, as printed: count and mean (µs in the file, ms here); never samples.
    expect(agg[0].stats.count).toBeGreaterThan(1);
    expect(agg[0].stats.mean).toBeGreaterThan(0);
    const gpu = agg.filter((j) => j.backend === 'gpu');
    expect(gpu.every((j) => j.warnings.some((w: any) => w.code === 'DELEGATE_PARTIAL' && /29 of 65/.test(w.message)))).toBe(true);
    const nnapi = agg.filter((j) => j.backend === 'nnapi');
    expect(nnapi.every((j) => j.warnings.some((w: any) => w.code === 'DELEGATE_NOT_APPLIED') && j.delegation.verdict.startsWith('Though NNAPI'))).toBe(true);
    // Both campaigns are in the store, twelve jobs each; rerunning one measures nothing.
    const again = await gaugenn(['bench', '--json', '--config', own, '--campaign', 'own-runner'], { cwd: work });
    expect(jobsOf(again.stdout).map((j) => j.finishedAt)).toEqual(jobs.map((j) => j.finishedAt));
  });

  it.skipIf(skip)('a phone unplugged mid-job loses that attempt (DEVICE_LOST) while the other goes on; replugged, the job completes with attempts 2', async () => {
    const cfg = config('lost.yaml', ['bench: { backends: [cpu], threads: [1, 2], warmup: 0, runs: 600, deviceWaitMs: 60000 }']);
    const child = spawnGaugenn(['bench', '--json', '--config', cfg, '--campaign', 'unplug'], work);
    // Wait until phone A is running a job, then pull its cable.
    const db = () => new Database(store, { readonly: true, fileMustExist: true });
    let running: { id: number } | undefined;
    for (let t = 0; t < 600 && !running; t++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(store)) continue;
      const d = db();
      running = d.prepare("SELECT id FROM jobs WHERE campaign='unplug' AND (device_id=? OR device_id LIKE ?) AND status='running'").get(a.address, `${a.address}@%`) as { id: number } | undefined;
      d.close();
    }
    expect(running).toBeDefined();
    await new Promise((r) => setTimeout(r, 500));
    await a.unplug();
    await new Promise((r) => setTimeout(r, 2000));
    await a.replug();
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const jobs = jobsOf(String(r.stdout));
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    const retried = jobs.find((j) => j.id === running!.id)!;
    expect(retried.attempts).toBe(2);
    expect(retried.attemptLog).toEqual([expect.objectContaining({ attempt: 1, error: expect.objectContaining({ code: 'DEVICE_LOST' }) })]);
    expect(jobs.filter((j) => onPhone(j, b)).every((j) => j.attempts === 1)).toBe(true);
  });

  it.skipIf(skip)('a hot phone waits at the thermal gate and the wait is in the store', async () => {
    a.heat('all', 82);
    const cfg = config('hot.yaml', ['bench: { backends: [cpu], threads: [1], warmup: 0, runs: 3, thermalThresholdC: 60, thermalMaxWaitMs: 60000 }']);
    const child = spawnGaugenn(['bench', '--json', '--config', cfg, '--campaign', 'hot'], work);
    // Once phone A's job is claimed it sits at the gate; let it wait 2.5 s, then let the phone cool.
    for (let t = 0; t < 600; t++) {
      await new Promise((r) => setTimeout(r, 100));
      const d = new Database(store, { readonly: true });
      const n = d.prepare("SELECT COUNT(*) AS n FROM jobs WHERE campaign='hot' AND device_id LIKE ? AND status='running'").get(`${a.address}%`) as { n: number };
      d.close();
      if (n.n) break;
    }
    await new Promise((r) => setTimeout(r, 2500));
    a.cool('all');
    const r = await child;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const jobs = jobsOf(String(r.stdout));
    const j = jobs.find((x) => onPhone(x, a))!;
    expect(j.status).toBe('done');
    expect(j.thermalWaitMs).toBeGreaterThanOrEqual(2000);
    expect(j.tempBeforeC).toBeLessThan(60);
    const cool = jobs.find((x) => onPhone(x, b))!;
    expect(cool.thermalWaitMs).toBeLessThan(2000);
    const d = new Database(store, { readonly: true });
    expect((d.prepare('SELECT thermal_wait_ms AS w FROM jobs WHERE id = ?').get(j.id) as { w: number }).w).toBe(j.thermalWaitMs);
    d.close();
  });
});
