/**
 * The `list` source: a CSV or JSON list of apps that people already have (`package, file | url, sha256, snapshot,
 * category, version`). Rows with a `file` are apps as they are; rows with a `url` are downloaded into `dest`,
 * verified against `sha256` when the list gives one, by `gaugenn sources fetch` (or `gaugenn run`).
 *
 * Spec: `{ type: 'list', path, dest?, snapshot?, category?, concurrency? }`; a row's own snapshot/category win.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { GaugeError } from '../errors/gauge-error.js';
import type { AppRef } from '../extract/types.js';
import type { SourceSpec } from '../gauge.js';
import { splitCsvLine } from './csv-line.js';
import { alreadyFetched, downloadVerified } from './download.js';
import { mapLimit } from './map-limit.js';
import type { FetchContext, FetchReport } from './types.js';

/** One row of a list. */
export interface ListRow {
  package?: string;
  file?: string;
  url?: string;
  sha256?: string;
  snapshot?: string;
  category?: string;
  version?: string;
}

const COLUMNS = ['package', 'file', 'url', 'sha256', 'snapshot', 'category', 'version'] as const;

/** Read a list file: JSON (an array of rows, or `{ apps: [...] }`) or CSV with a header naming the columns. */
export async function readAppList(path: string): Promise<ListRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new GaugeError('INPUT_NOT_FOUND', `Cannot read the app list ${path}: ${(e as Error).message}.`, { subject: path });
  }
  const base = dirname(resolve(path));
  const fix = (r: ListRow, where: string): ListRow => {
    if (!r.file && !r.url) throw new GaugeError('LIST_MALFORMED', `${where} of ${path} has neither a file nor a url. Give each app one of them.`, { subject: path });
    if (r.sha256 && !/^[0-9a-fA-F]{64}$/.test(r.sha256)) throw new GaugeError('LIST_MALFORMED', `${where} of ${path} has sha256 "${r.sha256}", which is not 64 hex digits.`, { subject: path });
    return { ...r, ...(r.file ? { file: resolve(base, r.file) } : {}) };
  };
  if (/^\s*[[{]/.test(text)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new GaugeError('LIST_MALFORMED', `${path} is not valid JSON: ${(e as Error).message}.`, { subject: path });
    }
    const rows = Array.isArray(doc) ? doc : (doc as { apps?: unknown }).apps;
    if (!Array.isArray(rows)) throw new GaugeError('LIST_MALFORMED', `${path} must hold an array of apps (or { "apps": [...] }).`, { subject: path });
    return rows.map((r, i) => {
      if (!r || typeof r !== 'object') throw new GaugeError('LIST_MALFORMED', `Entry ${i} of ${path} is not an object.`, { subject: path });
      const o = r as Record<string, unknown>;
      const row: ListRow = {};
      for (const c of COLUMNS) if (o[c] !== undefined && o[c] !== null && o[c] !== '') row[c] = String(o[c]);
      return fix(row, `Entry ${i}`);
    });
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  if (!header.includes('file') && !header.includes('url')) {
    throw new GaugeError('LIST_MALFORMED', `The header of ${path} names neither "file" nor "url" (it has: ${header.join(', ')}). Columns: ${COLUMNS.join(', ')}.`, { subject: path });
  }
  return lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    const row: ListRow = {};
    header.forEach((h, k) => {
      const v = cells[k]?.trim();
      if (v && (COLUMNS as readonly string[]).includes(h)) row[h as keyof ListRow] = v;
    });
    return fix(row, `Line ${i + 2}`);
  });
}

/** Where a URL row lands: its sha256 when the list gives it (content-addressed), else its URL's file name. */
function destOf(row: ListRow, dest: string): string {
  const name = row.sha256 ? `${row.sha256.toLowerCase()}.apk` : `${createHash('sha256').update(row.url!).digest('hex').slice(0, 16)}-${basename(new URL(row.url!).pathname) || 'app.apk'}`;
  return join(dest, name);
}

function destDir(spec: SourceSpec): string {
  return resolve(String(spec.dest ?? join(dirname(resolve(String(spec.path))), 'downloads')));
}

/** App refs of a list: its file rows, and its URL rows that are fetched and verified. */
export async function listApps(spec: SourceSpec): Promise<AppRef[]> {
  const rows = await readAppList(resolve(String(spec.path)));
  const apps: AppRef[] = [];
  for (const r of rows) {
    const file = r.file ?? destOf(r, destDir(spec));
    if (!r.file && !(await alreadyFetched(file))) continue;
    const snapshot = r.snapshot ?? (spec.snapshot as string | undefined);
    const category = r.category ?? (spec.category as string | undefined);
    apps.push({ id: file, files: [file], source: 'list', ...(snapshot ? { snapshot } : {}), ...(category ? { category } : {}), ...(r.package ? { package: r.package } : {}) });
  }
  return apps;
}

/** Download a list's URL rows (or, in status mode, count them). */
export async function fetchList(spec: SourceSpec, ctx: FetchContext): Promise<FetchReport> {
  const rows = await readAppList(resolve(String(spec.path)));
  const dest = destDir(spec);
  const report: FetchReport = { source: 'list', label: String(spec.path), listed: rows.length, fetched: [], skipped: [], failed: [], missing: 0, bytes: 0 };
  const version = (r: ListRow) => (r.version && /^\d+$/.test(r.version) ? Number(r.version) : null);
  const todo: ListRow[] = [];
  for (const r of rows) {
    const file = r.file ?? destOf(r, dest);
    if (r.file || (await alreadyFetched(file))) {
      report.skipped.push({ sha256: r.sha256 ?? '', package: r.package ?? null, versionCode: version(r), file, reason: r.file ? 'a local file' : 'already fetched and verified' });
    } else todo.push(r);
  }
  report.missing = todo.length;
  if (ctx.mode === 'status') return report;
  let done = 0;
  await mapLimit(todo, Math.min(20, Number(spec.concurrency ?? 8)), async (r) => {
    try {
      const res = await downloadVerified({ url: r.url!, dest: destOf(r, dest), sha256: r.sha256 }, { signal: ctx.signal, onBytes: (n) => { report.bytes! += n; } });
      report.fetched.push({ sha256: res.sha256, package: r.package ?? null, versionCode: version(r), file: res.file });
    } catch (e) {
      const err = GaugeError.from(e, 'DOWNLOAD_FAILED');
      if (err.code === 'INTERRUPTED') throw err;
      report.failed.push({ sha256: r.sha256 ?? '', package: r.package ?? null, code: err.code, message: err.message });
    }
    ctx.onProgress?.({ filesDone: ++done, filesTotal: todo.length, bytesDone: report.bytes!, current: r.package ?? r.url });
  });
  report.missing = todo.length - report.fetched.length;
  return report;
}
