/**
 * `gaugenn devices` with ADB devices: two ADB device SIMULATORS reached through a private real adb server, and
 * the one-line answers when there is no adb server or no device.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbDeviceSimulator } from '@gaugenn/plugin-android';
import { freePort, startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';
import { gaugenn } from './cli.js';

let adb: PrivateAdbServer;
let sims: AdbDeviceSimulator[];

function project(config: unknown): string {
  const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-adb-cli-'));
  writeFileSync(join(cwd, 'gaugenn.config.json'), JSON.stringify(config));
  return cwd;
}

beforeAll(async () => {
  adb = await startAdbServer();
  sims = [await AdbDeviceSimulator.start({ profile: 'sm8450' }), await AdbDeviceSimulator.start({ profile: 'sm7125' })];
  for (const s of sims) await adb.connect(s);
}, 60_000);

afterAll(async () => {
  for (const s of sims ?? []) await s.close();
  await adb?.kill();
});

describe('gaugenn devices with adb devices', () => {
  it('--json lists both simulated phones with SoC, cores, per-core max frequency, ABIs, battery and thermal zones', async () => {
    const cwd = project({ devices: [{ kind: 'adb', server: adb.address }], plugins: { android: { startAdbServer: false } } });
    const r = await gaugenn(['devices', '--json'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as any[];
    expect(list).toHaveLength(2);
    const big = list.find((d) => d.info.model === 'SM-S901U');
    const mid = list.find((d) => d.info.model === 'SM-A525F');
    expect(big).toMatchObject({
      kind: 'adb',
      info: { manufacturer: 'samsung', soc: 'SM8450', apiLevel: 33, abi: 'arm64-v8a', abis: ['arm64-v8a', 'armeabi-v7a', 'armeabi'], cpu: { cores: 8, maxFreqsMHz: [1786, 1786, 1786, 1786, 2496, 2496, 2496, 2995] } },
      battery: { levelPct: 87, tempC: 29.5, usbPowered: true },
      temperatureC: 35.9,
    });
    expect(big.thermal).toHaveLength(14);
    expect(big.thermal[1]).toEqual({ zone: 'thermal_zone1', type: 'cpu-0-0-usr', tempC: 34.2 });
    expect(mid).toMatchObject({
      info: { soc: 'atoll', apiLevel: 30, cpu: { cores: 8, maxFreqsMHz: [1805, 1805, 1805, 1805, 1805, 1805, 2304, 2304] } },
      battery: { levelPct: 64, tempC: 28.4, usbPowered: true },
    });
  });

  it('--device adb:SERIAL picks one device on the default server (the one adb itself would use)', async () => {
    const cwd = project({});
    const r = await gaugenn(['devices', '--json', '--device', `adb:${sims[1]!.address}`], { cwd, env: adb.env });
    expect(r.exitCode, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as any[];
    expect(list.map((d) => d.id)).toEqual([sims[1]!.address]);
    const table = await gaugenn(['devices', '--device', 'adb'], { cwd, env: adb.env });
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toContain('SM-S901U');
    expect(table.stdout).toContain('1786/2496/2995');
  });

  it('the host device keeps its fields, with battery null', async () => {
    const r = await gaugenn(['devices', '--json', '--device', 'host'], { cwd: project({}) });
    expect(r.exitCode).toBe(0);
    const [host] = JSON.parse(r.stdout);
    expect(host).toMatchObject({ id: 'host', kind: 'host', battery: null });
    expect(Array.isArray(host.thermal)).toBe(true);
  });

  it('no adb server: one line, exit 0 (and [] with --json)', async () => {
    const port = await freePort();
    const cwd = project({ devices: [{ kind: 'adb', server: `127.0.0.1:${port}` }], plugins: { android: { startAdbServer: false } } });
    const r = await gaugenn(['devices'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([`No adb devices: no adb server answers at 127.0.0.1:${port}; start one with \`adb -P ${port} start-server\` (or allow plugins.android.startAdbServer).`]);
    const j = await gaugenn(['devices', '--json'], { cwd });
    expect(j.exitCode).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual([]);
    expect(j.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an adb server with no devices: one line, exit 0', async () => {
    const empty = await startAdbServer();
    try {
      const r = await gaugenn(['devices', '--device', 'adb'], { cwd: project({}), env: empty.env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim().split('\n')).toEqual([`No adb devices on the adb server at ${empty.address}: plug one in with USB debugging on, or \`adb connect HOST:PORT\`.`]);
    } finally {
      await empty.kill();
    }
  });
});
