/**
 * A small zip writer for tests, the extraction benchmark and the demo corpus builder. It writes names
 * verbatim (hostile ones included) and can lie on purpose (CRC, declared size, symlink mode) so the reader's
 * defences can be tested against archives that real attackers would build.
 *
 * Entries stream through: the local header is written with zero sizes and patched in place once the data
 * is written, so a multi-GB corpus never sits in memory.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/** One entry to write from memory. */
export interface ZipWriteEntry {
  /** Written verbatim, even `../../x` or `/etc/x`: this writer builds hostile archives too. */
  name: string;
  data: Buffer;
  method: 'store' | 'deflate';
  /** Unix mode for the external attributes (e.g. `0o120777` for a symlink, whose data is the target). */
  unixMode?: number;
  /** CRC-32 to write instead of the real one (to fake a damaged entry). */
  crc?: number;
  /** Uncompressed size to declare instead of the real one (to fake a lying header). */
  declaredSize?: number;
}

/** One entry whose bytes come from a stream or generator. */
export interface ZipStreamEntry extends Omit<ZipWriteEntry, 'data'> {
  data: Buffer | Iterable<Buffer> | AsyncIterable<Buffer>;
}

/** Archive-level options. */
export interface ZipWriteOptions {
  /** Force ZIP64 records and extra fields for every entry (else used only when sizes or offsets need it). */
  zip64?: boolean;
  /** Insert a syntactically valid APK Signing Block before the central directory, as v2-signed APKs have. */
  apkSigningBlock?: boolean;
  /** Archive comment. */
  comment?: string;
  /** zlib level for deflated entries (default 6). */
  level?: number;
}

const U32 = 0xffffffff;
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1; // fixed timestamp: output is reproducible
const APK_SIG_MAGIC = Buffer.from('APK Sig Block 42', 'latin1');
const VERITY_PADDING_ID = 0x42726577;

interface Out {
  pos: number;
  write(b: Buffer): Promise<void>;
  patch(at: number, b: Buffer): Promise<void>;
  flush?(): Promise<void>;
}

class FileOut implements Out {
  pos = 0;
  // Small writes (headers, small entries) are gathered so a 10,000-entry corpus is not 40,000 syscalls.
  private pending: Buffer[] = [];
  private pendingStart = 0;
  private pendingBytes = 0;
  constructor(readonly fh: FileHandle) {}
  async write(b: Buffer): Promise<void> {
    if (this.pendingBytes === 0) this.pendingStart = this.pos;
    this.pending.push(Buffer.from(b));
    this.pendingBytes += b.length;
    this.pos += b.length;
    if (this.pendingBytes >= 1 << 20) await this.flush();
  }
  async patch(at: number, b: Buffer): Promise<void> {
    if (at >= this.pendingStart && this.pendingBytes > 0) {
      // Patches land inside one local header, which was one write.
      let start = this.pendingStart;
      for (const part of this.pending) {
        if (at < start + part.length) {
          b.copy(part, at - start);
          return;
        }
        start += part.length;
      }
    }
    await this.writeAt(at, b);
  }
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    const at = this.pendingStart;
    this.pending = [];
    this.pendingBytes = 0;
    await this.writeAt(at, data);
  }
  private async writeAt(at: number, b: Buffer): Promise<void> {
    for (let done = 0; done < b.length; ) {
      const { bytesWritten } = await this.fh.write(b, done, b.length - done, at + done);
      done += bytesWritten;
    }
  }
}

class MemoryOut implements Out {
  pos = 0;
  readonly parts: Buffer[] = [];
  private readonly starts: number[] = [];
  async write(b: Buffer): Promise<void> {
    // Copy: the caller may reuse its buffer, and headers are patched in place later.
    this.parts.push(Buffer.from(b));
    this.starts.push(this.pos);
    this.pos += b.length;
  }
  async patch(at: number, b: Buffer): Promise<void> {
    // Patches only ever land inside one local header, which was one write.
    for (let i = this.starts.length - 1; i >= 0; i--) {
      if (this.starts[i] <= at) {
        b.copy(this.parts[i], at - this.starts[i]);
        return;
      }
    }
  }
}

interface CdRecord {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
  unixMode?: number;
}

/**
 * Writes a zip entry by entry. Use {@link ZipWriter.toFile} for big archives; {@link buildZip} for small
 * in-memory ones.
 */
export class ZipWriter {
  private readonly cd: CdRecord[] = [];
  private closed = false;

  private constructor(
    private readonly out: Out,
    private readonly options: ZipWriteOptions,
    private readonly fh?: FileHandle,
  ) {}

