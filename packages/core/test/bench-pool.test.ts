/**
 * The measurement protocol across a device pool, with devices and a runner defined by a test plugin (the plugin API
 * is the contract under test; the devices are stand-ins, not our code). Real SQLite store, real timers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Gauge } from '../src/gauge.js';
import { defaultConfig } from '../src/config/defaults.js';
import { GaugeError } from '../src/errors/gauge-error.js';
import { HostTransport } from '../src/device/host-device.js';
import { Store } from '../src/store/store.js';
import { benchJSON, planBench, runBench } from '../src/pipeline/bench.js';
import type { Device, RunRequest, RunResult, Runner } from '../src/device/types.js';
import type { GaugeConfig } from '../src/config/schema.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'gaugenn-pool-'));

/** A stand-in device whose state a test changes while the campaign runs. */
interface StandIn extends Device {
  tempC?: number;
  batteryPct?: number;
  /** Jobs to fail with DEVICE_LOST (by call count) before the device "returns". */
  loseOnCall?: number;
  calls: number;
  windows: { start: number; end: number }[];
}

function standIn(id: string, over: Partial<StandIn> = {}): StandIn {
  const d: StandIn = {
    id, kind: 'pooltest', calls: 0, windows: [],
    info: { cpu: { cores: 8, maxFreqsMHz: [1800, 1800, 1800, 1800, 2400, 2400, 2400, 3000], clusters: [{ cores: [0, 1, 2, 3], maxFreqMHz: 1800 }, { cores: [4, 5, 6], maxFreqMHz: 2400 }, { cores: [7], maxFreqMHz: 3000 }] }, os: 'Android 14', abi: 'arm64-v8a' },
    transport: new HostTransport(),
    temperature: async () => d.tempC,
    battery: async () => (d.batteryPct === undefined ? undefined : { levelPct: d.batteryPct, tempC: 30, usbPowered: true }),
    cpuState: async () => ({ governors: ['schedutil'], curFreqsMHz: [1800] }),
    waitForReturn: async () => true,
    ...over,
  };
  return d;
}

/** A runner of the test framework: sleeps `ms` per job and reports samples, or aggregates on the `agg` backend. */
function sleepRunner(ms: number, seen: RunRequest[]): Runner {
  return {
    framework: 'toyfw',
    backends: () => ['cpu', 'gpu', 'agg'],
    async run(device, req): Promise<RunResult> {
      const d = device as StandIn;
      d.calls++;
      seen.push(req);
      const start = Date.now();
      await new Promise((r) => setTimeout(r, ms));
      if (d.loseOnCall === d.calls) throw new GaugeError('DEVICE_LOST', `${d.id} vanished mid-command`);
      d.windows.push({ start, end: Date.now() });
      if (req.backend === 'agg') return { samplesMs: [], engine: 'toy tool', aggregate: { count: 50, mean: 2, std: 0.1, min: 1.8, max: 2.4, median: null, p5: null, p95: null } };
      if (req.backend === 'gpu') return { samplesMs: [5, 6, 7], engine: 'toy', delegation: { delegate: 'ToyGpu', applied: true, nodesDelegated: 29, nodesTotal: 65, partitions: 3 } };
      return { samplesMs: [1, 2, 3], warmupMs: [9], engine: 'toy' };
    },
  };
}

async function setup(devices: StandIn[], bench: Partial<GaugeConfig['bench']>, runMs = 150) {
  const dir = tmp();
  const config = defaultConfig();
  config.store = join(dir, 'g.db');
  config.devices = devices.map((d) => ({ kind: 'pooltest', id: d.id }));
  Object.assign(config.bench, bench);
  const gauge = new Gauge(config);
  const seen: RunRequest[] = [];
  gauge.hooks.device.for('pooltest').tapPromise('pooltest', async (spec) => devices.find((d) => d.id === spec.id));
  gauge.hooks.deploy.for('toyfw').tapPromise('pooltest', async () => sleepRunner(runMs, seen));
  const store = new Store(config.store);
  const model = join(dir, 'm.toy');
  writeFileSync(model, 'toy');
  for (const sha of ['aaa', 'bbb']) {
    store.ensureModel({ sha256: sha, framework: 'toyfw', bytes: 3, files: [{ path: model, sha256: sha, bytes: 3 }], path: `${sha}.toy` });
    store.db.prepare('UPDATE models SET analysed_at = ? WHERE sha256 = ?').run(new Date().toISOString(), sha);
  }
  return { gauge, store, seen };
}

