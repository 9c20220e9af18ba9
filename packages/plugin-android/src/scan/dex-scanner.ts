import type { CodeSignature, Gauge, Scanner } from '@gaugenn/core';
import { DexCode } from '../dex/dex-code.js';
import { hasDexMagic } from '../dex/dex-file.js';
import { CONTAINER_HEADER_SIZE, ENDIAN_CONSTANT, HEADER, HEADER_SIZE } from '../dex/format.js';
import { dexMalformed } from '../dex/malformed.js';
import { SignatureIndex, type SignatureMatch } from '../dex/signature-index.js';
import { insideLibrary, libraryRoot } from '../dex/library-root.js';

/** Id of the findings that say which class loads which native library by name (see native-lib-use.ts). */
export const LOAD_LIBRARY_ID = 'android.loadLibrary';
/** Id of the findings that list, for a finding only its library calls, the callers inside that library's packages. */
export const INSIDE_CALLERS_ID = 'android.insideCallers';

/**
 * `classes.dex`, `classes2.dex`, … at the root of the app or of a nested archive (`split.apk!/classes2.dex`,
 * `assets/plugin.jar!/classes.dex`): the code Android loads.
 */
const CLASSES_DEX = /(?:^|!\/)classes\d*\.dex$/;

/**
 * `*.dex` under `assets/`: code an app loads itself (DexClassLoader, plugin frameworks). Often encrypted by
 * packers, so one that is not a DEX is skipped quietly rather than reported as damage.
 */
const ASSET_DEX = /(?:^|!\/)assets\/.+\.dex$/;

/** Real DEX files stay under about 100 MB (64 Ki method refs per file); past this is not worth reading whole. */
const MAX_DEX_BYTES = 128 * 1024 * 1024;

/**
 * DEX scanner `android-dex`: reads the type, proto, field, method and class tables of each `classes*.dex` (and
 * `assets/**.dex`) and reports every entry of `gauge.codeSignatures` that the code references: framework APIs,
 * delegates, cloud ML APIs. The method bodies say whether code outside the finding's own library calls or
 * constructs it (`use: called`, with `calledBy`) or whether it only ships inside its library (`use: bundled`);
 * classes that load native libraries by name are reported as `android.loadLibrary` findings. One finding per signature id per DEX entry, whose `evidence` is the class or
 * `Class.method` that proves it. The catalogue is read at scan time, so plugins and config may extend it.
 * A malformed DEX becomes an `ARCHIVE_CORRUPT` error for that entry; the walk goes on.
 */
export function dexScanner(gauge: Gauge): Scanner {
  let compiled: { from: readonly CodeSignature[]; count: number; index: SignatureIndex } | undefined;
  const index = (): SignatureIndex => {
    const sigs = gauge.codeSignatures;
    // The catalogue only grows (addCodeSignatures appends), so its length tells whether to recompile.
    if (!compiled || compiled.from !== sigs || compiled.count !== sigs.length) {
      compiled = { from: sigs, count: sigs.length, index: new SignatureIndex(sigs) };
    }
    return compiled.index;
  };
  return {
    name: 'android-dex',
    maxBytes: MAX_DEX_BYTES,
    wants(path) {
      return path.endsWith('.dex') && (CLASSES_DEX.test(path) || ASSET_DEX.test(path));
    },
    // In the walker: the header first. One that is no DEX (an encrypted asset) or names no ids costs its 0x78
    // bytes; otherwise the whole file is read, since the id tables, class data and method bodies span it.
    async scanRanges(entry, sink) {
      const head = await entry.read(0, CONTAINER_HEADER_SIZE);
      if (!hasDexMagic(head)) {
        if (CLASSES_DEX.test(entry.path)) throw dexMalformed(entry.path, 'it does not start with the DEX magic "dex\\n0NN\\0"');
        return [];
      }
      if (head.length >= HEADER_SIZE && noIds(head)) return [];
      this.scan(await entry.read(0, entry.size), entry.path, sink);
      return [];
    },
    scan(data, path, sink) {
      if (!hasDexMagic(data)) {
        if (CLASSES_DEX.test(path)) throw dexMalformed(path, 'it does not start with the DEX magic "dex\\n0NN\\0"');
        return;
      }
      const code = DexCode.read(data, path);
      const matches = index().match(code);
      // One pass over the method bodies for everything matched: who calls it, from where.
      const callers = code.callers(new Set(matches.flatMap((m) => m.matched.classes)), new Set(matches.flatMap((m) => m.matched.methods)));
      for (const m of matches) {
        const s = m.signature;
        const { outside, inside } = callersOf(m, callers);
        // Callers inside the library's packages may still be the app's own code (TensorFlow's example apps live
        // in org.tensorflow.lite.examples): the extract hook, which knows the app's package, decides (native-lib-use.ts).
        if (!outside && inside.length > 0) sink.addFinding({ id: INSIDE_CALLERS_ID, kind: 'other', evidence: `${s.id}: ${inside.join(' ')}`, path });
        sink.addFinding({
          id: s.id,
          kind: s.kind,
          evidence: m.evidence,
          path,
          ...(s.framework ? { framework: s.framework } : {}),
          use: outside ? 'called' : 'bundled',
          ...(outside ? { calledBy: outside } : {}),
        });
      }
      // Classes that load native libraries by name, with the names they may load (matched to libraries later).
      for (const l of callers.loads) {
        if (l.names.length === 0) continue;
        sink.addFinding({ id: LOAD_LIBRARY_ID, kind: 'other', evidence: `${l.caller}: System.loadLibrary(${l.names.map((n) => JSON.stringify(n)).join(', ')})`, path });
      }
    },
  };
}

/** Most inside-library callers passed on per finding. */
const MAX_INSIDE = 16;

/**
 * The first class (sorted) outside the match's own library packages that calls or constructs what matched
 * (undefined when only the library itself does, or nothing does), and the callers inside those packages.
 */
function callersOf(m: SignatureMatch, callers: ReturnType<DexCode['callers']>): { outside?: string; inside: string[] } {
  const roots = new Set([...m.matched.classes, ...m.matched.methods.map((x) => x.slice(0, x.lastIndexOf('.')))].map(libraryRoot));
  const from = new Set<string>();
  for (const c of m.matched.classes) for (const x of callers.ofClass.get(c) ?? []) from.add(x);
  for (const k of m.matched.methods) for (const x of callers.ofMethod.get(k) ?? []) from.add(x);
  const sorted = [...from].sort();
  const matchedPackages = new Set(m.matched.classes.map((c) => c.slice(0, c.lastIndexOf('.'))));
  return {
    outside: sorted.find((c) => !insideLibrary(c, roots)),
    inside: sorted.filter((c) => insideLibrary(c, roots) && !matchedPackages.has(c.slice(0, c.lastIndexOf('.')))).slice(0, MAX_INSIDE),
  };
}

/** A little-endian DEX header whose every id table is empty: there is nothing to reference or call. */
function noIds(head: Buffer): boolean {
  // A v041 container may hold further DEX files after this header: read it whole.
  if (head.toString('latin1', 4, 7) === '041') return false;
  if (head.readUInt32LE(HEADER.endianTag) !== ENDIAN_CONSTANT) return false;
  const sizes = [HEADER.stringIdsSize, HEADER.typeIdsSize, HEADER.protoIdsSize, HEADER.fieldIdsSize, HEADER.methodIdsSize, HEADER.classDefsSize];
  return sizes.every((at) => head.readUInt32LE(at) === 0);
}
