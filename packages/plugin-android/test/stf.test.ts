/**
 * STF devices against a loopback STAND-IN of DeviceFarmer STF's REST API (test/support/stf-standin.ts), whose
 * remote-connect addresses are ADB device SIMULATORS reached through a private real adb server.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGaugeError } from '@gaugenn/core';
import { AdbDeviceSimulator, type AdbDevice } from '../src/index.js';
import { gaugeWithAndroid, startAdbServer, type PrivateAdbServer } from './support/android-gauge.js';
import { startStfStandin, type StfStandin } from './support/stf-standin.js';

let adb: PrivateAdbServer;
let sims: AdbDeviceSimulator[];
let stf: StfStandin;

beforeAll(async () => {
  adb = await startAdbServer();
  sims = [await AdbDeviceSimulator.start({ profile: 'sm8450' }), await AdbDeviceSimulator.start({ profile: 'sm7125' }), await AdbDeviceSimulator.start({ profile: 'sm7125' })];
  stf = await startStfStandin([
    { serial: 'R5CT10AAAAA', address: sims[0]!.address },
    { serial: 'R58N20BBBBB', address: sims[1]!.address },
    { serial: 'R58N30CCCCC', address: sims[2]!.address, busy: true },
  ]);
}, 60_000);

afterAll(async () => {
  for (const s of sims ?? []) await s.close();
  await stf?.close();
  await adb?.kill();
});

const listed = async () => (await adb.devices()).map((d) => d.serial);

describe('stf devices (STF API stand-in, simulated phones)', () => {
  it('reserves the named serials, connects their remote-connect addresses, and releases both at the end', async () => {
    const { gauge } = await gaugeWithAndroid();
    stf.calls.length = 0;
    const devices = (await gauge.devices({ kind: 'stf', url: stf.url, token: stf.token, serials: ['R5CT10AAAAA', 'R58N20BBBBB'], server: adb.address })) as AdbDevice[];
    expect(devices.map((d) => d.id)).toEqual(['R5CT10AAAAA', 'R58N20BBBBB']);
    expect(devices.map((d) => d.kind)).toEqual(['adb', 'adb']);
    expect(devices[0]!.info.soc).toBe('SM8450');
    expect(devices[1]!.info.model).toBe('SM-A525F');
    expect(stf.calls).toContain('POST /api/v1/user/devices {"serial":"R5CT10AAAAA"}');
    expect(stf.calls).toContain('POST /api/v1/user/devices/R5CT10AAAAA/remoteConnect {}');
    expect([...stf.owned].sort()).toEqual(['R58N20BBBBB', 'R5CT10AAAAA']);
    expect(await listed()).toEqual(expect.arrayContaining([sims[0]!.address, sims[1]!.address]));
    expect((await devices[0]!.transport.exec('getprop', ['ro.product.model'])).stdout.trim()).toBe('SM-S901U');
    for (const d of devices) await d.release!();
    expect(stf.owned.size).toBe(0);
    expect(stf.connected.size).toBe(0);
    expect(stf.calls).toContain('DELETE /api/v1/user/devices/R5CT10AAAAA/remoteConnect');
    expect(stf.calls).toContain('DELETE /api/v1/user/devices/R5CT10AAAAA');
    expect(await listed()).not.toContain(sims[0]!.address);
    await devices[0]!.release!(); // twice is harmless
  });

  it('without serials: every device STF would lend now (a busy one is left alone)', async () => {
    const { gauge } = await gaugeWithAndroid();
    const devices = await gauge.devices({ kind: 'stf', url: stf.url, token: stf.token, server: adb.address });
    expect(devices.map((d) => d.id)).toEqual(['R5CT10AAAAA', 'R58N20BBBBB']);
    expect(stf.calls).not.toContain('POST /api/v1/user/devices {"serial":"R58N30CCCCC"}');
    for (const d of devices) await d.release!();
    expect(stf.owned.size).toBe(0);
  });

  it('a refused token is SOURCE_AUTH and holds nothing', async () => {
    const { gauge } = await gaugeWithAndroid();
    const e = await gauge.devices({ kind: 'stf', url: stf.url, token: 'wrong', serials: ['R5CT10AAAAA'], server: adb.address }).catch((x) => x);
    expect(isGaugeError(e, 'SOURCE_AUTH')).toBe(true);
    expect(e.message).toMatch(/refused the access token \(HTTP 401\).*Settings → Keys/);
    expect(stf.owned.size).toBe(0);
  });

  it('a device someone else holds is DEVICE_BUSY when it is all there is, a log line when others were lent', async () => {
    const { gauge, logs } = await gaugeWithAndroid();
    const e = await gauge.devices({ kind: 'stf', url: stf.url, token: stf.token, serials: ['R58N30CCCCC'], server: adb.address }).catch((x) => x);
    expect(isGaugeError(e, 'DEVICE_BUSY')).toBe(true);
    expect(e.message).toContain('Device is being used or not available');
    const some = await gauge.devices({ kind: 'stf', url: stf.url, token: stf.token, serials: ['R58N30CCCCC', 'R58N20BBBBB'], server: adb.address });
    expect(some.map((d) => d.id)).toEqual(['R58N20BBBBB']);
    expect(logs.some((l) => /STF device left out: .*R58N30CCCCC could not be reserved/.test(l))).toBe(true);
    for (const d of some) await d.release!();
    expect(stf.owned.size).toBe(0);
  });

  it('an STF that does not answer is DEVICE_UNAVAILABLE; a bad spec is CONFIG_INVALID', async () => {
    const { gauge } = await gaugeWithAndroid();
    const e = await gauge.devices({ kind: 'stf', url: 'http://127.0.0.1:1', token: 'x', server: adb.address }).catch((x) => x);
    expect(isGaugeError(e, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect(e.message).toMatch(/STF at http:\/\/127\.0\.0\.1:1 is not reachable/);
    const c = await gauge.devices({ kind: 'stf', url: 'ftp://x', token: 'x' }).catch((x) => x);
    expect(isGaugeError(c, 'CONFIG_INVALID')).toBe(true);
    expect(c.message).not.toContain('"token":"x"');
  });

  it.each(['exit', 'SIGTERM'])('reservations still held when the process ends (%s) are released', async (how) => {
    // A child node process reserves through the built plugin and ends without calling release().
    const pkg = join(import.meta.dirname, '..');
    const script = `
      const { Gauge, defaultConfig } = await import('@gaugenn/core');
      const plugin = (await import('./dist/index.js')).default;
      const g = new Gauge(defaultConfig());
      await plugin.apply(g, { startAdbServer: false });
      const ds = await g.devices({ kind: 'stf', url: ${JSON.stringify(stf.url)}, token: ${JSON.stringify(stf.token)}, serials: ['R5CT10AAAAA'], server: ${JSON.stringify(adb.address)} });
      console.log(ds.map((d) => d.id).join(','));
      if (${JSON.stringify(how)} === 'exit') process.exit(0);
      else { process.kill(process.pid, 'SIGTERM'); setInterval(() => {}, 1000); }`;
    stf.calls.length = 0;
    const r = await new Promise<{ stdout: string; signal: string | null; code: number | null }>((resolve) => {
      const c = execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg, timeout: 60_000 }, (_e, stdout) => resolve({ stdout, signal: c.signalCode, code: c.exitCode }));
    });
    expect(r.stdout.trim()).toBe('R5CT10AAAAA');
    if (how === 'SIGTERM') expect(r.signal).toBe('SIGTERM');
    else expect(r.code).toBe(0);
    expect(stf.calls).toContain('DELETE /api/v1/user/devices/R5CT10AAAAA/remoteConnect');
    expect(stf.calls).toContain('DELETE /api/v1/user/devices/R5CT10AAAAA');
    expect(stf.owned.size).toBe(0);
  });
});
