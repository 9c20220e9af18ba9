/**
 * Who calls whom in one DEX: for chosen classes and methods, the classes whose method bodies invoke them or
 * construct them (`invoke-*` to one of their methods, `new-instance` of the class), and the library names the
 * code passes to `System.loadLibrary`/`System.load`. This is what tells code an app calls from code that merely
 * ships inside a library it bundles.
 */
import { walkInstructions, isInvoke, OP } from './bytecode.js';
import { CODE_ITEM } from './format.js';
import type { DexFile } from './dex-file.js';
import { dexMalformed } from './malformed.js';
import { readUleb128 } from './mutf8.js';

/** Classes (by type index) that call or construct each wanted target. */
export interface CallSites {
  /** Target type index → caller class type indices (any invoke of one of its methods, or new-instance). */
  byType: Map<number, Set<number>>;
  /** Target method index → caller class type indices. */
  byMethod: Map<number, Set<number>>;
  /**
   * Classes that call `System.loadLibrary`/`System.load`, with the strings that may name what they load (the one
   * loaded right before the call, and the other library-like strings of the class).
   */
  loads: { names: string[]; caller: number }[];
}

const LOADERS = new Set(['java.lang.System', 'java.lang.Runtime']);
const LOAD_METHODS = new Set(['loadLibrary', 'load']);
/** A string that can name a native library: `foo_jni`, `libfoo.so`, `/data/app/…/libfoo.so`. */
const LIBRARY_NAME = /^(?:[\w.+-]*\/)*[\w.+-]{1,128}$/;
/** Bounds for hostile classes with thousands of strings. */
const MAX_CLASS_STRINGS = 4096;
const MAX_NAMES = 64;

/**
 * Walk every method body of `dex` once. `names` are its referenced classes by type index (see dex-code.ts);
 * `types` and `methods` are the targets to record (others are skipped,
 * so memory stays small on large apps).
 * @throws GaugeError `ARCHIVE_CORRUPT` when class data or a code item lies outside the file.
 */
export function callSites(dex: DexFile, names: readonly (string | undefined)[], types: ReadonlySet<number>, methods: ReadonlySet<number>): CallSites {
  const out: CallSites = { byType: new Map(), byMethod: new Map(), loads: [] };
  const data = dex.data;
  const loadMethods = loaderMethods(dex, names);
  // Nothing to look for (no matched API, no library loading): the method bodies need not be read at all.
  if (types.size === 0 && methods.size === 0 && loadMethods.size === 0) return out;
  const add = (m: Map<number, Set<number>>, k: number, caller: number) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(caller);
  };
  const uleb = (pos: number): { value: number; next: number } => {
    const r = readUleb128(data, pos);
    if (!r) throw dexMalformed(dex.path, `class data at offset ${pos} runs past the end of the file`);
    return r;
  };
  for (let c = 0; c < dex.classDefs.size; c++) {
    const caller = dex.classDefClass(c);
    // Names a loader call may receive: the string loaded just before it, else any the class loads (runtimes keep
    // library names in static arrays filled in <clinit> and loop over them).
    const loadedRightBefore = new Set<number>();
    const classStrings = new Set<number>();
    let loadsHere = false;
    const off = dex.classDefData(c);
    if (off === 0) continue;
    if (off >= data.length) throw dexMalformed(dex.path, `class def ${c}'s class data at offset ${off} lies outside the file`);
    let pos = off;
    const counts: number[] = [];
    for (let k = 0; k < 4; k++) {
      const r = uleb(pos);
      counts.push(r.value);
      pos = r.next;
    }
    const [staticFields, instanceFields, direct, virtual] = counts as [number, number, number, number];
    // Fields: (field_idx_diff, access_flags) pairs, skipped.
    for (let f = 0; f < (staticFields + instanceFields) * 2; f++) pos = uleb(pos).next;
    for (let m = 0; m < direct + virtual; m++) {
      pos = uleb(pos).next; // method_idx_diff
      pos = uleb(pos).next; // access_flags
      const code = uleb(pos);
      pos = code.next;
      if (code.value === 0) continue; // abstract or native
      const insnsAt = code.value + CODE_ITEM.insns;
      if (insnsAt > data.length) throw dexMalformed(dex.path, `a code item at offset ${code.value} lies outside the file`);
      const units = dex.u32(code.value + CODE_ITEM.insnsSize);
      if (insnsAt + units * 2 > data.length) throw dexMalformed(dex.path, `a code item at offset ${code.value} claims ${units} code units past the end of the file`);
      let lastString = -1;
      walkInstructions(data, insnsAt, units, (op, index) => {
        if (op === OP.constString || op === OP.constStringJumbo) {
          lastString = index;
          if (classStrings.size < MAX_CLASS_STRINGS) classStrings.add(index);
        }
        else if (op === OP.newInstance) {
          if (types.has(index)) add(out.byType, index, caller);
        } else if (isInvoke(op) && index < dex.methodIds.size) {
          const cls = dex.methodClass(index);
          if (types.has(cls)) add(out.byType, cls, caller);
          if (methods.has(index)) add(out.byMethod, index, caller);
          if (loadMethods.has(index)) {
            loadsHere = true;
            if (lastString >= 0) loadedRightBefore.add(lastString);
          }
        }
      });
    }
    if (!loadsHere) continue;
    const names = [...new Set([...loadedRightBefore, ...classStrings])].filter((i) => i < dex.stringIds.size).map((i) => dex.string(i)).filter((n) => LIBRARY_NAME.test(n));
    out.loads.push({ names: names.slice(0, MAX_NAMES), caller });
  }
  return out;
}

/** Method indices of `System.loadLibrary`, `System.load` and their `Runtime` twins. */
function loaderMethods(dex: DexFile, names: readonly (string | undefined)[]): Set<number> {
  const found = new Set<number>();
  for (let i = 0; i < dex.methodIds.size; i++) {
    const cls = names[dex.methodClass(i)];
    if (cls === undefined || !LOADERS.has(cls)) continue;
    if (LOAD_METHODS.has(dex.string(dex.methodName(i)))) found.add(i);
  }
  return found;
}
