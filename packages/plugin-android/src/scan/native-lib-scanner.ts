/**
 * Native-library scanner: every `lib/<abi>/*.so` of an app (split and nested APKs too) is reported with its
 * ABI, size and hash, and fingerprinted against the catalogue that framework plugins contribute
 * (`gauge.nativeLibSignatures`): library file names, dynamic symbols (exported or imported) and strings in
 * read-only data. The scanner itself knows no framework; it only weighs evidence.
 */
import { GaugeError, sha256, type Gauge, type NativeLibSignature, type Scanner, type ScanSink } from '@gaugenn/core';
import { readElf, type ElfFile } from '../elf/elf-reader.js';
import { abiMatches, isElf } from '../elf/elf-format.js';
import { readElfRanges } from '../elf/elf-ranges.js';

/**
 * Largest library scanned. In the walker only its tables and read-only data are read (see elf-ranges.ts); ML runtimes reach 100+ MB (PyTorch, MediaPipe, LLM engines), so the default 64 MiB would skip
 * exactly the libraries that matter.
 */
export const NATIVE_LIB_MAX_BYTES = 256 * 1024 * 1024;

/** `lib/<abi>/<name>.so`, at the top of an app or inside a nested/split APK (`x.apk!/lib/…`). */
const LIB_PATH = /(?:^|!\/)lib\/([^/]+)\/([^/]+\.so)$/;

/** ABI folders Android knows; any other folder name defers to the ELF header. */
const KNOWN_ABIS = new Set(['arm64-v8a', 'armeabi-v7a', 'armeabi', 'x86', 'x86_64', 'mips', 'mips64', 'riscv64']);

/** Weight of each kind of evidence: what a library defines beats its name, which beats its strings and imports. */
const STRENGTH = { symbol: 4, name: 3, string: 2, import: 1 } as const;
type EvidenceKind = keyof typeof STRENGTH;

/**
 * A signature may say whether it stands for a framework or a delegate. Core's NativeLibSignature has no such
 * field yet, so ids ending in `delegate` (`tflite.gpu-delegate`) count as delegates until it does.
 */
type KindedSignature = NativeLibSignature & { kind?: 'framework' | 'delegate' };

/** One signature that matched a library, with its strongest evidence. */
export interface NativeLibMatch {
  signature: NativeLibSignature;
  kind: 'framework' | 'delegate';
  /** Strength of the strongest evidence (symbol 4, name 3, string 2, imported symbol 1). */
  strength: number;
  /** How many of the signature's patterns matched. */
  count: number;
  /** The strongest evidence, for people: `symbol TfLiteInterpreterCreate`, `name libncnn.so`, `string "…"`. */
  evidence: string;
}

/** The verdict on one library. */
export interface NativeLibFingerprint {
  /** The framework the library is (or embeds), where any signature gave more than imports as evidence. */
  framework?: string;
  matches: NativeLibMatch[];
}

/** A signature with its patterns compiled. */
export interface CompiledSignature {
  sig: NativeLibSignature;
  kind: 'framework' | 'delegate';
  names: RegExp[];
  strings: { text: string; bytes: Buffer }[];
}

/** Compile a catalogue once: regexes from config are checked here, so a bad one names its signature. */
export function compileSignatures(sigs: readonly NativeLibSignature[]): CompiledSignature[] {
  return sigs.map((sig) => ({
    sig,
    kind: (sig as KindedSignature).kind ?? (/delegate$/i.test(sig.id) ? 'delegate' : 'framework'),
    names: (sig.names ?? []).map((n) => {
      try {
        return new RegExp(n);
      } catch (e) {
        throw new GaugeError('CONFIG_INVALID', `Native-library signature ${sig.id} has an invalid name pattern ${JSON.stringify(n)}; fix the regular expression.`, { cause: e });
      }
    }),
    strings: (sig.strings ?? []).filter((s) => s.length > 0).map((text) => ({ text, bytes: Buffer.from(text, 'utf8') })),
  }));
}

/**
 * Match one library against the catalogue. `elf` is undefined for files that are not ELF (apps ship data
 * under `lib*.so` names too): then only the name can match.
 */
