import { describe, expect, it } from 'vitest';
import { isGaugeError } from '@gaugenn/core';
import { detectFormat, parseGenericCsv, parsePowerToolCsv, toPowerTrace } from '../src/index.js';

describe('trace importers', () => {
  it('PowerTool: units from the header, comma-decimal rows as pairs (energy-facts §2: 20 tokens for 10 columns)', () => {
    const header = 'Time (ms),Main Avg Current (mA),Main Avg Power (mW),Main Avg Voltage (V),Main Min Current (mA),Main Min Power (mW),Main Min Voltage (V),Main Max Current (mA),Main Max Power (mW),Main Max Voltage (V)';
    // The first row of a real comma-locale export: 0,00 ms; 165,000 mA; 691,763 mW; 4,19 V; …
    const text = `${header}\n0,00,165,000,691,763,4,19,165,000,691,763,4,19,165,000,691,763,4,19\n20,00,170,500,714,395,4,19,165,000,691,763,4,19,175,000,733,250,4,19\n`;
    expect(detectFormat(text)).toBe('powertool');
    const t = parsePowerToolCsv(text);
    expect(Array.from(t.timesS)).toEqual([0, 0.02]);
    expect(t.powerW[0]).toBeCloseTo(0.691763, 9);
    expect(t.powerW[1]).toBeCloseTo(0.714395, 9);
    expect(t.from).toBe('Main Avg Power (mW)');
    expect(t.stepwise).toBe(true);
  });

  it('PowerTool without a power column: Avg Current × Avg Voltage, in the header units; semicolon exports', () => {
    const t = parsePowerToolCsv('Time (s);Main Avg Current (A);Main Avg Voltage (mV)\n0,5;0,25;4000\n1,5;0,5;4000\n');
    expect(Array.from(t.timesS)).toEqual([0.5, 1.5]);
    expect(Array.from(t.powerW)).toEqual([1, 2]);
    expect(toPowerTrace(t).t0Ms).toBe(500);
  });

  it('generic CSV and PyMonsoon CSV ("Time(ms)" holds seconds, trailing commas)', () => {
    const g = parseGenericCsv('time_s,current_a,voltage_v\n0,0.5,4\n0.1,1,4\n');
    expect(Array.from(g.powerW)).toEqual([2, 4]);
    const p = parseGenericCsv('Time(ms),Main(mA),Main Voltage(V),\n0.0002,250,4.0,\n0.0004,500,4.0,\n');
    expect(p.format).toBe('pymonsoon');
    expect(Array.from(p.timesS)).toEqual([0.0002, 0.0004]);
    expect(Array.from(p.powerW)).toEqual([1, 2]);
  });

  it('a row that does not fit the header is TRACE_MALFORMED with its line number', () => {
    const e = (() => { try { parseGenericCsv('time_s,current_a,voltage_v\n0,1,4\n0.1,x,4\n', 't.csv'); } catch (x) { return x; } })();
    expect(isGaugeError(e, 'TRACE_MALFORMED')).toBe(true);
    expect((e as Error).message).toMatch(/t\.csv: line 3: field 2 \("x"\) is not a number/);
    expect(() => parsePowerToolCsv('Time (hours),Main Avg Power (mW)\n0,1\n1,1\n')).toThrow(/no time unit/);
  });
});
