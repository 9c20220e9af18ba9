/**
 * Extracting many apps across worker threads. Each worker rebuilds the Gauge from its recipe and extracts one app
 * at a time; the pool hands out apps as workers free up and delivers results strictly in input order (the store
 * sees the same sequence as a sequential run), so a run is deterministic whatever the timing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GaugeError, type GaugeErrorJSON } from '../errors/gauge-error.js';
import type { FromWorker, ToWorker, WorkerInit } from './extract-worker.js';
import type { GaugeRecipe } from './gauge-recipe.js';
import type { AppRef, ExtractedApp } from './types.js';
import type { ExtractOptions } from './walker.js';

/** Options of {@link extractInWorkers}. */
export interface WorkerPoolOptions {
  /** Threads to start (at most one per app). */
  workers: number;
  /** How each worker rebuilds the Gauge. */
  recipe: GaugeRecipe;
  /** Walker options (cache and work dirs, limits, locate) shared by all workers. */
  options: Omit<ExtractOptions, 'sniffers' | 'scanners' | 'signal'>;
  signal?: AbortSignal;
  /**
   * Extract in the calling thread too, from the same queue: it starts at once while the threads load their
   * plugins (~0.2 s each), so a short run pays no start-up and a long one gains every thread. With it,
   * `workers` counts the calling thread, and `workers - 1` threads are started.
   */
  inline?: (app: AppRef) => Promise<ExtractedApp>;
}

/** What the pool saw, for the record (benchmarks print it). */
export interface WorkerPoolStats {
  /** Largest peak resident set size any thread reported, in bytes (the process's, as threads share it). */
  maxRss: number;
}

/** With an inline extractor, threads start after this long (about what one takes to load its plugins). */
const THREAD_START_DELAY_MS = 250;

