/** ncnn layer type → IR category, and binary-param type indexes → type names, from `ops.json` (data, not code). */
import { CATEGORIES, type Category } from '@gaugenn/core';
import ops from './ops.json' with { type: 'json' };

/** Binary params flag custom layers with this bit in the type index. */
export const CUSTOM_BIT = 0x100;

const valid = new Set<string>(CATEGORIES);
const table = new Map<string, Category>();
for (const [name, c] of Object.entries(ops.layers)) {
  // ops.json is shipped data: a typo there must fail loudly in tests, not yield a silent 'other'.
  if (!valid.has(c)) throw new Error(`ops.json: ${name} has category "${c}", which is not one of core's CATEGORIES`);
  table.set(name, c as Category);
}

/** Category of an ncnn layer type, and whether gaugeNN knows the type. Unknown types are `custom`. */
export function layerCategory(type: string): { category: Category; known: boolean } {
  const c = table.get(type);
  return c ? { category: c, known: true } : { category: 'custom', known: false };
}

/** Type name for a binary param's type index; custom or unknown indexes get a descriptive name. */
export function layerTypeByIndex(index: number): string {
  if (index & CUSTOM_BIT) return `CustomLayer${index & ~CUSTOM_BIT}`;
  return ops.binaryTypeIndex[index] ?? `LayerType${index}`;
}

/** Every layer type the table knows. */
export function knownLayerTypes(): string[] {
  return [...table.keys()];
}
