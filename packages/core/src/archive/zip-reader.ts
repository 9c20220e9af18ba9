/**
 * A random-access zip reader for untrusted archives (APKs, OBBs, asset packs, zips inside them).
 *
 * Written by hand on purpose rather than taken from yauzl & co: gaugeNN needs random access to the central
 * directory (entries are read in any order, heads first), tolerance of the APK Signing Block between the
 * entries and the central directory, per-entry bounded streaming with bomb limits enforced on the bytes
 * actually produced, nested archives read in place by offset (a STORED zip inside an APK is a window of the
 * APK, not a copy), and typed hostile-input errors (GaugeError codes) per entry rather than one exception
 * that ends the archive. No library gives typed limits and nesting by offset.
 *
 * Everything is bounded: the central directory is parsed through a sliding window, entry data is streamed in
 * {@link CHUNK_BYTES} chunks, and nothing holds a whole archive (or a whole entry, unless asked) in memory.
 */
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { GaugeError, type GaugeErrorCode } from '../errors/gauge-error.js';
import { FileByteSource, type ByteSource } from './byte-source.js';
import { decodeCp437, unsafeEntryName } from './entry-name.js';
import { ByteBudget, resolveLimits, type ArchiveLimits } from './limits.js';

/** Read size for entry data and the central directory window. */
export const CHUNK_BYTES = 64 * 1024;
/**
 * Largest read of entry data. Reads start at {@link CHUNK_BYTES} and double up to this, so a caller that stops
 * after the first chunk (a head) reads little, and one that reads on (a hash, a scan) pays few syscalls per MB.
 */
const READ_MAX_BYTES = 1024 * 1024;
/** Output chunk size of the streaming inflater: large chunks cost fewer stream turns per MB. */
const INFLATE_CHUNK_BYTES = 256 * 1024;
/** Compressed bytes read for a head beyond the head's size: deflate never needs more than a few bytes per 64 KiB. */
const HEAD_SLACK_BYTES = 16 * 1024;
const CD_WINDOW = 1024 * 1024;
/** Deflated entries up to this size (and one chunk compressed) are inflated in one synchronous call. */
const SMALL_INFLATE_BYTES = 256 * 1024;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_Z64_LOCATOR = 0x07064b50;
const SIG_Z64_EOCD = 0x06064b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const APK_SIG_MAGIC = Buffer.from('APK Sig Block 42', 'latin1');

/** Compression methods this reader inflates. */
export const ZIP_METHOD = { STORE: 0, DEFLATE: 8 } as const;

/** One central-directory entry, as the archive declares it. Sizes are claims until streamed. */
export interface ZipEntry {
  /** Position in the central directory. */
  index: number;
  /** Name as stored (UTF-8, or CP437 when neither flagged nor valid UTF-8). Never a file system path. */
  name: string;
  method: number;
  /** General-purpose flags (bit 0 encrypted, bit 3 data descriptor, bit 11 UTF-8). */
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the local header inside the source (already corrected for data prepended to the archive). */
  localHeaderOffset: number;
  isDirectory: boolean;
  isSymlink: boolean;
  /** Unix mode from the external attributes, when the entry was made on Unix. */
  unixMode?: number;
  encrypted: boolean;
}

/** Where an APK Signing Block sits, when the archive has one. */
export interface ApkSigningBlockInfo {
  offset: number;
  size: number;
}

/** Options for {@link ZipReader.open}. */
export interface ZipReaderOptions {
  limits?: Partial<ArchiveLimits>;
  /** Shared budget of uncompressed bytes (pass the parent's for nested archives). New one if absent. */
  budget?: ByteBudget;
  signal?: AbortSignal;
}

/** Per-read options. */
export interface ZipReadOptions {
  signal?: AbortSignal;
  /**
   * The caller wants the whole entry in memory anyway (a scanner reads it whole): entries up to
   * {@link WHOLE_READ_MAX} come in one read and one synchronous inflate instead of a stream of chunks.
   */
  whole?: boolean;
}

