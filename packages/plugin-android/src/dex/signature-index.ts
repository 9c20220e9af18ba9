/**
 * The code-evidence catalogue compiled for fast matching: exact class names and `Class.method` pairs in maps,
 * package patterns (`a.b.*`) in a map keyed by package prefix. Matching walks the DEX's referenced classes once
 * and looks each one (and each of its enclosing packages) up, so the cost is classes × package depth, never
 * classes × signatures.
 */
import type { CodeSignature } from '@gaugenn/core';
import type { DexCode } from './dex-code.js';

/** One signature that matched, with the class or `Class.method` that proves it. */
export interface SignatureMatch {
  signature: CodeSignature;
  evidence: string;
  /** Every referenced class and `Class.method` that matched it (the evidence among them). */
  matched: { classes: string[]; methods: string[] };
}

/** A pattern's owner: which signature id, and how early it is listed (lower = preferred evidence). */
interface Slot {
  key: number;
  rank: number;
}

/** A compiled catalogue. Signatures that share an `id` count as one (config may extend a plugin's entry). */
export class SignatureIndex {
  /** The first signature of each id, in catalogue order. */
  private readonly owners: CodeSignature[] = [];
  private readonly exact = new Map<string, Slot[]>();
  /** `a.b.` → slots: matches every class whose name starts with it (subpackages included). */
  private readonly packages = new Map<string, Slot[]>();
  /** class → method → slots. */
  private readonly methods = new Map<string, Map<string, Slot[]>>();
  /** Patterns the catalogue held that cannot match anything (`*`, `Class.` …), for the record. */
  readonly ignored: string[] = [];

  constructor(signatures: readonly CodeSignature[]) {
    const keys = new Map<string, number>();
    const ranks: number[] = [];
    for (const sig of signatures) {
      let key = keys.get(sig.id);
      if (key === undefined) {
        key = this.owners.length;
        keys.set(sig.id, key);
        this.owners.push(sig);
        ranks.push(0);
      }
      // Evidence preference follows the catalogue: classes in listed order, then methods in listed order.
      for (const c of sig.classes ?? []) {
        if (c.endsWith('.*')) {
          const pkg = c.slice(0, -1);
          if (pkg.length < 2 || pkg.includes('*')) this.ignored.push(c);
          else push(this.packages, pkg, { key, rank: ranks[key]!++ });
        } else if (c.length === 0 || c.includes('*')) {
          this.ignored.push(c);
        } else {
          push(this.exact, c, { key, rank: ranks[key]!++ });
        }
      }
      for (const m of sig.methods ?? []) {
        const dot = m.lastIndexOf('.');
        if (dot <= 0 || dot === m.length - 1) {
          this.ignored.push(m);
          continue;
        }
        const cls = m.slice(0, dot);
        let byName = this.methods.get(cls);
        if (!byName) this.methods.set(cls, (byName = new Map()));
        push(byName, m.slice(dot + 1), { key, rank: ranks[key]!++ });
      }
    }
  }

  /** Signatures matched by this code, one per id, in catalogue order, each with its best evidence. */
  match(code: DexCode): SignatureMatch[] {
    const best: { rank: number; evidence: string; classes: Set<string>; methods: Set<string> }[] = [];
    const offer = (slots: Slot[] | undefined, evidence: string, method = false): void => {
      if (!slots) return;
      for (const s of slots) {
        let b = best[s.key];
        if (!b) b = best[s.key] = { rank: s.rank, evidence, classes: new Set(), methods: new Set() };
        else if (s.rank < b.rank) Object.assign(b, { rank: s.rank, evidence });
        (method ? b.methods : b.classes).add(evidence);
      }
    };
    const wantPackages = this.packages.size > 0;
    const methodClasses = new Set<string>();
    // Classes arrive sorted, so the first class offered for a package pattern is its alphabetically first one.
    for (const cls of code.classes) {
      offer(this.exact.get(cls), cls);
      if (this.methods.has(cls)) methodClasses.add(cls);
      if (wantPackages) {
        for (let dot = cls.indexOf('.'); dot > 0; dot = cls.indexOf('.', dot + 1)) offer(this.packages.get(cls.slice(0, dot + 1)), cls);
      }
    }
    for (const [cls, names] of code.methodsOn(methodClasses)) {
      const byName = this.methods.get(cls)!;
      for (const name of names) offer(byName.get(name), `${cls}.${name}`, true);
    }
    const out: SignatureMatch[] = [];
    best.forEach((b, key) => {
      if (b) out.push({ signature: this.owners[key]!, evidence: b.evidence, matched: { classes: [...b.classes], methods: [...b.methods] } });
    });
    return out;
  }
}

function push<K>(map: Map<K, Slot[]>, k: K, slot: Slot): void {
  const list = map.get(k);
  if (list) list.push(slot);
  else map.set(k, [slot]);
}
