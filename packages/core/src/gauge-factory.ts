import { dirname } from 'node:path';
import { corePlugin } from './builtin/core-plugin.js';
import { findConfig, validateConfig } from './config/load-config.js';
import type { GaugeConfig } from './config/schema.js';
import { GaugeError } from './errors/gauge-error.js';
import { Gauge } from './gauge.js';
import { loadPluginFromPackageRoot, loadPluginModule } from './plugin/load-plugins.js';
import type { GaugePlugin } from './plugin/types.js';

/** How to build a Gauge: where to look for config, and which plugins come with the host program. */
export interface CreateGaugeOptions {
  cwd?: string;
  /** An explicit config file (`--config`); otherwise cosmiconfig searches `cwd`. */
  configPath?: string;
  /** Plugins the program bundles (the CLI passes tflite and android). */
  builtins?: GaugePlugin<any>[];
  /** Roots of installed packages to look at for `"gaugenn": { "plugin": … }` (oclif-installed plugins). */
  pluginRoots?: string[];
  /** Settings that win over the config file (command-line flags). */
  overrides?: Partial<Pick<GaugeConfig, 'store' | 'reportDir'>>;
}

/**
 * Build a Gauge: find the config, load every plugin (core's own, the program's, installed ones, and those
 * named in `use`), validate the config against core's schema plus each plugin's fragment, then apply plugins.
 */
export async function createGauge(o: CreateGaugeOptions = {}): Promise<Gauge> {
  const cwd = o.cwd ?? process.cwd();
  const raw = await findConfig(cwd, o.configPath);
  const plugins: GaugePlugin<any>[] = [corePlugin, ...(o.builtins ?? [])];
  for (const root of o.pluginRoots ?? []) {
    const p = await loadPluginFromPackageRoot(root);
    if (p) plugins.push(p);
  }
  const use = Array.isArray(raw.config.use) ? (raw.config.use as unknown[]).filter((u): u is string => typeof u === 'string') : [];
  const base = raw.filepath ? dirname(raw.filepath) : cwd;
  for (const spec of use) plugins.push(await loadPluginModule(spec, base));

  // One plugin per name: the first wins (bundled before installed), so a stray copy cannot shadow core.
  const byName = new Map<string, GaugePlugin<any>>();
  for (const p of plugins) if (!byName.has(p.name)) byName.set(p.name, p);

  const schemas: Record<string, Record<string, unknown>> = {};
  for (const p of byName.values()) schemas[p.name] = (p.configSchema as Record<string, unknown>) ?? { type: 'object' };
  const config = validateConfig(raw, schemas, cwd);
  if (o.overrides?.store) config.store = o.overrides.store;
  if (o.overrides?.reportDir) config.reportDir = o.overrides.reportDir;

  const gauge = new Gauge(config);
  for (const p of byName.values()) {
    try {
      await p.apply(gauge, (config.plugins[p.name] ?? {}) as never);
    } catch (e) {
      throw GaugeError.from(e, 'PLUGIN_LOAD', { plugin: p.name, hook: 'apply' });
    }
    gauge.plugins.push({ name: p.name, frameworks: p.frameworks ?? [], hostRequirements: p.hostRequirements ?? [] });
  }
  return gauge;
}
