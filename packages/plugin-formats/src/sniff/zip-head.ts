/**
 * The zip local file headers visible in a file head. Zip-based model containers (TorchScript) are
 * sniffed before the walker opens them as archives, so all a sniffer has is the first bytes: the first entry's
 * local header, and the next ones when the entries before them are small and their sizes are stated.
 */

/** One local header seen in the head. */
export interface LocalEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** The extra field's bytes (as far as the head holds them). */
  extra: Uint8Array;
  /** Offset of the entry's data in the file. */
  dataStart: number;
  compressedSize: number;
}

const LOCAL_SIG = 0x04034b50;
const FLAG_DATA_DESCRIPTOR = 0x0008;

/** Local headers from the start of `head`, in order, stopping where sizes are unknown or the head ends. */
export function localEntries(head: Uint8Array, maxEntries = 32): LocalEntry[] {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const out: LocalEntry[] = [];
  let pos = 0;
  while (out.length < maxEntries && pos + 30 <= head.length && dv.getUint32(pos, true) === LOCAL_SIG) {
    const flags = dv.getUint16(pos + 6, true);
    const method = dv.getUint16(pos + 8, true);
    const compressedSize = dv.getUint32(pos + 18, true);
    const nameLen = dv.getUint16(pos + 26, true);
    const extraLen = dv.getUint16(pos + 28, true);
    const nameEnd = pos + 30 + nameLen;
    if (nameLen === 0 || nameEnd > head.length) break;
    const name = Buffer.from(head.buffer, head.byteOffset + pos + 30, nameLen).toString('utf8');
    const dataStart = nameEnd + extraLen;
    const extra = head.subarray(nameEnd, Math.min(dataStart, head.length));
    out.push({ name, method, extra, dataStart, compressedSize });
    // With a data descriptor (or ZIP64) the size here is not the real one: the next header cannot be found.
    if (flags & FLAG_DATA_DESCRIPTOR || compressedSize === 0xffffffff) break;
    pos = dataStart + compressedSize;
  }
  return out;
}

/** The stored bytes of an entry that the head holds (up to `n` bytes), or undefined when deflated or out of reach. */
export function storedBytes(head: Uint8Array, e: LocalEntry, n: number): Uint8Array | undefined {
  if (e.method !== 0 || e.dataStart >= head.length) return undefined;
  return head.subarray(e.dataStart, Math.min(head.length, e.dataStart + Math.min(n, e.compressedSize)));
}
