/**
 * The archive walker: turns one app (APK, splits, loose files) into an {@link ExtractedApp}. It walks zip
 * central directories (nested ones too), shows each entry's head to the sniffers, caches the models they
 * claim, and hands whole entries to the scanners that want them.
 *
 * Entries no sniffer claims whole are searched for models embedded in them (sniffers' `locate`, in bounded
 * windows), and what is left is checked for signs of an encrypted model (see encrypted-suspect.ts).
 *
 * Hostile input never stops the walk: every per-entry or per-archive problem becomes a typed error in
 * `errors` and the walk goes on. Nothing is written outside `modelCacheDir` and `workDir`, and entry names
 * never become file system paths (cache files are named by hash, temp files by counter).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GaugeError, type GaugeErrorCode } from '../errors/gauge-error.js';
import { BlockCacheByteSource, FileByteSource, SubByteSource, type ByteSource } from '../archive/byte-source.js';
import { ByteBudget, resolveLimits, type ArchiveLimits } from '../archive/limits.js';
import { CHUNK_BYTES, ZIP_METHOD, ZipReader, type ZipEntry } from '../archive/zip-reader.js';
import { cacheBlob, cacheBytes, uncacheBlob, type CachedBlob } from './model-cache.js';
import { encryptedSuspect } from './encrypted-suspect.js';
import { knownMagic } from './known-magic.js';
import { DEFAULT_LOCATE_OPTIONS, WindowLocator, type FoundModel, type LocateOptions } from './locate-window.js';
import {
  SNIFF_HEAD_BYTES,
  type AppMeta,
  type AppRef,
  type ExtractedApp,
  type ExtractedModel,
  type ScanSink,
  type ByteRange,
  type Scanner,
  type SniffHit,
  type Sniffer,
} from './types.js';

/** Options of {@link extractApp}. */
export interface ExtractOptions {
  /** Asked in order for every entry; the first hit wins. */
  sniffers: Sniffer[];
  scanners: Scanner[];
  /** Content-addressed model cache (`<dir>/<sha256>`); created if missing. */
  modelCacheDir: string;
  /** Scratch space for inflated nested archives; a private subfolder is made and removed per app. */
  workDir: string;
  /** Safety limits; the byte budget (`maxTotalBytes`) covers the whole app, nested archives included. */
  limits?: Partial<ArchiveLimits>;
  /** Aborting stops the walk with a GaugeError `INTERRUPTED`. */
  signal?: AbortSignal;
  /** How large entries are searched for embedded models (window, overlap, smallest entry searched). */
  locate?: Partial<LocateOptions>;
  /** Report encrypted-model suspects (default true). */
  suspects?: boolean;
}

/** Default largest entry a scanner reads whole. */
export const DEFAULT_SCAN_MAX_BYTES = 64 * 1024 * 1024;

/** Separator between an archive entry and the path inside it: `assets/packs/a.zip!/m.tflite`. */
export const NESTED_SEPARATOR = '!/';

/** One readable thing: a zip entry or a loose file. */
interface EntryHandle {
  path: string;
  size: number;
  head(n: number): Promise<Buffer>;
  chunks(): AsyncIterable<Buffer>;
  readAll(maxBytes: number): Promise<Buffer>;
  /** Bytes of a range of the entry (for scanners that read by ranges). */
  range(offset: number, length: number, maxBytes: number): Promise<Buffer>;
}

type ModelFileRef = ExtractedModel['files'][number];

/** A sniffer's verdict and the sniffer that gave it. */
interface Claim {
  hit: SniffHit;
  sniffer: Sniffer;
}

/**
 * Extract one app. Never throws for bad input: an unreadable top-level file yields an app holding just that
 * error, and every other problem is recorded in `errors` (with `subject` = the entry path) while the walk goes on.
 * @throws GaugeError `INTERRUPTED` when `options.signal` aborts.
 */
