import type { Store } from '../store.js';
import { appName, appRecords } from './app-records.js';

/** How two models relate through their content. */
export type LineageRelation = 'identical' | 'fine-tuned' | 'related';

/** One model as a lineage pair names it: `app!/path` of one occurrence, and its content hash. */
export interface LineageModel {
  name: string;
  sha256: string;
}

/** Two models that are the same content or share weight tensors. */
export interface LineagePair {
  a: LineageModel;
  b: LineageModel;
  /** Non-trivial weight tensors (distinct digests) both hold. */
  sharedTensors: number;
  /** Non-trivial weight tensors (distinct digests) of each. */
  aTensors: number;
  bTensors: number;
  relation: LineageRelation;
}

/** The JSON contract of `gaugenn lineage --json`. */
export interface LineageJSON {
  pairs: LineagePair[];
}

/**
 * The rule for `fine-tuned`: at most this many tensors (or this share of the larger model, if more) differ on
 * either side, and every differing tensor sits in the model's head, the last {@link HEAD_SHARE} of its weighted
 * tensors in layer order. A retrained classifier or detector head on a shared backbone looks exactly like this.
 */
export const FINE_TUNE_MAX_DIFFERING = 3;
export const FINE_TUNE_MAX_SHARE = 0.1;
export const HEAD_SHARE = 0.25;

export interface ModelTensors {
  /** Distinct non-trivial digests, first position in layer order. */
  position: Map<string, number>;
  count: number;
}

/** Non-trivial weight digests of every analysed model. Trivial tensors (zeros, scalars, tiny biases) never relate models. */
function tensorsByModel(store: Store): Map<string, ModelTensors> {
  const out = new Map<string, ModelTensors>();
  const rows = store.db
    .prepare('SELECT model_sha256 AS m, digest FROM weights WHERE digest IS NOT NULL AND trivial = 0 ORDER BY model_sha256, layer_idx, n')
    .all() as { m: string; digest: string }[];
  for (const r of rows) {
    let t = out.get(r.m);
    if (!t) out.set(r.m, (t = { position: new Map(), count: 0 }));
    if (!t.position.has(r.digest)) t.position.set(r.digest, t.count++);
  }
  return out;
}

/** Whether the tensors of `x` that `y` lacks all lie in `x`'s head. */
function differingAtHead(x: ModelTensors, y: ModelTensors): boolean {
  const head = Math.floor(x.count * (1 - HEAD_SHARE));
  for (const [d, pos] of x.position) if (!y.position.has(d) && pos < head) return false;
  return true;
}

/** Classify two distinct model files from their non-trivial tensors (shared = distinct digests both hold). */
export function classifyPair(a: ModelTensors, b: ModelTensors, shared: number): LineageRelation {
  if (shared === a.count && shared === b.count) return 'identical';
  const differing = Math.max(a.count - shared, b.count - shared);
  const few = Math.max(FINE_TUNE_MAX_DIFFERING, Math.ceil(FINE_TUNE_MAX_SHARE * Math.max(a.count, b.count)));
  if (differing <= few && differingAtHead(a, b) && differingAtHead(b, a)) return 'fine-tuned';
  return 'related';
}

/**
 * Uniqueness and lineage over the whole store. Identical models: the same file content in several places
 * (other apps, other containers, other names) — one pair per further occurrence — and different files whose
 * non-trivial weight tensors are all the same. Models that share some non-trivial tensors are `fine-tuned`
 * (all but a few shared, the differing ones at the head) or `related` (a shared backbone, more differs).
 * Pairs are ordered by relation, then by shared tensors, largest first.
 */
export function lineagePairs(store: Store): LineagePair[] {
  const tensors = tensorsByModel(store);
  // One occurrence names each model: the first app (in record order) that ships it, by package.
  const occurrences = new Map<string, string[]>();
  for (const a of appRecords(store)) {
    for (const m of a.models) {
      const name = `${appName(a)}!/${m.path}`;
      let l = occurrences.get(m.sha256);
      if (!l) occurrences.set(m.sha256, (l = []));
      if (!l.includes(name)) l.push(name);
    }
  }
  const models = (store.db.prepare('SELECT sha256, first_path FROM models ORDER BY sha256').all() as { sha256: string; first_path: string }[]);
  const firstPath = new Map(models.map((m) => [m.sha256, m.first_path]));
  const named = (sha: string, i = 0): LineageModel => ({ name: occurrences.get(sha)?.[i] ?? firstPath.get(sha) ?? sha, sha256: sha });
  const empty: ModelTensors = { position: new Map(), count: 0 };
  const pairs: LineagePair[] = [];
  for (const m of models) {
    const n = tensors.get(m.sha256)?.count ?? 0;
    const occ = occurrences.get(m.sha256) ?? [];
    for (let i = 1; i < occ.length; i++) pairs.push({ a: named(m.sha256, 0), b: named(m.sha256, i), sharedTensors: n, aTensors: n, bTensors: n, relation: 'identical' });
  }
  // Candidate pairs from an inverted index, so the cost follows shared digests, not the square of the corpus.
  // Models are numbered and a pair is one number, which keeps the count map cheap on a study-sized corpus.
  const ids = [...tensors.keys()].sort();
  const holders = new Map<string, number[]>();
  ids.forEach((sha, i) => {
    for (const d of tensors.get(sha)!.position.keys()) {
      const l = holders.get(d);
      if (l) l.push(i);
      else holders.set(d, [i]);
    }
  });
  const M = ids.length;
  const shared = new Map<number, number>();
  for (const l of holders.values()) {
    if (l.length < 2) continue;
    for (let i = 0; i < l.length; i++) {
      for (let j = i + 1; j < l.length; j++) {
        const k = l[i]! * M + l[j]!; // l is ascending: models were numbered in order
        shared.set(k, (shared.get(k) ?? 0) + 1);
      }
    }
  }
  for (const [k, s] of shared) {
    const x = ids[Math.floor(k / M)]!;
    const y = ids[k % M]!;
    const tx = tensors.get(x) ?? empty;
    const ty = tensors.get(y) ?? empty;
    pairs.push({ a: named(x), b: named(y), sharedTensors: s, aTensors: tx.count, bTensors: ty.count, relation: classifyPair(tx, ty, s) });
  }
  const order: Record<LineageRelation, number> = { identical: 0, 'fine-tuned': 1, related: 2 };
  return pairs.sort((p, q) => order[p.relation] - order[q.relation] || q.sharedTensors - p.sharedTensors || p.a.name.localeCompare(q.a.name) || p.b.name.localeCompare(q.b.name));
}

/** `gaugenn lineage --json`. */
export function lineageJSON(store: Store): LineageJSON {
  return { pairs: lineagePairs(store) };
}
