/**
 * Reads weight blobs from an ncnn model `.bin` in param order. Each tagged blob opens with a 4-byte storage
 * flag: 0x01306B47 fp16, 0x000D4B38 int8, 0x0002C056 raw fp32, 0 plain fp32, any other non-zero value a
 * 256-entry fp32 lookup table followed by uint8 indexes. Sub-word data is padded to 4 bytes.
 */
import { GaugeError, isTrivialWeight, sha256, type DType, type WeightInfo } from '@gaugenn/core';
import type { WeightSpec } from './weight-layout.js';

export const FLAG_FP16 = 0x01306b47;
export const FLAG_INT8 = 0x000d4b38;
export const FLAG_FP32_RAW = 0x0002c056;

const align4 = (n: number) => (n + 3) & ~3;

/** Sequential reader over the `.bin`, checking every read against its length. */
export class WeightCursor {
  pos = 0;
  private readonly dv: DataView;

  constructor(readonly bytes: Uint8Array, readonly subject: string, private readonly digests = true) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) {
      throw new GaugeError(
        'MODEL_MALFORMED',
        `${this.subject}: the weights file has ${this.bytes.length} bytes but ${what} needs bytes ${this.pos}..${this.pos + n}. The .bin is truncated or belongs to another .param; use the .bin shipped with this .param.`,
        { subject: this.subject },
      );
    }
  }

  /** Read one blob; `what` names it for errors. */
  read(spec: WeightSpec, what: string): WeightInfo {
    const n = spec.elements;
    let dtype: DType = 'float32';
    let flag = 0;
    if (spec.tagged) {
      this.need(4, `${what}'s storage flag`);
      flag = this.dv.getUint32(this.pos, true);
      this.pos += 4;
    }
    let len: number;
    if (!spec.tagged || flag === 0 || flag === FLAG_FP32_RAW) len = n * 4;
    else if (flag === FLAG_FP16) {
      len = align4(n * 2);
      dtype = 'float16';
    } else if (flag === FLAG_INT8) {
      len = align4(n);
      dtype = 'int8';
    } else {
      // Any other non-zero flag: ncnn's old 8-bit lookup-table storage.
      len = 256 * 4 + align4(n);
      dtype = 'uint8';
    }
    this.need(len, `${what} (${n} elements, ${dtype})`);
    const data = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return { name: spec.name, shape: [...spec.shape], dtype, bytes: len, ...(this.digests ? { digest: sha256(data) } : {}), trivial: isTrivialWeight(n, data) };
  }
}

/** A weight the param describes but no file holds (param-only models): shape and size, no digest. */
export function absentWeight(spec: WeightSpec, int8: boolean): WeightInfo {
  const dtype: DType = int8 && spec.tagged ? 'int8' : 'float32';
  const bytes = dtype === 'int8' ? align4(spec.elements) : spec.elements * 4;
  return { name: spec.name, shape: [...spec.shape], dtype, bytes, trivial: isTrivialWeight(spec.elements) };
}

/** Bytes a blob takes in a plain fp32 `.bin` (flag word included), for writing generated weights. */
export function fp32BlobBytes(spec: WeightSpec): number {
  return (spec.tagged ? 4 : 0) + spec.elements * 4;
}
