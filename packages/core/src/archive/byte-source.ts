/**
 * Random-access byte sources the zip reader reads from. A nested STORED archive is just a
 * {@link SubByteSource} of its parent, so it is read in place, by offset, without a copy.
 */
import { fstatSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** Something with a size that can hand out any byte range. Reads past the end come back short, never throw. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only when the range runs past {@link size}. */
  read(offset: number, length: number): Promise<Buffer>;
  /** Release what the source holds (file handle). Sub-ranges do not close their parent. */
  close(): Promise<void>;
}

/** Reads up to this size are synchronous (see {@link FileByteSource.read}). */
const SYNC_READ_MAX = 1 << 20;

/** A file on disk, read with positional reads on one FileHandle. */
export class FileByteSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    /** The path it was opened from, for messages. */
    readonly path: string,
  ) {}

  /** Open `path` read-only. Throws the fs error (ENOENT, EISDIR, …) as is; callers map it. */
  static async open(path: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    try {
      // fstat on the fd, synchronously: a thread-pool round trip per app adds up over a corpus.
      const st = fstatSync(handle.fd);
      if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' });
      return new FileByteSource(handle, st.size, path);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const n = clampLength(this.size, offset, length);
    const buf = Buffer.allocUnsafe(n);
    let done = 0;
    // A walk makes thousands of small reads (central directory, entry heads), mostly from the page cache: a
    // synchronous read takes microseconds where a thread-pool round trip costs tens. Large reads stay async so
    // a slow disk never stalls the event loop for long.
    const sync = n <= SYNC_READ_MAX;
    // fs reads may come back short; loop until the range is filled or the file ends under us.
    while (done < n) {
      const bytesRead = sync ? readSync(this.handle.fd, buf, done, n - done, offset + done) : (await this.handle.read(buf, done, n - done, offset + done)).bytesRead;
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === n ? buf : buf.subarray(0, done);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** A window `[offset, offset + size)` of another source. */
export class SubByteSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly parent: ByteSource,
    private readonly offset: number,
    size: number,
  ) {
    // Never let a window claim bytes its parent does not have.
    this.size = Math.max(0, Math.min(size, parent.size - offset));
  }

  read(offset: number, length: number): Promise<Buffer> {
    return this.parent.read(this.offset + offset, clampLength(this.size, offset, length));
  }

  async close(): Promise<void> {
    // The parent owns the handle.
  }
}

/** An in-memory buffer, for tests and for small archives built on the fly. */
export class BufferByteSource implements ByteSource {
  readonly size: number;
  constructor(private readonly buf: Buffer) {
    this.size = buf.length;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    return this.buf.subarray(offset, offset + clampLength(this.size, offset, length));
  }
  async close(): Promise<void> {}
}

function clampLength(size: number, offset: number, length: number): number {
  if (offset < 0 || length < 0 || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length)) {
    throw new RangeError(`bad read range ${offset}+${length}`);
  }
  return Math.max(0, Math.min(length, size - offset));
}

/**
 * A read-through block cache over another source, for the walker's many small reads (a local header, then a
 * 4 KiB head, entry after entry, in file order): each small read that misses fetches one block, and the next
 * entries' small reads come out of it, so an APK of thousands of small entries costs a few syscalls per block,
 * not two per entry. Large reads go straight through. Memory: one block.
 */
export class BlockCacheByteSource implements ByteSource {
  readonly size: number;
  private block: Buffer = Buffer.alloc(0);
  private blockStart = 0;

  constructor(
    private readonly parent: ByteSource,
    private readonly blockBytes = 16 * 1024,
  ) {
    this.size = parent.size;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const n = clampLength(this.size, offset, length);
    const rel = offset - this.blockStart;
    if (rel >= 0 && rel + n <= this.block.length) return this.block.subarray(rel, rel + n);
    if (n >= this.blockBytes / 4) return this.parent.read(offset, n);
    // A fresh buffer per block: slices handed out earlier stay valid.
    this.block = await this.parent.read(offset, Math.max(n, this.blockBytes));
    this.blockStart = offset;
    return this.block.subarray(0, Math.min(n, this.block.length));
  }

  async close(): Promise<void> {
    await this.parent.close();
  }
}
