/**
 * Flatbuffer sanity checks for sniffing: a root offset that lands on a plausible table, and the optional
 * 4-byte file identifier after it.
 */

/** The 4-byte file identifier at bytes 4..8, as text (or undefined when the head is too short). */
export function fileIdentifier(head: Uint8Array, at = 4): string | undefined {
  if (head.length < at + 4) return undefined;
  return String.fromCharCode(head[at]!, head[at + 1]!, head[at + 2]!, head[at + 3]!);
}

/** The root table of a flatbuffer that starts at `base`, where its vtable can be checked inside the head. */
export interface RootTable {
  /** Absolute offset of the root table. */
  table: number;
  /** Absolute offset of its vtable. */
  vtable: number;
  /** vtable size in bytes (4 + 2 per field). */
  vtSize: number;
  /** Table size in bytes. */
  tableSize: number;
}

/**
 * Check the root of a flatbuffer that begins at `base` in a file of `size` bytes: the root offset is
 * 4-aligned, past the header, inside the file; and, when they fall inside the head, the vtable is in the file
 * with a sane size. Returns `true` when the root checks out but its table lies past the head, the table
 * when it could be checked, `false` when anything is wrong.
 */
export function rootTable(head: Uint8Array, size: number, base = 0, minRoot = 8): RootTable | boolean {
  if (head.length < base + 8 || size < base + 12) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const rel = dv.getUint32(base, true);
  if (rel < minRoot || rel % 4 !== 0) return false;
  const table = base + rel;
  if (table + 4 > size) return false;
  if (table + 4 > head.length) return true;
  const vtable = table - dv.getInt32(table, true);
  if (vtable < base || vtable + 4 > size) return false;
  if (vtable + 4 > head.length) return true;
  const vtSize = dv.getUint16(vtable, true);
  const tableSize = dv.getUint16(vtable + 2, true);
  if (vtSize < 4 || vtSize % 2 !== 0 || vtable + vtSize > size || tableSize < 4 || table + tableSize > size) return false;
  return { table, vtable, vtSize, tableSize };
}

/** Offset of field `index` inside its table (0 when absent), or undefined when the vtable entry is past the head. */
export function fieldOffset(head: Uint8Array, root: RootTable, index: number): number | undefined {
  const at = root.vtable + 4 + 2 * index;
  if (at + 2 > root.vtable + root.vtSize) return 0;
  if (at + 2 > head.length) return undefined;
  return head[at]! | (head[at + 1]! << 8);
}
