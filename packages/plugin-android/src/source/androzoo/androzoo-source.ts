/**
 * The `androzoo` source: apps from AndroZoo, the research corpus. Its list says every APK it holds; a campaign
 * selects rows (packages, markets, dates, sizes, latest version per package, a limit), and `gaugenn sources fetch`
 * (or `gaugenn run`) downloads them by sha256 with the user's API key, concurrently, resumably and verified against
 * the list's sha256. Only verified files are listed as apps, each with the source's snapshot and category.
 *
 * Spec: `{ type: 'androzoo', apiKey?, url?, list?, packages? | packagesFile?, markets?, since?, until?, minSize?,
 * maxSize?, latestPerPackage?, limit?, snapshot, category?, dest, concurrency?, retries? }`. The key may come from
 * `ANDROZOO_API_KEY`; it is never printed or stored.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  GaugeError, alreadyFetched, downloadVerified, mapLimit,
  type AppRef, type FailedApp, type FetchContext, type FetchReport, type Gauge, type SourceSpec,
} from '@gaugenn/core';
import { selectFromList, type AndroZooFilter, type AndroZooRow } from './list-reader.js';

/** AndroZoo's service and its limit on concurrent downloads per key. */
export const ANDROZOO_URL = 'https://androzoo.uni.lu';
export const ANDROZOO_MAX_CONCURRENCY = 20;

interface AndroZooSpec extends SourceSpec {
  apiKey?: string;
  url?: string;
  list?: string;
  packages?: string[];
  packagesFile?: string;
  markets?: string[];
  since?: string;
  until?: string;
  minSize?: number;
  maxSize?: number;
  latestPerPackage?: boolean;
  limit?: number;
  snapshot?: string;
  category?: string;
  dest?: string;
  concurrency?: number;
  retries?: number;
}

const bad = (msg: string) => new GaugeError('CONFIG_INVALID', `androzoo source: ${msg}`, { plugin: 'android', hook: 'source' });

function destOf(spec: AndroZooSpec): string {
  if (!spec.dest) throw bad('`dest` (the folder APKs are downloaded to) is required.');
  return resolve(spec.dest);
}

function baseUrl(spec: AndroZooSpec): string {
  return (spec.url ?? ANDROZOO_URL).replace(/\/+$/, '');
}

/** The key, from the spec or ANDROZOO_API_KEY; never logged. */
function apiKey(spec: AndroZooSpec): string {
  const k = spec.apiKey ?? process.env.ANDROZOO_API_KEY;
  if (!k) throw new GaugeError('SOURCE_AUTH', 'No AndroZoo API key: set ANDROZOO_API_KEY or `apiKey` on the androzoo source (request one at androzoo.uni.lu).', { plugin: 'android', hook: 'fetch' });
  return k;
}

/** Drop the key from any URL before it reaches a message. */
export function redactKey(url: string): string {
  return url.replace(/([?&]apikey=)[^&]*/i, '$1***');
}

async function filterOf(spec: AndroZooSpec): Promise<AndroZooFilter> {
  let packages = spec.packages;
  if (spec.packagesFile) {
    const text = await readFile(resolve(spec.packagesFile), 'utf8').catch((e: Error) => { throw new GaugeError('INPUT_NOT_FOUND', `Cannot read packagesFile ${spec.packagesFile}: ${e.message}.`); });
    packages = [...(packages ?? []), ...text.split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)];
  }
  return {
    ...(packages ? { packages: new Set(packages) } : {}),
    ...(spec.markets ? { markets: spec.markets } : {}),
    ...(spec.since ? { since: spec.since } : {}),
    ...(spec.until ? { until: spec.until } : {}),
    ...(spec.minSize !== undefined ? { minSize: spec.minSize } : {}),
    ...(spec.maxSize !== undefined ? { maxSize: spec.maxSize } : {}),
    ...(spec.latestPerPackage ? { latestPerPackage: true } : {}),
    ...(spec.limit !== undefined ? { limit: spec.limit } : {}),
  };
}