/** Largest entry {@link ZipReadOptions.whole} reads in one piece; larger ones stream as usual. */
const WHOLE_READ_MAX = 64 * 1024 * 1024;

function err(code: GaugeErrorCode, message: string, subject?: string, cause?: unknown): GaugeError {
  return new GaugeError(code, message, { subject, cause, hook: 'extract' });
}

/**
 * A zip archive opened for reading. `entries` holds the entries that are safe to read (directories
 * included, flagged); refused ones (unsafe names, duplicates, symlinks, beyond the entry limit) are only in
 * `problems`, each a typed GaugeError whose `subject` is the entry name.
 */
export class ZipReader {
  /** Readable entries in central-directory order. */
  readonly entries: ZipEntry[] = [];
  /** Per-entry and per-archive problems found while listing. The archive stays usable. */
  readonly problems: GaugeError[] = [];
  /** Bytes before the archive proper (self-extractor stubs, or any prefix), added to every stored offset. */
  prefixBytes = 0;
  /** Where the central directory really starts in the source. */
  cdOffset = 0;
  cdSize = 0;
  /** Total entries the archive declares (may exceed `entries.length`). */
  declaredEntries = 0;
  zip64 = false;
  apkSigningBlock?: ApkSigningBlockInfo;
  readonly limits: ArchiveLimits;
  readonly budget: ByteBudget;
  private readonly dataStarts = new Map<number, number>();
  private readonly byName = new Map<string, ZipEntry>();

  private constructor(
    /** The bytes read. Not closed by {@link close} unless the reader opened it. */
    readonly source: ByteSource,
    options: ZipReaderOptions,
    private readonly ownsSource: boolean,
  ) {
    this.limits = resolveLimits(options.limits);
    this.budget = options.budget ?? new ByteBudget(this.limits.maxTotalBytes);
  }

  /**
   * Read the central directory of the zip in `source`.
   * @throws GaugeError ARCHIVE_CORRUPT when there is no usable end record or central directory (truncated,
   *   garbage), ARCHIVE_UNSUPPORTED for multi-disk archives.
   */
  static async open(source: ByteSource, options: ZipReaderOptions = {}): Promise<ZipReader> {
    const r = new ZipReader(source, options, false);
    await r.readDirectory(options.signal);
    return r;
  }

  /** Open a zip file by path; {@link close} closes the file. fs errors (ENOENT…) are thrown as they come. */
  static async openFile(path: string, options: ZipReaderOptions = {}): Promise<ZipReader> {
    const src = await FileByteSource.open(path);
    try {
      const r = new ZipReader(src, options, true);
      await r.readDirectory(options.signal);
      return r;
    } catch (e) {
      await src.close();
      throw e;
    }
  }

  /** Close the source when this reader opened it. */
  async close(): Promise<void> {
    if (this.ownsSource) await this.source.close();
  }

  /** The readable entry with this exact name. */
  getEntry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Central directory

