/**
 * Streaming reader of AndroZoo's list (`latest.csv.gz`: `sha256,sha1,md5,dex_date,apk_size,pkg_name,vercode,
 * vt_detection,vt_scan_date,dex_size,markets`), gzipped or not, with the selection filters applied row by row, so
 * memory stays flat however long the list is (only the selected rows are kept; `latestPerPackage` keeps one row per
 * selected package).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { GaugeError, splitCsvLine } from '@gaugenn/core';

/** One APK of the list. */
export interface AndroZooRow {
  sha256: string;
  pkgName: string;
  vercode: number | null;
  dexDate: string;
  apkSize: number | null;
  markets: string[];
  vtDetection: number | null;
}

/** Which rows a campaign wants. Dates compare as AndroZoo writes them (`YYYY-MM-DD HH:MM:SS`), so ISO dates work. */
export interface AndroZooFilter {
  packages?: Set<string>;
  markets?: string[];
  since?: string;
  until?: string;
  minSize?: number;
  maxSize?: number;
  latestPerPackage?: boolean;
  limit?: number;
}

export interface Selection {
  rows: AndroZooRow[];
  scanned: number;
}

const NEEDED = ['sha256', 'dex_date', 'apk_size', 'pkg_name', 'vercode', 'markets'];

const num = (s: string | undefined): number | null => {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

/** True when `a` is a later version than `b` of the same package. */
const later = (a: AndroZooRow, b: AndroZooRow) => (a.vercode ?? -1) > (b.vercode ?? -1) || ((a.vercode ?? -1) === (b.vercode ?? -1) && a.dexDate > b.dexDate);

/** Read a local list file (gzip detected by its magic bytes) and select rows. */
export async function selectFromList(path: string, f: AndroZooFilter): Promise<Selection> {
  let gz = false;
  try {
    const fh = await open(path, 'r');
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    await fh.close();
    gz = head[0] === 0x1f && head[1] === 0x8b;
  } catch (e) {
    throw new GaugeError('INPUT_NOT_FOUND', `Cannot read the AndroZoo list ${path}: ${(e as Error).message}. Point \`list\` at latest.csv(.gz), or leave it out to download it.`, { subject: path });
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 16 });
  const input = gz ? raw.pipe(createGunzip({ chunkSize: 1 << 16 })) : raw;
  let col: Record<string, number> | undefined;
  let scanned = 0;
  const kept: AndroZooRow[] = [];
  const latest = new Map<string, AndroZooRow>();
  const wantMarkets = f.markets?.length ? f.markets : undefined;
  /** Take one line; false once the selection is complete (a limit without latestPerPackage). */
  const onLine = (line: string): boolean => {
    if (!col) {
      const header = splitCsvLine(line).map((h) => h.trim().toLowerCase());
      const missing = NEEDED.filter((h) => !header.includes(h));
      if (missing.length) {
        throw new GaugeError('LIST_MALFORMED', `${path} does not look like an AndroZoo list: its header lacks ${missing.join(', ')} (it has: ${header.slice(0, 12).join(', ')}).`, { subject: path });
      }
      col = Object.fromEntries(header.map((h, i) => [h, i]));
      return true;
    }
    if (line === '') return true;
    scanned++;
    const c = splitCsvLine(line);
    const pkg = c[col.pkg_name!] ?? '';
    // Cheapest test first: most campaigns name their packages.
    if (f.packages && !f.packages.has(pkg)) return true;
    const sha = c[col.sha256!] ?? '';
    if (sha.length !== 64) {
      throw new GaugeError('LIST_MALFORMED', `Line ${scanned + 1} of ${path} has sha256 "${sha.slice(0, 80)}", not 64 hex digits. Is the list truncated or not AndroZoo's?`, { subject: path });
    }
    const dexDate = c[col.dex_date!] ?? '';
    if (f.since && dexDate < f.since) return true;
    if (f.until && dexDate > f.until) return true;
    const size = num(c[col.apk_size!]);
    if (f.minSize !== undefined && (size ?? 0) < f.minSize) return true;
    if (f.maxSize !== undefined && (size ?? Infinity) > f.maxSize) return true;
    const markets = (c[col.markets!] ?? '').split('|').filter(Boolean);
    if (wantMarkets && !markets.some((m) => wantMarkets.includes(m))) return true;
    const row: AndroZooRow = {
      sha256: sha.toLowerCase(), pkgName: pkg, vercode: num(c[col.vercode!]), dexDate, apkSize: size, markets,
      vtDetection: col.vt_detection === undefined ? null : num(c[col.vt_detection]),
    };
    if (f.latestPerPackage) {
      const prev = latest.get(pkg);
      if (!prev || later(row, prev)) latest.set(pkg, row);
      return true;
    }
    kept.push(row);
    return f.limit === undefined || kept.length < f.limit;
  };
  try {
    // Lines are cut from the stream's own chunks and handled synchronously: iterating the stream keeps gunzip's
    // backpressure (readline's iterator queues every line it is handed, and costs an await per line).
    let rest = '';
    outer: for await (const chunk of input as AsyncIterable<Buffer>) {
      const text = rest + chunk.toString('utf8');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (!onLine(text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl))) break outer;
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    if (rest) onLine(rest);
  } catch (e) {
    if (e instanceof GaugeError) throw e;
    throw new GaugeError('LIST_MALFORMED', `Cannot read the AndroZoo list ${path}: ${(e as Error).message}. Download it again (a truncated or corrupt .gz).`, { subject: path, cause: e });
  } finally {
    raw.destroy();
  }
  if (!col) throw new GaugeError('LIST_MALFORMED', `${path} is empty: an AndroZoo list starts with its header line.`, { subject: path });
  let rows = f.latestPerPackage ? [...latest.values()].sort((a, b) => a.pkgName.localeCompare(b.pkgName)) : kept;
  if (f.limit !== undefined) rows = rows.slice(0, f.limit);
  return { rows, scanned };
}
