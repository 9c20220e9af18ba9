/** Looks up a TFLite op's name and IR category in `ops.json` (data, not code). */
import { CATEGORIES, type Category } from '@gaugenn/core';
import ops from './ops.json' with { type: 'json' };

/** Builtin code of CUSTOM: the op's identity is its custom_code string. */
export const CUSTOM_CODE = 32;

/** How MACs are counted for a known custom op (see macs.ts). */
export type CustomMacRule = 'transpose_conv_bias';

export interface OpInfo {
  /** Native op name: the builtin name, or the custom_code for CUSTOM ops. */
  name: string;
  category: Category;
  builtin: string;
  customCode?: string;
  customMacs?: CustomMacRule;
  /** False when the builtin code is newer than the table. */
  known: boolean;
}

const valid = new Set<string>(CATEGORIES);
const category = (c: string, what: string): Category => {
  // ops.json is shipped data: a typo there must fail loudly in tests, not yield a silent 'other'.
  if (!valid.has(c)) throw new Error(`ops.json: ${what} has category "${c}", which is not one of core's CATEGORIES`);
  return c as Category;
};

const builtins = new Map<number, { name: string; category: Category }>();
for (const o of ops.builtins) builtins.set(o.code, { name: o.name, category: category(o.category, o.name) });

const customs = new Map<string, { category: Category; macs?: CustomMacRule }>();
for (const [code, c] of Object.entries(ops.custom) as [string, { category: string; macs?: string }][]) {
  customs.set(code, { category: category(c.category, code), macs: c.macs as CustomMacRule | undefined });
}

/** Name and category of an op from its builtin code and (for CUSTOM) its custom_code. */
export function opInfo(builtin: number, customCode?: string): OpInfo {
  const b = builtins.get(builtin);
  if (!b) return { name: `BUILTIN_${builtin}`, builtin: `BUILTIN_${builtin}`, category: 'other', known: false };
  if (builtin !== CUSTOM_CODE) return { name: b.name, builtin: b.name, category: b.category, known: true };
  const c = customCode ? customs.get(customCode) : undefined;
  return {
    name: customCode || b.name,
    builtin: b.name,
    category: c?.category ?? 'custom',
    customCode,
    customMacs: c?.macs,
    known: true,
  };
}

