import { execa } from 'execa';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostTransport, counterDeltaUj, isGaugeError, nvmlSource, raplSource, readPowerRails, hwmonSource } from '../src/index.js';
import { fixture, missing } from '../../../test-support/fixtures.js';

const host = new HostTransport();
const JETSON = fixture('energy/jetson-sysfs-snapshots.tar.gz');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('hwmon power rails', () => {
  it.skipIf(missing(JETSON))('reads the Jetson Orin sysfs snapshots as power rails: in*_input mV × curr*_input mA, named by in*_label', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jetson-sysfs-'));
    await execa('tar', ['xzf', JETSON, '-C', dir]);
    const nano = await readPowerRails(host, join(dir, 'dummy_files/orin_nano/sys'));
    expect(nano.map((r) => [r.label, r.voltageV, r.currentA])).toEqual([
      ['VDD_IN', 5.016, 1.496],
      ['VDD_CPU_GPU_CV', 5.008, 0.544],
      ['VDD_SOC', 5.016, 0.328],
    ]);
    expect(nano[0]!.powerW).toBeCloseTo(5.016 * 1.496, 9); // 7.504 W
    // Orin AGX: two INA3221 chips; channels labelled NC and empty readings are left out.
    const agx = await readPowerRails(host, join(dir, 'dummy_files/orin_agx/sys'));
    expect(agx.map((r) => r.label)).toEqual(['VDD_GPU_SOC', 'VDD_CPU_CV', 'VIN_SYS_5V0', 'VDDQ_VDD2_1V8AO']);
    expect(agx.find((r) => r.label === 'VIN_SYS_5V0')!.powerW).toBeCloseTo(5.008 * 0.78, 9);
    // The source sums VDD_IN (the whole board) where it exists, and polls it.
    const src = await hwmonSource(host, { path: join(dir, 'dummy_files/orin_nano/sys'), intervalMs: 20 });
    expect(src.describe()).toBe('hwmon rails VDD_IN');
    const rec = await src.start();
    await sleep(150);
    const t = await rec.stop();
    expect(t.powerW.length).toBeGreaterThan(2);
    for (const p of t.powerW) expect(p).toBeCloseTo(7.504, 3);
    const all = await hwmonSource(host, { path: join(dir, 'dummy_files/orin_agx/sys'), rails: ['VDD_GPU_SOC', 'VDD_CPU_CV'] });
    expect(all.describe()).toBe('hwmon rails VDD_GPU_SOC + VDD_CPU_CV');
  });

  it('a device without power rails says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hwmon-empty-'));
    mkdirSync(join(dir, 'hwmon0'));
    writeFileSync(join(dir, 'hwmon0', 'name'), 'coretemp\n');
    writeFileSync(join(dir, 'hwmon0', 'temp1_input'), '42000\n');
    const err = await hwmonSource(host, { path: dir }).catch((e) => e);
    expect(isGaugeError(err, 'ENERGY_SOURCE_UNAVAILABLE')).toBe(true);
    expect(err.message).toMatch(/no power rails/);
    const gone = await hwmonSource(host, { path: join(dir, 'nope') }).catch((e) => e);
    expect(gone.message).toMatch(/does not exist/);
  });
});

