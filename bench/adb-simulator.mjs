#!/usr/bin/env node
/**
 * What the ADB device simulator adds on top of running the same thing on the host, so figures measured on
 * simulated devices (e.g. gaugeNN's overhead per job) can be read against it. Side by side, with ratios:
 *   shell round trip — `adb shell true` through a private real adb server and the simulator, vs. spawning `sh -c true`
 *   push             — `adb push` of a 64 MB file, vs. copying it on the host (fs.copyFile)
 *   shell output     — `adb shell cat` of that file (64 MB through WRTE/OKAY flow control), vs. spawning `cat` locally
 * Usage: node bench/adb-simulator.mjs [rounds=20] [sizeMB=64]   (build first: npx tsc -b packages/plugin-android)
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { AdbDeviceSimulator } = await import(new URL(`file://${join(root, 'packages/plugin-android/dist/index.js')}`).href);
const rounds = Number(process.argv[2] ?? 20);
const sizeMB = Number(process.argv[3] ?? 64);

const freePort = () => new Promise((res) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); }); });
// Asynchronous on purpose: the simulator lives in this process and must keep answering.
const run = (cmd, args) => new Promise((res, rej) => execFile(cmd, args, { maxBuffer: 1 << 30, encoding: 'buffer' }, (e, out) => (e ? rej(e) : res(out))));
const drain = (cmd, args) => new Promise((res, rej) => { const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] }); let n = 0; c.stdout.on('data', (b) => (n += b.length)); c.on('close', (code) => (code === 0 ? res(n) : rej(new Error(`${cmd} exited ${code}`)))); });
async function time(f, n = 1) { const t0 = performance.now(); for (let i = 0; i < n; i++) await f(); return (performance.now() - t0) / n; }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const port = await freePort();
const adb = (...a) => run('adb', ['-P', String(port), ...a]);
await adb('start-server');
const sim = await AdbDeviceSimulator.start();
const work = mkdtempSync(join(tmpdir(), 'gaugenn-bench-sim-'));
try {
  await adb('connect', sim.address);
  const s = ['-s', sim.address];
  const big = join(work, 'big.bin');
  writeFileSync(big, randomBytes(sizeMB << 20));

  const viaAdb = [], local = [];
  for (let i = 0; i < rounds; i++) {
    viaAdb.push(await time(() => adb(...s, 'shell', 'true')));
    local.push(await time(() => run('sh', ['-c', 'true'])));
  }
  const pushMs = await time(() => adb(...s, 'push', big, '/data/local/tmp/big.bin'));
  const copyMs = await time(() => copyFileSync(big, join(work, 'copy.bin')));
  const catMs = await time(() => drain('adb', ['-P', String(port), ...s, 'shell', 'cat /data/local/tmp/big.bin']));
  const catLocalMs = await time(() => drain('cat', [big]));

  const rows = [
    ['shell round trip (median ms)', median(viaAdb), median(local)],
    [`push ${sizeMB} MB (ms)`, pushMs, copyMs],
    [`shell output ${sizeMB} MB (ms)`, catMs, catLocalMs],
  ];
  console.log(`rounds=${rounds}  size=${sizeMB} MB  (simulator vs. host baseline)`);
  console.log(`${'measure'.padEnd(30)}${'simulator'.padStart(12)}${'baseline'.padStart(12)}${'ratio'.padStart(9)}`);
  for (const [name, a, b] of rows) console.log(`${name.padEnd(30)}${a.toFixed(1).padStart(12)}${b.toFixed(1).padStart(12)}${(a / b).toFixed(1).padStart(8)}×`);
  console.log(`throughput: push ${(sizeMB / (pushMs / 1000)).toFixed(0)} MB/s, shell output ${(sizeMB / (catMs / 1000)).toFixed(0)} MB/s`);
} finally {
  await adb('kill-server').catch(() => {});
  await sim.close();
  rmSync(work, { recursive: true, force: true });
}
