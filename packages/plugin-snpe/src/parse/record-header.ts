/**
 * The 8-byte header of a DLC record (`model`, `model.params`): magic `D5 0A`, the major version (u16 LE: 2 for
 * SNPE ≤ 1.24, 3 for SNPE 1.25–1.x, 4 for SNPE 2.x / QAIRT), the minor (u16 LE), then two zero bytes. In v3/v4
 * a FlatBuffer follows at offset 8 whose identifier is `NETD` (graph), `NETP` or `NR64` (weights). Early v3
 * records may be the bare FlatBuffer without the header.
 */

export interface RecordHeader {
  /** 2, 3 or 4; 0 for a bare FlatBuffer record (which is v3). */
  major: number;
  minor: number;
  /** Where the record's body (FlatBuffer or v2 stream) starts. */
  bodyOffset: number;
  /** FlatBuffer identifier (`NETD`, `NETP`, `NR64`), or '' for v2. */
  identifier: string;
}

const IDS = new Set(['NETD', 'NETP', 'NR64']);

function ident(b: Uint8Array, at: number): string {
  if (b.length < at + 4) return '';
  let s = '';
  for (let i = 0; i < 4; i++) s += String.fromCharCode(b[at + i]!);
  return s;
}

/** Read a record's header, or undefined when the bytes are no DLC record. */
export function recordHeader(b: Uint8Array): RecordHeader | undefined {
  if (b.length >= 8 && b[0] === 0xd5 && b[1] === 0x0a) {
    const major = b[2]! | (b[3]! << 8);
    const minor = b[4]! | (b[5]! << 8);
    if (major === 2) return { major, minor, bodyOffset: 8, identifier: '' };
    if ((major === 3 || major === 4) && b[6] === 0 && b[7] === 0) {
      const id = ident(b, 12);
      return IDS.has(id) ? { major, minor, bodyOffset: 8, identifier: id } : undefined;
    }
    return undefined;
  }
  const id = ident(b, 4);
  if (id === 'NETD' || id === 'NETP') return { major: 0, minor: 0, bodyOffset: 0, identifier: id };
  return undefined;
}
