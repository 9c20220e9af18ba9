/**
 * The ADB device simulator through the REAL adb server (Debian adb 1.0.41), each file with its own private server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdbDeviceSimulator } from '../src/index.js';
import { startAdbServer, type PrivateAdbServer } from '../../../test-support/adb-server.js';
import { fixture, missing } from '../../../test-support/fixtures.js';

let server: PrivateAdbServer;
let phone: AdbDeviceSimulator;
let mid: AdbDeviceSimulator;
const work = mkdtempSync(join(tmpdir(), 'gaugenn-simtest-'));

const sh = async (sim: AdbDeviceSimulator, cmd: string) => (await server.adb(['-s', sim.address, 'shell', cmd])).stdout;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(f: () => T | Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v as NonNullable<T>;
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await sleep(100);
  }
}
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  server = await startAdbServer();
  phone = await AdbDeviceSimulator.start({ profile: 'sm8450', serial: 'SIMS22A' });
  mid = await AdbDeviceSimulator.start({ profile: 'sm7125', serial: 'SIMA52B' });
  await server.connect(phone);
  await server.connect(mid);
});

afterAll(async () => {
  await server?.kill();
  await phone?.close();
  await mid?.close();
});

describe('ADB device simulator through the real adb server', () => {
  it('lists two simulators at once with product, model and device from the CNXN banner', async () => {
    const rows = await server.devices();
    const a = rows.find((r) => r.serial === phone.address);
    const b = rows.find((r) => r.serial === mid.address);
    expect(a?.state).toBe('device');
    // adb itself turns '-' into '_' in `devices -l`.
    expect(a?.fields).toMatchObject({ product: 'r0quew', model: 'SM_S901U', device: 'r0q' });
    expect(b?.fields).toMatchObject({ product: 'a52qnsxx', model: 'SM_A525F', device: 'a52q' });
  });

  it('answers getprop like the phone it simulates', async () => {
    expect((await sh(phone, 'getprop ro.soc.model')).trim()).toBe('SM8450');
    expect((await sh(mid, 'getprop ro.soc.model')).trim()).toBe('');
    expect((await sh(mid, 'getprop ro.board.platform')).trim()).toBe('atoll');
    expect((await sh(phone, 'getprop ro.serialno')).trim()).toBe('SIMS22A');
    expect((await sh(phone, 'getprop ro.build.version.sdk')).trim()).toBe('33');
    const all = await sh(phone, 'getprop');
    expect(all).toContain('[ro.product.cpu.abilist]: [arm64-v8a,armeabi-v7a,armeabi]');
    expect((await sh(phone, 'getprop no.such.prop fallback')).trim()).toBe('fallback');
  });

  it('reads cpufreq, thermal and power_supply files in sysfs units, and /proc/cpuinfo', async () => {
    const freqs = await sh(phone, 'for c in 0 1 2 3 4 5 6 7; do cat /sys/devices/system/cpu/cpu$c/cpufreq/cpuinfo_max_freq; done');
    expect(freqs.trim().split(/\s+/).map(Number)).toEqual([1785600, 1785600, 1785600, 1785600, 2496000, 2496000, 2496000, 2995200]);
    expect((await sh(mid, 'cat /sys/devices/system/cpu/possible')).trim()).toBe('0-7');
    expect((await sh(phone, 'cat /sys/class/thermal/thermal_zone1/type')).trim()).toBe('cpu-0-0-usr');
    expect(Number(await sh(phone, 'cat /sys/class/thermal/thermal_zone1/temp'))).toBe(34200);
    expect((await sh(phone, 'cat /sys/class/power_supply/battery/capacity /sys/class/power_supply/usb/online')).trim().split(/\s+/)).toEqual(['87', '1']);
    expect((await sh(phone, 'cat /sys/class/kgsl/kgsl-3d0/gpu_model')).trim()).toBe('Adreno730v2');
    expect(await sh(mid, 'dumpsys SurfaceFlinger | grep GLES')).toMatch(/^GLES: Qualcomm, Adreno \(TM\) 618, OpenGL ES 3\.2/);
    const cpuinfo = await sh(phone, 'cat /proc/cpuinfo');
    expect(cpuinfo.match(/^processor/gm)).toHaveLength(8);
    expect(cpuinfo).toContain('CPU part\t: 0xd48');
    expect((await sh(phone, 'uname -m; nproc')).trim().split(/\s+/)).toEqual(['aarch64', '8']);
  });

  it('runs a pushed script with the Android shebang #!/system/bin/sh', async () => {
    const script = join(work, 'android.sh');
    const text = '#!/system/bin/sh\necho "android script on $(getprop ro.product.model)"\n';
    writeFileSync(script, text, { mode: 0o755 });
    expect((await server.adb(['-s', mid.address, 'push', script, '/data/local/tmp/android.sh'])).code).toBe(0);
    expect(await sh(mid, '/data/local/tmp/android.sh')).toBe('android script on SM-A525F\n');
    expect(await sh(mid, 'stat -c %s /data/local/tmp/android.sh')).toBe(`${text.length}\n`);
  });

  it('cools down gradually, and shows a throttled cpufreq', async () => {
    phone.heat('all', 50);
    phone.cool('all', { overMs: 1500 });
    await sleep(700);
    const mid1 = Number(await sh(phone, 'cat /sys/class/thermal/thermal_zone1/temp'));
    expect(mid1).toBeLessThan(50_000);
    expect(mid1).toBeGreaterThan(34_200);
    await sleep(1200);
    expect(Number(await sh(phone, 'cat /sys/class/thermal/thermal_zone1/temp'))).toBe(34_200);
    phone.setCpuFreq(7, 1_497_600);
    expect((await sh(phone, 'cat /sys/devices/system/cpu/cpu7/cpufreq/scaling_cur_freq')).trim()).toBe('1497600');
  });

  const captured = fixture('android/benchmark_model_outputs/05_cli_gpu_opencl_full_delegation_tf_issue43541.txt');
  it.skipIf(missing(captured))('a replaying stand-in prints a captured benchmark_model output, logs to logcat and records its arguments', async () => {
    const output = readFileSync(captured);
    phone.installReplay('/data/local/tmp/gaugenn/benchmark_model', {
      output,
      runMs: 300,
      exitCode: 0,
      logcat: [{ tag: 'tflite', message: 'Created TensorFlow Lite delegate for GPU.' }],
    });
    await sh(phone, 'logcat -c');
    const out = await server.adb(['-s', phone.address, 'shell', 'taskset f0 /data/local/tmp/gaugenn/benchmark_model --graph=/data/local/tmp/gaugenn/m.tflite --use_gpu=true; echo __EXIT__$?']);
    expect(out.stdout).toBe(`${output.toString()}__EXIT__0\n`);
    expect(phone.toolCalls('benchmark_model').at(-1)?.args).toEqual(['--graph=/data/local/tmp/gaugenn/m.tflite', '--use_gpu=true']);
    expect(phone.toolCalls('taskset').at(-1)?.args).toEqual(['f0', '/data/local/tmp/gaugenn/benchmark_model', '--graph=/data/local/tmp/gaugenn/m.tflite', '--use_gpu=true']);
    expect(await sh(phone, 'logcat -d -s tflite')).toMatch(/ I tflite  : Created TensorFlow Lite delegate for GPU\.\n$/);
    phone.installReplay('failing_tool', { output: 'ERROR: boom\n', exitCode: 3 });
    expect(await sh(phone, 'failing_tool; echo "rc=$?"')).toBe('ERROR: boom\nrc=3\n');
  });

  it('merges stderr into the output and carries no exit code (legacy shell:)', async () => {
    const r = await server.adb(['-s', phone.address, 'shell', 'echo out; echo err >&2; exit 3']);
    expect(r.stdout).toBe('out\nerr\n');
    expect(r.code).toBe(0);
  });

  it('maps Android paths both ways: the command sees the sandbox, the output shows Android paths', async () => {
    const out = await sh(phone, 'mkdir -p /data/local/tmp/x && touch /data/local/tmp/x/a && ls -d /data/local/tmp/x/* && cd /sdcard && pwd && echo > /dev/null && echo ok');
    expect(out).toBe('/data/local/tmp/x/a\n/sdcard\nok\n');
    expect(existsSync(phone.hostPath('/data/local/tmp/x/a'))).toBe(true);
  });

  it('pushes and pulls a 3 MB file with the same sha256', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const local = join(work, 'big.bin');
    writeFileSync(local, data);
    utimesSync(local, 1_600_000_000, 1_600_000_000);
    const push = await server.adb(['-s', phone.address, 'push', local, '/data/local/tmp/gaugenn/big.bin']);
    expect(push.code, push.stderr + push.stdout).toBe(0);
    expect(sha(readFileSync(phone.hostPath('/data/local/tmp/gaugenn/big.bin')))).toBe(sha(data));
    // DONE carries the local file's mtime, which the device applies.
    expect(Number(await sh(phone, 'stat -c %Y /data/local/tmp/gaugenn/big.bin'))).toBe(Math.floor(statSync(local).mtimeMs / 1000));
    const back = join(work, 'back.bin');
    const pull = await server.adb(['-s', phone.address, 'pull', '/data/local/tmp/gaugenn/big.bin', back]);
    expect(pull.code, pull.stderr + pull.stdout).toBe(0);
    expect(sha(readFileSync(back))).toBe(sha(data));
    expect((await sh(phone, 'sha256sum /data/local/tmp/gaugenn/big.bin')).split(/\s+/)).toEqual([sha(data), '/data/local/tmp/gaugenn/big.bin', '']);
  });

  it('push to a missing folder with a trailing slash fails as on a phone; adb install (push install) succeeds', async () => {
    const f = join(work, 'app.apk');
    writeFileSync(f, randomBytes(1000));
    const r = await server.adb(['-s', phone.address, 'push', f, '/sdcard/NoSuchDir/']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("remote couldn't create file: Is a directory");
    const inst = await server.adb(['-s', phone.address, 'install', f]);
    expect(inst.stdout).toContain('Success');
    expect(phone.toolCalls('pm').at(-1)?.args[0]).toBe('install');
  });

  it('runs a pushed host script by its Android path after chmod +x, with LD_LIBRARY_PATH recorded', async () => {
    const script = join(work, 'runner.sh');
    writeFileSync(script, '#!/bin/sh\necho "runner got $# args: $*"\necho "lib=$LD_LIBRARY_PATH"\n');
    expect((await server.adb(['-s', phone.address, 'push', script, '/data/local/tmp/gaugenn/runner.sh'])).code).toBe(0);
    const out = await sh(phone, 'chmod +x /data/local/tmp/gaugenn/runner.sh && LD_LIBRARY_PATH=/data/local/tmp/gaugenn/lib /data/local/tmp/gaugenn/runner.sh --graph=/data/local/tmp/gaugenn/m.tflite --num_threads=4');
    expect(out).toBe('runner got 2 args: --graph=/data/local/tmp/gaugenn/m.tflite --num_threads=4\nlib=/data/local/tmp/gaugenn/lib\n');
    const cmd = phone.commands.find((c) => c.command.includes('runner.sh --graph'));
    expect(cmd?.command).toMatch(/^chmod \+x .* && LD_LIBRARY_PATH=\/data\/local\/tmp\/gaugenn\/lib /);
    expect(cmd?.endedBy).toBe('exit');
  });

  it('streams large output under a small max payload with flow control intact', async () => {
    const small = await AdbDeviceSimulator.start({ maxPayload: 4096 });
    try {
      await server.connect(small);
      const out = (await server.adb(['-s', small.address, 'shell', 'seq 1 200000'])).stdout;
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(200000);
      expect(lines[199999]).toBe('200000');
    } finally {
      await server.adb(['disconnect', small.address]);
      await small.close();
    }
  });

  it('runs several streams at once on one device', async () => {
    const outs = await Promise.all([1, 2, 3, 4].map((i) => sh(phone, `sleep 1; echo s${i}`)));
    expect(outs).toEqual(['s1\n', 's2\n', 's3\n', 's4\n']);
    // The four commands ran at the same time: every one started before any ended.
    const runs = phone.commands.filter((c) => /^sleep 1; echo s\d$/.test(c.command));
    expect(runs).toHaveLength(4);
    expect(Math.max(...runs.map((c) => c.startedAt))).toBeLessThan(Math.min(...runs.map((c) => c.endedAt!)));
  });

  it('kills a long command when its stream is closed, but a nohup job survives', async () => {
    const client = spawn('adb', ['-P', String(server.port), '-s', phone.address, 'shell', 'sleep 300'], { stdio: 'ignore' });
    const cmd = await until(() => phone.commands.find((c) => c.command === 'sleep 300' && c.pid));
    expect(alive(cmd.pid!)).toBe(true);
    await sh(phone, 'nohup sh -c "sleep 4; echo done > /data/local/tmp/nohup.out" > /dev/null 2>&1 &');
    client.kill('SIGINT'); // the adb client goes away, the server closes the stream
    await until(() => cmd.endedAt !== undefined);
    expect(cmd.endedBy).toBe('stream-closed');
    expect(alive(cmd.pid!)).toBe(false);
    await until(() => existsSync(phone.hostPath('/data/local/tmp/nohup.out')), 15_000);
    expect(await sh(phone, 'cat /data/local/tmp/nohup.out')).toBe('done\n');
  });

  it('heat changes the thermal zone reading, and cool restores it', async () => {
    phone.heat('cpu-1', 47.5);
    expect(Number(await sh(phone, 'cat /sys/class/thermal/thermal_zone5/temp'))).toBe(47500);
    expect(await sh(phone, 'dumpsys thermalservice')).toContain('Temperature{mValue=47.5, mType=0, mName=cpu-1-0-usr, mStatus=0}');
    expect(Number(await sh(phone, 'cat /sys/class/thermal/thermal_zone1/temp'))).toBe(34200);
    phone.cool();
    expect(Number(await sh(phone, 'cat /sys/class/thermal/thermal_zone5/temp'))).toBe(35300);
  });

  it('setBattery shows in sysfs and dumpsys battery; shims record hygiene commands', async () => {
    mid.setBattery({ levelPct: 12, usbPowered: false, tempC: 31.2 });
    const dump = await sh(mid, 'dumpsys battery');
    expect(dump).toContain('  USB powered: false');
    expect(dump).toContain('  level: 12');
    expect(dump).toContain('  temperature: 312');
    expect((await sh(mid, 'cat /sys/class/power_supply/battery/status')).trim()).toBe('Discharging');
    await sh(mid, 'input keyevent 223; svc wifi disable; svc power stayon usb; settings put global stay_on_while_plugged_in 2; taskset c0 echo pinned');
    expect(mid.stateOf('screen')).toBe('off');
    expect(mid.stateOf('wifi')).toBe('disabled');
    expect((await sh(mid, 'settings get global stay_on_while_plugged_in')).trim()).toBe('2');
    expect(mid.toolCalls('taskset').at(-1)?.args).toEqual(['c0', 'echo', 'pinned']);
  });

  it('keeps a logcat that stand-ins append to (tag tflite), with -d, -s and -c', async () => {
    await sh(phone, 'logcat -c');
    phone.log('tflite', 'Created TensorFlow Lite XNNPACK delegate for CPU.');
    await sh(phone, 'log -t other "unrelated line"');
    expect(await sh(phone, 'logcat -d')).toMatch(/I tflite  : Created TensorFlow Lite XNNPACK delegate for CPU\.\n.* I other   : unrelated line\n$/);
    const only = await sh(phone, 'logcat -d -s tflite');
    expect(only.trim().split('\n')).toHaveLength(1);
    await sh(phone, 'logcat -c');
    expect(await sh(phone, 'logcat -d')).toBe('');
  });

  it('unplug: offline at once, detached job keeps running; replug: back by itself, or at once with disconnect+connect', async () => {
    mid.setBattery({ usbPowered: true });
    await sh(mid, 'setsid sh -c "sleep 2; echo unplugged-run > /data/local/tmp/result.txt" > /dev/null 2>&1 &');
    const long = spawn('adb', ['-P', String(server.port), '-s', mid.address, 'shell', 'sleep 300'], { stdio: 'ignore' });
    const cmd = await until(() => mid.commands.find((c) => c.command === 'sleep 300' && c.pid));
    await mid.unplug();
    await server.waitFor(mid.address, 'offline', 5000);
    expect(readFileSync(mid.hostPath('/sys/class/power_supply/usb/online'), 'utf8')).toBe('0\n');
    await until(() => cmd.endedAt !== undefined);
    expect(cmd.endedBy).toBe('unplugged');
    expect(alive(cmd.pid!)).toBe(false);
    expect(mid.batteryState().usbPowered).toBe(false);
    await until(() => existsSync(mid.hostPath('/data/local/tmp/result.txt')), 10_000);
    // While unplugged, `adb connect` is refused (adb 1.0.41 still exits 0) and the device stays listed offline.
    expect((await server.adb(['connect', mid.address])).stdout).toMatch(/Connection refused/);
    await mid.replug();
    // adb 1.0.41 retries an offline TCP device by itself about every 10 s.
    const ms = await server.waitFor(mid.address, 'device', 25_000);
    expect(ms).toBeGreaterThan(0);
    expect(await sh(mid, 'cat /data/local/tmp/result.txt')).toBe('unplugged-run\n');
    expect(mid.batteryState().usbPowered).toBe(true);
    expect((await sh(mid, 'cat /sys/class/power_supply/usb/online')).trim()).toBe('1');
    long.kill();
    // The quick way back: forget the offline device, plug in, connect again.
    await mid.unplug();
    await server.waitFor(mid.address, 'offline', 5000);
    await server.adb(['disconnect', mid.address]);
    await server.waitFor(mid.address, 'gone', 5000);
    await mid.replug();
    await server.connect(mid);
    expect((await sh(mid, 'echo back')).trim()).toBe('back');
    // Or let replug tell the server, as a USB replug would be seen at once.
    await mid.unplug();
    await server.waitFor(mid.address, 'offline', 5000);
    await mid.replug({ adbServerPort: server.port });
    expect((await server.devices()).find((d) => d.serial === mid.address)?.state).toBe('device');
    expect((await sh(mid, 'echo again')).trim()).toBe('again');
  }, 90_000);
});
