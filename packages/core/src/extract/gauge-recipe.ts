/**
 * How to build a Gauge again somewhere else (a worker thread): plugins named by module, not passed as objects,
 * because functions do not cross thread boundaries. Everything here is plain data.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGauge } from '../gauge-factory.js';
import type { Gauge } from '../gauge.js';
import { GaugeError } from '../errors/gauge-error.js';
import type { GaugePlugin } from '../plugin/types.js';

/** A serialisable recipe for {@link createGauge}. */
export interface GaugeRecipe {
  /**
   * The program's bundled plugins as module specifiers: `file:` URLs (best: `import.meta.resolve('@gaugenn/plugin-tflite')`
   * in the program), absolute paths, or bare package names resolved from core.
   */
  builtins: string[];
  cwd?: string;
  /** The config file, as `--config` gave it. */
  configPath?: string;
  /** Roots of installed plugin packages, as for {@link createGauge}. */
  pluginRoots?: string[];
  /** Worker threads for extraction (default: `os.availableParallelism()`). */
  workers?: number;
}

const recipes = new WeakMap<Gauge, GaugeRecipe>();

/** Remember how `gauge` was built, so extraction can rebuild it in worker threads. */
export function setGaugeRecipe(gauge: Gauge, recipe: GaugeRecipe): void {
  recipes.set(gauge, recipe);
}

/** The recipe {@link setGaugeRecipe} stored for `gauge`, if any. */
export function gaugeRecipe(gauge: Gauge): GaugeRecipe | undefined {
  return recipes.get(gauge);
}

/** Import one plugin module named by a recipe. */
async function importPlugin(spec: string): Promise<GaugePlugin<any>> {
  const url = isAbsolute(spec) ? pathToFileURL(spec).href : spec;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    throw new GaugeError('PLUGIN_LOAD', `Plugin module "${spec}" could not be loaded in an extraction worker: ${(e as Error).message}. Name bundled plugins by resolvable module URLs.`, { subject: spec, cause: e });
  }
  const p = (mod.default ?? mod) as GaugePlugin<any>;
  if (!p || typeof p.name !== 'string' || typeof p.apply !== 'function') {
    throw new GaugeError('PLUGIN_INVALID', `${spec} does not export a gaugeNN plugin as its default export.`, { subject: spec });
  }
  return p;
}

/** Build a Gauge from a recipe (in a worker thread). */
export async function gaugeFromRecipe(r: GaugeRecipe): Promise<Gauge> {
  const builtins = [];
  for (const b of r.builtins) builtins.push(await importPlugin(b));
  const g = await createGauge({ cwd: r.cwd, configPath: r.configPath, builtins, pluginRoots: r.pluginRoots });
  setGaugeRecipe(g, r);
  return g;
}
