/**
 * The extraction worker thread: rebuilds the Gauge from its recipe (plugins cannot be sent, only named), then
 * extracts the apps the pool sends, one at a time, and posts each ExtractedApp back. It never touches the store:
 * the main thread is the single writer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GaugeError, type GaugeErrorJSON } from '../errors/gauge-error.js';
import { gaugeFromRecipe, type GaugeRecipe } from './gauge-recipe.js';
import type { AppRef, ExtractedApp } from './types.js';
import { extractApp, type ExtractOptions } from './walker.js';

/** What the pool hands a worker at start. */
export interface WorkerInit {
  recipe: GaugeRecipe;
  options: Omit<ExtractOptions, 'sniffers' | 'scanners' | 'signal'>;
}

/** Messages pool → worker. */
export type ToWorker = { type: 'app'; index: number; app: AppRef } | { type: 'abort' };
/** Messages worker → pool. */
export type FromWorker =
  | { type: 'ready'; maxRss: number }
  | { type: 'done'; index: number; app: ExtractedApp; maxRss: number }
  | { type: 'failed'; index: number; error: GaugeErrorJSON; maxRss: number }
  | { type: 'fatal'; error: GaugeErrorJSON };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const init = workerData as WorkerInit;
  const abort = new AbortController();
  let gauge;
  try {
    gauge = await gaugeFromRecipe(init.recipe);
  } catch (e) {
    port.postMessage({ type: 'fatal', error: GaugeError.from(e, 'PLUGIN_LOAD', { hook: 'extract' }).toJSON() } satisfies FromWorker);
    return;
  }
  const rss = () => process.resourceUsage().maxRSS * 1024;
  const g = gauge;
  let queue = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'abort') {
      abort.abort(new Error('aborted by the pool'));
      return;
    }
    // One app at a time per worker: the pool sends the next only after a reply, but keep order regardless.
    queue = queue.then(async () => {
      try {
        const x = await extractApp(msg.app, { ...init.options, sniffers: g.sniffers, scanners: g.scanners, signal: abort.signal });
        port.postMessage({ type: 'done', index: msg.index, app: x, maxRss: rss() } satisfies FromWorker);
      } catch (e) {
        port.postMessage({ type: 'failed', index: msg.index, error: GaugeError.from(e, 'ARCHIVE_CORRUPT', { hook: 'extract', subject: msg.app.files[0] }).toJSON(), maxRss: rss() } satisfies FromWorker);
      }
    });
  });
  port.postMessage({ type: 'ready', maxRss: rss() } satisfies FromWorker);
}

void main();
