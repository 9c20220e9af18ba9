/** Caffe layer type → IR category, from `ops.json` (data, not code). */
import { CATEGORIES, type Category } from '@gaugenn/core';
import ops from './ops.json' with { type: 'json' };

const valid = new Set<string>(CATEGORIES);
const categories = new Map<string, Category>();
for (const [type, c] of Object.entries(ops.types)) {
  // A typo in shipped data must fail loudly in tests, not yield a silent 'other'.
  if (!valid.has(c)) throw new Error(`ops.json: ${type} has category "${c}", which is not one of core's CATEGORIES`);
  categories.set(type, c as Category);
}

/** Category of a layer type; `known` is false for types the table does not list (they read as `custom`). */
export function layerCategory(type: string): { category: Category; known: boolean } {
  const c = categories.get(type);
  return c ? { category: c, known: true } : { category: 'custom', known: false };
}

/** Today's type string for a V1 `LayerType` enum name (or number, when the enum value is unknown). */
export function v1TypeName(v: unknown): string {
  if (typeof v === 'string') return (ops.v1 as Record<string, string>)[v] ?? v;
  return `V1_LAYER_${String(v ?? 0)}`;
}