describe('RAPL through powercap', () => {
  it('counter deltas wrap at max_energy_range_uj', () => {
    expect(counterDeltaUj(100, 350, 1000)).toBe(250);
    expect(counterDeltaUj(900, 100, 1000)).toBe(200);
    expect(counterDeltaUj(262143328000, 500, 262143328850)).toBe(1350);
  });

  it('on this machine: RAPL is not available and says why', async () => {
    const err = await raplSource(host).catch((e) => e);
    expect(isGaugeError(err, 'ENERGY_SOURCE_UNAVAILABLE'), String(err)).toBe(true);
    expect(err.message).toMatch(/^RAPL not available: /);
    expect(err.message).toMatch(/no powercap|no RAPL zones|no permission/);
    process.stderr.write(`[this machine] ${err.message}\n`);
  });

  it('a powercap tree: sums package zones (not psys), turns counters into power across a wrap-around', async () => {
    const root = mkdtempSync(join(tmpdir(), 'powercap-'));
    const zone = (n: string, name: string, uj: number) => {
      mkdirSync(join(root, n), { recursive: true });
      writeFileSync(join(root, n, 'name'), `${name}\n`);
      writeFileSync(join(root, n, 'max_energy_range_uj'), '1000000\n');
      writeFileSync(join(root, n, 'energy_uj'), `${uj}\n`);
    };
    zone('intel-rapl:0', 'package-0', 900000);
    zone('intel-rapl:1', 'psys', 0);
    zone('intel-rapl:0:0', 'core', 0);
    const src = await raplSource(host, { path: root, intervalMs: 20 });
    expect(src.describe()).toBe('RAPL package-0');
    const rec = await src.start();
    // The counter advances 2 W × elapsed time, wrapping at 1 J.
    const t0 = performance.now();
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        const uj = Math.round(900000 + 2 * (performance.now() - t0) * 1000) % 1000000;
        // Written whole and renamed into place, as sysfs reads are atomic.
        writeFileSync(join(root, 'intel-rapl:0', 'energy_uj.new'), `${uj}\n`);
        renameSync(join(root, 'intel-rapl:0', 'energy_uj.new'), join(root, 'intel-rapl:0', 'energy_uj'));
        await sleep(5);
      }
    })();
    await sleep(700);
    const trace = await rec.stop();
    stop = true;
    await writer;
    const n = trace.powerW.length;
    expect(n).toBeGreaterThan(5);
    let e = 0;
    for (let i = 1; i < n; i++) e += trace.powerW[i]! * (trace.tS![i]! - trace.tS![i - 1]!);
    // 2 W, within the lag of the test's own writer (it rewrites the counter every few ms on a loaded host). A wrap
    // read as a plain difference would be a step of about −0.9 J, i.e. tens of negative watts.
    expect(e / (trace.tS![n - 1]! - trace.tS![0]!)).toBeGreaterThan(1.0);
    expect(e / (trace.tS![n - 1]! - trace.tS![0]!)).toBeLessThan(3.0);
    expect(Math.min(...trace.powerW)).toBeGreaterThanOrEqual(0); // the wrap is not read as a negative step
  });

  const root = process.getuid?.() === 0;
  if (root) process.stderr.write('[skip] running as root: file permissions cannot make energy_uj unreadable\n');
  it.skipIf(root)('an unreadable energy_uj is "no permission", naming the kernel change', async () => {
    const root = mkdtempSync(join(tmpdir(), 'powercap-perm-'));
    mkdirSync(join(root, 'intel-rapl:0'));
    writeFileSync(join(root, 'intel-rapl:0', 'name'), 'package-0\n');
    writeFileSync(join(root, 'intel-rapl:0', 'max_energy_range_uj'), '1000\n');
    writeFileSync(join(root, 'intel-rapl:0', 'energy_uj'), '1\n');
    chmodSync(join(root, 'intel-rapl:0', 'energy_uj'), 0o000);
    const err = await raplSource(host, { path: root }).catch((e) => e);
    expect(err.message).toMatch(/no permission.*5\.10/);
  });
});

describe('NVML', () => {
  it('on this machine (no NVIDIA driver): not available, and why', async () => {
    const err = await nvmlSource(host).catch((e) => e);
    if (!isGaugeError(err)) {
      process.stderr.write('[note] an NVIDIA driver is present here: NVML is available\n');
      return;
    }
    expect(err.code).toBe('ENERGY_SOURCE_UNAVAILABLE');
    expect(err.message).toMatch(/^NVML not available: no NVIDIA driver/);
    expect(err.message).toMatch(/libnvidia-ml/);
    process.stderr.write(`[this machine] ${err.message}\n`);
  });
});