/** The local list: the configured file, or AndroZoo's latest list downloaded once into `dest/.lists/`. */
async function listPath(spec: AndroZooSpec, ctx?: FetchContext): Promise<string> {
  if (spec.list && !/^https?:\/\//.test(spec.list)) return resolve(spec.list);
  const url = spec.list ?? `${baseUrl(spec)}/static/lists/latest.csv.gz`;
  const local = join(destOf(spec), '.lists', `${createHash('sha256').update(url).digest('hex').slice(0, 12)}-latest.csv.gz`);
  if (await alreadyFetched(local)) return local;
  ctx?.log?.('info', `Downloading the AndroZoo list ${redactKey(url)} (once; delete ${local} to refresh it)`);
  await downloadVerified({ url, dest: local }, { signal: ctx?.signal, redact: redactKey }).catch((e) => {
    throw GaugeError.from(e, 'DOWNLOAD_FAILED');
  });
  return local;
}

/** The selection, cached beside the downloads so listing apps after a fetch needs no second pass over the list. */
async function selection(spec: AndroZooSpec, ctx?: FetchContext): Promise<AndroZooRow[]> {
  const dest = destOf(spec);
  const path = await listPath(spec, ctx);
  const filter = await filterOf(spec);
  const key = createHash('sha256').update(JSON.stringify({ path, filter: { ...filter, packages: filter.packages ? [...filter.packages].sort() : undefined } })).digest('hex').slice(0, 16);
  const cache = join(dest, '.lists', `selection-${key}.json`);
  try {
    return JSON.parse(await readFile(cache, 'utf8')) as AndroZooRow[];
  } catch {
    // not cached yet
  }
  const { rows } = await selectFromList(path, filter);
  await mkdir(join(dest, '.lists'), { recursive: true });
  await writeFile(`${cache}.tmp`, JSON.stringify(rows));
  await rename(`${cache}.tmp`, cache);
  return rows;
}

const fileOf = (dest: string, r: AndroZooRow) => join(dest, `${r.sha256}.apk`);
const failuresFile = (dest: string) => join(dest, '.lists', 'failures.json');

async function readFailures(dest: string): Promise<Record<string, FailedApp>> {
  try {
    return JSON.parse(await readFile(failuresFile(dest), 'utf8'));
  } catch {
    return {};
  }
}

/** Fetch the selected APKs that are missing (or, in status mode, count them). */
export async function fetchAndroZoo(spec: AndroZooSpec, ctx: FetchContext): Promise<FetchReport> {
  const dest = destOf(spec);
  const rows = await selection(spec, ctx);
  const report: FetchReport = { source: 'androzoo', label: spec.snapshot ? `snapshot ${spec.snapshot}` : dest, listed: rows.length, fetched: [], skipped: [], failed: [], missing: 0, bytes: 0 };
  const todo: AndroZooRow[] = [];
  for (const r of rows) {
    if (await alreadyFetched(fileOf(dest, r), r.apkSize ?? undefined)) {
      report.skipped.push({ sha256: r.sha256, package: r.pkgName, versionCode: r.vercode, file: fileOf(dest, r), reason: 'already fetched and verified' });
    } else todo.push(r);
  }
  report.missing = todo.length;
  const failures = await readFailures(dest);
  if (ctx.mode === 'status') {
    report.failed = todo.flatMap((r) => (failures[r.sha256] ? [failures[r.sha256]!] : []));
    return report;
  }
  const key = apiKey(spec);
  let concurrency = Math.floor(spec.concurrency ?? 8);
  if (concurrency > ANDROZOO_MAX_CONCURRENCY) {
    ctx.log?.('warn', `androzoo: concurrency ${concurrency} is above AndroZoo's limit; using ${ANDROZOO_MAX_CONCURRENCY}.`);
    concurrency = ANDROZOO_MAX_CONCURRENCY;
  }
  const bytesTotal = todo.reduce((s, r) => s + (r.apkSize ?? 0), 0);
  // A refused key fails every download the same way: stop the others at once.
  const stop = new AbortController();
  const onAbort = () => stop.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let authError: GaugeError | undefined;
  let done = 0;
  try {
    await mapLimit(todo, Math.max(1, concurrency), async (r) => {
      if (stop.signal.aborted) return;
      const url = `${baseUrl(spec)}/api/download?apikey=${encodeURIComponent(key)}&sha256=${r.sha256}`;
      try {
        const res = await downloadVerified({ url, dest: fileOf(dest, r), sha256: r.sha256 }, {
          signal: stop.signal, redact: redactKey, retries: spec.retries, onBytes: (n) => {
            report.bytes! += n;
            ctx.onProgress?.({ filesDone: done, filesTotal: todo.length, bytesDone: report.bytes!, bytesTotal, current: r.pkgName });
          },
        });
        report.fetched.push({ sha256: r.sha256, package: r.pkgName, versionCode: r.vercode, file: res.file });
        delete failures[r.sha256];
      } catch (e) {
        const err = GaugeError.from(e, 'DOWNLOAD_FAILED', { plugin: 'android', hook: 'fetch' });
        if (err.code === 'SOURCE_AUTH') {
          authError ??= err;
          stop.abort(err);
          return;
        }
        if (stop.signal.aborted) return;
        const f: FailedApp = { sha256: r.sha256, package: r.pkgName, code: err.code, message: err.message };
        failures[r.sha256] = f;
        report.failed.push(f);
      }
      ctx.onProgress?.({ filesDone: ++done, filesTotal: todo.length, bytesDone: report.bytes!, bytesTotal, current: r.pkgName });
    });
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    await mkdir(join(dest, '.lists'), { recursive: true });
    await writeFile(failuresFile(dest), JSON.stringify(failures, null, 1));
  }
  if (authError) throw authError;
  if (ctx.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The AndroZoo fetch was interrupted; fetch again to resume (partial files continue where they stopped).');
  report.missing = todo.length - report.fetched.length;
  return report;
}

/** The verified APKs of the selection, as apps with the source's snapshot and category. */
export async function androZooApps(spec: AndroZooSpec): Promise<AppRef[]> {
  const dest = destOf(spec);
  const apps: AppRef[] = [];
  for (const r of await selection(spec)) {
    const file = fileOf(dest, r);
    if (!(await alreadyFetched(file, r.apkSize ?? undefined))) continue;
    apps.push({
      id: file, files: [file], source: 'androzoo', package: r.pkgName,
      ...(spec.snapshot ? { snapshot: spec.snapshot } : {}), ...(spec.category ? { category: spec.category } : {}),
    });
  }
  return apps;
}

/** Register the `androzoo` source and its fetcher. */
export function registerAndroZoo(gauge: Gauge): void {
  gauge.hooks.fetch.for('androzoo').tapPromise('android', (spec, ctx) => fetchAndroZoo(spec as AndroZooSpec, ctx));
  gauge.hooks.source.for('androzoo').tapPromise('android', (spec) => androZooApps(spec as AndroZooSpec));
}
