/**
 * Content sniffer for TFLite models. Apps ship models under any name (`.bin`, `.jpg`, no extension), so only
 * the bytes decide: the flatbuffer file identifier `TFL3` at bytes 4..8, and a root offset that points at a
 * plausible table inside the file.
 */
import type { LocatedModel, SniffHit, SniffInput, Sniffer } from '@gaugenn/core';
import { locateTflite } from './locate.js';

const IDENT = [0x54, 0x46, 0x4c, 0x33]; // "TFL3"

/** True when `head` (the first bytes of a file of `size` bytes) looks like a TFLite flatbuffer. */
export function looksLikeTflite(head: Uint8Array, size: number): boolean {
  if (head.length < 8 || size < 16) return false;
  for (let i = 0; i < 4; i++) if (head[4 + i] !== IDENT[i]) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const root = dv.getUint32(0, true);
  // The root table follows the 8-byte header, is 4-aligned, and leaves room for its own soffset.
  if (root < 8 || root % 4 !== 0 || root + 4 > size) return false;
  if (root + 4 > head.length) return true; // cannot look further inside the head; the identifier is enough
  const vtable = root - dv.getInt32(root, true);
  if (vtable < 0 || vtable + 4 > size) return false;
  if (vtable + 4 > head.length) return true;
  const vtSize = dv.getUint16(vtable, true);
  return vtSize >= 4 && vtSize % 2 === 0 && vtable + vtSize <= size;
}

/**
 * The TFLite sniffer registered by the plugin. `sniff` claims whole files; `locate` finds models embedded in a
 * blob (emscripten packed assets, models appended to other data), each checked structurally and measured to
 * its last byte (see locate.ts).
 */
export const tfliteSniffer: Sniffer = {
  name: 'tflite',
  sniff(input: SniffInput): SniffHit | undefined {
    return looksLikeTflite(input.head, input.size) ? { framework: 'tflite', kind: 'model', role: 'model' } : undefined;
  },
  locate(data: Uint8Array): LocatedModel[] {
    return locateTflite(data).map((m) => ({ ...m, hit: { framework: 'tflite', kind: 'model', role: 'model' } }));
  },
};
