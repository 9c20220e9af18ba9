/** RFC 4180 CSV: comma-separated, CRLF line ends, fields with `,` `"` CR or LF quoted, quotes doubled. */

/** A cell: numbers are written in full precision (`String(x)`), so they parse back to the same double. */
export type CsvCell = string | number | boolean | null | undefined;

/** Quote one field if RFC 4180 requires it. NaN and null/undefined become empty fields. */
export function csvField(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV document with a header row. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return lines.join('\r\n') + '\r\n';
}
