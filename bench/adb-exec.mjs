/**
 * Cost of one command through gaugeNN's ADB transport (marker-wrapped legacy shell, exit code recovered) against
 * the bare calls it is built on: adbkit's `shell()` read to the end (no exit code, no loss detection) and the
 * `adb shell` command line tool. Also a cached push that finds its file (one sync STAT) against a plain push of
 * the same 1 MiB. Device: the ADB device SIMULATOR through a private real adb server (a phone over USB adds its
 * own link latency to every column alike). Run after `npm ci` (it uses the built packages):
 *   node bench/adb-exec.mjs [rounds]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Gauge, defaultConfig } from '@gaugenn/core';
import android, { AdbDeviceSimulator, DEVICE_ROOT } from '@gaugenn/plugin-android';
import adbkit from '@devicefarmer/adbkit';

const run = promisify(execFile);
const rounds = Number(process.argv[2] ?? 40);
const port = 15000 + Math.floor(Math.random() * 20000);
const adb = (...a) => run('adb', ['-P', String(port), ...a]);

await adb('start-server');
const sim = await AdbDeviceSimulator.start({ profile: 'sm8450' });
try {
  await adb('connect', sim.address);
  const gauge = new Gauge(defaultConfig());
  await android.apply(gauge, { startAdbServer: false });
  const [device] = await gauge.devices({ kind: 'adb', server: `127.0.0.1:${port}`, serial: sim.address });
  const t = device.transport;
  const client = adbkit.Adb.createClient({ port });
  const dc = client.getDevice(sim.address);

  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  /** Median ms of each function, the functions taking turns each round so load drifts hit them alike. */
  async function time(fs) {
    for (const f of fs) await f();
    const ms = fs.map(() => []);
    for (let i = 0; i < rounds; i++) {
      for (const [k, f] of fs.entries()) {
        const t0 = process.hrtime.bigint();
        await f();
        ms[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    return ms.map(median);
  }

  const [bare, ours, cli] = await time([
    async () => adbkit.Adb.util.readAll(await dc.shell('echo hi')),
    () => t.exec('echo', ['hi']),
    () => adb('-s', sim.address, 'shell', 'echo hi'),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'gaugenn-bench-adb-'));
  const file = join(dir, 'blob.bin');
  writeFileSync(file, Buffer.alloc(1 << 20, 7));
  await t.pushCached(file);
  const [plain, cached] = await time([() => t.push(file, `${DEVICE_ROOT}/work/blob.bin`), () => t.pushCached(file)]);

  const row = (name, ms, base) => console.log(`${name.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms   ${(ms / base).toFixed(2)}×`);
  console.log(`median of ${rounds} rounds, ADB device simulator via a private adb server (port ${port})`);
  row('adbkit shell(), read to the end (baseline)', bare, bare);
  row('gaugeNN exec (markers, exit code)', ours, bare);
  row('adb shell (command line tool)', cli, bare);
  row('plain push of 1 MiB (baseline)', plain, plain);
  row('pushCached of the same 1 MiB, already there', cached, plain);
} finally {
  await sim.close();
  await adb('kill-server').catch(() => {});
}
