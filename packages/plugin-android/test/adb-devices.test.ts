/**
 * ADB devices through the real adb server (a private one per file) and the ADB device SIMULATOR (two simulated
 * phones): what `gauge.devices({ kind: 'adb' })` finds and the facts it reads from each device.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGaugeError } from '@gaugenn/core';
import { AdbDeviceSimulator, type AdbDevice } from '../src/index.js';
import { coreCount } from '../src/simulator/index.js';
import { freePort, gaugeWithAndroid, startAdbServer, type PrivateAdbServer } from './support/android-gauge.js';

let adb: PrivateAdbServer;
let big: AdbDeviceSimulator;
let mid: AdbDeviceSimulator;

beforeAll(async () => {
  adb = await startAdbServer();
  big = await AdbDeviceSimulator.start({ profile: 'sm8450' });
  mid = await AdbDeviceSimulator.start({ profile: 'sm7125' });
  await adb.connect(big.address);
  await adb.connect(mid.address);
}, 60_000);

afterAll(async () => {
  await big?.close();
  await mid?.close();
  await adb?.kill();
});

const kHzToMHz = (sim: AdbDeviceSimulator) => sim.profile.clusters.flatMap((c) => Array<number>(c.cores).fill(Math.round(c.maxKHz / 1000)));

describe('adb devices (simulated phones, real adb server)', () => {
  it('no serial: every online device on the server, with the facts read from each', async () => {
    const { gauge, logs } = await gaugeWithAndroid();
    const devices = (await gauge.devices({ kind: 'adb', server: adb.address })) as AdbDevice[];
    expect(devices.map((d) => d.serial).sort()).toEqual([big.address, mid.address].sort());
    expect(logs).toEqual([]);
    const b = devices.find((d) => d.serial === big.address)!;
    expect(b.kind).toBe('adb');
    expect(b.id).toBe(`${big.address}@${adb.address}`);
    expect(b.info).toMatchObject({
      model: 'SM-S901U', manufacturer: 'samsung', soc: 'SM8450', androidVersion: '13', apiLevel: 33,
      abi: 'arm64-v8a', abis: ['arm64-v8a', 'armeabi-v7a', 'armeabi'], gpu: 'Adreno730v2', os: 'Android 13 (API 33)',
    });
    expect(b.info.cpu.cores).toBe(coreCount(big.profile));
    expect(b.info.cpu.maxFreqsMHz).toEqual(kHzToMHz(big));
    expect(b.info.cpu.clusters).toEqual([
      { cores: [0, 1, 2, 3], maxFreqMHz: 1786 }, { cores: [4, 5, 6], maxFreqMHz: 2496 }, { cores: [7], maxFreqMHz: 2995 },
    ]);
    expect(b.info.ramBytes).toBe(big.profile.memTotalKb * 1024);
    // Android 11 has no ro.soc.*: the SoC falls back to ro.board.platform.
    const m = devices.find((d) => d.serial === mid.address)!;
    expect(m.info.soc).toBe('atoll');
    expect(m.info.apiLevel).toBe(30);
    expect(m.info.cpu.maxFreqsMHz).toEqual(kHzToMHz(mid));
    expect(m.info.cpu.clusters?.map((c) => c.cores.length)).toEqual([6, 2]);
  });

  it('battery (level, °C from tenths, USB power) and thermal zones (°C from m°C) follow the device', async () => {
    const { gauge } = await gaugeWithAndroid();
    const [d] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: big.address })) as AdbDevice[];
    expect(await d!.battery()).toEqual({ levelPct: 87, tempC: 29.5, usbPowered: true });
    big.setBattery({ levelPct: 41, tempC: 33.2, usbPowered: false });
    expect(await d!.battery()).toEqual({ levelPct: 41, tempC: 33.2, usbPowered: false });
    big.setBattery({ levelPct: 87, tempC: 29.5, usbPowered: true });
    const zones = await d!.thermalZones();
    expect(zones).toHaveLength(big.profile.thermal.length);
    expect(zones[0]).toEqual({ zone: 'thermal_zone0', type: 'aoss-0-usr', tempC: 33.1 });
    expect(zones.map((z) => z.type)).toEqual(big.profile.thermal.map((z) => z.type));
  });

  it('temperature(): the hottest CPU zone by default, the configured zones when named', async () => {
    const { gauge, logs } = await gaugeWithAndroid();
    const [d] = await gauge.devices({ kind: 'adb', server: adb.address, serial: big.address });
    expect(await d!.temperature()).toBe(35.9);
    big.heat('gpuss-0-usr', 70);
    expect(await d!.temperature()).toBe(35.9); // a hot GPU is not a CPU zone
    const [g] = await gauge.devices({ kind: 'adb', server: adb.address, serial: big.address, thermalZones: ['gpuss-*'] });
    expect(await g!.temperature()).toBe(70);
    const [z] = await gauge.devices({ kind: 'adb', server: adb.address, serial: big.address, thermalZones: ['thermal_zone0'] });
    expect(await z!.temperature()).toBe(33.1);
    big.cool();
    const [n] = await gauge.devices({ kind: 'adb', server: adb.address, serial: big.address, thermalZones: ['no-such-zone'] });
    expect(await n!.temperature()).toBe(35.9);
    expect(logs.some((l) => /no thermal zone matches no-such-zone/.test(l))).toBe(true);
  });

  it('a host:port serial is adb-connected first', async () => {
    const sim = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      expect((await adb.adb(['devices'])).stdout).not.toContain(sim.address);
      const { gauge } = await gaugeWithAndroid();
      const [d] = await gauge.devices({ kind: 'adb', server: adb.address, serial: sim.address });
      expect(d!.info.model).toBe('SM-A525F');
      expect((await adb.adb(['devices'])).stdout).toContain(sim.address);
    } finally {
      await adb.adb(['disconnect', sim.address]);
      await sim.close();
    }
  });

  it('a serial the server does not have: no device and one log line naming what it has', async () => {
    const { gauge, logs } = await gaugeWithAndroid();
    expect(await gauge.devices({ kind: 'adb', server: adb.address, serial: 'R58N000NOPE' })).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/No adb device R58N000NOPE on the adb server at 127\.0\.0\.1:\d+ \(it lists .*127\.0\.0\.1:/);
  });

  it('a device that dropped offline is left out and named in one line', async () => {
    const sim = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      await adb.connect(sim.address);
      await sim.unplug();
      // The server marks a dropped TCP device offline (then keeps retrying it): wait until it says so.
      await adb.waitFor(sim.address, 'offline', 10_000);
      const { gauge, logs } = await gaugeWithAndroid();
      const devices = await gauge.devices({ kind: 'adb', server: adb.address });
      expect(devices.map((d) => d.id)).not.toContain(`${sim.address}@${adb.address}`);
      expect(devices).toHaveLength(2);
      expect(logs).toEqual([expect.stringMatching(new RegExp(`not usable: ${sim.address.replace(/\./g, '\\.')} \\(offline: replug it`))]);
    } finally {
      await adb.adb(['disconnect', sim.address]);
      await sim.close();
    }
  });
});

describe('adb devices: nothing there', () => {
  it('no adb server: no devices, one log line that says how to start one', async () => {
    const port = await freePort();
    const { gauge, logs } = await gaugeWithAndroid();
    expect(await gauge.devices({ kind: 'adb', server: `127.0.0.1:${port}` })).toEqual([]);
    expect(logs).toEqual([`warn: No adb devices: no adb server answers at 127.0.0.1:${port}; start one with \`adb -P ${port} start-server\` (or allow plugins.android.startAdbServer).`]);
  });

  it('a local server that is not running is started, as `adb` does, when startAdbServer is on', async () => {
    const port = await freePort();
    const { Gauge, defaultConfig } = await import('@gaugenn/core');
    const plugin = (await import('../src/index.js')).default;
    const gauge = new Gauge(defaultConfig());
    const logs: string[] = [];
    gauge.hooks.log.tap('test', (_l, m) => logs.push(m));
    await plugin.apply(gauge, { startAdbServer: true });
    try {
      expect(await gauge.devices({ kind: 'adb', server: `127.0.0.1:${port}` })).toEqual([]);
      expect(logs).toEqual([`No adb devices on the adb server at 127.0.0.1:${port}: plug one in with USB debugging on, or \`adb connect HOST:PORT\`.`]);
    } finally {
      await promisify(execFile)('adb', ['-P', String(port), 'kill-server']).catch(() => {});
    }
  });

  it('a server with no devices: no devices, one log line', async () => {
    const empty = await startAdbServer();
    try {
      const { gauge, logs } = await gaugeWithAndroid();
      expect(await gauge.devices({ kind: 'adb', server: empty.address })).toEqual([]);
      expect(logs).toEqual([`warn: No adb devices on the adb server at ${empty.address}: plug one in with USB debugging on, or \`adb connect HOST:PORT\`.`]);
    } finally {
      await empty.kill();
    }
  });

  it('a malformed spec is CONFIG_INVALID naming the key', async () => {
    const { gauge } = await gaugeWithAndroid();
    const e = await gauge.devices({ kind: 'adb', sever: '127.0.0.1:5037' }).catch((x) => x);
    expect(isGaugeError(e, 'CONFIG_INVALID')).toBe(true);
    expect(e.message).toContain('unknown key "sever"');
    const p = await gauge.devices({ kind: 'adb', server: 'localhost' }).catch((x) => x);
    expect(isGaugeError(p, 'CONFIG_INVALID')).toBe(true);
    expect(p.message).toContain('/server must match pattern');
  });
});
