/**
 * Split CSV lines the way power-monitor exports write them: no quoting, one delimiter. Written by hand (a CSV
 * library would not help) because the hard case is PowerTool's comma-decimal locale export, which writes `4,19`
 * for 4.19 with commas between fields too: a row then has exactly twice as many tokens as the header has columns,
 * and each pair is one number. PyMonsoon ends every line with a trailing comma.
 */
export function delimiterOf(header: string): string {
  if (header.includes('\t')) return '\t';
  if (header.includes(';')) return ';';
  return ',';
}

/** Column names of a header line (a trailing empty column from a trailing delimiter is dropped). */
export function headerColumns(line: string, delim: string): string[] {
  const cols = line.split(delim).map((s) => s.trim());
  while (cols.length && cols[cols.length - 1] === '') cols.pop();
  return cols;
}

/** Numbers of one data row, or a reason it cannot be read. */
export function rowValues(line: string, delim: string, columns: number): number[] | string {
  let tok = line.split(delim).map((s) => s.trim());
  if (tok.length > columns && tok[tok.length - 1] === '') tok = tok.slice(0, -1);
  let vals: string[];
  if (tok.length === columns) vals = delim === ',' ? tok : tok.map((s) => s.replace(',', '.'));
  else if (delim === ',' && tok.length === 2 * columns) vals = Array.from({ length: columns }, (_, k) => `${tok[2 * k]}.${tok[2 * k + 1]}`);
  else return `${tok.length} fields for ${columns} columns`;
  const out = vals.map(Number);
  const bad = out.findIndex((v, i) => !Number.isFinite(v) || vals[i] === '');
  return bad >= 0 ? `field ${bad + 1} ("${vals[bad]}") is not a number` : out;
}
