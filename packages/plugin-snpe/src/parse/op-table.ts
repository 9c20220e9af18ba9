/** The native op → category table (data in ops.json), and the refinements the data cannot express. */
import { CATEGORIES, type Category } from '@gaugenn/core';
import table from './ops.json' with { type: 'json' };

const OPS = new Map<string, Category>();
for (const [k, v] of Object.entries(table)) if (!k.startsWith('$') && (CATEGORIES as readonly string[]).includes(v)) OPS.set(k, v as Category);

/** The category of a DLC layer/op type; unknown types are `other`. */
export function categoryOf(type: string): Category {
  return OPS.get(type) ?? 'other';
}

/** Whether the table knows a type. */
export function knownOp(type: string): boolean {
  return OPS.has(type);
}
