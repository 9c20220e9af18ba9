/**
 * The ADB device simulator through adbkit (the client the device plugin uses), on a private real adb server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { Adb } from '@devicefarmer/adbkit';
import { AdbDeviceSimulator } from '../src/index.js';
import { startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';

type Client = ReturnType<typeof Adb.createClient>;

let server: PrivateAdbServer;
let client: Client;
let a: AdbDeviceSimulator;
let b: AdbDeviceSimulator;
const sha = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function shell(sim: AdbDeviceSimulator, cmd: string): Promise<string> {
  const stream = await client.getDevice(sim.address).shell(cmd);
  return (await Adb.util.readAll(stream)).toString('utf8');
}

beforeAll(async () => {
  server = await startAdbServer();
  client = Adb.createClient({ port: server.port });
  a = await AdbDeviceSimulator.start({ profile: 'sm8450' });
  b = await AdbDeviceSimulator.start({ profile: 'sm7125' });
  expect(await client.connect(a.address)).toBe(a.address);
  expect(await client.connect(b.address)).toBe(b.address);
});

afterAll(async () => {
  await server?.kill();
  await a?.close();
  await b?.close();
});

describe('ADB device simulator through adbkit', () => {
  it('lists both devices and reads their properties and features', async () => {
    const devices = await client.listDevices();
    expect(devices).toEqual(expect.arrayContaining([{ id: a.address, type: 'device' }, { id: b.address, type: 'device' }]));
    const props = await client.getDevice(a.address).getProperties();
    expect(props['ro.soc.model']).toBe('SM8450');
    expect(props['ro.product.cpu.abilist']).toBe('arm64-v8a,armeabi-v7a,armeabi');
    const propsB = await client.getDevice(b.address).getProperties();
    expect(propsB['ro.soc.model']).toBeUndefined();
    expect(propsB['ro.hardware']).toBe('qcom');
    const features = await client.getDevice(a.address).getFeatures();
    expect(features['reqGlEsVersion']).toBe('0x30002');
  });

  it('pushes, stats, lists and pulls a 3 MB file', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const dev = client.getDevice(a.address);
    const push = await dev.push(new PassThrough().end(data), '/data/local/tmp/gaugenn/m.tflite', 0o644);
    await new Promise<void>((res, rej) => push.on('end', () => res()).on('error', rej));
    const st = await dev.stat('/data/local/tmp/gaugenn/m.tflite');
    expect(st.size).toBe(data.length);
    expect(st.isFile()).toBe(true);
    const names = (await dev.readdir('/data/local/tmp/gaugenn')).map((e: { name: string }) => e.name);
    expect(names).toContain('m.tflite');
    const pull = await dev.pull('/data/local/tmp/gaugenn/m.tflite');
    const chunks: Buffer[] = [];
    await new Promise<void>((res, rej) => pull.on('data', (c: Buffer) => chunks.push(c)).on('end', () => res()).on('error', rej));
    expect(sha(Buffer.concat(chunks))).toBe(sha(data));
  });

  it('pull of a missing file fails with the device message', async () => {
    const pull = await client.getDevice(a.address).pull('/data/local/tmp/nope.bin');
    // adbkit emits 'end' and then 'error' for a FAIL reply: wait for the error.
    const err = await new Promise<Error>((res) => {
      pull.on('error', res).resume();
      setTimeout(() => res(new Error('no error event')), 3000);
    });
    expect(err.message).toMatch(/open failed: No such file or directory/);
  });

  it('ending the shell stream kills the command on the device', async () => {
    const conn = await client.getDevice(b.address).shell('echo started; sleep 300');
    await new Promise((res) => conn.once('data', res));
    const cmd = b.commands.find((c) => c.command === 'echo started; sleep 300')!;
    conn.end();
    for (let i = 0; i < 100 && cmd.endedAt === undefined; i++) await sleep(50);
    expect(cmd.endedBy).toBe('stream-closed');
  });

  it('a device that vanishes mid-command gives a truncated output, not an error (what the plugin must detect)', async () => {
    const sim = await AdbDeviceSimulator.start();
    try {
      await client.connect(sim.address);
      const conn = await client.getDevice(sim.address).shell('echo first; sleep 5; echo __EXIT__0');
      const all = Adb.util.readAll(conn);
      await new Promise((res) => conn.once('readable', res));
      await sim.unplug();
      expect((await all).toString()).toBe('first\n');
    } finally {
      await client.disconnect(sim.address).catch(() => undefined);
      await sim.close();
    }
  });

  it('current_now follows the load while a matching command runs (energy tests)', async () => {
    b.setCurrentProfile({ idleUa: -150_000, busyUa: -950_000, busyWhile: /benchmark_model/ });
    const read = async () => Number(await shell(b, 'cat /sys/class/power_supply/battery/current_now'));
    expect(await read()).toBe(-150_000);
    const push = await client.getDevice(b.address).push(new PassThrough().end(Buffer.from('#!/bin/sh\nsleep 1.5\necho "Inference timings in us: Init: 1, First inference: 2, Warmup (avg): 3, Inference (avg): 4"\n')), '/data/local/tmp/benchmark_model', 0o755);
    await new Promise((res) => push.on('end', res));
    const run = shell(b, '/data/local/tmp/benchmark_model --graph=/data/local/tmp/m.tflite');
    await sleep(500);
    expect(await read()).toBe(-950_000);
    expect(await run).toContain('Inference (avg): 4');
    expect(await read()).toBe(-150_000);
    // A detached job (unplugged mode) keeps the phone busy after the shell that started it has returned.
    await shell(b, 'nohup /data/local/tmp/benchmark_model --graph=/data/local/tmp/m.tflite > /data/local/tmp/bm.out 2>&1 &');
    await sleep(500);
    expect(await read()).toBe(-950_000);
    for (let i = 0; i < 60 && (await read()) !== -150_000; i++) await sleep(100);
    expect(await read()).toBe(-150_000);
    expect(await shell(b, 'cat /data/local/tmp/bm.out')).toContain('Inference (avg): 4');
    b.setCurrentProfile(undefined);
    expect(await read()).toBe(b.batteryState().currentUa);
  });

  it('a thermal profile warms the phone while a matching process runs and cools it after', async () => {
    b.installReplay('burn', { output: 'done\n', runMs: 1500 });
    b.setThermalProfile({ busyWhile: /\bburn\b/, riseCPerS: 10, coolCPerS: 20, zones: 'cpu' });
    try {
      const rest = b.zoneTemp('cpu-1-0-usr');
      const run = shell(b, 'burn');
      await sleep(1000);
      const hot = Number(await shell(b, 'cat /sys/class/thermal/thermal_zone4/temp')) / 1000;
      expect(hot).toBeGreaterThan(rest + 3);
      expect(b.zoneTemp('battery')).toBe(28.4); // not a cpu zone
      expect(await run).toBe('done\n');
      for (let i = 0; i < 50 && b.zoneTemp('cpu-1-0-usr') > rest; i++) await sleep(100);
      expect(b.zoneTemp('cpu-1-0-usr')).toBe(rest);
    } finally {
      b.setThermalProfile(undefined);
    }
  });

  it('unplug shows offline in listDevices at once; trackDevices only reports the reconnect (adb 1.0.41)', async () => {
    const tracker = await client.trackDevices();
    const seen: string[] = [];
    tracker.on('change', (d: { id: string; type: string }) => d.id === a.address && seen.push(d.type));
    try {
      await sleep(300);
      await a.unplug();
      const state = async () => (await client.listDevices()).find((d: { id: string }) => d.id === a.address)?.type;
      for (let i = 0; i < 50 && (await state()) !== 'offline'; i++) await sleep(100);
      expect(await state()).toBe('offline');
      // The server keeps retrying the TCP device and does not tell trackers that it dropped.
      await sleep(1000);
      expect(seen).toEqual([]);
      await a.replug();
      for (let i = 0; i < 250 && seen.at(-1) !== 'device'; i++) await sleep(100);
      expect(seen).toEqual(['offline', 'device']);
      expect((await shell(a, 'getprop ro.soc.model')).trim()).toBe('SM8450');
    } finally {
      tracker.end();
    }
  }, 60_000);

  it('rejects a DATA chunk over 64 KiB as adbd does (adbkit sends one from an objectMode stream)', async () => {
    const push = await client.getDevice(a.address).push(Readable.from([Buffer.alloc(100_000, 7)]), '/data/local/tmp/too-big.bin');
    const err = await new Promise<Error | undefined>((res) => push.on('error', res).on('end', () => setTimeout(() => res(undefined), 500)));
    expect(err?.message).toMatch(/oversize data message/);
  });
});
