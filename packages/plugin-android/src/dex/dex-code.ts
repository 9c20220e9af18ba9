/**
 * What one DEX entry's code references: the classes it calls, extends, implements, declares fields or
 * parameters of, or defines; and, on demand, which methods it calls on chosen classes.
 *
 * The evidence rule: a class counts when a type id names it AND a method id, field id, proto or class definition
 * uses that type id. A name that only sits in the string table (a log message, a URL) is never evidence, because
 * the string table is never read except through those references.
 */
import { callSites } from './call-sites.js';
import { DexFile, NO_INDEX } from './dex-file.js';
import { descriptorToClassName } from './descriptor.js';
import { dexMalformed } from './malformed.js';

/** The referenced classes and method lookups of one DEX entry (every DEX of a v041 container, together). */
export class DexCode {
  /** Referenced or defined classes in Java form, sorted, without duplicates. */
  readonly classes: readonly string[];
  /** Classes the entry defines (its own code plus bundled SDKs). */
  readonly definedClasses: number;
  /** Method ids across the entry. */
  readonly methodCount: number;
  private readonly files: { dex: DexFile; names: (string | undefined)[] }[];

  private constructor(files: DexFile[]) {
    const all = new Set<string>();
    let defined = 0;
    let methods = 0;
    this.files = files.map((dex) => {
      const names = referencedTypeNames(dex);
      for (const n of names) if (n !== undefined) all.add(n);
      defined += dex.classDefs.size;
      methods += dex.methodIds.size;
      return { dex, names };
    });
    this.classes = [...all].sort();
    this.definedClasses = defined;
    this.methodCount = methods;
  }

  /**
   * Read the references of a DEX entry.
   * @throws GaugeError `ARCHIVE_CORRUPT` naming `path` when the DEX is malformed.
   */
  static read(data: Buffer, path: string): DexCode {
    return new DexCode(DexFile.readAll(data, path));
  }

  /**
   * For each of `classNames` that the code references, the names of the methods it calls (or defines) on it.
   * One pass over method ids; method names are decoded only for those classes.
   */
  methodsOn(classNames: ReadonlySet<string>): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    if (classNames.size === 0) return out;
    for (const { dex, names } of this.files) {
      const wanted = new Map<number, string>();
      names.forEach((n, idx) => {
        if (n !== undefined && classNames.has(n)) wanted.set(idx, n);
      });
      if (wanted.size === 0) continue;
      for (let i = 0; i < dex.methodIds.size; i++) {
        const cls = wanted.get(dex.methodClass(i));
        if (cls === undefined) continue;
        let set = out.get(cls);
        if (!set) out.set(cls, (set = new Set()));
        set.add(dex.string(dex.methodName(i)));
      }
    }
    return out;
  }

  /**
   * Read the method bodies once and say who calls `classNames` (any method of theirs, or `new`) and
   * `methodNames` (`Class.method`), and which native libraries the code loads by name.
   * @throws GaugeError `ARCHIVE_CORRUPT` when class data or code items lie outside the file.
   */
  callers(classNames: ReadonlySet<string>, methodNames: ReadonlySet<string>): Callers {
    const out: Callers = { ofClass: new Map(), ofMethod: new Map(), loads: [] };
    const methodClasses = new Set([...methodNames].map((m) => m.slice(0, m.lastIndexOf('.'))));
    const merge = (into: Map<string, Set<string>>, key: string, from: Set<number>, names: (string | undefined)[]) => {
      let s = into.get(key);
      if (!s) into.set(key, (s = new Set()));
      for (const c of from) if (names[c] !== undefined) s.add(names[c]!);
    };
    for (const { dex, names } of this.files) {
      const types = new Set<number>();
      names.forEach((n, idx) => {
        if (n !== undefined && classNames.has(n)) types.add(idx);
      });
      const methods = new Map<number, string>();
      if (methodNames.size > 0) {
        for (let i = 0; i < dex.methodIds.size; i++) {
          const cls = names[dex.methodClass(i)];
          if (cls === undefined || !methodClasses.has(cls)) continue;
          const key = `${cls}.${dex.string(dex.methodName(i))}`;
          if (methodNames.has(key)) methods.set(i, key);
        }
      }
      const sites = callSites(dex, names, types, new Set(methods.keys()));
      for (const [t, from] of sites.byType) merge(out.ofClass, names[t]!, from, names);
      for (const [m, from] of sites.byMethod) merge(out.ofMethod, methods.get(m)!, from, names);
      for (const l of sites.loads) out.loads.push({ names: l.names, caller: names[l.caller] ?? '?' });
    }
    return out;
  }
}

/** Who calls the chosen classes and methods, in Java names (see {@link DexCode.callers}). */
export interface Callers {
  /** Class → classes whose code invokes one of its methods or constructs it. */
  ofClass: Map<string, Set<string>>;
  /** `Class.method` → classes whose code invokes it. */
  ofMethod: Map<string, Set<string>>;
  /** Classes that call `System.loadLibrary`/`System.load`, with the strings that may name what they load. */
  loads: { names: string[]; caller: string }[];
}

/** Java names by type index: set for class types that some id or class definition uses, else undefined. */
function referencedTypeNames(dex: DexFile): (string | undefined)[] {
  const used = new Uint8Array(dex.typeIds.size);
  const mark = (idx: number, what: string): void => {
    dex.checkType(idx, what);
    used[idx] = 1;
  };
  for (let i = 0; i < dex.methodIds.size; i++) {
    mark(dex.methodClass(i), `method ${i}'s class`);
    // Its proto must exist; the proto's own types are marked below with every proto.
    const proto = dex.methodProto(i);
    if (proto >= dex.protoIds.size) throw dexMalformed(dex.path, `method ${i}'s proto index ${proto} is past proto_ids (${dex.protoIds.size})`);
  }
  for (let i = 0; i < dex.fieldIds.size; i++) {
    mark(dex.fieldClass(i), `field ${i}'s class`);
    mark(dex.fieldType(i), `field ${i}'s type`);
  }
  for (let i = 0; i < dex.protoIds.size; i++) {
    mark(dex.protoReturn(i), `proto ${i}'s return type`);
    dex.forEachInTypeList(dex.protoParameters(i), (t) => mark(t, `proto ${i}'s parameter`));
  }
  for (let i = 0; i < dex.classDefs.size; i++) {
    mark(dex.classDefClass(i), `class def ${i}'s class`);
    const sup = dex.classDefSuper(i);
    if (sup !== NO_INDEX) mark(sup, `class def ${i}'s superclass`);
    dex.forEachInTypeList(dex.classDefInterfaces(i), (t) => mark(t, `class def ${i}'s interface`));
  }
  const names = new Array<string | undefined>(used.length);
  for (let t = 0; t < used.length; t++) if (used[t]) names[t] = descriptorToClassName(dex.typeDescriptor(t));
  return names;
}
