import { statSync } from 'node:fs';
import type { AppRef, ExtractedApp, ExtractedModel } from '../../extract/types.js';
import type { Store } from '../store.js';
import { appRecords } from './app-records.js';

/** Sizes and modification times of an app's package files: equal fingerprints mean an unchanged package. */
export function appFingerprint(app: AppRef): { size: number; mtimeMs: number }[] | undefined {
  try {
    return app.files.map((f) => {
      const s = statSync(f);
      return { size: s.size, mtimeMs: Math.trunc(s.mtimeMs) };
    });
  } catch {
    return undefined;
  }
}

/**
 * The stored extraction of the same, unchanged package file in another snapshot, rebuilt as an
 * {@link ExtractedApp} for `app` (its snapshot and category), or undefined when there is none. A package seen in
 * two snapshots is then extracted once and recorded as an app of each.
 */
export function reusableExtraction(store: Store, app: AppRef, fingerprint: unknown): ExtractedApp | undefined {
  if (fingerprint === undefined || app.root) return undefined;
  const row = store.db
    .prepare('SELECT id, stats FROM apps WHERE app_key = ? AND snapshot != ? AND fingerprint = ? ORDER BY id DESC LIMIT 1')
    .get(app.id, app.snapshot ?? '', JSON.stringify(fingerprint)) as { id: number; stats: string } | undefined;
  if (!row) return undefined;
  const [r] = appRecords(store, { rowId: row.id });
  if (!r) return undefined;
  const files = new Map((store.db.prepare('SELECT sha256, framework, bytes, files FROM models WHERE sha256 IN (SELECT model_sha256 FROM occurrences WHERE app_id = ?)').all(row.id) as { sha256: string; framework: string; bytes: number; files: string }[]).map((m) => [m.sha256, m]));
  const models: ExtractedModel[] = r.models.map((o) => {
    const m = files.get(o.sha256)!;
    return { path: o.path, framework: m.framework, sha256: o.sha256, bytes: m.bytes, files: JSON.parse(m.files), ...(o.offset !== undefined ? { offset: o.offset } : {}) };
  });
  return {
    app,
    meta: { package: r.package, versionCode: r.versionCode, versionName: r.versionName, label: r.label, ...minMax(store, row.id) },
    models,
    frameworks: r.frameworks,
    nativeLibs: r.nativeLibs,
    codeFindings: r.codeFindings,
    cloudApis: r.cloudApis,
    suspectedEncrypted: r.suspectedEncrypted,
    errors: r.errors,
    stats: JSON.parse(row.stats),
  };
}

function minMax(store: Store, id: number): { minSdk?: number; targetSdk?: number } {
  const r = store.db.prepare('SELECT min_sdk, target_sdk FROM apps WHERE id = ?').get(id) as { min_sdk: number | null; target_sdk: number | null };
  return { ...(r.min_sdk != null ? { minSdk: r.min_sdk } : {}), ...(r.target_sdk != null ? { targetSdk: r.target_sdk } : {}) };
}
