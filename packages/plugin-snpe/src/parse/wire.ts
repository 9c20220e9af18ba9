/**
 * A bounded protobuf wire-format walker. DLC v2 has no published schema, so no schema-driven decoder (protobufjs)
 * applies: fields are read by number and wire type, and every length is checked against the buffer.
 */
export interface WireField {
  field: number;
  wire: number;
  /** Varint value (wire 0), or the bit pattern of a fixed32 (wire 5). */
  value: number;
  /** For length-delimited fields (wire 2): where the bytes start and how many. */
  start: number;
  length: number;
}

export class WireError extends Error {}

function varint(b: Uint8Array, p: number, end: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (p >= end) throw new WireError(`varint runs past byte ${end}`);
    const c = b[p++]!;
    v += (c & 0x7f) * mul;
    if (c < 0x80) return [v, p];
    mul *= 128;
  }
  throw new WireError(`varint longer than 10 bytes at byte ${p}`);
}

/** The fields of one message in `b[start, end)`. Unknown wire types end the walk with an error. */
export function wireFields(b: Uint8Array, start: number, end: number, max = 1_000_000): WireField[] {
  const out: WireField[] = [];
  let p = start;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  while (p < end) {
    if (out.length >= max) throw new WireError(`more than ${max} fields in one message`);
    let key: number;
    [key, p] = varint(b, p, end);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      let v: number;
      [v, p] = varint(b, p, end);
      out.push({ field, wire, value: v, start: 0, length: 0 });
    } else if (wire === 2) {
      let n: number;
      [n, p] = varint(b, p, end);
      if (p + n > end) throw new WireError(`field ${field} claims ${n} bytes past byte ${end}`);
      out.push({ field, wire, value: 0, start: p, length: n });
      p += n;
    } else if (wire === 5) {
      if (p + 4 > end) throw new WireError(`fixed32 field ${field} runs past byte ${end}`);
      out.push({ field, wire, value: dv.getUint32(p, true), start: p, length: 4 });
      p += 4;
    } else if (wire === 1) {
      if (p + 8 > end) throw new WireError(`fixed64 field ${field} runs past byte ${end}`);
      out.push({ field, wire, value: 0, start: p, length: 8 });
      p += 8;
    } else throw new WireError(`wire type ${wire} at byte ${p}`);
  }
  return out;
}
