import type { GaugeErrorJSON } from '../errors/gauge-error.js';
import type { ModelFile } from '../ir/model-graph.js';

/** One app (or loose model file) that a source found. */
export interface AppRef {
  /**
   * When set, the app is a folder (an unpacked app, an npm package of models): every file is an entry named by
   * its path relative to `root`, and no file is "the" package.
   */
  root?: string;
  /** Stable id within a campaign: the absolute path of the main file, unless a source says otherwise. */
  id: string;
  /** The package file(s): one APK, or base + splits, or a loose file. */
  files: string[];
  /** The source type that produced it (`dir`, `files`, …). */
  source: string;
  snapshot?: string;
  category?: string;
  /** Package name when the source knows it already (a store listing). */
  package?: string;
}

/** What a sniffer sees of an entry: its name, its size and its first bytes. */
export interface SniffInput {
  /** Entry path inside the app, nested archives joined with `!/`. */
  path: string;
  /** Uncompressed size in bytes. */
  size: number;
  /** The first bytes of the entry (up to {@link SNIFF_HEAD_BYTES}). */
  head: Uint8Array;
}

/** How many leading bytes of each entry the walker hands to sniffers. */
export const SNIFF_HEAD_BYTES = 4096;

/** A sniffer's verdict: this entry belongs to a framework. */
export interface SniffHit {
  framework: string;
  /**
   * `model`: a whole model, or the main file of a multi-file model.
   * `weights`: the companion file of a multi-file model (ncnn `.bin`, `.caffemodel`), paired by `group`.
   */
  kind: 'model' | 'weights';
  /** Role of the file inside its model (`graph`, `weights`, …). */
  role?: string;
  /** Key that pairs files of one multi-file model, e.g. the path without its extension. */
  group?: string;
}

/** A model a sniffer found inside a larger blob: where it starts in the bytes it was shown, and how long it is. */
export interface LocatedModel {
  offset: number;
  length: number;
  hit: SniffHit;
}

/** Content sniffer: decides from the first bytes (and the name, as a hint only) whether an entry is a model. */
export interface Sniffer {
  /** Unique name, for errors and logs. */
  name: string;
  sniff(input: SniffInput): SniffHit | undefined;
  /**
   * Find whole models embedded in `data` (a window of a larger blob: packed asset files, a model appended to
   * something else). Return only models that lie entirely inside `data`, each with its exact length: a false
   * model costs more than a missed one. The walker shows large entries in overlapping windows (see
   * `ExtractOptions.locate`), so a model may be shown twice; it keeps one per offset.
   */
  locate?(data: Uint8Array): LocatedModel[];
  /**
   * Pair, by content, companion files (`kind: 'weights'`) that no model of the same `group` took with this
   * sniffer's models in the same app — names in real apps often differ (`deploy.prototxt` + `weights.caffemodel`).
   * Called once per app after the walk, with the cached files; return `[modelIndex, weightsIndex]` pairs.
   */
  pair?(models: PairCandidate[], weights: PairCandidate[]): Promise<[number, number][]> | [number, number][];
  /** Companion files that pair with nothing are models of their own (a caffemodel also holds its layers). */
  standaloneWeights?: boolean;
}

/** A cached model or companion file offered to {@link Sniffer.pair}. */
export interface PairCandidate {
  /** Entry path inside the app. */
  entry: string;
  /** The cached copy on disk. */
  path: string;
  bytes: number;
  sha256: string;
  role?: string;
}

/** A finding in code: a class or method that proves an app uses an API. */
export interface CodeFinding {
  /** What was found, e.g. `tflite.Interpreter`, `tflite.GpuDelegate`, `cloud.google.vision`. */
  id: string;
  /** Framework, delegate or cloud service it stands for. */
  kind: 'framework' | 'delegate' | 'cloud' | 'other';
  /** The class, method or symbol that proves it. */
  evidence: string;
  /** Entry it came from (`classes.dex`, `lib/arm64-v8a/libfoo.so`). */
  path: string;
  /** Framework it belongs to, where it belongs to one. */
  framework?: string;
  /**
   * `called` when code outside the finding's own library package calls or constructs it (the app uses it);
   * `bundled` when it is only defined, or used only inside its library (it merely ships). Absent where the
   * scanner cannot tell.
   */
  use?: 'called' | 'bundled';
  /** With `use: called`: a class outside the library whose code calls it (or, for a native library, loads it). */
  calledBy?: string;
}

