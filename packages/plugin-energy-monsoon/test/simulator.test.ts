import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isGaugeError } from '@gaugenn/core';
import { MonsoonSimulator, OP, findMonitor, monsoonSource } from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mean = (a: Float32Array, from: number, to: number) => { let s = 0; for (let i = from; i < to; i++) s += a[i]!; return s / (to - from); };

describe('Monsoon source against the Monsoon DEVICE SIMULATOR', () => {
  it('start → stream → stop: identifies the model, sets the voltage, streams 5 kHz calibrated samples to disk, stops the monitor', async () => {
    const traceDir = mkdtempSync(join(tmpdir(), 'monsoon-trace-'));
    // 0.1 A for the first 0.3 s of sampling, then 0.5 A.
    const sim = new MonsoonSimulator({ model: 'HVPM', currentA: (t) => (t < 0.3 ? 0.1 : 0.5) });
    const src = await monsoonSource(sim, { voltage: 4.2, maxVoltage: 4.4, traceDir });
    expect(src.status.model).toBe('HVPM');
    expect(src.status.scales.mainFine).toBe(36500);
    expect(src.status.zeroOffsets.mainFine).toBe(15);
    expect(sim.vout).toBeCloseTo(4.2, 5);
    expect(sim.log.sets).toContainEqual({ opcode: OP.setUsbPassthroughMode, value: 0 });
    const rec = await src.start();
    expect(sim.isSampling).toBe(true);
    rec.mark('run-start');
    await sleep(700);
    rec.mark('run-end');
    const trace = await rec.stop();
    expect(sim.isSampling).toBe(false);
    expect(sim.log.stops).toBe(1);
    expect(trace.rateHz).toBe(5000);
    // ~0.7 s at 5 kHz (the host may fall behind a little: the device then reports drops and the decoder fills them).
    expect(trace.powerW.length).toBeGreaterThan(0.5 * 5000);
    expect(trace.powerW.length).toBeLessThan(1.0 * 5000);
    expect(mean(trace.powerW, 100, 1000)).toBeCloseTo(0.1 * 4.2, 2);
    expect(mean(trace.powerW, 2000, trace.powerW.length)).toBeCloseTo(0.5 * 4.2, 2);
    const files = readdirSync(traceDir);
    const f32 = files.find((f) => f.endsWith('.f32'))!;
    expect(statSync(join(traceDir, f32)).size).toBe(trace.powerW.length * 5 * 4);
    const meta = JSON.parse(readFileSync(join(traceDir, `${f32}.json`), 'utf8'));
    expect(meta.rateHz).toBe(5000);
    expect(meta.columns).toEqual(['main_a', 'usb_a', 'aux_a', 'main_v', 'usb_v']);
    await src.close!();
  });

  it('an LVPM is told apart by the HardwareModel opcode and decoded with its own scales', async () => {
    const sim = new MonsoonSimulator({ model: 'LVPM', currentA: () => 0.3 });
    const src = await monsoonSource(sim, { voltage: 3.8 });
    expect(src.status.model).toBe('LVPM');
    const rec = await src.start();
    await sleep(300);
    const t = await rec.stop();
    expect(mean(t.powerW, 10, t.powerW.length)).toBeCloseTo(0.3 * 3.8, 2);
    await src.close!();
  });

  it('never sets a voltage above the configured maximum', async () => {
    const sim = new MonsoonSimulator();
    const err = await monsoonSource(sim, { voltage: 5.0, maxVoltage: 4.4 }).catch((e) => e);
    expect(isGaugeError(err, 'ENERGY_SOURCE_UNAVAILABLE')).toBe(true);
    expect(err.message).toMatch(/above the configured maximum 4\.4 V/);
    expect(sim.vout).toBe(0);
    expect(sim.log.sets.some((s) => s.opcode === OP.setMainVoltage)).toBe(false);
  });

  it('an unplug mid-window ends the recording with ENERGY_SOURCE_LOST', async () => {
    const sim = new MonsoonSimulator({ unplugAfterMs: 250 });
    const src = await monsoonSource(sim, { voltage: 4.0 });
    const rec = await src.start();
    await sleep(600);
    const err = await rec.stop().catch((e) => e);
    expect(isGaugeError(err, 'ENERGY_SOURCE_LOST')).toBe(true);
    expect(err.message).toMatch(/NO_DEVICE/);
  });

  it('with no monitor attached, finding one fails saying what to check', async () => {
    const err = await findMonitor().catch((e) => e);
    expect(isGaugeError(err, 'ENERGY_SOURCE_UNAVAILABLE')).toBe(true);
    expect(err.message).toMatch(/No Monsoon power monitor/);
    expect(err.message).toMatch(/switched on/);
    expect(err.message).toMatch(/udev rule/);
  });

  it('SIGINT while sampling stops the monitor cleanly before the process ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monsoon-sigint-'));
    const dist = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js')).href;
    const script = join(dir, 'child.mjs');
    writeFileSync(script, `
      import { MonsoonSimulator, monsoonSource } from ${JSON.stringify(dist)};
      const sim = new MonsoonSimulator();
      const src = await monsoonSource(sim, { voltage: 4.0, traceDir: ${JSON.stringify(dir)} });
      await src.start();
      console.log('sampling');
      setInterval(() => {}, 1000);
    `);
    const child = execa(process.execPath, [script], { reject: false });
    await new Promise<void>((r) => child.stdout!.on('data', (d) => { if (String(d).includes('sampling')) r(); }));
    await sleep(300);
    child.kill('SIGINT');
    const res = await child;
    expect(res.signal).toBe('SIGINT');
    // The sidecar is written after the stop command went out and the stream was flushed.
    const side = readdirSync(dir).find((f) => f.endsWith('.f32.json'));
    expect(side, readdirSync(dir).join(', ')).toBeDefined();
    const meta = JSON.parse(readFileSync(join(dir, side!), 'utf8'));
    expect(existsSync(join(dir, side!.replace(/\.json$/, '')))).toBe(true);
    expect(meta.rateHz).toBe(5000);
  });
});
