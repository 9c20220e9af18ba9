import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { GaugeError } from '../errors/gauge-error.js';
import type { AppRef, ExtractedApp } from '../extract/types.js';
import { extractApp } from '../extract/walker.js';
import type { Gauge } from '../gauge.js';
import type { Store } from '../store/store.js';

/** Where model bytes found in apps are kept: beside the store unless the config says otherwise. */
export function modelCacheDir(gauge: Gauge, storePath: string): string {
  return gauge.config.modelCache ?? join(storePath + '.models');
}

/**
 * Extract apps one by one and record each in the store as soon as it is done, so an interrupted run keeps
 * what it finished. A broken app becomes an app row with its errors; it never stops the others.
 */
export async function extractApps(
  gauge: Gauge,
  store: Store,
  apps: AppRef[],
  onApp?: (x: ExtractedApp, i: number) => void,
  signal?: AbortSignal,
): Promise<ExtractedApp[]> {
  const cache = modelCacheDir(gauge, store.path);
  await mkdir(cache, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'gaugenn-extract-'));
  const out: ExtractedApp[] = [];
  try {
    for (const [i, app] of apps.entries()) {
      if (signal?.aborted) throw new GaugeError('INTERRUPTED', 'Extraction was interrupted; run the command again to continue.');
      let x: ExtractedApp;
      try {
        x = await extractApp(app, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: cache, workDir: work, signal });
      } catch (e) {
        // The walker reports per-entry problems itself; anything that escapes it still must not end the campaign.
        x = emptyApp(app, GaugeError.from(e, 'ARCHIVE_CORRUPT', { subject: app.files[0] }));
      }
      await gauge.hooks.extract.promise(x);
      store.saveApp(x);
      out.push(x);
      onApp?.(x, i);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return out;
}

function emptyApp(app: AppRef, err: GaugeError): ExtractedApp {
  return {
    app, meta: {}, models: [], frameworks: [], nativeLibs: [], codeFindings: [], cloudApis: [], suspectedEncrypted: [],
    errors: [err.toJSON()], stats: { entries: 0, bytesRead: 0, archives: 0 },
  };
}

/** The JSON contract of `gaugenn extract --json`: one object per app. */
export function extractedAppJSON(x: ExtractedApp) {
  return {
    file: x.app.files[0] ?? x.app.id,
    package: x.meta.package ?? x.app.package ?? null,
    versionCode: x.meta.versionCode ?? null,
    versionName: x.meta.versionName ?? null,
    minSdk: x.meta.minSdk ?? null,
    targetSdk: x.meta.targetSdk ?? null,
    models: x.models.map((m) => ({ path: m.path, framework: m.framework, sha256: m.sha256, bytes: m.bytes, ...(m.offset !== undefined ? { offset: m.offset } : {}) })),
    frameworks: x.frameworks,
    nativeLibs: x.nativeLibs,
    codeFindings: x.codeFindings,
    cloudApis: x.cloudApis,
    suspectedEncrypted: x.suspectedEncrypted,
    errors: x.errors,
  };
}