/** The compiled worker script; under a TypeScript test runner the sources have no .js, so use the build's. */
function workerUrl(): URL {
  const here = new URL('./extract-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(/([\\/])src([\\/]extract[\\/])/, '$1dist$2');
  if (existsSync(built)) return pathToFileURL(built);
  throw new GaugeError('NO_HANDLER', `The extraction worker script is missing (${fileURLToPath(here)}); build core with \`npx tsc -b packages/core\`.`, { hook: 'extract' });
}

/**
 * Extract `apps` in worker threads; `onResult` is called once per app, in input order, and awaited before the
 * next (it may write to the store). An app whose worker dies gets an app record holding that error; the others go on.
 * @throws GaugeError `INTERRUPTED` when `signal` aborts; PLUGIN_LOAD when a worker cannot rebuild the Gauge.
 */
export async function extractInWorkers(
  apps: AppRef[],
  o: WorkerPoolOptions,
  onResult: (x: ExtractedApp, index: number) => Promise<void> | void,
): Promise<WorkerPoolStats> {
  const stats: WorkerPoolStats = { maxRss: process.resourceUsage().maxRSS * 1024 };
  if (apps.length === 0) return stats;
  const url = workerUrl();
  const n = Math.max(o.inline ? 0 : 1, Math.min(o.workers - (o.inline ? 1 : 0), apps.length));
  const done = new Map<number, ExtractedApp>();
  let nextToSend = 0;
  let nextToEmit = 0;
  let emitting = Promise.resolve();
  let failure: unknown;
  const workers: Worker[] = [];

  return new Promise<WorkerPoolStats>((resolveAll, rejectAll) => {
    let settled = false;
    const finish = (e?: unknown) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      const stop = Promise.all(workers.map((w) => w.terminate()));
      void stop.then(() => (e ? rejectAll(e) : resolveAll(stats)));
    };
    const onAbort = () => {
      for (const w of workers) w.postMessage({ type: 'abort' } satisfies ToWorker);
      failure ??= new GaugeError('INTERRUPTED', 'Extraction was interrupted; run the command again to continue.', { hook: 'extract' });
      // Give the walkers a moment to stop at an entry boundary and clean their temp files, then stop the threads.
      setTimeout(() => finish(failure), 2000).unref();
    };
    o.signal?.addEventListener('abort', onAbort);

    const emit = () => {
      emitting = emitting.then(async () => {
        while (!settled && done.has(nextToEmit)) {
          const x = done.get(nextToEmit)!;
          done.delete(nextToEmit);
          await onResult(x, nextToEmit);
          nextToEmit++;
        }
        if (nextToEmit === apps.length) finish(failure);
      }).catch((e) => {
        failure ??= e;
        finish(failure);
      });
    };
    const feed = (w: Worker) => {
      if (failure || nextToSend >= apps.length) return;
      const index = nextToSend++;
      (w as Worker & { current?: number }).current = index;
      w.postMessage({ type: 'app', index, app: apps[index]! } satisfies ToWorker);
    };
    const start = () => {
      const w = new Worker(url, { workerData: { recipe: o.recipe, options: o.options } satisfies WorkerInit });
      workers.push(w);
      w.on('message', (m: FromWorker) => {
        if ('maxRss' in m) stats.maxRss = Math.max(stats.maxRss, m.maxRss);
        if (m.type === 'ready') feed(w);
        else if (m.type === 'fatal') {
          failure ??= new GaugeError(m.error.code, m.error.message, { plugin: m.error.plugin, hook: m.error.hook, subject: m.error.subject });
          finish(failure);
        } else {
          const x = m.type === 'done' ? m.app : emptyApp(apps[m.index]!, m.error);
          if (m.type === 'failed' && m.error.code === 'INTERRUPTED') failure ??= new GaugeError('INTERRUPTED', m.error.message, { hook: 'extract' });
          (w as Worker & { current?: number }).current = undefined;
          done.set(m.index, x);
          emit();
          feed(w);
        }
      });
      w.on('error', (e) => {
        // A thread that dies (out of memory, a native crash) fails only its app; a fresh thread takes its place.
        const cur = (w as Worker & { current?: number }).current;
        workers.splice(workers.indexOf(w), 1);
        if (cur !== undefined) {
          done.set(cur, emptyApp(apps[cur]!, GaugeError.from(e, 'ARCHIVE_CORRUPT', { hook: 'extract', subject: apps[cur]!.files[0] }).toJSON()));
          emit();
        }
        if (!settled && !failure && nextToSend < apps.length) start();
        else if (workers.length === 0) finish(failure);
      });
    };
    if (o.inline) {
      // Threads join only if the run outlasts their start-up: a short run never pays for loading plugins twice.
      const t = setTimeout(() => {
        for (let i = 0; i < n && !settled && nextToSend < apps.length; i++) start();
      }, THREAD_START_DELAY_MS);
      t.unref();
    } else {
      for (let i = 0; i < n; i++) start();
    }
    if (o.inline) {
      const inline = o.inline;
      void (async () => {
        while (!settled && !failure && nextToSend < apps.length) {
          const index = nextToSend++;
          let x: ExtractedApp;
          try {
            x = await inline(apps[index]!);
          } catch (e) {
            if (e instanceof GaugeError && e.code === 'INTERRUPTED') {
              failure ??= e;
              finish(failure);
              return;
            }
            x = emptyApp(apps[index]!, GaugeError.from(e, 'ARCHIVE_CORRUPT', { hook: 'extract', subject: apps[index]!.files[0] }).toJSON());
          }
          done.set(index, x);
          emit();
        }
      })();
    }
  });
}

/** The record of an app whose extraction failed as a whole. */
export function emptyApp(app: AppRef, err: GaugeErrorJSON): ExtractedApp {
  return {
    app, meta: {}, models: [], frameworks: [], nativeLibs: [], codeFindings: [], cloudApis: [], suspectedEncrypted: [],
    errors: [err], stats: { entries: 0, bytesRead: 0, archives: 0 },
  };
}