export function fingerprintNativeLib(name: string, data: Uint8Array, elf: ElfFile | undefined, sigs: readonly CompiledSignature[]): NativeLibFingerprint {
  const exported = elf ? [...elf.exported].sort() : [];
  const imported = elf ? [...elf.imported].sort() : [];
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const matches: NativeLibMatch[] = [];
  for (const c of sigs) {
    const found: { kind: EvidenceKind; text: string }[] = [];
    for (const re of c.names) if (re.test(name)) found.push({ kind: 'name', text: `name ${name}` });
    for (const prefix of c.sig.symbols ?? []) {
      if (!prefix) continue;
      const ex = firstWithPrefix(exported, prefix);
      if (ex !== undefined) found.push({ kind: 'symbol', text: `symbol ${ex}` });
      else {
        const im = firstWithPrefix(imported, prefix);
        if (im !== undefined) found.push({ kind: 'import', text: `imported symbol ${im}` });
      }
    }
    if (elf) {
      for (const s of c.strings) {
        if (elf.readOnlyData.some((r) => buf.subarray(r.offset, r.offset + r.size).indexOf(s.bytes) >= 0)) found.push({ kind: 'string', text: `string ${JSON.stringify(s.text)}` });
      }
    }
    if (found.length === 0) continue;
    // The first strongest item: signature authors list their best evidence first.
    let best = found[0]!;
    for (const f of found) if (STRENGTH[f.kind] > STRENGTH[best.kind]) best = f;
    matches.push({ signature: c.sig, kind: c.kind, strength: STRENGTH[best.kind], count: found.length, evidence: best.text });
  }
  return { framework: strongest(matches)?.signature.framework, matches };
}

/**
 * The match that decides what a library is: frameworks before delegates (a GPU delegate library is still
 * TFLite), then the strongest evidence, then the most evidence. Imports alone never decide: a library that
 * calls a runtime is not that runtime.
 */
function strongest(matches: NativeLibMatch[]): NativeLibMatch | undefined {
  let best: NativeLibMatch | undefined;
  const rank = (m: NativeLibMatch): number[] => [m.kind === 'framework' ? 1 : 0, m.strength, m.count];
  for (const m of matches) {
    if (m.strength < STRENGTH.string) continue;
    if (!best || compare(rank(m), rank(best)) > 0) best = m;
  }
  return best;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The first name in a sorted list that starts with `prefix`, by binary search. */
function firstWithPrefix(sorted: readonly string[], prefix: string): string | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const s = sorted[lo];
  return s !== undefined && s.startsWith(prefix) ? s : undefined;
}

/** The native-library scanner; it reads the catalogue from `gauge` when it scans, so plugin order does not matter. */
export function nativeLibScanner(gauge: Gauge): Scanner {
  let compiled: { from: number; sigs: CompiledSignature[] } | undefined;
  const catalogue = (): CompiledSignature[] => {
    if (!compiled || compiled.from !== gauge.nativeLibSignatures.length) {
      compiled = { from: gauge.nativeLibSignatures.length, sigs: compileSignatures(gauge.nativeLibSignatures) };
    }
    return compiled.sigs;
  };
  return {
    name: 'android-native-libs',
    maxBytes: NATIVE_LIB_MAX_BYTES,
    wants: (path) => LIB_PATH.test(path),
    scan: (data, path, sink) => void scanLib(data, path, sink, catalogue(), { bytes: data.length, sha256: sha256(data) }),
    // In the walker: the header first, then only section headers, symbols, their strings and read-only data
    // (never code); a file whose header is not ELF costs 64 bytes. Its read-only data is what is searched for
    // embedded models. The whole-file hash is left out: it would need every byte.
    scanRanges: async (entry, sink) => {
      const { image } = await readElfRanges(entry);
      const elf = scanLib(image ?? Buffer.alloc(0), entry.path, sink, catalogue(), { bytes: entry.size });
      return elf?.readOnlyData.map((r) => ({ offset: r.offset, length: r.size }));
    },
  };
}

/** Report one library; returns its ELF reading when it is one. `data` may be a sparse image (see elf-ranges.ts). */
function scanLib(data: Buffer, path: string, sink: ScanSink, sigs: CompiledSignature[], what: { bytes: number; sha256?: string }): ElfFile | undefined {
  const m = LIB_PATH.exec(path);
  if (!m) return undefined;
  const dirAbi = m[1]!;
  const name = m[2]!;
  let elf: ElfFile | undefined;
  let failure: GaugeError | undefined;
  if (isElf(data)) {
    try {
      elf = readElf(data, path);
    } catch (e) {
      failure = GaugeError.from(e, 'ARCHIVE_CORRUPT', { subject: path, plugin: 'android', hook: 'scan' });
    }
  }
  // The folder says where the app put it; the header says what it runs on. Trust the header when they differ.
  const abi = elf?.abi && !(KNOWN_ABIS.has(dirAbi) && abiMatches(dirAbi, elf.abi)) ? elf.abi : dirAbi;
  const fp = fingerprintNativeLib(name, data, elf, sigs);
  sink.addNativeLib({ path, abi, name, bytes: what.bytes, ...(what.sha256 ? { sha256: what.sha256 } : {}), ...(fp.framework ? { framework: fp.framework } : {}) });
  for (const match of fp.matches) {
    // A delegate belongs to the runtime of the library it sits in; alone, to its own framework only when the
    // library itself is the delegate (not merely importing it).
    const framework = match.kind === 'framework' ? match.signature.framework : (fp.framework ?? (match.strength >= STRENGTH.string ? match.signature.framework : undefined));
    sink.addFinding({ id: match.signature.id, kind: match.kind, evidence: match.evidence, path, ...(framework ? { framework } : {}) });
  }
  if (failure) throw failure;
  return elf;
}
