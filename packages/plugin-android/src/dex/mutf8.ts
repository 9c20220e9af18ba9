/**
 * DEX strings: a ULEB128 count of UTF-16 code units, then Modified UTF-8 bytes ending in NUL. Modified UTF-8
 * writes U+0000 as `C0 80` and characters outside the BMP as two 3-byte surrogates, so decoding unit by unit
 * gives the right JavaScript string.
 */

/** A ULEB128 value and where the bytes after it start; `undefined` when it runs off the buffer or past 5 bytes. */
export function readUleb128(data: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (pos + i >= data.length) return undefined;
    const b = data[pos + i]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return undefined;
}

/**
 * Decode the string data item at `off`. Returns `undefined` when the item runs off the buffer (no NUL).
 * Bytes that are not valid Modified UTF-8 become U+FFFD: a garbled name cannot match a signature anyway.
 */
export function readMutf8(data: Buffer, off: number): string | undefined {
  const len = readUleb128(data, off);
  if (!len) return undefined;
  const start = len.next;
  // Fast path: plain ASCII (every class descriptor and method name that a signature could name).
  const asciiEnd = start + len.value;
  if (asciiEnd < data.length && data[asciiEnd] === 0) {
    let ascii = true;
    for (let i = start; i < asciiEnd; i++) {
      if (data[i]! >= 0x80 || data[i] === 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) return data.toString('latin1', start, asciiEnd);
  }
  return decodeSlow(data, start, len.value);
}

function decodeSlow(data: Buffer, start: number, units: number): string | undefined {
  let text = '';
  let pending: number[] = [];
  let count = 0;
  let i = start;
  // Each unit takes 1 to 3 bytes: the loop is bounded by the declared count and by the buffer.
  while (count <= units) {
    if (i >= data.length) return undefined;
    const a = data[i]!;
    if (a === 0) return text + String.fromCharCode(...pending);
    let unit: number;
    if (a < 0x80) {
      unit = a;
      i += 1;
    } else if ((a & 0xe0) === 0xc0 && i + 1 < data.length && (data[i + 1]! & 0xc0) === 0x80) {
      unit = ((a & 0x1f) << 6) | (data[i + 1]! & 0x3f);
      i += 2;
    } else if ((a & 0xf0) === 0xe0 && i + 2 < data.length && (data[i + 1]! & 0xc0) === 0x80 && (data[i + 2]! & 0xc0) === 0x80) {
      unit = ((a & 0x0f) << 12) | ((data[i + 1]! & 0x3f) << 6) | (data[i + 2]! & 0x3f);
      i += 3;
    } else {
      unit = 0xfffd;
      i += 1;
    }
    pending.push(unit);
    count++;
    // Spread arguments have a limit: flush long strings in pieces.
    if (pending.length === 4096) {
      text += String.fromCharCode(...pending);
      pending = [];
    }
  }
  // More units than declared before the NUL: the length lies.
  return undefined;
}