export async function extractApp(app: AppRef, options: ExtractOptions): Promise<ExtractedApp> {
  const walk = new Walk(app, options);
  await ensureDir(options.modelCacheDir);
  try {
    for (const [i, file] of app.files.entries()) {
      // The first file is the app itself; others (split APKs, OBBs) are named by their file name so equal
      // entry names in two files stay apart: `split_config.arm64_v8a.apk!/lib/…`. In a folder app every file
      // is an entry named by its path in the folder.
      if (app.root !== undefined) await walk.file(file, relative(app.root, file).split(sep).join('/'), false);
      else await walk.file(file, basename(file), i === 0);
    }
    await walk.pairWeights();
  } finally {
    if (walk.tmpDir) await rm(walk.tmpDir, { recursive: true, force: true });
  }
  return walk.finish();
}

class Walk {
  tmpDir = '';
  private readonly limits: ArchiveLimits;
  private readonly budget: ByteBudget;
  private readonly signal?: AbortSignal;
  private looseBytes = 0;
  private tmpCounter = 0;
  private readonly result: ExtractedApp;
  private readonly notes: { subject: string; message: string }[] = [];
  private readonly modelGroups: { model: ExtractedModel; framework: string; group?: string }[] = [];
  private readonly weights: { framework: string; group?: string; file: ModelFileRef; sniffer: Sniffer; hit: SniffHit }[] = [];
  private readonly sink: ScanSink;
  private readonly locateOptions: LocateOptions;
  private readonly locators: Sniffer[];
  /** Nesting depth of the manifest the meta came from: a shallower one wins (see {@link setMeta}). */
  private metaDepth = Infinity;
  private metaFrom = '';

  constructor(
    app: AppRef,
    private readonly options: ExtractOptions,
  ) {
    this.limits = resolveLimits(options.limits);
    this.budget = new ByteBudget(this.limits.maxTotalBytes);
    this.signal = options.signal;
    this.result = {
      app,
      meta: {},
      models: [],
      frameworks: [],
      nativeLibs: [],
      codeFindings: [],
      cloudApis: [],
      suspectedEncrypted: [],
      errors: [],
      stats: { entries: 0, bytesRead: 0, archives: 0 },
    };
    this.locateOptions = { ...DEFAULT_LOCATE_OPTIONS, ...options.locate };
    this.locators = options.sniffers.filter((s) => typeof s.locate === 'function');
    const r = this.result;
    this.sink = {
      setMeta: (m) => this.setMeta(m, 0, ''),
      addFinding: (f) => (f.kind === 'cloud' ? r.cloudApis : r.codeFindings).push(f),
      addNativeLib: (l) => r.nativeLibs.push(l),
      addSuspect: (s) => r.suspectedEncrypted.push(s),
    };
  }

