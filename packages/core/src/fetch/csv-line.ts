/**
 * Split one CSV line into fields (RFC 4180 quoting: `"a,b"`, doubled `""`). Written by hand because lists such as
 * AndroZoo's are tens of millions of lines streamed through a filter: a per-line split with no allocation beyond
 * the fields is several times faster than a general CSV parser's streaming machinery, and the lists never put
 * line breaks inside fields.
 */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) { v += line.slice(i); i = n; break; }
        v += line.slice(i, q);
        if (line[q + 1] === '"') { v += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      out.push(v);
      const c = line.indexOf(',', i);
      i = c < 0 ? n + 1 : c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) { out.push(line.slice(i)); break; }
      out.push(line.slice(i, c));
      i = c + 1;
      if (i === n) { out.push(''); break; }
    }
  }
  return out;
}