describe('bench across a device pool', () => {
  it('measures two devices in parallel, one job at a time each, with cooldowns, pinning and backend truth', async () => {
    const a = standIn('phone-a');
    const b = standIn('phone-b');
    const { gauge, store, seen } = await setup([a, b], { backends: ['cpu', 'gpu'], threads: [1, 4], cooldownMs: 50, pinBigCluster: true });
    const plan = await planBench(gauge, store);
    expect(plan.pending).toHaveLength(2 * 2 * 2 * 2);
    const t0 = Date.now();
    await runBench(gauge, store, plan);
    const wall = Date.now() - t0;
    const jobs = benchJSON(store).jobs;
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    // One job at a time per device: its windows never overlap.
    for (const d of [a, b]) {
      const w = [...d.windows].sort((x, y) => x.start - y.start);
      for (let i = 1; i < w.length; i++) expect(w[i]!.start).toBeGreaterThanOrEqual(w[i - 1]!.end);
    }
    // The two devices ran at the same time: some window of A overlaps some window of B.
    expect(a.windows.some((x) => b.windows.some((y) => x.start < y.end && y.start < x.end))).toBe(true);
    // Serial time would be 16 × 150 ms + cooldowns; parallel must be well under it.
    expect(wall).toBeLessThan(0.8 * (16 * 150 + 14 * 50));
    // Pinned to the big cluster (core 7 → mask 80).
    expect(seen.every((r) => r.cpuMask === '80')).toBe(true);
    const gpu = jobs.find((j) => j.backend === 'gpu')!;
    expect(gpu.delegation).toMatchObject({ delegate: 'ToyGpu', nodesDelegated: 29, nodesTotal: 65 });
    expect(gpu.warnings).toEqual([expect.objectContaining({ code: 'DELEGATE_PARTIAL', message: expect.stringContaining('29 of 65') })]);
    const cpu = jobs.find((j) => j.backend === 'cpu')!;
    expect(cpu).toMatchObject({ campaign: 'default', attempts: 1, samplesKind: 'all', stats: { count: 3, mean: 2, min: 1, max: 3, median: 2 } });
    expect(cpu.hygiene).toMatchObject({ cpuMask: '80', before: { governors: ['schedutil'] } });
    expect(Date.parse(cpu.startedAt!)).toBeLessThanOrEqual(Date.parse(cpu.finishedAt!));
    store.close();
  });

  it('a lost device ends the attempt, not the job: the job runs again when the device returns, and attempts shows it', async () => {
    const a = standIn('phone-a', { loseOnCall: 1 });
    const b = standIn('phone-b');
    const { gauge, store } = await setup([a, b], { backends: ['cpu'], threads: [1] });
    await runBench(gauge, store, await planBench(gauge, store));
    const jobs = benchJSON(store).jobs;
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    const retried = jobs.filter((j) => j.attempts === 2);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.device).toBe('phone-a');
    expect(retried[0]!.attemptLog).toMatchObject([{ attempt: 1, error: { code: 'DEVICE_LOST' } }]);
    expect(jobs.filter((j) => j.device === 'phone-b').every((j) => j.attempts === 1)).toBe(true);
    store.close();
  });

  it('a device that does not return leaves its jobs pending for the next bench while the other device finishes', async () => {
    const a = standIn('phone-a', { loseOnCall: 1, waitForReturn: async () => false });
    const b = standIn('phone-b');
    const { gauge, store } = await setup([a, b], { backends: ['cpu'], threads: [1], deviceWaitMs: 10 });
    await runBench(gauge, store, await planBench(gauge, store));
    expect(store.jobs({ deviceId: 'phone-a' }).map((j) => j.status)).toEqual(['pending', 'pending']);
    expect(store.jobs({ deviceId: 'phone-b' }).map((j) => j.status)).toEqual(['done', 'done']);
    // The next bench (device back) finishes them, counting the earlier attempt.
    a.waitForReturn = async () => true;
    a.loseOnCall = undefined;
    await runBench(gauge, store, await planBench(gauge, store));
    expect(store.jobs({ deviceId: 'phone-a' }).map((j) => [j.status, j.attempts])).toEqual([['done', 2], ['done', 1]]);
    store.close();
  });

  it('a hot device waits at the thermal gate and the wait is stored; a drained one is skipped with BATTERY_LOW', async () => {
    const hot = standIn('hot', { tempC: 80 });
    const flat = standIn('flat', { batteryPct: 5 });
    const { gauge, store } = await setup([hot, flat], { backends: ['cpu'], threads: [1], thermalThresholdC: 60, thermalMaxWaitMs: 5000, batteryFloorPct: 20, batteryWaitMs: 300 });
    setTimeout(() => { hot.tempC = 45; }, 700);
    await runBench(gauge, store, await planBench(gauge, store));
    const first = store.jobs({ deviceId: 'hot' })[0]!;
    expect(first.status).toBe('done');
    expect(first.thermalWaitMs).toBeGreaterThanOrEqual(600);
    expect(first.tempBeforeC).toBe(45);
    const skipped = store.jobs({ deviceId: 'flat' });
    expect(skipped.every((j) => j.status === 'failed' && j.error?.code === 'BATTERY_LOW')).toBe(true);
    expect(skipped[0]!.error!.message).toMatch(/5%.*batteryFloorPct 20%/);
    store.close();
  });

  it('keeps an aggregate job as an aggregate, and a second campaign name measures again', async () => {
    const a = standIn('phone-a');
    const { gauge, store } = await setup([a], { backends: ['agg'], threads: [1] }, 10);
    await runBench(gauge, store, await planBench(gauge, store));
    let j = benchJSON(store).jobs[0]!;
    expect(j).toMatchObject({ samplesKind: 'aggregate', samplesMs: [], stats: { count: 50, mean: 2, median: null, p95: null } });
    expect((await planBench(gauge, store)).added).toBe(0);
    const again = await planBench(gauge, store, { campaign: 'replicate' });
    expect(again.added).toBe(2);
    await runBench(gauge, store, again);
    expect(benchJSON(store, undefined, 'replicate').jobs.map((x) => x.status)).toEqual(['done', 'done']);
    j = benchJSON(store, undefined, 'default').jobs[0]!;
    expect(j.campaign).toBe('default');
    store.close();
  });

  it('unplugged mode: runs the job detached, cuts and restores power with the configured commands, then collects', async () => {
    const dir = tmp();
    const log = join(dir, 'power.log');
    const a = standIn('phone-a');
    const { gauge, store } = await setup([a], {
      backends: ['cpu'], threads: [1],
      unplugged: { powerOff: `echo off >> ${log}`, powerOn: `echo on >> ${log}`, windowMs: 300 },
    });
    let returned = 0;
    a.waitForReturn = async () => { returned++; return true; };
    // A runner that offers prepare(): one command that measures the whole job and prints one JSON document.
    gauge.hooks.deploy.for('toyfw').tapPromise({ name: 'detached', stage: -1 }, async () => ({
      framework: 'toyfw',
      backends: () => ['cpu'],
      run: async () => { throw new Error('attached run must not be used in unplugged mode'); },
      prepare: async () => ({
        command: 'sh',
        args: ['-c', 'sleep 0.2; echo \'{"samplesMs":[4,5,6]}\'; echo "$TOY_ENV" >&2'],
        env: { TOY_ENV: 'from-env' },
        parse: ({ exitCode, stdout }) => {
          if (exitCode !== 0) throw new GaugeError('RUNNER_FAILED', `exit ${exitCode}`);
          const line = stdout.split('\n').find((l) => l.startsWith('{'))!;
          return { ...JSON.parse(line), engine: 'toy detached', extra: { combined: stdout } };
        },
      }),
    }));
    await runBench(gauge, store, await planBench(gauge, store));
    const jobs = benchJSON(store).jobs;
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
    expect(jobs[0]!.samplesMs).toEqual([4, 5, 6]);
    expect(jobs[0]!.engine).toBe('toy detached');
    expect(jobs[0]!.hygiene).toMatchObject({ unplugged: true });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['off', 'on', 'off', 'on']);
    expect(returned).toBe(2);
    const extra = store.job(jobs[0]!.id)!.extra as { combined: string; unplugged: { windowMs: number } };
    expect(extra.combined).toContain('from-env');
    expect(extra.unplugged.windowMs).toBe(300);
    store.close();
  });
});
