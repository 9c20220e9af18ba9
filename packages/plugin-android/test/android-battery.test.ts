import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Gauge, HostTransport, createHostDevice, defaultConfig, measureWithEnergy, type Device, type Transport } from '@gaugenn/core';
import androidPlugin, { detectFuelGaugeScale } from '../src/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const host = new HostTransport();

/**
 * A plain Device (kind adb) whose transport runs commands on this machine with device paths mapped into a temp
 * folder: a stand-in for a phone's /sys/class/power_supply, not a simulator of adb.
 */
function tempDirDevice(root: string): Device {
  const map = (p: string) => (p.startsWith('/') ? join(root, p) : p);
  const transport: Transport = {
    push: async () => {}, pull: async () => {}, workDir: async () => root,
    readFile: (p) => host.readFile(map(p)),
    exec: (c, args, o) => host.exec(c, args.map(map), o),
  };
  return { id: 'phone-standin', kind: 'adb', info: { cpu: { cores: 8 }, os: 'Android 14', abi: 'arm64-v8a' }, transport, temperature: async () => 30 };
}

function battery(root: string, currentNow: number, voltageNow: number, name = 'battery'): string {
  const dir = join(root, 'sys/class/power_supply', name);
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(root, 'sys/class/power_supply/usb'), { recursive: true });
  writeFileSync(join(root, 'sys/class/power_supply/usb/type'), 'USB\n');
  writeFileSync(join(dir, 'type'), 'Battery\n');
  writeFileSync(join(dir, 'current_now'), `${currentNow}\n`);
  writeFileSync(join(dir, 'voltage_now'), `${voltageNow}\n`);
  return dir;
}

describe('fuel gauge units and sign', () => {
  it('detects µA vs mA and either sign of discharge, and µV vs mV', () => {
    // Kernel ABI: µA, negative while discharging; µV.
    expect(detectFuelGaugeScale([-350_000, -340_000], [3_910_000])).toMatchObject({ currentUnit: 'µA', voltageUnit: 'µV', discharge: 'negative', currentToA: -1e-6 });
    // Mi A1: µA, positive while discharging.
    expect(detectFuelGaugeScale([420_000], [4_100_000])).toMatchObject({ currentUnit: 'µA', discharge: 'positive', currentToA: 1e-6 });
    // P8 Lite 2017: mA, negative while discharging.
    expect(detectFuelGaugeScale([-350, -360, -340], [3_800_000])).toMatchObject({ currentUnit: 'mA', discharge: 'negative', currentToA: -1e-3 });
    expect(detectFuelGaugeScale([300], [3800])).toMatchObject({ currentUnit: 'mA', voltageUnit: 'mV', voltageToV: 1e-3 });
  });
});

describe('android-battery energy source', () => {
  async function measure(idle: number, busy: number, voltage: number, supply = 'battery') {
    const root = mkdtempSync(join(tmpdir(), 'fuel-gauge-'));
    const dir = battery(root, idle, voltage, supply);
    const gauge = new Gauge({ ...defaultConfig(), energy: [{ source: 'android-battery', intervalMs: 20, baselineMs: 400 }] });
    await androidPlugin.apply(gauge, {});
    const device = tempDirDevice(root);
    // The "model" runs 50 inferences of 12 ms; the current rises while it runs.
    return measureWithEnergy(gauge, device, { id: 1 }, { macs: 1e8 }, async () => {
      writeFileSync(join(dir, 'current_now'), `${busy}\n`);
      await sleep(700);
      writeFileSync(join(dir, 'current_now'), `${idle}\n`);
      return { samplesMs: Array(50).fill(12), engine: 'standin' };
    });
  }

  it('µA, negative discharge (kernel ABI): energy per inference within 25% of what the current implies, marked coarse', async () => {
    const { energy } = await measure(-200_000, -800_000, 4_000_000);
    const [e] = energy;
    expect(e!.status, JSON.stringify(e!.error)).toBe('done');
    expect(e!.coarse).toBe(true);
    expect(e!.description).toMatch(/µA\/µV, discharge negative/);
    const a = e!.attribution!;
    // Within 15%: a poll that straddles the run's start (a slow shell on a loaded host) is stamped at its midpoint.
    expect(Math.abs(a.baselineW - 0.2 * 4.0) / 0.8).toBeLessThan(0.15);
    const implied = (0.8 - 0.2) * 4.0 * 0.012; // ΔI × V × latency
    expect(Math.abs(a.energyPerInferenceJ - implied) / implied).toBeLessThan(0.25);
  });

  it('mA, positive discharge, in a supply not named battery: the same answer', async () => {
    const { energy } = await measure(200, 800, 4_000_000, 'bms');
    const a = energy[0]!.attribution!;
    expect(energy[0]!.description).toMatch(/bms.*mA\/µV, discharge positive/);
    const implied = 0.6 * 4.0 * 0.012;
    expect(Math.abs(a.energyPerInferenceJ - implied) / implied).toBeLessThan(0.25);
  });

  it('declines devices that are not Android, and says why when a phone has no readable fuel gauge', async () => {
    const gauge = new Gauge({ ...defaultConfig(), energy: [{ source: 'android-battery', baselineMs: 0 }] });
    await androidPlugin.apply(gauge, {});
    const { result, energy } = await measureWithEnergy(gauge, await createHostDevice(), { id: 1 }, undefined, async () => ({ samplesMs: [1], engine: 'x' }));
    expect(result.samplesMs).toEqual([1]);
    expect(energy[0]!.error!.code).toBe('ENERGY_SOURCE_UNAVAILABLE');
    expect(energy[0]!.error!.message).toMatch(/does not measure host devices/);
    const empty = mkdtempSync(join(tmpdir(), 'no-gauge-'));
    mkdirSync(join(empty, 'sys/class/power_supply/usb'), { recursive: true });
    writeFileSync(join(empty, 'sys/class/power_supply/usb/type'), 'USB\n');
    const r = await measureWithEnergy(gauge, tempDirDevice(empty), { id: 2 }, undefined, async () => ({ samplesMs: [1], engine: 'x' }));
    expect(r.energy[0]!.error!.message).toMatch(/no battery under \/sys\/class\/power_supply.*supplies: usb/);
  });
});
