/** Streams one blob's values through sha256 while counting them and noticing whether they are all zero. */
import { createHash, type Hash } from 'node:crypto';

/** Staging size for unpacked values (one field per value), so the hash sees large updates. */
const STAGE = 64 * 1024;

export class BlobDigest {
  private readonly hash: Hash | undefined;
  private readonly stage = Buffer.allocUnsafe(STAGE);
  private staged = 0;
  /** Stored values so far. */
  count = 0;
  allZero = true;

  constructor(readonly elementBytes: 4 | 8, digest: boolean) {
    this.hash = digest ? createHash('sha256') : undefined;
  }

  /** Packed values: `chunk` holds whole or partial elements; byte order is the file's (little-endian). */
  addBytes(chunk: Buffer): void {
    this.flush();
    this.hash?.update(chunk);
    if (this.allZero) for (let i = 0; i < chunk.length; i++) if (chunk[i] !== 0) { this.allZero = false; break; }
  }

  /** One unpacked value's bytes. */
  addValue(src: Buffer, at: number): void {
    if (this.staged + this.elementBytes > STAGE) this.flush();
    for (let i = 0; i < this.elementBytes; i++) {
      const b = src[at + i]!;
      if (b !== 0) this.allZero = false;
      this.stage[this.staged++] = b;
    }
    this.count++;
  }

  private flush(): void {
    if (this.staged > 0) this.hash?.update(this.stage.subarray(0, this.staged));
    this.staged = 0;
  }

  /** The hex digest (or undefined when digests were not asked for, or nothing was stored). */
  finish(): string | undefined {
    this.flush();
    return this.hash && this.count > 0 ? this.hash.digest('hex') : undefined;
  }
}