  /** Start writing a zip file at `path` (truncated if it exists). */
  static async toFile(path: string, options: ZipWriteOptions = {}): Promise<ZipWriter> {
    const fh = await open(path, 'w');
    return new ZipWriter(new FileOut(fh), options, fh);
  }

  /** @internal Used by {@link buildZip}. */
  static toMemory(options: ZipWriteOptions = {}): { writer: ZipWriter; parts: Buffer[] } {
    const out = new MemoryOut();
    return { writer: new ZipWriter(out, options), parts: out.parts };
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.out.pos;
  }

  /** Append one entry, streaming its data through (and through deflate when asked). */
  async add(entry: ZipStreamEntry): Promise<void> {
    if (this.closed) throw new Error('ZipWriter: add() after close()');
    const z64 = this.options.zip64 === true;
    const name = Buffer.from(entry.name, 'utf8');
    const flags = /^[\x00-\x7f]*$/.test(entry.name) ? 0 : 0x800;
    const method = entry.method === 'deflate' ? 8 : 0;
    const offset = this.out.pos;
    const extra = z64 ? Buffer.alloc(20) : Buffer.alloc(0);
    const header = Buffer.alloc(30 + name.length + extra.length);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(z64 ? 45 : 20, 4);
    header.writeUInt16LE(flags, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(DOS_DATE_1980, 12);
    header.writeUInt16LE(name.length, 26);
    header.writeUInt16LE(extra.length, 28);
    name.copy(header, 30);
    if (z64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(16, 2);
      extra.copy(header, 30 + name.length);
    }
    await this.out.write(header);

    let crc = 0;
    let usize = 0;
    let csize = 0;
    const src = toIterable(entry.data);
    async function* tap(): AsyncGenerator<Buffer> {
      for await (const c of src) {
        crc = zlib.crc32(c, crc);
        usize += c.length;
        yield c;
      }
    }
    const sink = async (chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void> => {
      for await (const c of chunks) {
        await this.out.write(c);
        csize += c.length;
      }
    };
    const level = this.options.level ?? 6;
    if (method === 8 && Buffer.isBuffer(entry.data) && entry.data.length <= 1 << 20) {
      await sink([zlib.deflateRawSync(entry.data, { level })]); // small: skip the stream setup
      crc = zlib.crc32(entry.data);
      usize = entry.data.length;
    } else if (method === 8) await pipeline(tap(), zlib.createDeflateRaw({ level }), sink);
    else await sink(tap());

    const declared = entry.declaredSize ?? usize;
    const writtenCrc = (entry.crc ?? crc) >>> 0;
    if (!z64 && (declared >= U32 || csize >= U32)) {
      throw new Error(`ZipWriter: entry ${entry.name} is over 4 GiB; write with { zip64: true }`);
    }
    const fix = Buffer.alloc(12);
    fix.writeUInt32LE(writtenCrc, 0);
    fix.writeUInt32LE(z64 ? U32 : csize, 4);
    fix.writeUInt32LE(z64 ? U32 : declared, 8);
    await this.out.patch(offset + 14, fix);
    if (z64) {
      const sizes = Buffer.alloc(16);
      sizes.writeBigUInt64LE(BigInt(declared), 0);
      sizes.writeBigUInt64LE(BigInt(csize), 8);
      await this.out.patch(offset + 30 + name.length + 4, sizes);
    }
    this.cd.push({ name, flags, method, crc: writtenCrc, csize, usize: declared, offset, unixMode: entry.unixMode });
  }

  /** Write the signing block (if asked), the central directory and the end records; close the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.options.apkSigningBlock) await this.out.write(apkSigningBlock());
      const cdStart = this.out.pos;
      for (const r of this.cd) await this.out.write(centralHeader(r, this.options.zip64 === true));
      const cdSize = this.out.pos - cdStart;
      const count = this.cd.length;
      const z64 = this.options.zip64 === true || count >= 0xffff || cdStart >= U32 || cdSize >= U32;
      if (z64) {
        const recPos = this.out.pos;
        const rec = Buffer.alloc(56);
        rec.writeUInt32LE(0x06064b50, 0);
        rec.writeBigUInt64LE(44n, 4);
        rec.writeUInt16LE(45, 12);
        rec.writeUInt16LE(45, 14);
        rec.writeBigUInt64LE(BigInt(count), 24);
        rec.writeBigUInt64LE(BigInt(count), 32);
        rec.writeBigUInt64LE(BigInt(cdSize), 40);
        rec.writeBigUInt64LE(BigInt(cdStart), 48);
        const loc = Buffer.alloc(20);
        loc.writeUInt32LE(0x07064b50, 0);
        loc.writeBigUInt64LE(BigInt(recPos), 8);
        loc.writeUInt32LE(1, 16);
        await this.out.write(Buffer.concat([rec, loc]));
      }
      const comment = Buffer.from(this.options.comment ?? '', 'utf8');
      const eocd = Buffer.alloc(22 + comment.length);
      eocd.writeUInt32LE(0x06054b50, 0);
      eocd.writeUInt16LE(z64 ? 0xffff : count, 8);
      eocd.writeUInt16LE(z64 ? 0xffff : count, 10);
      eocd.writeUInt32LE(z64 ? U32 : cdSize, 12);
      eocd.writeUInt32LE(z64 ? U32 : cdStart, 16);
      eocd.writeUInt16LE(comment.length, 20);
      comment.copy(eocd, 22);
      await this.out.write(eocd);
      await this.out.flush?.();
    } finally {
      await this.fh?.close();
    }
  }
}

function centralHeader(r: CdRecord, forceZip64: boolean): Buffer {
  const big = (v: number): boolean => forceZip64 || v >= U32;
  const fields: number[] = [];
  if (big(r.usize)) fields.push(r.usize);
  if (big(r.csize)) fields.push(r.csize);
  if (big(r.offset)) fields.push(r.offset);
  const extra = Buffer.alloc(fields.length ? 4 + 8 * fields.length : 0);
  if (fields.length) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(8 * fields.length, 2);
    fields.forEach((v, i) => extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  }
  const h = Buffer.alloc(46 + r.name.length + extra.length);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(r.unixMode === undefined ? 20 : (3 << 8) | 20, 4);
  h.writeUInt16LE(fields.length ? 45 : 20, 6);
  h.writeUInt16LE(r.flags, 8);
  h.writeUInt16LE(r.method, 10);
  h.writeUInt16LE(0, 12);
  h.writeUInt16LE(DOS_DATE_1980, 14);
  h.writeUInt32LE(r.crc, 16);
  h.writeUInt32LE(big(r.csize) ? U32 : r.csize, 20);
  h.writeUInt32LE(big(r.usize) ? U32 : r.usize, 24);
  h.writeUInt16LE(r.name.length, 28);
  h.writeUInt16LE(extra.length, 30);
  h.writeUInt32LE(r.unixMode === undefined ? 0 : (r.unixMode << 16) >>> 0, 38);
  h.writeUInt32LE(big(r.offset) ? U32 : r.offset, 42);
  r.name.copy(h, 46);
  extra.copy(h, 46 + r.name.length);
  return h;
}

/** An APK Signing Block holding one verity-padding pair (structure as apksigner writes it, no signature). */
function apkSigningBlock(): Buffer {
  const value = Buffer.alloc(64);
  const pair = Buffer.alloc(12 + value.length);
  pair.writeBigUInt64LE(BigInt(4 + value.length), 0);
  pair.writeUInt32LE(VERITY_PADDING_ID, 8);
  value.copy(pair, 12);
  const size = BigInt(pair.length + 8 + 16);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(size);
  return Buffer.concat([head, pair, head, APK_SIG_MAGIC]);
}

function toIterable(data: ZipStreamEntry['data']): AsyncIterable<Buffer> | Iterable<Buffer> {
  if (Buffer.isBuffer(data)) return [data];
  return data;
}

/** A whole zip in memory. */
export async function buildZip(entries: ZipWriteEntry[], options: ZipWriteOptions = {}): Promise<Buffer> {
  const { writer, parts } = ZipWriter.toMemory(options);
  for (const e of entries) await writer.add(e);
  await writer.close();
  return Buffer.concat(parts);
}

/** Write a zip file; entries may be buffers or streams (see {@link ZipStreamEntry}). */
export async function writeZip(path: string, entries: Iterable<ZipStreamEntry> | AsyncIterable<ZipStreamEntry>, options: ZipWriteOptions = {}): Promise<void> {
  const writer = await ZipWriter.toFile(path, options);
  try {
    for await (const e of entries) await writer.add(e);
  } finally {
    await writer.close();
  }
}

/** Chunks of `total` bytes made by `fill(chunk, offset)`: generated data for big corpora without holding it. */
export function* generatedData(total: number, fill: (chunk: Buffer, offset: number) => void = () => {}, chunkBytes = 1 << 20): Generator<Buffer> {
  for (let off = 0; off < total; off += chunkBytes) {
    const chunk = Buffer.alloc(Math.min(chunkBytes, total - off));
    fill(chunk, off);
    yield chunk;
  }
}
