/** Build Monsoon sample packets byte by byte from the protocol facts (energy-facts.md §1.3), for decoder tests. */
export interface Rec {
  /** mainCoarse, mainFine, usbCoarse, usbFine, auxCoarse, auxFine, mainVoltage, usbVoltage (raw, as the wire has them). */
  f: number[];
  /** Sample type: 0x00 measurement, 0x10 zero-cal, 0x20 invalid, 0x30 ref-cal (byte 17 & 0x30). */
  type: number;
}

export function packet(recs: Rec[], dropped = 0, flags = 0x20): Uint8Array {
  const p = new Uint8Array(64);
  p[0] = dropped & 0xff; // dropped count: uint16 little-endian at offset 0
  p[1] = (dropped >> 8) & 0xff;
  p[2] = flags;
  p[3] = recs.length; // numObs
  recs.forEach((r, k) => {
    const o = 4 + 18 * k; // records at 4, 22, 40
    r.f.forEach((v, i) => {
      const u = v & 0xffff; // two's complement for LVPM's signed currents
      p[o + 2 * i] = u >> 8; // big-endian ("PIC endianness")
      p[o + 2 * i + 1] = u & 0xff;
    });
    p[o + 16] = 0x07; // byte 16 (gain bits): must not affect the sample type
    p[o + 17] = r.type | 0x03; // sample type in bits 4-5; the low bits are main gain
  });
  return p;
}

export const all = (v: number, volt = [0, 0]): number[] => [v, v, v, v, v, v, ...volt];
