import { delimiterOf, headerColumns, rowValues } from './csv-fields.js';
import { malformed, type ImportedTrace } from './imported-trace.js';

/**
 * Read the generic trace CSV: header `time_s,current_a,voltage_v` (SI units; `power_w` may replace the last two),
 * then one row per sample. PyMonsoon's own CSV (`Time(ms),Main(mA),…,Main Voltage(V),` with a trailing comma) is read
 * too; its "Time(ms)" column actually holds host seconds since start (PyMonsoon stamps `time.time() - start`).
 */
export function parseGenericCsv(text: string, file = 'trace'): ImportedTrace {
  const lines = text.split(/\r?\n/);
  const h = lines.findIndex((l) => l.trim() !== '');
  if (h < 0) throw malformed(file, 'the file is empty.');
  const delim = delimiterOf(lines[h]!);
  const cols = headerColumns(lines[h]!, delim);
  const lower = cols.map((c) => c.toLowerCase());
  let format: ImportedTrace['format'] = 'csv';
  let ti = lower.indexOf('time_s');
  let pi = lower.indexOf('power_w');
  let ci = lower.indexOf('current_a');
  let vi = lower.indexOf('voltage_v');
  let cScale = 1;
  if (ti < 0 && lower[0] === 'time(ms)') {
    format = 'pymonsoon';
    ti = 0;
    ci = lower.indexOf('main(ma)');
    vi = lower.indexOf('main voltage(v)');
    cScale = 1e-3;
  }
  if (ti < 0 || (pi < 0 && (ci < 0 || vi < 0))) {
    throw malformed(file, `the header must be time_s,current_a,voltage_v (or time_s,power_w); it is "${cols.join(',')}". For PowerTool exports use --format powertool.`);
  }
  const times: number[] = [];
  const powers: number[] = [];
  for (let i = h + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const v = rowValues(lines[i]!, delim, cols.length);
    if (typeof v === 'string') throw malformed(file, `line ${i + 1}: ${v}.`);
    times.push(v[ti]!);
    powers.push(pi >= 0 ? v[pi]! : v[ci]! * cScale * v[vi]!);
  }
  if (times.length < 2) throw malformed(file, 'fewer than two samples.');
  return { format, timesS: Float64Array.from(times), powerW: Float64Array.from(powers), from: pi >= 0 ? 'power_w' : `${cols[ci]} × ${cols[vi]}` };
}
