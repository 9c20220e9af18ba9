import type { JSONSchemaType } from 'ajv';
import type { Gauge } from '../gauge.js';

/**
 * A gaugeNN plugin: a plain object, as in Rollup and Vite.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   name: 'my-framework',
 *   configSchema: { type: 'object', properties: { binary: { type: 'string' } } },
 *   apply(gauge, options) {
 *     gauge.addSniffer({ name: 'myfw', sniff: (i) => (i.head[0] === 0x4d ? { framework: 'myfw', kind: 'model' } : undefined) });
 *     gauge.hooks.parse.for('myfw').tapPromise('my-framework', async (artifact) => parseMine(artifact));
 *   },
 * });
 * ```
 */
export interface GaugePlugin<Options = Record<string, unknown>> {
  /** Unique name; its options live in config under `plugins.<name>`. */
  name: string;
  /** JSON Schema for this plugin's options, merged into the config schema under `plugins.<name>`. */
  configSchema?: Record<string, unknown> | JSONSchemaType<Options>;
  /** Frameworks this plugin parses or runs, for `gaugenn plugins` listings. */
  frameworks?: string[];
  /**
   * pip requirement specs its host runners need (e.g. `ai-edge-litert==2.3.0`); `gaugenn setup` installs them
   * into gaugeNN's own venv, and `hostPython()` finds that venv.
   */
  hostRequirements?: string[];
  /** Tap the Gauge's hooks. Called once, after the config is validated. */
  apply(gauge: Gauge, options: Options): void | Promise<void>;
}

/** Identity function that types a plugin object. */
export function definePlugin<Options = Record<string, unknown>>(plugin: GaugePlugin<Options>): GaugePlugin<Options> {
  return plugin;
}