  private async readDirectory(signal?: AbortSignal): Promise<void> {
    const src = this.source;
    const eocdPos = await findEocd(src);
    if (eocdPos === undefined) {
      throw err('ARCHIVE_CORRUPT', `No zip end-of-central-directory record in the last ${MAX_COMMENT + EOCD_SIZE} bytes: the archive is truncated or not a zip.`);
    }
    const eocd = await src.read(eocdPos, EOCD_SIZE);
    const disk = eocd.readUInt16LE(4);
    const cdDisk = eocd.readUInt16LE(6);
    let total = eocd.readUInt16LE(10);
    let cdSize = eocd.readUInt32LE(12);
    let cdOffset = eocd.readUInt32LE(16);
    let cdEndExpected = eocdPos;

    // ZIP64: a locator right before the EOCD points at the ZIP64 end record, whose values win.
    if (eocdPos >= 20) {
      const loc = await src.read(eocdPos - 20, 20);
      if (loc.readUInt32LE(0) === SIG_Z64_LOCATOR) {
        const stated = u64(loc, 8, 'ZIP64 end record offset');
        // Prefer the record where the locator says; a prefixed archive may have it right before the locator.
        let recPos: number | undefined;
        for (const cand of [stated, eocdPos - 20 - 56]) {
          if (cand < 0 || cand + 56 > eocdPos - 20) continue;
          const head = await src.read(cand, 4);
          if (head.length === 4 && head.readUInt32LE(0) === SIG_Z64_EOCD) {
            recPos = cand;
            break;
          }
        }
        if (recPos === undefined) throw err('ARCHIVE_CORRUPT', 'The ZIP64 end-of-central-directory record is missing where its locator points.');
        const rec = await src.read(recPos, 56);
        if (rec.readUInt32LE(16) !== 0 || rec.readUInt32LE(20) !== 0) {
          throw err('ARCHIVE_UNSUPPORTED', 'Multi-disk (spanned) zip archives are not supported; join the parts into one file.');
        }
        total = u64(rec, 32, 'entry count');
        cdSize = u64(rec, 40, 'central directory size');
        cdOffset = u64(rec, 48, 'central directory offset');
        cdEndExpected = recPos;
        this.zip64 = true;
      }
    }
    if (!this.zip64 && (disk !== 0 || cdDisk !== 0)) {
      throw err('ARCHIVE_UNSUPPORTED', 'Multi-disk (spanned) zip archives are not supported; join the parts into one file.');
    }

    // Never assume the CD follows the data (APK Signing Block) nor that offsets start at 0 (prefixed data):
    // trust the stated offset when a CD header is there, else try the offset implied by the CD ending at
    // the end record.
    const implied = cdEndExpected - cdSize;
    if (total > 0 || cdSize > 0) {
      if (cdOffset + cdSize <= cdEndExpected && (await hasSig(src, cdOffset, SIG_CENTRAL, cdEndExpected))) {
        this.prefixBytes = 0;
      } else if (implied > cdOffset && (await hasSig(src, implied, SIG_CENTRAL, cdEndExpected))) {
        this.prefixBytes = implied - cdOffset;
      } else {
        throw err('ARCHIVE_CORRUPT', `The central directory (${cdSize} bytes at offset ${cdOffset}) is not inside the archive (${src.size} bytes): it is truncated or damaged.`);
      }
    }
    this.cdOffset = cdOffset + this.prefixBytes;
    this.cdSize = cdSize;
    this.declaredEntries = total;
    await this.findApkSigningBlock();

    const win = new Window(src, this.cdOffset, this.cdOffset + cdSize);
    const cdEnd = this.cdOffset + cdSize;
    let pos = this.cdOffset;
    // Walk the directory by its size rather than the declared count: writers that pass 65,535 entries
    // without ZIP64 wrap the 16-bit count, and the bytes are what the archive really holds.
    for (let i = 0; pos < cdEnd; i++) {
      if ((i & 1023) === 0) signal?.throwIfAborted();
      const fixed = await win.at(pos, 46);
      if (!fixed || fixed.readUInt32LE(0) !== SIG_CENTRAL) {
        // Past the declared count, trailing bytes (a digital-signature record) are not an error.
        if (i < total) this.problems.push(err('ARCHIVE_CORRUPT', `Central directory entry ${i} of ${total} is damaged; the entries after it were not listed.`));
        break;
      }
      if (i >= this.limits.maxEntries) {
        this.problems.push(err('ARCHIVE_TOO_MANY_ENTRIES', `The archive has more than ${this.limits.maxEntries} entries (it declares ${total}); only the first ${this.limits.maxEntries} (limits.maxEntries) were listed.`));
        break;
      }
      const nameLen = fixed.readUInt16LE(28);
      const extraLen = fixed.readUInt16LE(30);
      const commentLen = fixed.readUInt16LE(32);
      const rec = await win.at(pos, 46 + nameLen + extraLen);
      if (!rec) {
        this.problems.push(err('ARCHIVE_CORRUPT', `Central directory entry ${i} runs past the end of the directory; the rest were not listed.`));
        break;
      }
      pos += 46 + nameLen + extraLen + commentLen;
      const entry = this.parseCentral(rec, i, nameLen, extraLen);
      if (entry) this.accept(entry);
    }
  }

