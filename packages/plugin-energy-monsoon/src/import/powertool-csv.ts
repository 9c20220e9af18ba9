import { delimiterOf, headerColumns, rowValues } from './csv-fields.js';
import { malformed, type ImportedTrace } from './imported-trace.js';

const UNIT: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, A: 1, mA: 1e-3, uA: 1e-6, 'µA': 1e-6, W: 1, mW: 1e-3, uW: 1e-6, 'µW': 1e-6, V: 1, mV: 1e-3 };

/** `Main Avg Power (mW)` → { name: 'Main Avg Power', unit: 'mW' }. */
function split(col: string): { name: string; unit?: string } {
  const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(col);
  return m ? { name: m[1]!.trim(), unit: m[2]!.trim() } : { name: col.trim() };
}

function scale(file: string, col: string, unit: string | undefined, kind: string): number {
  const f = unit !== undefined ? UNIT[unit] : undefined;
  if (f === undefined) throw malformed(file, `column "${col}" has no ${kind} unit gaugeNN knows (${Object.keys(UNIT).join(', ')}).`);
  return f;
}

/**
 * Read a Monsoon PowerTool CSV export. Units come from the header's parentheses (`Time (ms)` or `Time (s)`,
 * `(mA)`/`(A)`, `(mW)`/`(W)`); power is the Main channel's `Avg Power` column, or `Avg Current × Avg Voltage`
 * when the export has no power column; comma-decimal locale exports are read (see csv-fields.ts).
 * `channel` picks `Main` (default), `USB` or `Aux`.
 */
export function parsePowerToolCsv(text: string, file = 'trace', channel = 'Main'): ImportedTrace {
  const lines = text.split(/\r?\n/);
  const h = lines.findIndex((l) => l.trim() !== '');
  if (h < 0) throw malformed(file, 'the file is empty.');
  const delim = delimiterOf(lines[h]!);
  const cols = headerColumns(lines[h]!, delim);
  const parsed = cols.map(split);
  const ti = parsed.findIndex((c) => /^time$/i.test(c.name));
  if (ti < 0) throw malformed(file, `no "Time (ms)" or "Time (s)" column in the header (${cols.join(', ')}). Is this a PowerTool export?`);
  const find = (re: RegExp) => parsed.findIndex((c) => re.test(c.name));
  const ch = channel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pi = find(new RegExp(`^${ch}\\s+(Avg\\s+)?Power$`, 'i'));
  const ci = find(new RegExp(`^${ch}\\s+(Avg\\s+)?Current$`, 'i'));
  const vi = find(new RegExp(`^${ch}\\s+(Avg\\s+)?Voltage$`, 'i'));
  const tScale = scale(file, cols[ti]!, parsed[ti]!.unit, 'time');
  let from: string;
  let power: (v: number[]) => number;
  if (pi >= 0) {
    const s = scale(file, cols[pi]!, parsed[pi]!.unit, 'power');
    from = cols[pi]!;
    power = (v) => v[pi]! * s;
  } else if (ci >= 0 && vi >= 0) {
    const sc = scale(file, cols[ci]!, parsed[ci]!.unit, 'current');
    const sv = scale(file, cols[vi]!, parsed[vi]!.unit, 'voltage');
    from = `${cols[ci]} × ${cols[vi]}`;
    power = (v) => v[ci]! * sc * v[vi]! * sv;
  } else {
    throw malformed(file, `no ${channel} power, or current and voltage, columns in the header (${cols.join(', ')}).`);
  }
  const times: number[] = [];
  const powers: number[] = [];
  for (let i = h + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const v = rowValues(lines[i]!, delim, cols.length);
    if (typeof v === 'string') throw malformed(file, `line ${i + 1}: ${v}.`);
    times.push(v[ti]! * tScale);
    powers.push(power(v));
  }
  if (times.length < 2) throw malformed(file, 'fewer than two samples.');
  // Rows are averages ("Avg" columns: 100 samples at 5 kHz per 20 ms row), each over the interval it starts.
  const stepwise = /avg/i.test(from);
  return { format: 'powertool', timesS: Float64Array.from(times), powerW: Float64Array.from(powers), from, stepwise };
}
