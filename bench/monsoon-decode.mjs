/**
 * Monsoon decoder throughput against the monitor's real-time rate: 5 kHz samples, each with three channels
 * (main, USB, aux current) and two voltages. The baseline is what the monitor produces per second; the goal is the
 * decoder running ≥ 100× faster than that on one core (this script runs on the main thread only). Input: generated
 * 64-byte HVPM packets (three records each, calibration records first, as the protocol facts lay them out).
 * Run after `npm ci` (it uses the built packages):
 *   node bench/monsoon-decode.mjs [--seconds 120] [--repeat 5]
 */
import { MonsoonDecoder, HVPM_DEFAULT_SCALES, HVPM_DEFAULT_ZERO_OFFSETS, SAMPLE_RATE_HZ } from '@gaugenn/plugin-energy-monsoon';

const arg = (name, d) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const seconds = arg('seconds', 120);
const repeat = arg('repeat', 5);
const samples = seconds * SAMPLE_RATE_HZ;
const packets = Math.ceil(samples / 3);

function packet(type, f) {
  const p = new Uint8Array(64);
  p[2] = 0x20;
  p[3] = 3;
  for (let k = 0; k < 3; k++) {
    const o = 4 + 18 * k;
    for (let i = 0; i < 8; i++) { p[o + 2 * i] = f[i] >> 8; p[o + 2 * i + 1] = f[i] & 0xff; }
    p[o + 17] = type;
  }
  return p;
}
// One buffer of packets: 4 calibration packets (zero, ref, zero, ref → 6 of each), then measurements whose
// main current wanders across the fine/coarse switch so both paths are exercised.
const stream = [packet(0x10, [985, 985, 1000, 1000, 1000, 1000, 0, 0]), packet(0x30, [1640, 4650, 2000, 2000, 2000, 2000, 0, 0]),
  packet(0x10, [985, 985, 1000, 1000, 1000, 1000, 0, 0]), packet(0x30, [1640, 4650, 2000, 2000, 2000, 2000, 0, 0])];
for (let i = 0; i < packets; i++) {
  const fine = 20000 + ((i * 7919) % 46000); // some above 64000 → coarse
  stream.push(packet(0x00, [1000 + (i % 900), fine, 1100, 3000, 1000, 1200, 16800, 20000]));
}

function run() {
  const d = new MonsoonDecoder({ model: 'HVPM', scales: HVPM_DEFAULT_SCALES, zeroOffsets: HVPM_DEFAULT_ZERO_OFFSETS });
  const t0 = process.hrtime.bigint();
  for (const p of stream) d.push(p);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (d.out.length < samples) throw new Error(`decoded ${d.out.length} of ${samples} samples`);
  return { s, n: d.out.length };
}
run(); // warm up the JIT
const runs = Array.from({ length: repeat }, run).sort((a, b) => a.s - b.s);
const med = runs[Math.floor(runs.length / 2)];
const rate = med.n / med.s;
const rt = SAMPLE_RATE_HZ;
const pad = (s, n) => String(s).padStart(n);
console.log(`Monsoon decoder, ${seconds} s of 5 kHz HVPM packets (${stream.length} packets, ${med.n} samples), median of ${repeat}, one core`);
console.log(`${''.padEnd(28)}${pad('samples/s', 14)}${pad('channel values/s', 18)}${pad('packets/s', 12)}`);
console.log(`${'real time (the monitor)'.padEnd(28)}${pad(rt.toLocaleString('en'), 14)}${pad((rt * 3).toLocaleString('en'), 18)}${pad(Math.round(rt / 3).toLocaleString('en'), 12)}`);
console.log(`${'decoder'.padEnd(28)}${pad(Math.round(rate).toLocaleString('en'), 14)}${pad(Math.round(rate * 3).toLocaleString('en'), 18)}${pad(Math.round(rate / 3).toLocaleString('en'), 12)}`);
console.log(`ratio: ${(rate / rt).toFixed(0)}× real time (goal ≥ 100×); ${(med.s * 1000).toFixed(1)} ms for ${seconds} s of trace`);