  private parseCentral(rec: Buffer, index: number, nameLen: number, extraLen: number): ZipEntry | undefined {
    const madeBy = rec.readUInt16LE(4);
    const flags = rec.readUInt16LE(8);
    const rawName = rec.subarray(46, 46 + nameLen);
    const name = decodeName(rawName, (flags & 0x800) !== 0);
    let compressedSize = rec.readUInt32LE(20);
    let uncompressedSize = rec.readUInt32LE(24);
    let localHeaderOffset = rec.readUInt32LE(42);
    const extAttr = rec.readUInt32LE(38);
    // ZIP64 extra field: only the fields whose 32-bit slot is saturated are present, in this order.
    const extra = rec.subarray(46 + nameLen, 46 + nameLen + extraLen);
    try {
      for (let p = 0; p + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(p);
        const len = extra.readUInt16LE(p + 2);
        const body = extra.subarray(p + 4, p + 4 + len);
        if (id === 0x0001) {
          let q = 0;
          const next = (what: string): number => {
            if (q + 8 > body.length) throw err('ARCHIVE_CORRUPT', `ZIP64 extra field lacks the ${what}.`, name);
            const v = u64(body, q, what, name);
            q += 8;
            return v;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = next('uncompressed size');
          if (compressedSize === 0xffffffff) compressedSize = next('compressed size');
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next('local header offset');
        }
        p += 4 + len;
      }
    } catch (e) {
      this.problems.push(GaugeError.from(e, 'ARCHIVE_CORRUPT', { subject: name }));
      return undefined;
    }
    const unixMode = madeBy >> 8 === 3 ? extAttr >>> 16 : undefined;
    const fmt = unixMode === undefined ? 0 : unixMode & 0o170000;
    return {
      index,
      name,
      method: rec.readUInt16LE(10),
      flags,
      crc32: rec.readUInt32LE(16),
      compressedSize,
      uncompressedSize,
      localHeaderOffset: localHeaderOffset + this.prefixBytes,
      isDirectory: name.endsWith('/') || fmt === 0o040000 || (madeBy >> 8 === 0 && (extAttr & 0x10) !== 0),
      isSymlink: fmt === 0o120000,
      unixMode,
      encrypted: (flags & 1) !== 0,
    };
  }

  private accept(entry: ZipEntry): void {
    const why = unsafeEntryName(entry.name);
    if (why) {
      this.problems.push(err('ARCHIVE_PATH_TRAVERSAL', `Entry ${JSON.stringify(entry.name)} was refused (${why}); it was not read.`, entry.name));
      return;
    }
    if (entry.isSymlink) {
      this.problems.push(err('ARCHIVE_SYMLINK', `Entry ${JSON.stringify(entry.name)} is a symbolic link; it was not followed or read.`, entry.name));
      return;
    }
    if (this.byName.has(entry.name)) {
      this.problems.push(err('ARCHIVE_DUPLICATE_ENTRY', `Entry ${JSON.stringify(entry.name)} appears more than once; the first one was kept.`, entry.name));
      return;
    }
    this.byName.set(entry.name, entry);
    this.entries.push(entry);
  }

  private async findApkSigningBlock(): Promise<void> {
    // Layout before the CD: ... | size (u64) | pairs | size (u64) | "APK Sig Block 42" | CD
    if (this.cdOffset < 32) return;
    const tail = await this.source.read(this.cdOffset - 24, 24);
    if (tail.length !== 24 || !tail.subarray(8).equals(APK_SIG_MAGIC)) return;
    const size = Number(tail.readBigUInt64LE(0));
    const offset = this.cdOffset - size - 8;
    if (!Number.isSafeInteger(size) || offset < 0) return;
    this.apkSigningBlock = { offset, size: size + 8 };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Entry data

  /**
   * Where the entry's stored (compressed) bytes lie in the source. Reads the local header for its own
   * name/extra lengths, which may differ from the central directory's.
   * @throws GaugeError ARCHIVE_CORRUPT when the local header is missing or the data runs into the directory.
   */
  async dataRange(entry: ZipEntry): Promise<{ offset: number; length: number }> {
    let start = this.dataStarts.get(entry.index);
    if (start === undefined) {
      const h = await this.source.read(entry.localHeaderOffset, 30);
      if (h.length < 30 || h.readUInt32LE(0) !== SIG_LOCAL) {
        throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(entry.name)} has no local header at offset ${entry.localHeaderOffset}.`, entry.name);
      }
      start = entry.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
      this.dataStarts.set(entry.index, start);
    }
    // Data must end before the CD (and the signing block); past that it would be reading other structures.
    const end = this.apkSigningBlock?.offset ?? this.cdOffset;
    if (start + entry.compressedSize > end) {
      throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(entry.name)} claims ${entry.compressedSize} bytes that run past the entry area; the archive is truncated or damaged.`, entry.name);
    }
    return { offset: start, length: entry.compressedSize };
  }

  /**
   * The decompressed bytes of an entry, in chunks. CRC-32 and size are checked at the end; bomb limits are
   * checked on every chunk, so a hostile entry is cut off as soon as it passes one.
   * @throws GaugeError ARCHIVE_UNSUPPORTED (method, encryption), ARCHIVE_SYMLINK, ARCHIVE_BOMB, ARCHIVE_CRC,
   *   ARCHIVE_CORRUPT (truncated data, bad deflate stream, size mismatch).
   */
  async *chunks(entry: ZipEntry, options: ZipReadOptions = {}): AsyncGenerator<Buffer, void, undefined> {
    const { signal } = options;
    const name = entry.name;
    if (entry.isSymlink) throw err('ARCHIVE_SYMLINK', `Entry ${JSON.stringify(name)} is a symbolic link; it is never read.`, name);
    if (entry.encrypted) throw err('ARCHIVE_UNSUPPORTED', `Entry ${JSON.stringify(name)} is encrypted; gaugeNN does not decrypt zip entries.`, name);
    if (entry.method !== ZIP_METHOD.STORE && entry.method !== ZIP_METHOD.DEFLATE) {
      throw err('ARCHIVE_UNSUPPORTED', `Entry ${JSON.stringify(name)} uses compression method ${entry.method}; only stored (0) and deflate (8) are read.`, name);
    }
    const meter = new Meter(entry, this.limits, this.budget);
    meter.checkDeclared();
    const range = await this.dataRange(entry);
    if (entry.method === ZIP_METHOD.STORE && entry.compressedSize !== entry.uncompressedSize) {
      throw err('ARCHIVE_CORRUPT', `Stored entry ${JSON.stringify(name)} declares ${entry.compressedSize} stored but ${entry.uncompressedSize} uncompressed bytes.`, name);
    }
    let crc = 0;
    const whole = options.whole === true && entry.uncompressedSize <= WHOLE_READ_MAX && entry.compressedSize <= WHOLE_READ_MAX;
    if (entry.method === ZIP_METHOD.DEFLATE && (whole || (entry.compressedSize <= CHUNK_BYTES && entry.uncompressedSize <= SMALL_INFLATE_BYTES))) {
      // Small entries (most of an APK) in one read and one synchronous inflate: a stream pipeline per
      // entry costs more than the work. Output is capped one byte past the declared size, so the meter
      // still sees a lie and memory stays bounded by SMALL_INFLATE_BYTES.
      signal?.throwIfAborted();
      const raw = await this.source.read(range.offset, range.length);
      if (raw.length < range.length) throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(name)} is cut short: the archive is truncated.`, name);
      let out: Buffer;
      try {
        out = zlib.inflateRawSync(raw, { maxOutputLength: entry.uncompressedSize + 1 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') meter.add(entry.uncompressedSize + 1);
        throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(name)} has a damaged deflate stream (${(e as Error).message}).`, name, e);
      }
      meter.add(out.length);
      crc = zlib.crc32(out, crc);
      if (out.length) yield out;
    } else if (entry.method === ZIP_METHOD.STORE && whole) {
      signal?.throwIfAborted();
      const raw = await this.source.read(range.offset, range.length);
      if (raw.length < range.length) throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(name)} is cut short: the archive is truncated.`, name);
      meter.add(raw.length);
      crc = zlib.crc32(raw, crc);
      if (raw.length) yield raw;
    } else if (entry.method === ZIP_METHOD.STORE) {
      const raw = readRange(this.source, range.offset, range.length, name, signal);
      for await (const c of raw) {
        meter.add(c.length);
        crc = zlib.crc32(c, crc);
        yield c;
      }
    } else {
      const raw = readRange(this.source, range.offset, range.length, name, signal);
      const input = Readable.from(raw, { objectMode: false, highWaterMark: CHUNK_BYTES });
      const inflater = zlib.createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES });
      input.on('error', (e) => inflater.destroy(e));
      input.pipe(inflater);
      try {
        for await (const c of inflater as AsyncIterable<Buffer>) {
          meter.add(c.length);
          crc = zlib.crc32(c, crc);
          yield c;
        }
      } catch (e) {
        if (e instanceof GaugeError) throw e;
        throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(name)} has a damaged deflate stream (${(e as Error).message}).`, name, e);
      } finally {
        input.destroy();
        inflater.destroy();
      }
    }
    meter.finish();
    if (crc >>> 0 !== entry.crc32 >>> 0) {
      throw err('ARCHIVE_CRC', `Entry ${JSON.stringify(name)} fails its CRC-32 check (stored ${hex(entry.crc32)}, computed ${hex(crc)}): the archive is damaged.`, name);
    }
  }

  /** The decompressed entry as a Readable stream (errors arrive as GaugeErrors, see {@link chunks}). */
  openEntry(entry: ZipEntry, options: ZipReadOptions = {}): Readable {
    return Readable.from(this.chunks(entry, options), { objectMode: false, highWaterMark: CHUNK_BYTES });
  }

  /** The first `n` decompressed bytes (fewer if the entry is shorter). Inflates only as far as needed. */
  async readHead(entry: ZipEntry, n: number, options: ZipReadOptions = {}): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    if (n <= 0) return Buffer.alloc(0);
    const fast = await this.fastHead(entry, n);
    if (fast) return fast;
    for await (const c of this.chunks(entry, options)) {
      parts.push(c);
      got += c.length;
      if (got >= n) break; // ends the generator: the inflater and the reads stop here
    }
    return Buffer.concat(parts, got).subarray(0, n);
  }

  /**
   * A head without the streaming machinery, for large entries: a stored one is read in place; a deflated one
   * inflates only its first compressed bytes. Undefined when the entry needs the checks of {@link chunks}
   * (unusual methods, flags, lying sizes, a damaged stream), which then reports the problem.
   */
  private async fastHead(entry: ZipEntry, n: number): Promise<Buffer | undefined> {
    if (entry.isSymlink || entry.encrypted) return undefined;
    // The same early refusal as a full read: a bomb's head is not read either.
    new Meter(entry, this.limits, this.budget).checkDeclared();
    const want = Math.min(n, entry.uncompressedSize);
    if (entry.method === ZIP_METHOD.STORE && entry.compressedSize === entry.uncompressedSize && entry.uncompressedSize > n) {
      const range = await this.dataRange(entry);
      const b = await this.source.read(range.offset, want);
      if (b.length < want) return undefined;
      this.budget.used += b.length;
      return b;
    }
    if (entry.method === ZIP_METHOD.DEFLATE && entry.compressedSize > CHUNK_BYTES) {
      const range = await this.dataRange(entry);
      const raw = await this.source.read(range.offset, Math.min(range.length, want + HEAD_SLACK_BYTES));
      let out: Buffer;
      try {
        // SYNC_FLUSH: a cut-off stream is fine, we take what it decodes to. Its output is bounded by the input
        // (deflate expands at most ~1032:1, so ≤ ~20 MB for a 20 KB read).
        out = zlib.inflateRawSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      } catch {
        return undefined;
      }
      if (out.length < want) return undefined;
      this.budget.used += want;
      return out.subarray(0, want);
    }
    return undefined;
  }

  /**
   * Bytes `offset` … `offset + length` of the decompressed entry (fewer at its end). A stored entry is read in
   * place; a deflated one is inflated from its start only as far as the range ends (deflate has no index).
   * @throws GaugeError as {@link chunks} does, ARCHIVE_BOMB past `maxBytes`.
   */
  async readRange(entry: ZipEntry, offset: number, length: number, maxBytes: number, options: ZipReadOptions = {}): Promise<Buffer> {
    const end = Math.min(entry.uncompressedSize, offset + length);
    if (offset >= end) return Buffer.alloc(0);
    if (entry.method === ZIP_METHOD.STORE && entry.compressedSize === entry.uncompressedSize && !entry.isSymlink && !entry.encrypted) {
      new Meter(entry, this.limits, this.budget).checkDeclared();
      const range = await this.dataRange(entry);
      const b = await this.source.read(range.offset + offset, end - offset);
      if (b.length < end - offset) throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(entry.name)} is cut short: the archive is truncated.`, entry.name);
      this.budget.used += b.length;
      return b;
    }
    if (end > maxBytes) throw err('ARCHIVE_BOMB', `Entry ${JSON.stringify(entry.name)} is read past ${maxBytes} bytes.`, entry.name);
    return (await this.readHead(entry, end, options)).subarray(offset, end);
  }

  /**
   * The whole entry in memory, for callers that need it whole (scanners). Refuses entries declared larger
   * than `maxBytes` before reading anything.
   * @throws GaugeError ARCHIVE_BOMB when the entry is (or turns out) larger than `maxBytes`.
   */
  async readAll(entry: ZipEntry, maxBytes: number, options: ZipReadOptions = {}): Promise<Buffer> {
    if (entry.uncompressedSize > maxBytes) {
      throw err('ARCHIVE_BOMB', `Entry ${JSON.stringify(entry.name)} is ${entry.uncompressedSize} bytes, over the ${maxBytes}-byte limit for reading it whole.`, entry.name);
    }
    const parts: Buffer[] = [];
    let got = 0;
    for await (const c of this.chunks(entry, { ...options, whole: true })) {
      got += c.length;
      if (got > maxBytes) throw err('ARCHIVE_BOMB', `Entry ${JSON.stringify(entry.name)} expands past ${maxBytes} bytes.`, entry.name);
      parts.push(c);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
  }
}

/** Counts produced bytes and enforces the bomb limits as they come. */
class Meter {
  private out = 0;
  constructor(
    private readonly entry: ZipEntry,
    private readonly limits: ArchiveLimits,
    private readonly budget: ByteBudget,
  ) {}

  /** Refuse early on declared sizes alone (cheap); the streamed count is what really bounds the work. */
  checkDeclared(): void {
    const { uncompressedSize: u, compressedSize: c } = this.entry;
    if (u > this.limits.maxEntryBytes) this.bomb(`declares ${u} bytes, over limits.maxEntryBytes (${this.limits.maxEntryBytes})`);
    if (u > this.limits.ratioMinBytes && u > this.limits.maxRatio * Math.max(c, 1)) {
      this.bomb(`declares a ${(u / Math.max(c, 1)).toFixed(0)}:1 compression ratio, over limits.maxRatio (${this.limits.maxRatio})`);
    }
  }

  add(n: number): void {
    this.out += n;
    this.budget.used += n;
    const { limits, entry } = this;
    if (this.out > entry.uncompressedSize) this.bomb(`expands past its declared ${entry.uncompressedSize} bytes`);
    if (this.out > limits.maxEntryBytes) this.bomb(`expands past limits.maxEntryBytes (${limits.maxEntryBytes})`);
    // Unreachable while checkDeclared() and the declared-size check above stand; kept so the ratio holds
    // on produced bytes even if those change.
    if (this.out > limits.ratioMinBytes && this.out > limits.maxRatio * Math.max(entry.compressedSize, 1)) {
      this.bomb(`expands past a ${limits.maxRatio}:1 ratio (limits.maxRatio) from ${entry.compressedSize} compressed bytes`);
    }
    if (this.budget.used > this.budget.limit) this.bomb(`pushes the archive past limits.maxTotalBytes (${this.budget.limit})`);
  }

  finish(): void {
    if (this.out !== this.entry.uncompressedSize) {
      throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(this.entry.name)} holds ${this.out} bytes but declares ${this.entry.uncompressedSize}: the archive is damaged.`, this.entry.name);
    }
  }

  private bomb(why: string): never {
    throw err('ARCHIVE_BOMB', `Entry ${JSON.stringify(this.entry.name)} ${why}; it was not read further. Raise the limit only for trusted inputs.`, this.entry.name);
  }
}

