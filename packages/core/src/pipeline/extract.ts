import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaugeError } from '../errors/gauge-error.js';
import type { ArchiveLimits } from '../archive/limits.js';
import { gaugeRecipe, type GaugeRecipe } from '../extract/gauge-recipe.js';
import type { LocateOptions } from '../extract/locate-window.js';
import type { AppRef, ExtractedApp } from '../extract/types.js';
import { extractApp } from '../extract/walker.js';
import { emptyApp, extractInWorkers } from '../extract/worker-pool.js';
import type { Gauge } from '../gauge.js';
import type { Store } from '../store/store.js';
import { appFingerprint, reusableExtraction } from '../store/queries/extraction-reuse.js';

export { setGaugeRecipe, gaugeRecipe, gaugeFromRecipe, type GaugeRecipe } from '../extract/gauge-recipe.js';
export { extractInWorkers, type WorkerPoolOptions, type WorkerPoolStats } from '../extract/worker-pool.js';

/** Where model bytes found in apps are kept: beside the store unless the config says otherwise. */
export function modelCacheDir(gauge: Gauge, storePath: string): string {
  return gauge.config.modelCache ?? join(storePath + '.models');
}

/** Options of {@link extractApps}. */
export interface ExtractAppsOptions {
  /**
   * Worker threads. Default: the recipe's `workers`, else `os.availableParallelism()`, when the Gauge has a recipe
   * ({@link setGaugeRecipe}); 1 (this thread) when it has none, since plugins passed as objects cannot be rebuilt
   * in a worker.
   */
  workers?: number;
  /** How workers rebuild the Gauge; default the one {@link setGaugeRecipe} stored. */
  recipe?: GaugeRecipe;
  limits?: Partial<ArchiveLimits>;
  locate?: Partial<LocateOptions>;
  /** Called with the pool's figures when workers were used. */
  onPoolStats?: (s: { maxRss: number; workers: number }) => void;
  /** Re-walk package files even when the same unchanged file was extracted for another snapshot. Default false. */
  noReuse?: boolean;
}

/**
 * Extract apps and record each in the store as soon as it is done, in input order, so an interrupted run keeps
 * what it finished and two runs store the same sequence. Apps are walked in worker threads when the Gauge can be
 * rebuilt there (see {@link ExtractAppsOptions.workers}); the store is written from this thread only. A broken app
 * becomes an app row with its errors; it never stops the others.
 */
export async function extractApps(
  gauge: Gauge,
  store: Store,
  apps: AppRef[],
  onApp?: (x: ExtractedApp, i: number) => void,
  signal?: AbortSignal,
  options: ExtractAppsOptions = {},
): Promise<ExtractedApp[]> {
  const cache = modelCacheDir(gauge, store.path);
  await mkdir(cache, { recursive: true });
  const out: ExtractedApp[] = [];
  // A package file already extracted for another snapshot, unchanged since, is recorded as an app of this
  // snapshot from the stored extraction (membership is per snapshot; the walk is not repeated). These are
  // recorded first, then the apps that need a walk, each group in input order.
  if (!options.noReuse) {
    const rest: AppRef[] = [];
    for (const app of apps) {
      const fp = appFingerprint(app);
      const x = app.snapshot ? reusableExtraction(store, app, fp) : undefined;
      if (!x) { rest.push(app); continue; }
      store.saveApp(x, fp);
      out.push(x);
      onApp?.(x, out.length - 1);
    }
    if (rest.length < apps.length) {
      const offset = out.length;
      const more = await extractApps(gauge, store, rest, onApp && ((x, i) => onApp(x, i + offset)), signal, { ...options, noReuse: true });
      return [...out, ...more];
    }
  }
  const work = await mkdtemp(join(tmpdir(), 'gaugenn-extract-'));
  const recipe = options.recipe ?? gaugeRecipe(gauge);
  const locate = { searchLibraries: gauge.config.extract?.searchLibraries ?? false, ...options.locate };
  const workers = Math.min(apps.length, options.workers ?? gauge.config.extract?.workers ?? (recipe ? (recipe.workers ?? availableParallelism()) : 1));
  const record = async (x: ExtractedApp, i: number) => {
    try {
      await gauge.hooks.extract.promise(x);
    } catch (e) {
      // A plugin observing apps must not stop the campaign: its error (naming the plugin) is kept with the app.
      if (e instanceof GaugeError && e.code === 'INTERRUPTED') throw e;
      const err = GaugeError.from(e, 'PLUGIN_HOOK', { hook: 'extract', subject: x.app.files[0] });
      x.errors.push(err.toJSON());
      gauge.log('warn', `${err.plugin ? `plugin ${err.plugin}` : 'a plugin'} failed on ${x.app.files[0] ?? x.app.id} (hook extract): ${err.message}`);
    }
    store.saveApp(x, appFingerprint(x.app));
    out.push(x);
    onApp?.(x, i);
  };
  try {
    if (workers > 1 && recipe) {
      const inline = (app: AppRef) => extractApp(app, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: cache, workDir: work, signal, limits: options.limits, locate });
      const s = await extractInWorkers(apps, { workers, recipe, options: { modelCacheDir: cache, workDir: work, limits: options.limits, locate }, signal, inline }, record);
      options.onPoolStats?.({ maxRss: s.maxRss, workers });
      return out;
    }
    for (const [i, app] of apps.entries()) {
      if (signal?.aborted) throw new GaugeError('INTERRUPTED', 'Extraction was interrupted; run the command again to continue.');
      let x: ExtractedApp;
      try {
        x = await extractApp(app, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: cache, workDir: work, signal, limits: options.limits, locate });
      } catch (e) {
        // The walker reports per-entry problems itself; anything that escapes it still must not end the campaign.
        if (e instanceof GaugeError && e.code === 'INTERRUPTED') throw e;
        x = emptyApp(app, GaugeError.from(e, 'ARCHIVE_CORRUPT', { subject: app.files[0] }).toJSON());
      }
      await record(x, i);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return out;
}

/** The JSON contract of `gaugenn extract --json`: one object per app. */
export function extractedAppJSON(x: ExtractedApp) {
  return {
    file: x.app.files[0] ?? x.app.id,
    snapshot: x.app.snapshot ?? null,
    category: x.app.category ?? null,
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
