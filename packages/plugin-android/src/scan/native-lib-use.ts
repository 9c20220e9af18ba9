/**
 * Whether an app's own code loads each native library. The DEX scanner reports every `System.loadLibrary("x")`
 * (and `System.load("…/libx.so")`) with its calling class; once the whole app is walked (DEX and libraries are
 * separate entries, seen in any order), each library gets `loadedBy`, each finding in it `use`, and the
 * loader findings are dropped:
 * `called` when a class outside the app's known library packages (the packages of its code findings, e.g.
 * `org.tensorflow.lite`) loads it, `bundled` when only library code loads it or nothing does. Code findings only
 * a library's packages call become `called` when one of those callers lies in the app's own package.
 */
import type { ExtractedApp } from '@gaugenn/core';
import { INSIDE_CALLERS_ID, LOAD_LIBRARY_ID } from './dex-scanner.js';
import { insideLibrary, libraryRoot } from '../dex/library-root.js';

const LOAD = /^([^:]+): System\.loadLibrary\((".*")\)$/;

/** `tensorflowlite_jni`, `libtensorflowlite_jni.so` or `/data/…/libtensorflowlite_jni.so` → `tensorflowlite_jni`. */
function libName(s: string): string {
  const base = s.slice(s.lastIndexOf('/') + 1);
  return base.replace(/^lib/, '').replace(/\.so$/, '');
}

/** Fill `loadedBy` on native libraries and `use`/`calledBy` on the findings made from them. */
export function markNativeLibUse(app: ExtractedApp): void {
  const loaders = new Map<string, Set<string>>();
  for (const f of app.codeFindings) {
    if (f.id !== LOAD_LIBRARY_ID) continue;
    const m = LOAD.exec(f.evidence);
    if (!m) continue;
    let names: string[];
    try {
      names = (JSON.parse(`[${m[2]!}]`) as string[]).map(libName);
    } catch {
      continue;
    }
    for (const name of names) {
      let s = loaders.get(name);
      if (!s) loaders.set(name, (s = new Set()));
      s.add(m[1]!);
    }
  }
  const roots = new Set<string>();
  for (const f of [...app.codeFindings, ...app.cloudApis]) {
    if (f.id === LOAD_LIBRARY_ID || f.path.endsWith('.so')) continue;
    // Evidence is a class or `Class.method`; either way its first package segments name the library.
    roots.add(libraryRoot(f.evidence));
  }
  const byPath = new Map<string, string[]>();
  for (const lib of app.nativeLibs) {
    const by = [...(loaders.get(libName(lib.name)) ?? [])].sort();
    if (by.length > 0) lib.loadedBy = by;
    byPath.set(lib.path, by);
  }
  for (const f of app.codeFindings) {
    const by = byPath.get(f.path);
    if (!by) continue;
    const own = by.find((c) => !insideLibrary(c, roots));
    f.use = own ? 'called' : 'bundled';
    if (own) f.calledBy = own;
  }
  markAppPackageCallers(app);
  // The loader and caller findings were the DEX scanner's messages to this step; what they say now sits on the
  // libraries and findings.
  app.codeFindings = app.codeFindings.filter((f) => f.id !== LOAD_LIBRARY_ID && f.id !== INSIDE_CALLERS_ID);
}

/**
 * A finding only its library's packages call is still called by the app when one of those callers is the app's
 * own code, known by the manifest's package (`org.tensorflow.lite.examples.detection` calling `GpuDelegate`).
 */
function markAppPackageCallers(app: ExtractedApp): void {
  const pkg = app.meta.package;
  if (!pkg) return;
  for (const msg of app.codeFindings) {
    if (msg.id !== INSIDE_CALLERS_ID) continue;
    const colon = msg.evidence.indexOf(': ');
    const id = msg.evidence.slice(0, colon);
    const own = msg.evidence.slice(colon + 2).split(' ').find((c) => c.startsWith(`${pkg}.`));
    if (!own) continue;
    for (const f of [...app.codeFindings, ...app.cloudApis]) {
      if (f.id === id && f.path === msg.path && f.use === 'bundled') {
        f.use = 'called';
        f.calledBy = own;
      }
    }
  }
}