/** Stream `[offset, offset+length)` of a source in chunks; a short read means the source is truncated. */
async function* readRange(src: ByteSource, offset: number, length: number, name: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let done = 0;
  let step = CHUNK_BYTES;
  while (done < length) {
    signal?.throwIfAborted();
    const want = Math.min(step, length - done);
    step = Math.min(step * 2, READ_MAX_BYTES);
    const b = await src.read(offset + done, want);
    if (b.length < want) throw err('ARCHIVE_CORRUPT', `Entry ${JSON.stringify(name)} is cut short: the archive is truncated.`, name);
    done += b.length;
    yield b;
  }
}

/** Sliding window over the central directory so a huge directory never sits in memory whole. */
class Window {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  constructor(
    private readonly src: ByteSource,
    private readonly lo: number,
    private readonly hi: number,
  ) {}
  /** `len` bytes at `pos`, or undefined when they run past the directory's end. */
  async at(pos: number, len: number): Promise<Buffer | undefined> {
    if (pos < this.lo || pos + len > this.hi) return undefined;
    if (pos < this.start || pos + len > this.start + this.buf.length) {
      this.buf = await this.src.read(pos, Math.min(Math.max(len, CD_WINDOW), this.hi - pos));
      this.start = pos;
      if (this.buf.length < len) return undefined;
    }
    return this.buf.subarray(pos - this.start, pos - this.start + len);
  }
}