  /**
   * Walk one file of the app. `name` is its entry name (its path in a folder app, else its file name); the main
   * file of a package app lends its entries no prefix, others prefix theirs with `name!/`.
   */
  async file(file: string, name: string, main: boolean): Promise<void> {
    const prefix = main ? '' : name + NESTED_SEPARATOR;
    let src: FileByteSource;
    try {
      src = await FileByteSource.open(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.error(new GaugeError('INPUT_NOT_FOUND', `${file} cannot be read (${code ?? (e as Error).message}); check the path and its permissions.`, { subject: file, hook: 'extract', cause: e }), file);
      return;
    }
    try {
      const head = await src.read(0, SNIFF_HEAD_BYTES);
      const loosePath = name;
      if (isLocalHeader(head) || isEmptyZip(head)) {
        // Starts like a zip: it is one, and a damaged one is reported, not sniffed as a loose file.
        const reader = await this.openZip(new BlockCacheByteSource(src), file);
        if (reader) await this.archive(reader, prefix, 0, file);
        return;
      }
      // Not zip-headed: sniffers first, because models may carry a zip at their end (TFLite metadata
      // packs associated files as an appended zip) and must not be mistaken for archives.
      const loose = this.looseHandle(src, loosePath);
      const claim = this.sniff(loose, head);
      if (claim) {
        await this.visit(loose, head, undefined, claim);
        return;
      }
      let reader: ZipReader | undefined;
      try {
        reader = await ZipReader.open(src, { limits: this.limits, budget: this.budget, signal: this.signal });
      } catch {
        reader = undefined; // no usable end record: a plain file
      }
      if (reader) await this.archive(reader, prefix, 0, file);
      else await this.visit(loose, head, undefined, null);
    } catch (e) {
      this.error(e, file);
    } finally {
      await src.close();
    }
  }

  private async openZip(src: ByteSource, subject: string): Promise<ZipReader | undefined> {
    try {
      return await ZipReader.open(src, { limits: this.limits, budget: this.budget, signal: this.signal });
    } catch (e) {
      this.error(e, subject, 'ARCHIVE_CORRUPT');
      return undefined;
    }
  }

  /** Walk the entries of an open archive. `subject` names the archive itself in errors. */
  private async archive(reader: ZipReader, prefix: string, depth: number, subject: string): Promise<void> {
    this.result.stats.archives++;
    for (const p of reader.problems) this.error(p, p.subject ? prefix + p.subject : subject);
    for (const entry of reader.entries) {
      if (entry.isDirectory) continue;
      this.checkAbort();
      const path = prefix + entry.name;
      const handle: EntryHandle = {
        path,
        size: entry.uncompressedSize,
        head: (n) => reader.readHead(entry, n, { signal: this.signal }),
        chunks: () => reader.chunks(entry, { signal: this.signal }),
        readAll: (max) => reader.readAll(entry, max, { signal: this.signal }),
        range: (offset, length, max) => reader.readRange(entry, offset, length, max, { signal: this.signal }),
      };
      let head: Buffer;
      try {
        head = await handle.head(SNIFF_HEAD_BYTES);
      } catch (e) {
        this.result.stats.entries++;
        this.error(e, path);
        continue;
      }
      await this.visit(handle, head, { reader, entry, depth });
    }
  }

  /**
   * One entry: sniff (and cache a model), else recurse into a nested zip; then scanners; then, for an entry
   * nothing claimed, search it for embedded models and check it for signs of encryption.
   * `sniffed` is the verdict when the caller sniffed already (`null`: no hit).
   */
  private async visit(h: EntryHandle, head: Buffer, zip?: { reader: ZipReader; entry: ZipEntry; depth: number }, sniffed?: Claim | null): Promise<void> {
    this.result.stats.entries++;
    const claim = sniffed === undefined ? this.sniff(h, head) : (sniffed ?? undefined);
    const archive = !claim && zip !== undefined && isLocalHeader(head);
    if (claim) await this.keep(h, claim);
    else if (archive) await this.nested(zip.reader, zip.entry, h.path, zip.depth);
    const { data, ranges } = await this.scan(h);
    if (!claim && !archive) await this.unclaimed(h, head, data, ranges);
  }

  /**
   * An entry no sniffer claims and that is no archive: models inside it, else maybe an encrypted one. Where a
   * scanner read it by ranges, only the ranges it named (a library's read-only data) are searched, unless the
   * config asks for whole libraries (`extract.searchLibraries`).
   */
  private async unclaimed(h: EntryHandle, head: Buffer, data: Buffer | undefined, ranges?: ByteRange[]): Promise<void> {
    const magic = knownMagic(head);
    let found = 0;
    const searchable = !magic || (magic.locatable && (data !== undefined || this.locateOptions.searchLibraries));
    // A scanner that read it by ranges has said what is worth searching (a library's read-only data; nothing
    // for a `.so` that is no ELF), so the rest is never read, unless the config asks for whole libraries.
    const rangesOnly = ranges !== undefined && data === undefined && !this.locateOptions.searchLibraries;
    if (this.locators.length > 0 && h.size >= this.locateOptions.minEntryBytes && rangesOnly) {
      found = await this.locateInRanges(h, ranges);
    } else if (this.locators.length > 0 && h.size >= this.locateOptions.minEntryBytes && searchable) {
      found = await this.locateIn(h, data);
    }
    if (found === 0 && !magic && this.options.suspects !== false) {
      const s = encryptedSuspect(h.path, h.size, head);
      if (s) this.result.suspectedEncrypted.push(s);
    }
  }

  /** Search a whole entry for embedded models (the bytes a scanner read already, else a stream through windows). */
  private async locateIn(h: EntryHandle, data: Buffer | undefined): Promise<number> {
    const onFound = (m: FoundModel) => this.keepLocated(h.path, m);
    const onError = (e: GaugeError) => this.error(e, h.path);
    if (data) return WindowLocator.searchAll(this.locators, data, this.locateOptions, onFound, onError);
    const l = new WindowLocator(this.locators, h.size, this.locateOptions, onFound, onError);
    try {
      for await (const c of h.chunks()) await l.push(c);
      await l.end();
    } catch (e) {
      this.error(e, h.path);
    }
    return l.found;
  }

  /** Search the named ranges of an entry for embedded models (offsets stay those of the entry). */
  private async locateInRanges(h: EntryHandle, ranges: ByteRange[]): Promise<number> {
    let found = 0;
    for (const r of ranges) {
      const offset = Math.max(0, Math.min(r.offset, h.size));
      const length = Math.max(0, Math.min(r.length, h.size - offset));
      if (length < 64) continue; // smaller than any model
      try {
        const bytes = await h.range(offset, length, h.size);
        const onFound = (m: FoundModel) => this.keepLocated(h.path, { ...m, offset: m.offset + offset });
        found += await WindowLocator.searchAll(this.locators, bytes, this.locateOptions, onFound, (e) => this.error(e, h.path));
      } catch (e) {
        this.error(e, h.path);
      }
    }
    return found;
  }

  /** Cache a model found at an offset of an entry; its path says where: `entry@offset`. */
  private async keepLocated(entry: string, m: FoundModel, cached?: CachedBlob): Promise<void> {
    let blob = cached;
    try {
      blob ??= await cacheBytes(this.options.modelCacheDir, m.bytes);
    } catch (e) {
      this.error(e, entry, 'STORE');
      return;
    }
    this.record(`${entry}@${m.offset}`, entry, m.hit, blob, this.options.sniffers.find((s) => s.name === m.sniffer)!, m.offset);
  }

  private sniff(h: EntryHandle, head: Buffer): Claim | undefined {
    for (const s of this.options.sniffers) {
      try {
        const hit = s.sniff({ path: h.path, size: h.size, head });
        if (hit) return { hit, sniffer: s };
      } catch (e) {
        this.error(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: s.name, hook: 'sniff' }), h.path);
      }
    }
    return undefined;
  }

  /**
   * Cache a model or weights file and remember it for pairing. A model claimed whole by a sniffer that can also
   * locate models is searched in the same pass: a blob that merely starts with a model (packed assets whose first
   * file is a model) is reported as the models inside it, not as one model.
   */
  private async keep(h: EntryHandle, claim: Claim): Promise<void> {
    const { hit, sniffer } = claim;
    const dir = this.options.modelCacheDir;
    const search = hit.kind === 'model' && sniffer.locate !== undefined && h.size >= this.locateOptions.minEntryBytes;
    const located: { m: Omit<FoundModel, 'bytes'>; length: number; blob?: CachedBlob }[] = [];
    let locator: WindowLocator | undefined;
    if (search) {
      locator = new WindowLocator([sniffer], h.size, this.locateOptions, async (m) => {
        // The model at offset 0 is cached only if the entry turns out to be a blob: usually it is the whole entry.
        const blob = m.offset === 0 ? undefined : await cacheBytes(dir, m.bytes);
        located.push({ m: { offset: m.offset, hit: m.hit, sniffer: m.sniffer }, length: m.bytes.length, blob });
      }, (e) => this.error(e, h.path));
    }
    let blob: CachedBlob;
    try {
      // Most models are a few MB: one whole read (one synchronous inflate) beats a stream of chunks.
      const source: AsyncIterable<Buffer> | Buffer[] = h.size <= WHOLE_MODEL_BYTES ? [await h.readAll(h.size)] : h.chunks();
      async function* tee(): AsyncGenerator<Buffer> {
        for await (const c of source) {
          if (locator) await locator.push(c);
          yield c;
        }
        await locator?.end();
      }
      blob = await cacheBlob(dir, locator ? tee() : source);
    } catch (e) {
      this.error(e, h.path, 'STORE');
      return;
    }
    const isBlob = located.length > 1 || (located.length === 1 && located[0]!.m.offset > 0);
    if (!isBlob) {
      this.record(h.path, h.path, hit, blob, sniffer);
      return;
    }
    try {
      await uncacheBlob(blob);
      for (const l of located) {
        const cached = l.blob ?? (await cacheBlob(dir, take(h.chunks(), l.length)));
        this.record(`${h.path}@${l.m.offset}`, h.path, l.m.hit, cached, this.options.sniffers.find((s) => s.name === l.m.sniffer) ?? sniffer, l.m.offset);
      }
    } catch (e) {
      this.error(e, h.path, 'STORE');
    }
  }

  /** Note a cached model (or weights file) found in the app. */
  private record(path: string, entry: string, hit: SniffHit, blob: CachedBlob, sniffer: Sniffer, offset?: number): void {
    const file: ModelFileRef = { path: blob.path, entry, sha256: blob.sha256, bytes: blob.bytes, role: hit.role ?? hit.kind };
    if (hit.kind === 'weights') {
      this.weights.push({ framework: hit.framework, group: hit.group, file, sniffer, hit });
      return;
    }
    const model: ExtractedModel = { path, framework: hit.framework, sha256: blob.sha256, bytes: blob.bytes, files: [file] };
    if (offset !== undefined) model.offset = offset;
    this.result.models.push(model);
    this.modelGroups.push({ model, framework: hit.framework, group: hit.group });
  }

  /**
   * App meta from a manifest `depth` archives down: a shallower manifest wins (an APK's own manifest beats one of
   * an APK it carries; the base APK of a split set is one level down); at equal depth the first entry wins and
   * later ones only fill gaps, so a second APK never overwrites the first one's package.
   */
  private setMeta(m: AppMeta, depth: number, from: string): void {
    const r = this.result;
    if (depth < this.metaDepth) {
      r.meta = { ...m };
      this.metaDepth = depth;
      this.metaFrom = from;
    } else if (depth === this.metaDepth && from === this.metaFrom) {
      Object.assign(r.meta, m);
    } else if (depth === this.metaDepth) {
      for (const [k, v] of Object.entries(m) as [keyof AppMeta, never][]) if (r.meta[k] === undefined) r.meta[k] = v;
    }
  }

  /** Open a zip inside a zip: in place when stored, via a bounded temp file when deflated. */
  private async nested(outer: ZipReader, entry: ZipEntry, path: string, depth: number): Promise<void> {
    if (depth + 1 > this.limits.maxDepth) {
      this.error(new GaugeError('ARCHIVE_NESTING', `${path} is an archive nested ${depth + 1} deep, past limits.maxDepth (${this.limits.maxDepth}); it was not opened.`, { hook: 'extract' }), path);
      return;
    }
    let src: ByteSource | undefined;
    let tmp: string | undefined;
    try {
      if (entry.method === ZIP_METHOD.STORE) {
        // Read in place, by offset. (Its CRC is not checked: that would cost a full extra read.)
        const range = await outer.dataRange(entry);
        src = new SubByteSource(outer.source, range.offset, range.length);
      } else {
        // Random access needs the bytes inflated somewhere; the outer reader bounds them by the limits.
        // The scratch folder is made on first need: most apps inflate no nested archive to disk.
        if (!this.tmpDir) {
          await ensureDir(this.options.workDir);
          this.tmpDir = await mkdtemp(join(this.options.workDir, 'walk-'));
        }
        tmp = join(this.tmpDir, `nested-${this.tmpCounter++}.zip`);
        await pipeline(outer.chunks(entry, { signal: this.signal }), createWriteStream(tmp, { flags: 'wx', highWaterMark: CHUNK_BYTES }));
        src = await FileByteSource.open(tmp);
      }
      const inner = await this.openZip(src, path);
      if (inner) await this.archive(inner, path + NESTED_SEPARATOR, depth + 1, path);
    } catch (e) {
      this.error(e, path);
    } finally {
      await src?.close();
      if (tmp) await rm(tmp, { force: true });
    }
  }

  /**
   * Hand the entry to the scanners that want it; returns its bytes when they were read whole, and the ranges
   * worth searching that scanners reading by ranges named.
   */
  private async scan(h: EntryHandle): Promise<{ data?: Buffer; ranges?: ByteRange[] }> {
    const wanting: Scanner[] = [];
    for (const s of this.options.scanners) {
      try {
        if (s.wants(h.path, h.size)) wanting.push(s);
      } catch (e) {
        this.error(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: s.name, hook: 'scan' }), h.path);
      }
    }
    if (wanting.length === 0) return {};
    const fits = wanting.filter((s) => {
      const max = s.maxBytes ?? DEFAULT_SCAN_MAX_BYTES;
      if (h.size <= max) return true;
      this.notes.push({ subject: h.path, message: `${s.name} skipped it: ${h.size} bytes, over its ${max}-byte limit.` });
      return false;
    });
    if (fits.length === 0) return {};
    const depth = h.path.split(NESTED_SEPARATOR).length - 1;
    const sink: ScanSink = { ...this.sink, setMeta: (m) => this.setMeta(m, depth, h.path) };
    const failed = (s: Scanner, e: unknown) => this.error(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: s.name, hook: 'scan' }), h.path);
    // Scanners that read by ranges first: they fetch a header and the tables it names, never the whole entry.
    let ranges: ByteRange[] | undefined;
    for (const s of fits.filter((x) => x.scanRanges)) {
      const max = s.maxBytes ?? DEFAULT_SCAN_MAX_BYTES;
      try {
        const got = await s.scanRanges!({ path: h.path, size: h.size, read: (offset, length) => h.range(offset, length, max) }, sink);
        if (got) (ranges ??= []).push(...got);
      } catch (e) {
        failed(s, e);
      }
    }
    const whole = fits.filter((x) => !x.scanRanges);
    if (whole.length === 0) return { ranges: ranges ?? [] };
    let data: Buffer;
    try {
      data = await h.readAll(Math.max(...whole.map((s) => s.maxBytes ?? DEFAULT_SCAN_MAX_BYTES)));
    } catch (e) {
      this.error(e, h.path);
      return { ranges };
    }
    for (const s of whole) {
      try {
        await s.scan(data, h.path, sink);
      } catch (e) {
        failed(s, e);
      }
    }
    return { data, ranges };
  }

  /** Attach weights to the model of the same framework and group; keep the rest as notes. */
  /**
   * Attach companion files to their models: first by `group` (same name stem), then by content through the
   * sniffer's `pair` (layer names, blob sizes) for models still without one. What stays unpaired is a model of its
   * own where the sniffer says so (`standaloneWeights`), else a note.
   */
  async pairWeights(): Promise<void> {
    const unpaired: typeof this.weights = [];
    for (const w of this.weights) {
      const owners = w.group === undefined ? [] : this.modelGroups.filter((m) => m.framework === w.framework && m.group === w.group);
      for (const o of owners) o.model.files.push(w.file);
      if (owners.length === 0) unpaired.push(w);
    }
    for (const sniffer of new Set(unpaired.map((w) => w.sniffer))) {
      const ws = unpaired.filter((w) => w.sniffer === sniffer);
      const frameworks = new Set(ws.map((w) => w.framework));
      const ms = this.modelGroups.filter((m) => frameworks.has(m.framework) && m.model.files.length === 1);
      if (sniffer.pair && ms.length && ws.length) {
        const cand = (f: ModelFileRef) => ({ entry: f.entry, path: f.path, bytes: f.bytes, sha256: f.sha256, role: f.role });
        try {
          const pairs = await sniffer.pair(ms.map((m) => cand(m.model.files[0]!)), ws.map((w) => cand(w.file)));
          const taken = new Set<number>();
          for (const [mi, wi] of pairs) {
            const m = ms[mi];
            const w = ws[wi];
            if (!m || !w || taken.has(wi) || m.model.files.length > 1) continue; // ignore a sniffer's bad indices
            m.model.files.push(w.file);
            taken.add(wi);
          }
          for (const wi of [...taken].sort((a, b) => b - a)) unpaired.splice(unpaired.indexOf(ws[wi]!), 1);
        } catch (e) {
          this.error(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: sniffer.name, hook: 'sniff:pair' }), ws[0]!.file.entry);
        }
      }
    }
    for (const w of unpaired) {
      if (w.sniffer.standaloneWeights) {
        const model: ExtractedModel = { path: w.file.entry, framework: w.framework, sha256: w.file.sha256, bytes: w.file.bytes, files: [w.file] };
        this.result.models.push(model);
        continue;
      }
      this.notes.push({ subject: w.file.entry, message: `${w.framework} weights with no model to pair with (group ${JSON.stringify(w.group ?? null)}); cached as ${w.file.sha256}.` });
    }
  }

  finish(): ExtractedApp {
    const r = this.result;
    const fw = new Set<string>(r.models.map((m) => m.framework));
    for (const x of [...r.codeFindings, ...r.cloudApis, ...r.nativeLibs]) if (x.framework) fw.add(x.framework);
    r.frameworks = [...fw].sort();
    r.stats.bytesRead = this.budget.used + this.looseBytes;
    if (this.notes.length) r.notes = this.notes;
    return r;
  }

  private looseHandle(src: FileByteSource, path: string): EntryHandle {
    const count = (n: number): void => {
      this.looseBytes += n;
    };
    const signal = this.signal;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let off = 0; off < src.size; ) {
        signal?.throwIfAborted();
        const b = await src.read(off, Math.min(CHUNK_BYTES, src.size - off));
        if (b.length === 0) throw new GaugeError('ARCHIVE_CORRUPT', `${path} shrank while it was read.`, { subject: path });
        off += b.length;
        count(b.length);
        yield b;
      }
    }
    return {
      path,
      size: src.size,
      head: (n) => src.read(0, n),
      chunks,
      readAll: async (max) => {
        if (src.size > max) throw new GaugeError('ARCHIVE_BOMB', `${path} is over ${max} bytes.`, { subject: path });
        const parts: Buffer[] = [];
        for await (const c of chunks()) parts.push(c);
        return Buffer.concat(parts);
      },
      range: async (offset, length) => {
        const b = await src.read(offset, Math.max(0, Math.min(length, src.size - offset)));
        count(b.length);
        return b;
      },
    };
  }

  private checkAbort(): void {
    if (this.signal?.aborted) {
      throw new GaugeError('INTERRUPTED', 'Extraction was interrupted; run it again to continue.', { hook: 'extract', cause: this.signal.reason });
    }
  }

  /** Record a problem under `subject` (the entry path). An abort is not a problem: it ends the walk. */
  private error(e: unknown, subject: string, fallback: GaugeErrorCode = 'ARCHIVE_CORRUPT'): void {
    this.checkAbort();
    const j = GaugeError.from(e, fallback, { hook: 'extract' }).toJSON();
    j.subject = subject;
    this.result.errors.push(j);
  }
}

/** Models up to this size are read in one piece rather than streamed. */
const WHOLE_MODEL_BYTES = 32 * 1024 * 1024;

/** Folders this process has made already: a corpus of thousands of apps need not ask the file system each time. */
const madeDirs = new Set<string>();
async function ensureDir(dir: string): Promise<void> {
  if (madeDirs.has(dir)) return;
  await mkdir(dir, { recursive: true });
  madeDirs.add(dir);
}

function isLocalHeader(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function isEmptyZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x05 && b[3] === 0x06;
}

/** The first `n` bytes of a chunk stream; stops the stream there. */
async function* take(chunks: AsyncIterable<Buffer>, n: number): AsyncGenerator<Buffer> {
  let left = n;
  if (left <= 0) return;
  for await (const c of chunks) {
    if (c.length >= left) {
      yield c.subarray(0, left);
      return;
    }
    left -= c.length;
    yield c;
  }
}
