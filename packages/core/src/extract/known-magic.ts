/**
 * File signatures of formats that are not models, kept as data. The walker uses them twice: an entry with a
 * known signature is never an encrypted-model suspect (a JPEG is high-entropy by nature), and only entries whose
 * format can carry raw bytes of another file (`locatable`) are searched for embedded models.
 */

/** One known file signature. */
export interface KnownMagic {
  /** Format name, for notes. */
  name: string;
  /** Signature bytes, as latin1 text or byte values. */
  bytes: string | number[];
  /** Where the signature sits. Default 0. */
  at?: number;
  /** True when files of this format may hold a raw model inside (native libraries embed models as byte arrays). */
  locatable?: boolean;
}

/** Signatures of media, code, fonts, compressed streams and containers found in apps. */
export const KNOWN_MAGIC: readonly KnownMagic[] = [
  { name: 'zip', bytes: 'PK\x03\x04' },
  { name: 'zip (empty)', bytes: 'PK\x05\x06' },
  { name: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { name: 'gif', bytes: 'GIF8' },
  { name: 'riff (webp, wav, avi)', bytes: 'RIFF' },
  { name: 'ogg', bytes: 'OggS' },
  { name: 'mp3 (id3)', bytes: 'ID3' },
  { name: 'mp3', bytes: [0xff, 0xfb] },
  { name: 'mp3', bytes: [0xff, 0xf3] },
  { name: 'aac (adts)', bytes: [0xff, 0xf1] },
  { name: 'flac', bytes: 'fLaC' },
  { name: 'mp4/mov/heif', bytes: 'ftyp', at: 4 },
  { name: 'matroska/webm', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { name: 'dex', bytes: 'dex\n' },
  { name: 'elf', bytes: '\x7fELF', locatable: true },
  { name: 'java class', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { name: 'android binary xml', bytes: [0x03, 0x00, 0x08, 0x00] },
  { name: 'android resource table', bytes: [0x02, 0x00, 0x0c, 0x00] },
  { name: 'pdf', bytes: '%PDF' },
  { name: 'gzip', bytes: [0x1f, 0x8b] },
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'bzip2', bytes: 'BZh' },
  { name: 'lz4', bytes: [0x04, 0x22, 0x4d, 0x18] },
  { name: '7z', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'rar', bytes: 'Rar!' },
  { name: 'tar', bytes: 'ustar', at: 257, locatable: true },
  { name: 'sqlite', bytes: 'SQLite format 3\0' },
  { name: 'truetype', bytes: [0x00, 0x01, 0x00, 0x00] },
  { name: 'opentype', bytes: 'OTTO' },
  { name: 'truetype (apple)', bytes: 'true' },
  { name: 'font collection', bytes: 'ttcf' },
  { name: 'woff', bytes: 'wOFF' },
  { name: 'woff2', bytes: 'wOF2' },
  { name: 'unity asset bundle', bytes: 'UnityFS' },
  { name: 'webassembly', bytes: '\0asm' },
  { name: 'ktx texture', bytes: [0xab, 0x4b, 0x54, 0x58] },
  { name: 'pkm texture', bytes: 'PKM ' },
  { name: 'astc texture', bytes: [0x13, 0xab, 0xa1, 0x5c] },
];

const compiled = KNOWN_MAGIC.map((m) => ({
  m,
  at: m.at ?? 0,
  sig: typeof m.bytes === 'string' ? Buffer.from(m.bytes, 'latin1') : Buffer.from(m.bytes),
}));

/** The known signature `head` starts with (at its offset), if any. */
export function knownMagic(head: Uint8Array): KnownMagic | undefined {
  for (const { m, at, sig } of compiled) {
    if (head.length < at + sig.length) continue;
    let ok = true;
    for (let i = 0; i < sig.length && ok; i++) ok = head[at + i] === sig[i];
    if (ok) return m;
  }
  return undefined;
}
