/**
 * The `android` source: a folder of Android app files, grouped into apps as Android installs them.
 *
 * - A folder holding `base.apk` (what `adb pull` of an installed app gives: base + `split_*.apk`) is one app:
 *   the base first, its splits after.
 * - Any other `.apk` is one app.
 * - Expansion files `main.<versionCode>.<package>.obb` / `patch.<versionCode>.<package>.obb` join the app of
 *   their package in the same folder (by file name `<package>….apk`, else by the APK's manifest); an OBB with
 *   no app beside it is an app of its own (it may still hold models).
 * - Split sets (`.apks`, `.xapk`, `.apkm`) and every other file are one app each: the walker reads nested APKs.
 *
 * Spec: `{ type: 'android', path, recursive?: true, snapshot? }`.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { GaugeError, ZipReader, type AppRef, type Gauge } from '@gaugenn/core';
import { readAppMeta } from '../manifest/app-meta.js';

/** `main.<versionCode>.<package>.obb` or `patch.…`. */
const OBB = /^(main|patch)\.(\d+)\.(.+)\.obb$/;
const SPLIT = /^split_.*\.apk$/;

/** Register the `android` source. */
export function registerAndroidSources(gauge: Gauge): void {
  gauge.hooks.source.for('android').tapPromise('android', async (spec) => {
    const root = resolve(String(spec.path ?? '.'));
    try {
      if (!(await stat(root)).isDirectory()) throw new Error('not a folder');
    } catch {
      throw new GaugeError('INPUT_NOT_FOUND', `${root} is not a readable folder. Point the android source's path at a folder of app files.`, { subject: root });
    }
    const own = (p: string) => p.startsWith(gauge.config.store) || (gauge.config.modelCache !== undefined && p.startsWith(gauge.config.modelCache));
    const apps: AppRef[] = [];
    await groupFolder(root, spec.recursive !== false, own, spec.snapshot as string | undefined, apps);
    return apps;
  });
}

/** Group the files of one folder into apps (then its subfolders, in name order). */
async function groupFolder(dir: string, recursive: boolean, own: (p: string) => boolean, snapshot: string | undefined, out: AppRef[]): Promise<void> {
  const ents = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const files = ents.filter((e) => e.isFile()).map((e) => e.name).filter((n) => !own(join(dir, n)));
  const apps: (AppRef & { files: string[] })[] = [];
  const app = (names: string[], pkg?: string): AppRef => {
    const paths = names.map((n) => join(dir, n));
    const a: AppRef = { id: paths[0]!, files: paths, source: 'android' };
    if (snapshot) a.snapshot = snapshot;
    if (pkg) a.package = pkg;
    return a;
  };
  const apks = files.filter((n) => n.endsWith('.apk'));
  const obbs = files.filter((n) => OBB.test(n));
  const rest = files.filter((n) => !n.endsWith('.apk') && !OBB.test(n));
  if (apks.includes('base.apk')) {
    apps.push(app(['base.apk', ...apks.filter((n) => n !== 'base.apk').sort((a, b) => Number(!SPLIT.test(a)) - Number(!SPLIT.test(b)) || a.localeCompare(b))]));
  } else {
    for (const n of apks) apps.push(app([n]));
  }
  // Expansion files join the app of their package; OBBs sort main before patch, then by version.
  const packages = new Map<AppRef, Promise<string | undefined>>();
  const packageOf = (a: AppRef) => {
    if (!packages.has(a)) packages.set(a, manifestPackage(a.files[0]!));
    return packages.get(a)!;
  };
  for (const n of obbs.sort()) {
    const pkg = OBB.exec(n)![3]!;
    let owner = apps.find((a) => basename(a.files[0]!).startsWith(pkg));
    if (!owner) {
      for (const a of apps) if ((await packageOf(a)) === pkg) owner = a;
    }
    if (owner) {
      owner.files.push(join(dir, n));
      owner.package ??= pkg;
    } else {
      apps.push(app([n], pkg));
    }
  }
  for (const n of rest) apps.push(app([n]));
  out.push(...apps);
  if (!recursive) return;
  for (const e of ents) if (e.isDirectory() && !own(join(dir, e.name))) await groupFolder(join(dir, e.name), recursive, own, snapshot, out);
}

/** The package an APK's manifest names, or undefined when it cannot be read (the walker reports why later). */
async function manifestPackage(apk: string): Promise<string | undefined> {
  let zip: ZipReader | undefined;
  try {
    zip = await ZipReader.openFile(apk);
    const e = zip.getEntry('AndroidManifest.xml');
    return e ? readAppMeta(await zip.readAll(e, 8 * 1024 * 1024)).package : undefined;
  } catch {
    return undefined;
  } finally {
    await zip?.close();
  }
}
