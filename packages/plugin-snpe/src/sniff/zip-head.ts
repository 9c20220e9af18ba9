/**
 * The zip local headers visible in a file head. The walker asks sniffers about a zip before opening it, so all the
 * DLC sniffer has is the first bytes: the first member's local header, and the next ones when the members before
 * them are small and their sizes are stated (SNPE writes ZIP64 local headers whose sizes sit in the extra field).
 */

export interface LocalEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  dataStart: number;
  /** Compressed size, from the ZIP64 extra field when the header says 0xFFFFFFFF; undefined when unknown. */
  size?: number;
}

const LOCAL_SIG = 0x04034b50;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const ZIP64_EXTRA = 0x0001;

function zip64Size(dv: DataView, start: number, end: number): number | undefined {
  let p = start;
  while (p + 4 <= end) {
    const id = dv.getUint16(p, true);
    const len = dv.getUint16(p + 2, true);
    if (id === ZIP64_EXTRA && len >= 16 && p + 4 + 16 <= end) {
      // Uncompressed then compressed size, each u64.
      const compressed = dv.getBigUint64(p + 12, true);
      return compressed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(compressed) : undefined;
    }
    p += 4 + len;
  }
  return undefined;
}

/** Local headers from the start of `head`, in order, stopping where a size is unknown or the head ends. */
export function localEntries(head: Uint8Array, maxEntries = 16): LocalEntry[] {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const out: LocalEntry[] = [];
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
    let size: number | undefined = stated === 0xffffffff ? zip64Size(dv, nameEnd, Math.min(dataStart, head.length)) : stated;
    if (flags & FLAG_DATA_DESCRIPTOR) size = undefined;
    out.push({ name, method, dataStart, ...(size !== undefined ? { size } : {}) });
    if (size === undefined) break;
    pos = dataStart + size;
  }
  return out;
}
