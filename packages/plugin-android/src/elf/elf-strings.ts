/**
 * String literals in a library's read-only data: runs of printable ASCII, as `strings(1)` finds them, with a
 * cap on how many are kept so a huge or hostile library costs bounded memory.
 */
import type { ElfRange } from './elf-reader.js';

/** Options of {@link printableStrings}. */
export interface PrintableStringsOptions {
  /** Shortest run kept (default 6: shorter runs are mostly noise in machine code and tables). */
  minLength?: number;
  /** Most strings returned (default 100 000). */
  maxCount?: number;
  /** Longest string kept; longer runs are cut (default 1024). */
  maxLength?: number;
}

/** Printable ASCII runs (tab and 0x20..0x7e) of at least `minLength` bytes inside `ranges`. */
export function printableStrings(data: Uint8Array, ranges: readonly ElfRange[], options: PrintableStringsOptions = {}): string[] {
  const minLength = options.minLength ?? 6;
  const maxCount = options.maxCount ?? 100_000;
  const maxLength = options.maxLength ?? 1024;
  const out: string[] = [];
  for (const { offset, size } of ranges) {
    const end = Math.min(data.length, offset + size);
    let start = -1;
    for (let i = Math.max(0, offset); i <= end; i++) {
      const c = i < end ? data[i]! : 0;
      const printable = c === 0x09 || (c >= 0x20 && c <= 0x7e);
      if (printable) {
        if (start < 0) start = i;
        continue;
      }
      if (start >= 0 && i - start >= minLength) {
        out.push(Buffer.from(data.buffer, data.byteOffset + start, Math.min(i - start, maxLength)).toString('latin1'));
        if (out.length >= maxCount) return out;
      }
      start = -1;
    }
  }
  return out;
}
