import { HEADER_BYTES, MAX_RECORDS, RECORD_BYTES, type MonsoonModel } from './constants.js';

/** The 4-byte packet header. */
export interface PacketHeader {
  /** Dropped-sample counter (uint16 little-endian; wraps at 2^16). */
  dropped: number;
  /** Flags bits 3-0. */
  sequence: number;
  /** Flags bit 4: over-current or thermal kill. */
  overCurrent: boolean;
  /** Flags bit 5: main output at voltage. */
  mainAtVoltage: boolean;
  /** Records in this packet (1-3). */
  records: number;
}

/** Read the header of a sample packet: the only little-endian field in it is the dropped count. */
export function packetHeader(p: Uint8Array): PacketHeader {
  const flags = p[2]!;
  return { dropped: p[0]! | (p[1]! << 8), sequence: flags & 0x0f, overCurrent: (flags & 0x10) !== 0, mainAtVoltage: (flags & 0x20) !== 0, records: Math.min(p[3]!, MAX_RECORDS) };
}

/** One 18-byte record as raw integers: the eight big-endian 16-bit fields and the sample type (byte 17 & 0x30). */
export interface RawRecord {
  /** mainCoarse, mainFine, usbCoarse, usbFine, auxCoarse, auxFine, mainVoltage, usbVoltage. */
  fields: number[];
  sampleType: number;
}

/** Big-endian 16-bit field at `o`: unsigned, or signed for LVPM currents. */
export function be16(p: Uint8Array, o: number, signed: boolean): number {
  const v = (p[o]! << 8) | p[o + 1]!;
  return signed && v & 0x8000 ? v - 0x10000 : v;
}

/** Record k (0-2) of a packet: at offset 4 + 18·k; HVPM fields are unsigned, LVPM currents signed. */
export function rawRecord(p: Uint8Array, k: number, model: MonsoonModel): RawRecord {
  const o = HEADER_BYTES + RECORD_BYTES * k;
  const fields: number[] = [];
  for (let f = 0; f < 8; f++) fields.push(be16(p, o + 2 * f, model === 'LVPM' && f < 6));
  return { fields, sampleType: p[o + 17]! & 0x30 };
}
