/**
 * The zip local headers visible in a file head, for sniffers of zip-based model containers (SNPE DLC, TorchScript):
 * the walker asks sniffers about a zip before it opens it, so all they have is the first bytes. That is the first
 * member's local header, and the next ones where the members before them are small and their sizes are stated
 * (in the header, or in the ZIP64 extra field, as SNPE writes them).
 */

/** One local header seen in a head. */
export interface ZipLocalHeader {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** The extra field's bytes, as far as the head holds them. */
  extra: Uint8Array;
  /** Offset of the member's data in the file. */
  dataStart: number;
  /** Compressed size; undefined when the header defers it to a data descriptor. */
  compressedSize?: number;
}

const LOCAL_SIG = 0x04034b50;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const ZIP64_EXTRA = 0x0001;

/** The compressed size in a ZIP64 extra field (uncompressed u64, then compressed u64). */
function zip64CompressedSize(extra: Uint8Array): number | undefined {
  const dv = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = dv.getUint16(p, true);
    const len = dv.getUint16(p + 2, true);
    if (id === ZIP64_EXTRA && len >= 16 && p + 20 <= extra.length) {
      const v = dv.getBigUint64(p + 12, true);
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
    }
    p += 4 + len;
  }
  return undefined;
}

/** Local headers from the start of `head`, in order, stopping where a size is unknown or the head ends. */
export function zipLocalHeaders(head: Uint8Array, maxEntries = 32): ZipLocalHeader[] {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const out: ZipLocalHeader[] = [];
  let pos = 0;
  while (out.length < maxEntries && pos + 30 <= head.length && dv.getUint32(pos, true) === LOCAL_SIG) {
    const flags = dv.getUint16(pos + 6, true);
    const method = dv.getUint16(pos + 8, true);
    const stated = dv.getUint32(pos + 18, true);
    const nameLen = dv.getUint16(pos + 26, true);
    const extraLen = dv.getUint16(pos + 28, true);
    const nameEnd = pos + 30 + nameLen;
    if (nameLen === 0 || nameEnd > head.length) break;
    const name = Buffer.from(head.buffer, head.byteOffset + pos + 30, nameLen).toString('utf8');
    const dataStart = nameEnd + extraLen;
    const extra = head.subarray(nameEnd, Math.min(dataStart, head.length));
    const size = flags & FLAG_DATA_DESCRIPTOR ? undefined : stated === 0xffffffff ? zip64CompressedSize(extra) : stated;
    out.push({ name, method, extra, dataStart, ...(size !== undefined ? { compressedSize: size } : {}) });
    if (size === undefined) break;
    pos = dataStart + size;
  }
  return out;
}

/** The stored bytes of a member that the head holds (up to `n`), or undefined when deflated or out of reach. */
export function storedBytes(head: Uint8Array, e: ZipLocalHeader, n: number): Uint8Array | undefined {
  if (e.method !== 0 || e.dataStart >= head.length) return undefined;
  return head.subarray(e.dataStart, Math.min(head.length, e.dataStart + Math.min(n, e.compressedSize ?? n)));
}
