import { GaugeError } from '../../errors/gauge-error.js';
import type { Store } from '../store.js';
import { appName, appRecords, snapshotNames, type AppRecord } from './app-records.js';

/** A model as a diff lists it: its content hash and its path in the app. */
export interface DiffModel {
  sha256: string;
  path: string;
}

/** An app in both snapshots whose package file changed (other models or another version). */
export interface UpdatedApp {
  package: string;
  modelsAdded: DiffModel[];
  modelsRemoved: DiffModel[];
  modelsKept: DiffModel[];
}

/** The JSON contract of `gaugenn diff A B --json`. Apps are matched by package name. */
export interface SnapshotDiff {
  apps: { added: string[]; removed: string[]; updated: UpdatedApp[]; kept: string[] };
  totals: {
    appsA: number;
    appsB: number;
    added: number;
    removed: number;
    updated: number;
    kept: number;
    /** Unique models (by content) in each snapshot, and how they moved. */
    modelsA: number;
    modelsB: number;
    modelsAdded: number;
    modelsRemoved: number;
    modelsKept: number;
  };
}

interface Side {
  models: Map<string, DiffModel>;
  versions: Set<string>;
}

function bySnapshot(apps: AppRecord[], snapshot: string): Map<string, Side> {
  const out = new Map<string, Side>();
  for (const a of apps) {
    if (a.snapshot !== snapshot) continue;
    const name = appName(a);
    let s = out.get(name);
    if (!s) out.set(name, (s = { models: new Map(), versions: new Set() }));
    s.versions.add(`${a.versionCode ?? ''}/${a.versionName ?? ''}`);
    for (const m of a.models) if (!s.models.has(m.sha256)) s.models.set(m.sha256, { sha256: m.sha256, path: m.path });
  }
  return out;
}

const byPath = (x: DiffModel, y: DiffModel) => x.path.localeCompare(y.path) || x.sha256.localeCompare(y.sha256);

/**
 * Compare two snapshots: apps only in B are added, only in A removed; an app in both is updated when its models
 * or its version changed, else kept. Models are compared by content (sha256).
 * @throws GaugeError `INPUT_NOT_FOUND` when a snapshot is not in the store.
 */
export function snapshotDiff(store: Store, a: string, b: string): SnapshotDiff {
  const known = snapshotNames(store).map((s) => s.name);
  for (const s of [a, b]) {
    if (!known.includes(s)) {
      throw new GaugeError('INPUT_NOT_FOUND', `No snapshot "${s}" in ${store.path}. Known: ${known.join(', ') || 'none'}. Record one with \`gaugenn extract --snapshot ${s} PATH\`.`, { subject: s });
    }
  }
  const apps = appRecords(store);
  const A = bySnapshot(apps, a);
  const B = bySnapshot(apps, b);
  const added = [...B.keys()].filter((p) => !A.has(p)).sort();
  const removed = [...A.keys()].filter((p) => !B.has(p)).sort();
  const updated: UpdatedApp[] = [];
  const kept: string[] = [];
  for (const p of [...A.keys()].filter((k) => B.has(k)).sort()) {
    const x = A.get(p)!;
    const y = B.get(p)!;
    const modelsAdded = [...y.models.values()].filter((m) => !x.models.has(m.sha256)).sort(byPath);
    const modelsRemoved = [...x.models.values()].filter((m) => !y.models.has(m.sha256)).sort(byPath);
    const modelsKept = [...y.models.values()].filter((m) => x.models.has(m.sha256)).sort(byPath);
    const sameVersion = x.versions.size === y.versions.size && [...x.versions].every((v) => y.versions.has(v));
    if (modelsAdded.length || modelsRemoved.length || !sameVersion) updated.push({ package: p, modelsAdded, modelsRemoved, modelsKept });
    else kept.push(p);
  }
  const all = (s: Map<string, Side>) => new Set([...s.values()].flatMap((v) => [...v.models.keys()]));
  const mA = all(A);
  const mB = all(B);
  return {
    apps: { added, removed, updated, kept },
    totals: {
      appsA: A.size, appsB: B.size, added: added.length, removed: removed.length, updated: updated.length, kept: kept.length,
      modelsA: mA.size, modelsB: mB.size,
      modelsAdded: [...mB].filter((m) => !mA.has(m)).length,
      modelsRemoved: [...mA].filter((m) => !mB.has(m)).length,
      modelsKept: [...mB].filter((m) => mA.has(m)).length,
    },
  };
}
