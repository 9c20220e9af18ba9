import type { GaugeErrorJSON } from '../../errors/gauge-error.js';
import type { CodeFinding, EncryptedSuspect, NativeLib } from '../../extract/types.js';
import type { Store } from '../store.js';

/** One app row (an app as seen in one snapshot), with its model occurrences, as reports and diffs read it. */
export interface AppRecord {
  /** Row id; an app seen in two snapshots has two rows. */
  rowId: number;
  /** The app's stable key (its main file, unless a source says otherwise). */
  key: string;
  file: string;
  files: string[];
  source: string;
  snapshot?: string;
  category?: string;
  package?: string;
  versionCode?: number;
  versionName?: string;
  label?: string;
  frameworks: string[];
  nativeLibs: NativeLib[];
  codeFindings: CodeFinding[];
  cloudApis: CodeFinding[];
  suspectedEncrypted: EncryptedSuspect[];
  errors: GaugeErrorJSON[];
  /** Model occurrences: content hash and path inside the app. */
  models: { sha256: string; path: string; offset?: number }[];
}

const arr = <T>(s: unknown): T[] => (typeof s === 'string' ? (JSON.parse(s) as T[]) : []);

/** Every app row with its occurrences, in the order they were recorded; `rowId` reads one row only. */
export function appRecords(store: Store, filter: { rowId?: number } = {}): AppRecord[] {
  const one = filter.rowId !== undefined;
  const occ = new Map<number, AppRecord['models']>();
  const occRows = one
    ? store.db.prepare('SELECT app_id, model_sha256, path, offset FROM occurrences WHERE app_id = ? ORDER BY path').all(filter.rowId)
    : store.db.prepare('SELECT app_id, model_sha256, path, offset FROM occurrences ORDER BY app_id, path').all();
  for (const o of occRows as { app_id: number; model_sha256: string; path: string; offset: number | null }[]) {
    let l = occ.get(o.app_id);
    if (!l) occ.set(o.app_id, (l = []));
    l.push({ sha256: o.model_sha256, path: o.path, ...(o.offset != null ? { offset: o.offset } : {}) });
  }
  const rows = one ? store.db.prepare('SELECT * FROM apps WHERE id = ?').all(filter.rowId) : store.db.prepare('SELECT * FROM apps ORDER BY id').all();
  return (rows as any[]).map((a) => ({
    rowId: a.id,
    key: a.app_key,
    file: a.file,
    files: arr<string>(a.files),
    source: a.source,
    snapshot: a.snapshot || undefined,
    category: a.category ?? undefined,
    package: a.package ?? undefined,
    versionCode: a.version_code ?? undefined,
    versionName: a.version_name ?? undefined,
    label: a.label ?? undefined,
    frameworks: arr<string>(a.frameworks),
    nativeLibs: arr<NativeLib>(a.native_libs),
    codeFindings: arr<CodeFinding>(a.code_findings),
    cloudApis: arr<CodeFinding>(a.cloud_apis),
    suspectedEncrypted: arr<EncryptedSuspect>(a.suspected_encrypted),
    errors: arr<GaugeErrorJSON>(a.errors),
    models: occ.get(a.id) ?? [],
  }));
}

/** How an app is named across the store: its package, else its file's name. */
export function appName(a: Pick<AppRecord, 'package' | 'file'>): string {
  return a.package ?? a.file.split(/[\\/]/).pop() ?? a.file;
}

/** Snapshot names with how many app rows each holds, in the order they were first recorded. */
export function snapshotNames(store: Store): { name: string; apps: number }[] {
  return store.db
    .prepare(`SELECT s.name AS name, (SELECT COUNT(*) FROM apps a WHERE a.snapshot = s.name) AS apps FROM snapshots s ORDER BY s.id`)
    .all() as { name: string; apps: number }[];
}
