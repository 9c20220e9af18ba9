/**
 * The `apkeep` source: apps downloaded by `apkeep` (a well-kept downloader for Google Play, APKPure, F-Droid and
 * Huawei AppGallery) when the user has it installed. gaugeNN runs it with execa; an app that arrives as split APKs
 * (a folder of `base.apk` + splits, or an `.xapk`/`.apks` set) stays together as one app.
 *
 * Spec: `{ type: 'apkeep', packages? | packagesFile?, dest, downloadSource?, options?, snapshot?, category?, bin? }`,
 * where `downloadSource` is apkeep's `-d` (default its own) and `options` its `-o` string (e.g. Play credentials).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GaugeError, type AppRef, type FetchContext, type FetchReport, type Gauge, type SourceSpec } from '@gaugenn/core';

interface ApkeepSpec extends SourceSpec {
  packages?: string[];
  packagesFile?: string;
  dest?: string;
  downloadSource?: string;
  options?: string;
  snapshot?: string;
  category?: string;
  bin?: string;
}

const APP_FILE = /\.(apk|xapk|apks|apkm)$/;

async function packagesOf(spec: ApkeepSpec): Promise<string[]> {
  let p = spec.packages ?? [];
  if (spec.packagesFile) p = [...p, ...(await readFile(resolve(spec.packagesFile), 'utf8')).split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)];
  if (!p.length) throw new GaugeError('CONFIG_INVALID', 'apkeep source: name the apps in `packages` or `packagesFile`.', { plugin: 'android' });
  return p;
}

/** What apkeep left in `dest` for one package: its file(s), split sets kept together. */
async function filesOf(dest: string, pkg: string): Promise<string[] | undefined> {
  const dir = join(dest, pkg);
  try {
    if ((await stat(dir)).isDirectory()) {
      const apks = (await readdir(dir)).filter((n) => APP_FILE.test(n)).sort((a, b) => Number(b === 'base.apk' || b === `${pkg}.apk`) - Number(a === 'base.apk' || a === `${pkg}.apk`) || a.localeCompare(b));
      return apks.length ? apks.map((n) => join(dir, n)) : undefined;
    }
  } catch {
    // no folder for this package
  }
  const names = (await readdir(dest).catch(() => [] as string[])).filter((n) => APP_FILE.test(n) && (n.startsWith(`${pkg}.`) || n.startsWith(`${pkg}@`)));
  return names.length ? [join(dest, names.sort()[0]!)] : undefined;
}

export async function fetchApkeep(spec: ApkeepSpec, ctx: FetchContext): Promise<FetchReport> {
  if (!spec.dest) throw new GaugeError('CONFIG_INVALID', 'apkeep source: `dest` is required.', { plugin: 'android' });
  const dest = resolve(spec.dest);
  const pkgs = await packagesOf(spec);
  const report: FetchReport = { source: 'apkeep', label: dest, listed: pkgs.length, fetched: [], skipped: [], failed: [], missing: 0 };
  const todo: string[] = [];
  for (const p of pkgs) {
    const f = await filesOf(dest, p);
    if (f) report.skipped.push({ sha256: '', package: p, versionCode: null, file: f[0]!, reason: 'already downloaded' });
    else todo.push(p);
  }
  report.missing = todo.length;
  if (ctx.mode === 'status' || !todo.length) return report;
  const { execa } = await import('execa');
  const bin = spec.bin ?? 'apkeep';
  const args = ['-a', todo.join(','), ...(spec.downloadSource ? ['-d', spec.downloadSource] : []), ...(spec.options ? ['-o', spec.options] : []), dest];
  const r = await execa(bin, args, { reject: false, cancelSignal: ctx.signal, all: true });
  if (r.failed && r.exitCode === undefined) {
    throw new GaugeError('RUNNER_MISSING', `Could not run \`${bin}\`: ${String(r.message ?? "").split('\n')[0]}. Install apkeep (cargo install apkeep, or a release binary) or set \`bin\` on the apkeep source.`, { plugin: 'android', hook: 'fetch' });
  }
  for (const p of todo) {
    const f = await filesOf(dest, p);
    if (f) report.fetched.push({ sha256: '', package: p, versionCode: null, file: f[0]! });
    else report.failed.push({ sha256: '', package: p, code: 'DOWNLOAD_FAILED', message: `apkeep left no file for ${p} (exit ${r.exitCode}): ${String(r.all ?? '').split('\n').filter((l) => l.includes(p)).slice(-1)[0] ?? String(r.all ?? '').slice(-300)}` });
  }
  report.missing = todo.length - report.fetched.length;
  return report;
}

export async function apkeepApps(spec: ApkeepSpec): Promise<AppRef[]> {
  if (!spec.dest) throw new GaugeError('CONFIG_INVALID', 'apkeep source: `dest` is required.', { plugin: 'android' });
  const dest = resolve(spec.dest);
  const apps: AppRef[] = [];
  for (const p of await packagesOf(spec)) {
    const files = await filesOf(dest, p);
    if (files) apps.push({ id: files[0]!, files, source: 'apkeep', package: p, ...(spec.snapshot ? { snapshot: spec.snapshot } : {}), ...(spec.category ? { category: spec.category } : {}) });
  }
  return apps;
}

export function registerApkeep(gauge: Gauge): void {
  gauge.hooks.fetch.for('apkeep').tapPromise('android', (spec, ctx) => fetchApkeep(spec as ApkeepSpec, ctx));
  gauge.hooks.source.for('apkeep').tapPromise('android', (spec) => apkeepApps(spec as ApkeepSpec));
}