/**
 * Offset of the end-of-central-directory record, searching the last 64 KiB + 22 bytes (the largest comment).
 * Prefers a record whose comment ends exactly at the end of the source; else the last plausible one.
 */
export async function findEocd(src: ByteSource): Promise<number | undefined> {
  if (src.size < EOCD_SIZE) return undefined;
  const tailLen = Math.min(src.size, EOCD_SIZE + MAX_COMMENT);
  const base = src.size - tailLen;
  const tail = await src.read(base, tailLen);
  const sig = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
  let fallback: number | undefined;
  for (let i = tail.lastIndexOf(sig); i >= 0; i = i === 0 ? -1 : tail.lastIndexOf(sig, i - 1)) {
    if (i + EOCD_SIZE > tail.length) continue;
    const end = i + EOCD_SIZE + tail.readUInt16LE(i + 20);
    if (end === tail.length) return base + i;
    if (end <= tail.length && fallback === undefined) fallback = base + i;
  }
  return fallback;
}

async function hasSig(src: ByteSource, pos: number, sig: number, limit: number): Promise<boolean> {
  if (pos < 0 || pos + 4 > limit) return false;
  const b = await src.read(pos, 4);
  return b.length === 4 && b.readUInt32LE(0) === sig;
}

function u64(buf: Buffer, off: number, what: string, subject?: string): number {
  const v = buf.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw err('ARCHIVE_CORRUPT', `The zip ${what} (${v}) is impossibly large.`, subject);
  return Number(v);
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function decodeName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString('utf8');
  // Android's own zip code reads names as UTF-8 whatever the flag says, and so do many writers; fall back
  // to CP437 (what the spec says for unflagged names) only when the bytes are not valid UTF-8.
  try {
    return utf8Strict.decode(raw);
  } catch {
    return decodeCp437(raw);
  }
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
