/**
 * Forward-only reader over a file (or a buffer) with a bounded window: a caffemodel of hundreds of MB is walked
 * through one reused buffer, so memory stays flat whatever the file's size.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { GaugeError } from '@gaugenn/core';

/** Window size: large enough that syscalls do not dominate, small enough to be noise in RSS. */
const WINDOW = 4 << 20;

/** Where bytes come from: a file read by offset, or bytes already in memory. */
interface Source {
  size: number;
  read(into: Buffer, offset: number, at: number, length: number): Promise<number>;
  close(): Promise<void>;
}

class FileSource implements Source {
  constructor(private readonly fh: FileHandle, readonly size: number) {}
  async read(into: Buffer, offset: number, at: number, length: number): Promise<number> {
    const { bytesRead } = await this.fh.read(into, offset, length, at);
    return bytesRead;
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

class MemorySource implements Source {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  async read(into: Buffer, offset: number, at: number, length: number): Promise<number> {
    const n = Math.max(0, Math.min(length, this.bytes.length - at));
    into.set(this.bytes.subarray(at, at + n), offset);
    return n;
  }
  async close(): Promise<void> {}
}

/** A forward-only byte stream with bounded look-ahead. Positions are absolute file offsets. */
export class ByteStream {
  private buf: Buffer;
  /** File offset of buf[0]. */
  private base = 0;
  /** Valid bytes in buf. */
  private len = 0;
  /** Current file offset. */
  pos = 0;

  private constructor(private readonly src: Source, readonly subject: string, window: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, Math.min(window, Math.max(src.size, 64))));
  }

  /** Open a file. @throws GaugeError `INPUT_NOT_FOUND` when it cannot be opened. */
  static async open(path: string, window = WINDOW): Promise<ByteStream> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      throw new GaugeError('INPUT_NOT_FOUND', `Cannot open ${path}: ${(e as Error).message}. Re-run the extract stage or check the path.`, { subject: path, cause: e });
    }
    const { size } = await fh.stat();
    return new ByteStream(new FileSource(fh, size), path, window);
  }

  /** A stream over bytes in memory (small files, tests). */
  static of(bytes: Uint8Array, subject: string, window = WINDOW): ByteStream {
    return new ByteStream(new MemorySource(bytes), subject, window);
  }

  get size(): number {
    return this.src.size;
  }

  close(): Promise<void> {
    return this.src.close();
  }

  malformed(message: string): GaugeError {
    return new GaugeError(
      'MODEL_MALFORMED',
      `${this.subject} is not a readable caffemodel: ${message} (at byte ${this.pos}). The file is truncated or corrupt, or not a Caffe NetParameter; re-extract it.`,
      { subject: this.subject },
    );
  }

  /** Make at least `n` bytes (n ≤ window) available at `pos`, fewer only at the end of the file. Returns how many. */
  async ensure(n: number): Promise<number> {
    const off = this.pos - this.base;
    if (off + n <= this.len) return n;
    // Move the unread tail to the front, then fill the rest from the file.
    const keep = Math.max(0, this.len - off);
    if (keep > 0 && off > 0) this.buf.copy(this.buf, 0, off, this.len);
    this.base = this.pos;
    this.len = keep;
    const want = Math.min(this.buf.length, this.src.size - this.base) - keep;
    if (want > 0) {
      const got = await this.src.read(this.buf, keep, this.base + keep, want);
      this.len = keep + got;
    }
    return Math.min(n, this.len);
  }

  /** Bytes available in the window from `pos` (after {@link ensure}). */
  view(n: number): Buffer {
    const off = this.pos - this.base;
    return this.buf.subarray(off, off + Math.min(n, this.len - off));
  }

  /** Read a varint's raw bytes (1..10), not crossing `end`. */
  async varintBytes(end: number): Promise<Buffer> {
    await this.ensure(10);
    const v = this.view(Math.min(10, end - this.pos));
    for (let i = 0; i < v.length; i++) {
      if ((v[i]! & 0x80) === 0) {
        this.pos += i + 1;
        return v.subarray(0, i + 1);
      }
    }
    throw this.malformed(v.length >= 10 ? 'a varint longer than 10 bytes' : 'the data ends inside a varint');
  }

  /** Read a varint as a number; values above 2^53 are rejected (lengths and tags never get there). */
  async varint(end: number): Promise<number> {
    const b = await this.varintBytes(end);
    let n = 0;
    let mul = 1;
    for (const x of b) {
      n += (x & 0x7f) * mul;
      mul *= 128;
    }
    if (!Number.isSafeInteger(n)) throw this.malformed('a varint too large for a length or tag');
    return n;
  }

  /** Copy the next `n` bytes (n must be small: callers bound it). */
  async bytes(n: number, end: number): Promise<Buffer> {
    if (this.pos + n > end) throw this.malformed(`a field of ${n} bytes runs past the end of its message`);
    const out = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const got = await this.ensure(Math.min(n - done, this.buf.length));
      if (got === 0) throw this.malformed('the file ends inside a field');
      this.view(got).copy(out, done);
      this.pos += got;
      done += got;
    }
    return out;
  }

  /** Hand the next `n` bytes to `sink` in window-sized pieces without copying them. */
  async pipe(n: number, end: number, sink: (chunk: Buffer) => void): Promise<void> {
    if (this.pos + n > end) throw this.malformed(`a field of ${n} bytes runs past the end of its message`);
    let left = n;
    while (left > 0) {
      const got = await this.ensure(Math.min(left, this.buf.length));
      if (got === 0) throw this.malformed('the file ends inside a field');
      sink(this.view(got));
      this.pos += got;
      left -= got;
    }
  }

  /** Skip `n` bytes. Past the window this is a seek, not a read. */
  async skip(n: number, end: number): Promise<void> {
    if (this.pos + n > end) throw this.malformed(`a field of ${n} bytes runs past the end of its message`);
    if (this.pos + n > this.src.size) throw this.malformed('the file ends inside a field');
    this.pos += n;
  }
}
