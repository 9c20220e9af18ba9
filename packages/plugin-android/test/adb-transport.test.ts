/**
 * The ADB transport against the ADB device SIMULATOR through a private real adb server: exit codes recovered
 * over the legacy shell service, quoting, DEVICE_LOST when the device is unplugged mid-command, timeouts and
 * cancellation that stop the command on the device, sync transfers, cached pushes, detached jobs, hygiene, and
 * waiting for a device to come back.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGaugeError } from '@gaugenn/core';
import { AdbDeviceSimulator, CACHE_ROOT, type AdbDevice } from '../src/index.js';
import { gaugeWithAndroid, startAdbServer, type PrivateAdbServer } from './support/android-gauge.js';

let adb: PrivateAdbServer;
let sim: AdbDeviceSimulator;
let device: AdbDevice;
const local = mkdtempSync(join(tmpdir(), 'gaugenn-adb-transport-'));

beforeAll(async () => {
  adb = await startAdbServer();
  sim = await AdbDeviceSimulator.start({ profile: 'sm8450' });
  const { gauge } = await gaugeWithAndroid();
  [device] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: sim.address })) as AdbDevice[];
}, 60_000);

afterAll(async () => {
  await sim?.close();
  await adb?.kill();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const listening = (port: number) => new Promise<boolean>((resolve) => {
  const s = connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});

describe('exec over the legacy shell service', () => {
  it('recovers exit codes the service does not carry', async () => {
    const t = device.transport;
    expect(await t.exec('true', [])).toEqual({ exitCode: 0, stdout: '', stderr: '', timedOut: false });
    expect((await t.exec('sh', ['-c', 'exit 3'])).exitCode).toBe(3);
    expect((await t.exec('sh', ['-c', 'kill -9 $$'])).exitCode).toBe(137);
    expect((await t.exec('no-such-tool-here', [])).exitCode).toBe(127);
    const r = await t.exec('sh', ['-c', 'echo out; echo err >&2; exit 42']);
    expect(r).toMatchObject({ exitCode: 42, stdout: 'out\nerr\n', timedOut: false });
  });

  it('passes arguments, cwd, env and input through sh unchanged', async () => {
    const t = device.transport;
    const odd = ["it's", 'a b', '$HOME', '`id`', '"q"', 'semi;colon', 'new\nline', '', '*', '\\'];
    const r = await t.exec('printf', ['[%s]', ...odd]);
    expect(r.stdout).toBe(odd.map((a) => `[${a}]`).join(''));
    const dir = await t.workDir();
    expect((await t.exec('pwd', [], { cwd: dir })).stdout.trim()).toBe(dir);
    expect((await t.exec('sh', ['-c', 'echo "$A|$B"'], { env: { A: "x y'z", B: '$(no)' } })).stdout).toBe("x y'z|$(no)\n");
    expect((await t.exec('cat', [], { input: 'small input\n' })).stdout).toBe('small input\n');
    const big = 'line of input\n'.repeat(1000);
    expect((await t.exec('wc', ['-c'], { input: big })).stdout.trim()).toBe(String(big.length));
    // Output without a final newline stays without one.
    expect((await t.exec('printf', ['no newline'])).stdout).toBe('no newline');
  });

  it('commands running at once, on one device and on two, each get their own output and exit code', async () => {
    const other = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      const { gauge } = await gaugeWithAndroid();
      const [d2] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: other.address })) as AdbDevice[];
      const runs = Array.from({ length: 12 }, (_, i) => (i % 2 ? d2! : device).transport.exec('sh', ['-c', `sleep 0.${(i * 7) % 5}; echo run${i}; exit ${i}`]));
      const results = await Promise.all(runs);
      expect(results.map((r) => r.exitCode)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `run${i}\n`));
    } finally {
      await adb.adb(['disconnect', other.address]);
      await other.close();
    }
  });

  it('a command line longer than an old device takes in one message still runs (through a pushed script)', async () => {
    const old = await AdbDeviceSimulator.start({ profile: 'sm7125', maxPayload: 4096 });
    try {
      const { gauge } = await gaugeWithAndroid();
      const [d] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: old.address })) as AdbDevice[];
      const long = Array.from({ length: 400 }, (_, i) => `--flag_${i}=value'${i}`);
      const r = await d!.transport.exec('printf', ['%s\n', ...long], { env: { K: 'v' } });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(long.map((a) => `${a}\n`).join(''));
      expect((await d!.transport.exec('sh', ['-c', `ls -a ${await d!.transport.workDir()} | grep -c '^.cmd-' || true`])).stdout.trim()).toBe('0');
    } finally {
      await adb.adb(['disconnect', old.address]);
      await old.close();
    }
  });

  it('a device unplugged mid-command is DEVICE_LOST, never a truncated success', async () => {
    const sim2 = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      const { gauge } = await gaugeWithAndroid();
      const [d] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: sim2.address })) as AdbDevice[];
      const run = d!.transport.exec('sh', ['-c', 'echo started; sleep 5; echo finished']);
      await sleep(500);
      await sim2.unplug();
      const e = await run.catch((x) => x);
      expect(isGaugeError(e, 'DEVICE_LOST')).toBe(true);
      expect(e.message).toMatch(/ended before its exit code|left the adb server|link .* broke/);
      // Once it is gone, new commands are DEVICE_LOST too (the attempt ends; core can wait for it to return).
      const later = await d!.transport.exec('true', []).catch((x) => x);
      expect(isGaugeError(later, 'DEVICE_LOST')).toBe(true);
    } finally {
      await adb.adb(['disconnect', sim2.address]);
      await sim2.close();
    }
  });

  it('the adb server going away is DEVICE_LOST naming the server (and gaugeNN does not start another)', async () => {
    const own = await startAdbServer();
    const sim4 = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      await own.connect(sim4);
      const { gauge } = await gaugeWithAndroid();
      const [d] = (await gauge.devices({ kind: 'adb', server: own.address, serial: sim4.address })) as AdbDevice[];
      await own.kill();
      const e = await d!.transport.exec('true', []).catch((x) => x);
      expect(isGaugeError(e, 'DEVICE_LOST')).toBe(true);
      expect(e.message).toContain(`No adb server answers at ${own.address}`);
      // Nothing listens there afterwards (the `adb` tool would start a server itself, so ask the port).
      expect(await listening(own.port)).toBe(false);
    } finally {
      await own.kill();
      await sim4.close();
    }
  });

  it('a timeout returns timedOut and stops the command on the device', async () => {
    const t = device.transport;
    const dir = await t.workDir();
    await t.exec('rm', ['-f', `${dir}/late`]);
    const t0 = Date.now();
    // The command ignores SIGHUP (the hang-up a closed stream brings), so only gaugeNN's kill can stop it.
    const r = await t.exec('sh', ['-c', `trap '' HUP; echo begun; sleep 3; touch ${dir}/late`], { timeoutMs: 600 });
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(r).toMatchObject({ timedOut: true, exitCode: -1, stdout: 'begun\n' });
    await sleep(3500);
    expect((await t.exec('ls', [`${dir}/late`])).exitCode).not.toBe(0);
  });

  it('an AbortSignal cancels: INTERRUPTED, and the command is stopped on the device', async () => {
    const t = device.transport;
    const dir = await t.workDir();
    await t.exec('rm', ['-f', `${dir}/late2`]);
    const ac = new AbortController();
    const run = t.exec('sh', ['-c', `trap '' HUP; sleep 3; touch ${dir}/late2`], { signal: ac.signal });
    await sleep(400);
    ac.abort();
    const e = await run.catch((x) => x);
    expect(isGaugeError(e, 'INTERRUPTED')).toBe(true);
    await sleep(3500);
    expect((await t.exec('ls', [`${dir}/late2`])).exitCode).not.toBe(0);
  });
});

describe('files over sync', () => {
  it('push, pull and readFile round-trip bytes; a missing file is INPUT_NOT_FOUND', async () => {
    const t = device.transport;
    const src = join(local, 'blob.bin');
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
    writeFileSync(src, bytes);
    const remote = `${await t.workDir()}/blob.bin`;
    await t.push(src, remote);
    expect(readFileSync(sim.hostPath(remote)).equals(bytes)).toBe(true);
    expect((await t.readFile(remote)).equals(bytes)).toBe(true);
    const back = join(local, 'back.bin');
    await t.pull(remote, back);
    expect(readFileSync(back).equals(bytes)).toBe(true);
    const e = await t.readFile('/data/local/tmp/gaugenn/none-here').catch((x) => x);
    expect(isGaugeError(e, 'INPUT_NOT_FOUND')).toBe(true);
    await t.remove!(remote);
    expect(existsSync(sim.hostPath(remote))).toBe(false);
  });

  it('a device unplugged during a push is DEVICE_LOST', async () => {
    const sim6 = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      const { gauge } = await gaugeWithAndroid();
      const [d] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: sim6.address })) as AdbDevice[];
      const src = join(local, 'large.bin');
      writeFileSync(src, Buffer.alloc(64 << 20, 1));
      const push = d!.transport.push(src, '/data/local/tmp/large.bin');
      await sleep(150);
      await sim6.unplug();
      const e = await push.catch((x) => x);
      expect(isGaugeError(e, 'DEVICE_LOST')).toBe(true);
    } finally {
      await adb.adb(['disconnect', sim6.address]);
      await sim6.close();
    }
  });

  it('pushCached sends a file once per content hash; other bytes go to another path', async () => {
    const t = device.transport;
    const src = join(local, 'model.tflite');
    writeFileSync(src, Buffer.from('model bytes v1'.repeat(1000)));
    const pushes: string[] = [];
    const onPush = (p: { path: string }) => pushes.push(p.path);
    sim.on('pushed', onPush);
    try {
      const before = t.filesPushed;
      const p1 = await t.pushCached!(src);
      expect(p1).toMatch(new RegExp(`^${CACHE_ROOT}/[0-9a-f]{64}/model\\.tflite$`));
      expect(readFileSync(sim.hostPath(p1), 'utf8')).toBe('model bytes v1'.repeat(1000));
      // Mark the device's copy: if the second call pushed, the mark would be gone.
      writeFileSync(sim.hostPath(p1), 'MODEL BYTES V1'.repeat(1000));
      const p2 = await t.pushCached!(src);
      expect(p2).toBe(p1);
      expect(readFileSync(sim.hostPath(p1), 'utf8')).toBe('MODEL BYTES V1'.repeat(1000));
      expect(t.filesPushed - before).toBe(1);
      expect(pushes).toHaveLength(1);
      writeFileSync(src, Buffer.from('model bytes v2'.repeat(1000)));
      const p3 = await t.pushCached!(src, { name: 'renamed.tflite', mode: 0o755 });
      expect(p3).not.toBe(p1);
      expect(p3.endsWith('/renamed.tflite')).toBe(true);
      expect(t.filesPushed - before).toBe(2);
      expect((await t.exec('sh', ['-c', `[ -x ${p3} ] && echo exec`])).stdout).toBe('exec\n');
    } finally {
      sim.off('pushed', onPush);
    }
  });

  it('spawnDetached runs a job that outlives the command, with its output and exit code in files', async () => {
    const t = device.transport;
    const dir = await t.workDir();
    const out = `${dir}/job.out`;
    const rc = `${dir}/job.rc`;
    const t0 = Date.now();
    await t.exec('sh', ['-c', `echo here > ${dir}/cwd-mark`]);
    await t.spawnDetached!('sh', ['-c', 'echo "with $X"; cat cwd-mark; sleep 1; exit 7'], { cwd: dir, env: { X: 'y z' }, outFile: out, rcFile: rc });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await t.exec('ls', [rc])).exitCode).not.toBe(0);
    for (let i = 0; i < 40 && (await t.exec('ls', [rc])).exitCode !== 0; i++) await sleep(100);
    expect((await t.readFile(rc)).toString().trim()).toBe('7');
    expect((await t.readFile(out)).toString()).toBe('with y z\nhere\n');
  });
});

describe('detached jobs across an unplug', () => {
  it('a detached job keeps running while the device is unplugged; its result is read after it returns', async () => {
    const sim7 = await AdbDeviceSimulator.start({ profile: 'sm8450' });
    try {
      const { gauge } = await gaugeWithAndroid();
      const [d] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: sim7.address })) as AdbDevice[];
      const t = d!.transport;
      const dir = await t.workDir();
      await t.spawnDetached!('sh', ['-c', 'sleep 1; echo measured; exit 0'], { cwd: dir, outFile: `${dir}/u.out`, rcFile: `${dir}/u.rc` });
      await sim7.unplug();
      expect(isGaugeError(await d!.battery().catch((x) => x), 'DEVICE_LOST')).toBe(true);
      await sleep(1500);
      await sim7.replug();
      expect(await d!.waitForReturn!(20_000)).toBe(true);
      expect((await t.readFile(`${dir}/u.rc`)).toString().trim()).toBe('0');
      expect((await t.readFile(`${dir}/u.out`)).toString()).toBe('measured\n');
    } finally {
      await adb.adb(['disconnect', sim7.address]);
      await sim7.close();
    }
  }, 40_000);
});

describe('hygiene and returning devices', () => {
  it('prepare applies screen off, stay awake and Wi-Fi off, and reads the CPU state', async () => {
    const r = await device.prepare!({ screenOff: true, stayAwake: true, wifiOff: true });
    expect(r.applied).toEqual(['screenOff', 'stayAwake', 'wifiOff']);
    expect(r.failed).toEqual([]);
    expect(sim.toolCalls('input').map((c) => c.args)).toContainEqual(['keyevent', '223']);
    expect(sim.stateOf('screen')).toBe('off');
    expect(sim.stateOf('wifi')).toMatch(/off|disabled/);
    expect(r.governors).toEqual(Array(8).fill('walt'));
    expect(r.curFreqsMHz).toHaveLength(8);
    const s = await device.cpuState!();
    expect(s.governors).toHaveLength(8);
    expect(s.curFreqsMHz!.every((f) => f > 0)).toBe(true);
  });

  it('a step the device refuses is recorded as failed with its words, the others still applied', async () => {
    const sim5 = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      // This build's `svc` knows no wifi subcommand (an old or locked-down build).
      sim5.installTool('svc', '#!/bin/sh\nif [ "$1" = wifi ]; then echo "Unknown command: wifi"; exit 1; fi\nexit 0\n');
      const { gauge } = await gaugeWithAndroid();
      const [d] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: sim5.address })) as AdbDevice[];
      const r = await d!.prepare!({ screenOff: true, stayAwake: true, wifiOff: true });
      expect(r.applied).toEqual(['screenOff', 'stayAwake']);
      expect(r.failed).toEqual([{ what: 'wifiOff', why: 'Unknown command: wifi' }]);
      expect((await d!.prepare!({})).applied).toEqual([]);
    } finally {
      await adb.adb(['disconnect', sim5.address]);
      await sim5.close();
    }
  });

  it('waitForReturn: true once the device is back (re-connected), false when it stays away', async () => {
    const sim3 = await AdbDeviceSimulator.start({ profile: 'sm7125' });
    try {
      const { gauge } = await gaugeWithAndroid();
      const [d] = (await gauge.devices({ kind: 'adb', server: adb.address, serial: sim3.address })) as AdbDevice[];
      expect(await d!.waitForReturn!(2000)).toBe(true);
      await sim3.unplug();
      expect(await d!.waitForReturn!(1500)).toBe(false);
      setTimeout(() => void sim3.replug(), 800);
      const t0 = Date.now();
      expect(await d!.waitForReturn!(20_000)).toBe(true);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
      expect((await d!.transport.exec('echo', ['back'])).stdout).toBe('back\n');
    } finally {
      await adb.adb(['disconnect', sim3.address]);
      await sim3.close();
    }
  }, 40_000);
});