/** A native library in the app. */
export interface NativeLib {
  path: string;
  abi: string;
  name: string;
  bytes: number;
  sha256?: string;
  /** ML runtime this library is, where fingerprinted. */
  framework?: string;
  /** Classes whose code loads it by name (`System.loadLibrary`/`System.load`); absent when no DEX code does. */
  loadedBy?: string[];
}

/** A file that looks like a model but has no known magic: likely an encrypted or obfuscated model. Never a model. */
export interface EncryptedSuspect {
  path: string;
  bytes: number;
  /** Shannon entropy of its first bytes, in bits per byte (8 = indistinguishable from random). */
  entropy: number;
  /** The rules that fired, joined by `; ` (e.g. `named like a model, no known magic; high entropy (7.96 bits/byte)`). */
  reason: string;
}

/** App metadata, as the manifest states it. */
export interface AppMeta {
  package?: string;
  versionCode?: number;
  versionName?: string;
  minSdk?: number;
  targetSdk?: number;
  label?: string;
}

/** One model found in an app. `files` name the blobs in the model cache that hold its bytes. */
export interface ExtractedModel {
  /** Path of the main file inside the app (`assets/a.zip!/m.tflite`). */
  path: string;
  framework: string;
  /** sha256 of the main file. */
  sha256: string;
  /** Bytes of the main file. */
  bytes: number;
  /** Every file of the model, main first; `path` here is the cached copy on disk, `role` names what it is. */
  files: (ModelFile & { entry: string })[];
  /**
   * Offset inside its entry, for models embedded in a larger blob. Such a model's `path` is the entry path with
   * `@<offset>` appended (one blob may hold several), and its cached file holds just the model's bytes.
   */
  offset?: number;
}

/** The result of extracting one app. */
export interface ExtractedApp {
  app: AppRef;
  meta: AppMeta;
  models: ExtractedModel[];
  frameworks: string[];
  nativeLibs: NativeLib[];
  codeFindings: CodeFinding[];
  cloudApis: CodeFinding[];
  suspectedEncrypted: EncryptedSuspect[];
  errors: GaugeErrorJSON[];
  /**
   * Things worth knowing that are not failures: weights with no model to pair with, entries a scanner
   * skipped as too large. `subject` is the entry path.
   */
  notes?: { subject: string; message: string }[];
  /** Entries seen, bytes read, for the record. */
  stats: { entries: number; bytesRead: number; archives: number };
}

/** Where a scanner reports what it found in one entry. */
export interface ScanSink {
  setMeta(meta: AppMeta): void;
  addFinding(f: CodeFinding): void;
  addNativeLib(lib: NativeLib): void;
  addSuspect(s: EncryptedSuspect): void;
}

/** An entry a scanner reads by byte ranges (see {@link Scanner.scanRanges}). */
export interface RangeReader {
  path: string;
  size: number;
  /** Up to `length` bytes from `offset` of the (decompressed) entry; shorter only at its end. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** A byte range of an entry. */
export interface ByteRange {
  offset: number;
  length: number;
}

/** A scanner reads entries it asks for (manifest, DEX, `.so`) and reports findings. Never executes them. */
export interface Scanner {
  name: string;
  /** True for entry paths this scanner wants to read. Called for every entry, so keep it cheap. */
  wants(path: string, size: number): boolean;
  /** Largest entry it will read whole; larger ones are skipped with a note. Default 64 MiB. */
  maxBytes?: number;
  scan(data: Buffer, path: string, sink: ScanSink): void | Promise<void>;
  /**
   * Read only the byte ranges it needs (a header first, then the tables it names) instead of the whole entry.
   * When present the walker calls this instead of {@link scan}. It may return the ranges worth searching for
   * embedded models (a library's read-only data); the rest of the entry is then never read.
   */
  scanRanges?(entry: RangeReader, sink: ScanSink): Promise<ByteRange[] | void>;
}
