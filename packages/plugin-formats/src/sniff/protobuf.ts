/**
 * Just enough protocol-buffer wire format to sniff a message's first fields from a file head: varints,
 * tags and length-delimited fields, every read bounded by the bytes at hand.
 */

/** Wire types. */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

/** A varint and the offset after it, or undefined when it runs past `end` or past 10 bytes. */
export function varint(b: Uint8Array, pos: number, end = b.length): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && pos + i < end; i++) {
    const byte = b[pos + i]!;
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return value > Number.MAX_SAFE_INTEGER ? undefined : { value, next: pos + i + 1 };
    scale *= 128;
  }
  return undefined;
}

/** A field tag: field number and wire type. Field 0 is invalid in protobuf, so it reads as undefined. */
export function tag(b: Uint8Array, pos: number, end = b.length): { field: number; wire: number; next: number } | undefined {
  const v = varint(b, pos, end);
  if (!v) return undefined;
  const field = Math.floor(v.value / 8);
  if (field === 0) return undefined;
  return { field, wire: v.value % 8, next: v.next };
}

/** True for bytes that may sit in a text field: printable ASCII, tab/CR/LF, and UTF-8 continuation bytes. */
export function isTextBytes(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i]!;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

/** The bytes as latin1 text (callers check them first). */
export function text(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
}
