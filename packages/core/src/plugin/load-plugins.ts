import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GaugeError } from '../errors/gauge-error.js';
import type { GaugePlugin } from './types.js';

function assertPlugin(p: unknown, from: string): GaugePlugin {
  const obj = (p && typeof p === 'object' && 'default' in (p as object) ? (p as { default: unknown }).default : p) as GaugePlugin;
  if (!obj || typeof obj !== 'object' || typeof obj.name !== 'string' || typeof obj.apply !== 'function') {
    throw new GaugeError('PLUGIN_INVALID', `${from} does not export a gaugeNN plugin. Its default export must be definePlugin({ name, apply }).`, { subject: from });
  }
  return obj;
}

/** Import a plugin by module name (resolved from `fromDir`) or by path. */
export async function loadPluginModule(spec: string, fromDir: string): Promise<GaugePlugin> {
  let url: string;
  try {
    if (spec.startsWith('.') || isAbsolute(spec)) url = pathToFileURL(resolve(fromDir, spec)).href;
    else url = pathToFileURL(createRequire(join(fromDir, 'noop.js')).resolve(spec)).href;
  } catch (e) {
    throw new GaugeError('PLUGIN_LOAD', `Cannot find plugin "${spec}". Install it with \`gaugenn plugins install ${spec}\` or fix the path in \`use\`.`, { subject: spec, cause: e });
  }
  try {
    return assertPlugin(await import(url), spec);
  } catch (e) {
    if (e instanceof GaugeError) throw e;
    throw new GaugeError('PLUGIN_LOAD', `Plugin "${spec}" failed to load: ${(e as Error).message}`, { subject: spec, cause: e });
  }
}

/**
 * Load the gaugeNN plugin of an installed package, if its package.json names one
 * (`"gaugenn": { "plugin": "./dist/index.js" }`). Packages without that key are not gaugeNN plugins.
 */
export async function loadPluginFromPackageRoot(root: string): Promise<GaugePlugin | undefined> {
  let pjson: { name?: string; gaugenn?: { plugin?: string } };
  try {
    pjson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const entry = pjson.gaugenn?.plugin;
  if (!entry) return undefined;
  return loadPluginModule(resolve(root, entry), root);
}
