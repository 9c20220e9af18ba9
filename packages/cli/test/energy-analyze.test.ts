import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaugenn } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gaugenn-energy-analyze-'));
const within1pct = (got: number, want: number) => expect(Math.abs(got - want) / Math.abs(want), `${got} vs ${want}`).toBeLessThan(0.01);
const KEYS = ['durationS', 'energyJ', 'avgPowerW', 'baselineW', 'netEnergyJ', 'energyPerInferenceJ'];

/** Square wave: 1 W idle for 0-2 s and 8-10 s; between, 0.2 s at 3 W then 0.2 s at 1 W, repeated (edges on 20 ms rows). */
const squareW = (t: number) => (t >= 2 && t < 8 && Math.floor((t - 2) / 0.2 + 1e-9) % 2 === 0 ? 3 : 1);

async function analyze(file: string, ...flags: string[]) {
  const r = await gaugenn(['energy', 'analyze', file, ...flags, '--json']);
  expect(r.exitCode, r.stderr + r.stdout).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(Object.keys(j).sort()).toEqual([...KEYS].sort());
  return j;
}

describe('gaugenn energy analyze', () => {
  it('square wave over a known baseline (generic CSV at 5 kHz): energy, power, baseline, net and per inference within 1%', async () => {
    const rows = ['time_s,current_a,voltage_v'];
    for (let i = 0; i <= 50000; i++) {
      const t = i / 5000;
      rows.push(`${t.toFixed(4)},${(squareW(t) / 4).toFixed(6)},4.0`);
    }
    const file = join(dir, 'square.csv');
    writeFileSync(file, rows.join('\n'));
    const j = await analyze(file, '--from', '2', '--to', '8', '--baseline-from', '0', '--baseline-to', '2', '--inferences', '60');
    // 6 s averaging 2 W = 12 J; baseline 1 W; net 12 − 6 = 6 J; 6 J / 60 = 0.1 J per inference.
    within1pct(j.durationS, 6);
    within1pct(j.energyJ, 12);
    within1pct(j.avgPowerW, 2);
    within1pct(j.baselineW, 1);
    within1pct(j.netEnergyJ, 6);
    within1pct(j.energyPerInferenceJ, 0.1);
  });

  it('a ramp: whole trace and a window, nulls where no baseline or inferences are given', async () => {
    const rows = ['time_s,current_a,voltage_v'];
    for (let i = 0; i <= 1000; i++) rows.push(`${(i / 100).toFixed(2)},${(i / 100 / 5).toFixed(6)},5`); // P = t W
    const file = join(dir, 'ramp.csv');
    writeFileSync(file, rows.join('\n'));
    const all = await analyze(file, '--format', 'csv');
    within1pct(all.durationS, 10);
    within1pct(all.energyJ, 50); // ∫0..10 t dt
    within1pct(all.avgPowerW, 5);
    expect(all.baselineW).toBeNull();
    expect(all.netEnergyJ).toBeNull();
    expect(all.energyPerInferenceJ).toBeNull();
    const w = await analyze(file, '--from', '2', '--to', '6', '--inferences', '8');
    within1pct(w.energyJ, 16); // (36 − 4) / 2
    within1pct(w.avgPowerW, 4);
    within1pct(w.energyPerInferenceJ, 2); // gross, as no baseline was given
  });

  /**
   * PowerTool's CSV export (energy-facts.md §2): header `Time (ms),Main Avg Current (mA),Main Avg Power (mW),Main Avg
   * Voltage (V),Main Min …,Main Max …`, one row per 20 ms (100-sample averages at 5 kHz). Under a comma-decimal
   * locale the numbers are written `4,19` with commas between fields too, so a row has twice as many tokens.
   */
  function powerTool(decimal: ',' | '.', timeUnit: 'ms' | 's', powerUnit: 'mW' | 'W'): string {
    const cols = ['Time', 'Main Avg Current', 'Main Avg Power', 'Main Avg Voltage', 'Main Min Current', 'Main Min Power', 'Main Min Voltage', 'Main Max Current', 'Main Max Power', 'Main Max Voltage'];
    const units = [timeUnit, 'mA', powerUnit, 'V', 'mA', powerUnit, 'V', 'mA', powerUnit, 'V'];
    const lines = [cols.map((c, i) => `${c} (${units[i]})`).join(',')];
    const num = (v: number, d: number) => (decimal === ',' ? v.toFixed(d).replace('.', ',') : v.toFixed(d));
    for (let i = 0; i <= 500; i++) {
      const tMs = i * 20;
      const pW = squareW(tMs / 1000 + 0.01); // each row averages the 20 ms after its time stamp
      const v = 4.19;
      const mA = (pW / v) * 1000;
      const p = powerUnit === 'mW' ? pW * 1000 : pW;
      const row = [timeUnit === 'ms' ? num(tMs, 2) : num(tMs / 1000, 3), num(mA, 3), num(p, 3), num(v, 2), num(mA, 3), num(p, 3), num(v, 2), num(mA, 3), num(p, 3), num(v, 2)];
      lines.push(row.join(','));
    }
    return lines.join('\r\n') + '\r\n';
  }

  it('a PowerTool CSV export in a comma-decimal locale (units from the header) gives the known answers within 1%', async () => {
    const file = join(dir, 'powertool-comma.csv');
    writeFileSync(file, powerTool(',', 'ms', 'mW'));
    const j = await analyze(file, '--from', '2', '--to', '8', '--baseline-from', '0', '--baseline-to', '2', '--inferences', '60');
    within1pct(j.energyJ, 12);
    within1pct(j.avgPowerW, 2);
    within1pct(j.baselineW, 1);
    within1pct(j.netEnergyJ, 6);
    within1pct(j.energyPerInferenceJ, 0.1);
  });

  it('a PowerTool export in seconds and watts reads the same', async () => {
    const file = join(dir, 'powertool-s-w.csv');
    writeFileSync(file, powerTool('.', 's', 'W'));
    const j = await analyze(file, '--format', 'powertool', '--from', '2', '--to', '8', '--baseline-from', '0', '--baseline-to', '2');
    within1pct(j.energyJ, 12);
    within1pct(j.netEnergyJ, 6);
    expect(j.energyPerInferenceJ).toBeNull();
  });

  it('a malformed trace is a clear error with a non-zero exit', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'time,amps\n0,1\n');
    const r = await gaugenn(['energy', 'analyze', file, '--json']);
    expect(r.exitCode).not.toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.error.code).toBe('TRACE_MALFORMED');
    expect(j.error.message).toMatch(/time_s,current_a,voltage_v/);
  });
});
