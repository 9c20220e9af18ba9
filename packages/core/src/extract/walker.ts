/**
 * The archive walker: turns one app (APK, splits, loose files) into an {@link ExtractedApp}. It walks zip
 * central directories (nested ones too), shows each entry's head to the sniffers, caches the models they
 * claim, and hands whole entries to the scanners that want them.
 *
 * Hostile input never stops the walk: every per-entry or per-archive problem becomes a typed error in
 * `errors` and the walk goes on. Nothing is written outside `modelCacheDir` and `workDir`, and entry names
 * never become file system paths (cache files are named by hash, temp files by counter).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GaugeError, type GaugeErrorCode } from '../errors/gauge-error.js';
import { FileByteSource, SubByteSource, type ByteSource } from '../archive/byte-source.js';
import { ByteBudget, resolveLimits, type ArchiveLimits } from '../archive/limits.js';
import { CHUNK_BYTES, ZIP_METHOD, ZipReader, type ZipEntry } from '../archive/zip-reader.js';
import { cacheBlob } from './model-cache.js';
import {
  SNIFF_HEAD_BYTES,
  type AppRef,
  type ExtractedApp,
  type ExtractedModel,
  type ScanSink,
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
}

type ModelFileRef = ExtractedModel['files'][number];

/**
 * Extract one app. Never throws for bad input: an unreadable top-level file yields an app holding just that
 * error, and every other problem is recorded in `errors` (with `subject` = the entry path) while the walk goes on.
 * @throws GaugeError `INTERRUPTED` when `options.signal` aborts.
 */
export async function extractApp(app: AppRef, options: ExtractOptions): Promise<ExtractedApp> {
  const walk = new Walk(app, options);
  await mkdir(options.modelCacheDir, { recursive: true });
  await mkdir(options.workDir, { recursive: true });
  walk.tmpDir = await mkdtemp(join(options.workDir, 'walk-'));
  try {
    for (const [i, file] of app.files.entries()) {
      // The first file is the app itself; others (split APKs, OBBs) are named by their file name so equal
      // entry names in two files stay apart: `split_config.arm64_v8a.apk!/lib/…`.
      await walk.file(file, i === 0 ? '' : basename(file) + NESTED_SEPARATOR);
    }
    walk.pairWeights();
  } finally {
    await rm(walk.tmpDir, { recursive: true, force: true });
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
  private readonly weights: { framework: string; group?: string; file: ModelFileRef }[] = [];
  private readonly sink: ScanSink;

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
    const r = this.result;
    this.sink = {
      setMeta: (m) => Object.assign(r.meta, m),
      addFinding: (f) => (f.kind === 'cloud' ? r.cloudApis : r.codeFindings).push(f),
      addNativeLib: (l) => r.nativeLibs.push(l),
      addSuspect: (s) => r.suspectedEncrypted.push(s),
    };
  }

  /** Walk one top-level file of the app. */
  async file(file: string, prefix: string): Promise<void> {
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
      const loosePath = prefix ? prefix.slice(0, -NESTED_SEPARATOR.length) : basename(file);
      if (isLocalHeader(head) || isEmptyZip(head)) {
        // Starts like a zip: it is one, and a damaged one is reported, not sniffed as a loose file.
        const reader = await this.openZip(src, file);
        if (reader) await this.archive(reader, prefix, 0, file);
        return;
      }
      // Not zip-headed: sniffers first, because models may carry a zip at their end (TFLite metadata
      // packs associated files as an appended zip) and must not be mistaken for archives.
      const loose = this.looseHandle(src, loosePath);
      const hit = this.sniff(loose, head);
      if (hit) {
        await this.visit(loose, head, undefined, hit);
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
   * One entry: sniff (and cache a model), else recurse into a nested zip; then scanners.
   * `sniffed` is the verdict when the caller sniffed already (`null`: no hit).
   */
  private async visit(h: EntryHandle, head: Buffer, zip?: { reader: ZipReader; entry: ZipEntry; depth: number }, sniffed?: SniffHit | null): Promise<void> {
    this.result.stats.entries++;
    const hit = sniffed === undefined ? this.sniff(h, head) : (sniffed ?? undefined);
    if (hit) await this.keep(h, hit);
    else if (zip && isLocalHeader(head)) await this.nested(zip.reader, zip.entry, h.path, zip.depth);
    await this.scan(h);
  }

  private sniff(h: EntryHandle, head: Buffer): SniffHit | undefined {
    for (const s of this.options.sniffers) {
      try {
        const hit = s.sniff({ path: h.path, size: h.size, head });
        if (hit) return hit;
      } catch (e) {
        this.error(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: s.name, hook: 'sniff' }), h.path);
      }
    }
    return undefined;
  }

  /** Cache a model or weights file and remember it for pairing. */
  private async keep(h: EntryHandle, hit: SniffHit): Promise<void> {
    let blob;
    try {
      blob = await cacheBlob(this.options.modelCacheDir, h.chunks());
    } catch (e) {
      this.error(e, h.path, 'STORE');
      return;
    }
    const file: ModelFileRef = { path: blob.path, entry: h.path, sha256: blob.sha256, bytes: blob.bytes, role: hit.role ?? hit.kind };
    if (hit.kind === 'weights') {
      this.weights.push({ framework: hit.framework, group: hit.group, file });
      return;
    }
    const model: ExtractedModel = { path: h.path, framework: hit.framework, sha256: blob.sha256, bytes: blob.bytes, files: [file] };
    this.result.models.push(model);
    this.modelGroups.push({ model, framework: hit.framework, group: hit.group });
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

  private async scan(h: EntryHandle): Promise<void> {
    const wanting: Scanner[] = [];
    for (const s of this.options.scanners) {
      try {
        if (s.wants(h.path, h.size)) wanting.push(s);
      } catch (e) {
        this.error(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: s.name, hook: 'scan' }), h.path);
      }
    }
    if (wanting.length === 0) return;
    const fits = wanting.filter((s) => {
      const max = s.maxBytes ?? DEFAULT_SCAN_MAX_BYTES;
      if (h.size <= max) return true;
      this.notes.push({ subject: h.path, message: `${s.name} skipped it: ${h.size} bytes, over its ${max}-byte limit.` });
      return false;
    });
    if (fits.length === 0) return;
    let data: Buffer;
    try {
      data = await h.readAll(Math.max(...fits.map((s) => s.maxBytes ?? DEFAULT_SCAN_MAX_BYTES)));
    } catch (e) {
      this.error(e, h.path);
      return;
    }
    for (const s of fits) {
      try {
        await s.scan(data, h.path, this.sink);
      } catch (e) {
        this.error(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: s.name, hook: 'scan' }), h.path);
      }
    }
  }

  /** Attach weights to the model of the same framework and group; keep the rest as notes. */
  pairWeights(): void {
    for (const w of this.weights) {
      const owners = w.group === undefined ? [] : this.modelGroups.filter((m) => m.framework === w.framework && m.group === w.group);
      for (const o of owners) o.model.files.push(w.file);
      if (owners.length === 0) {
        this.notes.push({ subject: w.file.entry, message: `${w.framework} weights with no model to pair with (group ${JSON.stringify(w.group ?? null)}); cached as ${w.file.sha256}.` });
      }
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

function isLocalHeader(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function isEmptyZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x05 && b[3] === 0x06;
}
