import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Gauge, Store, attributeEnergy, corePlugin, createHostDevice, defaultConfig, energyBetweenS, measureWithEnergy, traceFromSamples,
  type PowerTrace,
} from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('energy attribution', () => {
  it('integrates regular and irregular traces (trapezoid) and interpolates window ends', () => {
    const ramp: PowerTrace = { t0Ms: 0, rateHz: 100, powerW: Float32Array.from({ length: 1001 }, (_, i) => i / 100) }; // P = t
    expect(energyBetweenS(ramp, 0, 10)).toBeCloseTo(50, 6);
    expect(energyBetweenS(ramp, 2.005, 6.005)).toBeCloseTo((6.005 ** 2 - 2.005 ** 2) / 2, 6);
    const slow = traceFromSamples([1000, 2000, 4000], [1, 3, 3]); // host ms
    expect(energyBetweenS(slow, 0.5, 1)).toBeCloseTo(0.5 * (2 + 3) / 2, 6); // between the first two samples: 2 W → 3 W
  });

  it('baseline before the run, the timed inferences at the end of the run window, spread over sub-windows', () => {
    // 1 W idle, then 3 W while the model runs (host time 2000 → 6000 ms); the last 2000 ms are 100 timed inferences.
    const times: number[] = [];
    const pw: number[] = [];
    for (let t = 0; t <= 7000; t += 10) { times.push(t); pw.push(t >= 2000 && t <= 6000 ? 3 : 1); }
    const trace = traceFromSamples(times, pw);
    const markers = [{ label: 'baseline-start', tMs: 0 }, { label: 'run-start', tMs: 2000 }, { label: 'run-end', tMs: 6000 }];
    const a = attributeEnergy(trace, markers, { inferences: 100, timedMs: 2000, macs: 1e9 }, { windows: 4 });
    expect(a.baselineW).toBeCloseTo(1, 2);
    expect(a.windowS).toBeCloseTo(2, 9);
    expect(a.avgPowerW).toBeCloseTo(3, 2);
    expect(a.energyPerInferenceJ).toBeCloseTo((3 - 1) * 0.02, 3); // 2 W net × 20 ms (the baseline's last 10 ms ramp up)
    expect(a.efficiencyMacsPerJ! / (1e9 / 0.04)).toBeCloseTo(1, 2);
    expect(a.inferencesPerJ).toBeCloseTo(25, 0);
    expect(a.spread.windows).toBe(4);
    expect(a.spread.std).toBeLessThan(1e-3);
    expect(a.samplesInBaseline).toBeGreaterThanOrEqual(198); // 0-2000 ms at 100 Hz, less the 20 ms guard before run-start
    expect(a.samplesInBaseline).toBeLessThanOrEqual(199);
  });

  it('measureWithEnergy: idle baseline, run window and attribution from a live source; the store keeps the trace', async () => {
    // A power rail whose reading the "model" raises while it runs: 5 V × 200 mA idle, 5 V × 600 mA busy.
    const dir = mkdtempSync(join(tmpdir(), 'energy-rail-'));
    mkdirSync(join(dir, 'hwmon0'));
    writeFileSync(join(dir, 'hwmon0', 'in1_label'), 'VDD_IN\n');
    writeFileSync(join(dir, 'hwmon0', 'in1_input'), '5000\n');
    writeFileSync(join(dir, 'hwmon0', 'curr1_input'), '200\n');
    const config = { ...defaultConfig(), energy: [{ source: 'hwmon', path: dir, intervalMs: 10, baselineMs: 300 }, { source: 'nvml' }, { source: 'nope' }] };
    const gauge = new Gauge(config);
    await corePlugin.apply(gauge, {});
    const device = await createHostDevice();
    const { result, energy } = await measureWithEnergy(gauge, device, { id: 1 }, { macs: 5e8 }, async () => {
      writeFileSync(join(dir, 'hwmon0', 'curr1_input'), '600\n');
      await sleep(600);
      writeFileSync(join(dir, 'hwmon0', 'curr1_input'), '200\n');
      return { samplesMs: Array(40).fill(10), engine: 'test' };
    });
    expect(result.samplesMs).toHaveLength(40); // latency is returned whatever the energy sources did
    expect(energy.map((e) => [e.source, e.status])).toEqual([['hwmon', 'done'], ['nvml', 'failed'], ['nope', 'failed']]);
    expect(energy[1]!.error!.code).toBe('ENERGY_SOURCE_UNAVAILABLE');
    expect(energy[2]!.error!.message).toMatch(/No plugin provides the energy source "nope"/);
    const a = energy[0]!.attribution!;
    // The baseline's last reading and the run's first are interpolated across the step, so allow 15% (a loaded host
    // polls late).
    expect(Math.abs(a.baselineW - 1.0)).toBeLessThan(0.15);
    expect(Math.abs(a.avgPowerW - 3.0)).toBeLessThan(0.3);
    // Net 2 W × 10 ms per inference.
    expect(Math.abs(a.energyPerInferenceJ - 0.02) / 0.02).toBeLessThan(0.15);
    expect(a.efficiencyMacsPerJ).toBeGreaterThan(0);

    const store = new Store(':memory:');
    store.db.exec(`INSERT INTO devices VALUES ('host','host','{}','now'); INSERT INTO models (sha256, framework, bytes, files, first_path) VALUES ('m','x',1,'[]','m');
      INSERT INTO jobs (id, device_id, model_sha256, framework, backend, threads, warmup, runs, status, created_at) VALUES (1,'host','m','x','cpu',1,0,1,'done','now');`);
    store.saveEnergy(1, energy);
    const back = store.energy(1);
    expect(back.map((e) => e.status)).toEqual(['done', 'failed', 'failed']);
    expect(back[0]!.attribution!.energyPerInferenceJ).toBeCloseTo(a.energyPerInferenceJ, 12);
    // The summary row reports read.
    expect(store.db.prepare('SELECT meter, per_inference_j FROM energy WHERE job_id = 1').get()).toEqual({ meter: 'hwmon', per_inference_j: a.energyPerInferenceJ });
    const trace = store.energyTrace(1, 'hwmon')!;
    expect(trace.powerW).toEqual(energy[0]!.trace!.powerW);
    // The report can re-derive the figure from the stored trace and markers alone.
    const again = attributeEnergy(trace, back[0]!.markers, { inferences: 40, timedMs: 400, macs: 5e8 });
    expect(again.energyPerInferenceJ).toBeCloseTo(a.energyPerInferenceJ, 6);
  });
});
