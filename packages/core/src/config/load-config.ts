import type { ErrorObject } from 'ajv';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { GaugeError } from '../errors/gauge-error.js';
import { defaultConfig } from './defaults.js';
import { coreSchema } from './core-schema.js';
import type { GaugeConfig } from './schema.js';

/** A config file as found on disk, not yet validated. */
export interface RawConfig {
  /** The file it came from, or undefined when none was found (defaults only). */
  filepath?: string;
  config: Record<string, unknown>;
}

const SEARCH_PLACES = [
  'package.json',
  'gaugenn.config.json',
  'gaugenn.config.yaml',
  'gaugenn.config.yml',
  'gaugenn.config.js',
  'gaugenn.config.mjs',
  'gaugenn.config.cjs',
  'gaugenn.config.ts',
];

/** Find (cosmiconfig) or load the given config file. */
export async function findConfig(cwd: string, explicitPath?: string): Promise<RawConfig> {
  // Loaded when a command first needs its config, not at import: start-up (`--help`, `--version`) never pays for it.
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig('gaugenn', { searchPlaces: SEARCH_PLACES, stopDir: cwd });
  try {
    const res = explicitPath ? await explorer.load(resolve(cwd, explicitPath)) : await explorer.search(cwd);
    if (!res || res.isEmpty) return { filepath: res?.filepath, config: {} };
    if (typeof res.config !== 'object' || res.config === null || Array.isArray(res.config)) {
      throw new GaugeError('CONFIG_INVALID', `${res.filepath} must hold an object of settings.`, { subject: res.filepath });
    }
    return { filepath: res.filepath, config: res.config as Record<string, unknown> };
  } catch (e) {
    if (e instanceof GaugeError) throw e;
    throw new GaugeError('CONFIG_LOAD', `Could not load the config${explicitPath ? ` ${explicitPath}` : ''}: ${(e as Error).message}. Fix the file's syntax, or remove it to run on defaults.`, { cause: e });
  }
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** Turn one ajv error into a line that names the JSON path and says how to fix it. */
function describe(err: ErrorObject, schema: Record<string, unknown>): string {
  const path = err.instancePath || '/';
  if (err.keyword === 'additionalProperties') {
    const key = (err.params as { additionalProperty: string }).additionalProperty;
    // Find the allowed keys at that level to suggest the closest one.
    let node: any = schema;
    for (const seg of err.instancePath.split('/').filter(Boolean)) node = node?.properties?.[seg] ?? node?.items;
    const allowed = Object.keys(node?.properties ?? {});
    const best = allowed.map((k) => [k, levenshtein(k, key)] as const).sort((a, b) => a[1] - b[1])[0];
    const hint = best && best[1] <= 3 ? ` Did you mean "${best[0]}"?` : allowed.length ? ` Allowed here: ${allowed.join(', ')}.` : '';
    return `${path === '/' ? '' : path}/${key}: unknown key "${key}".${hint}`;
  }
  return `${path}: ${err.message ?? 'is invalid'}.`;
}

const requireCjs = createRequire(import.meta.url);

/** Validate with ajv, loaded and compiled only here (ajv is CommonJS, so a synchronous require keeps this sync). */
function check(raw: RawConfig, schema: Record<string, unknown>): void {
  const { Ajv } = requireCjs('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  if (!validate(raw.config)) {
    const lines = (validate.errors ?? []).map((e) => `  ${describe(e, schema)}`);
    const where = raw.filepath ?? 'the config';
    throw new GaugeError('CONFIG_INVALID', `Invalid configuration in ${where}:\n${lines.join('\n')}`, { subject: raw.filepath });
  }
}

/**
 * Merge the raw config over the defaults and validate it against core's schema plus every plugin's fragment.
 * Throws CONFIG_INVALID naming every offending JSON path.
 */
export function validateConfig(raw: RawConfig, pluginSchemas: Record<string, Record<string, unknown>>, cwd: string): GaugeConfig {
  const schema = coreSchema(pluginSchemas);
  // No settings at all cannot break a schema whose every key is optional: skip compiling it.
  if (Object.keys(raw.config).length > 0) check(raw, schema);
  const d = defaultConfig();
  const c = raw.config as Partial<GaugeConfig>;
  // Relative paths in a config file are relative to that file, not to wherever the command runs.
  const base = raw.filepath ? dirname(raw.filepath) : cwd;
  const merged: GaugeConfig = {
    ...d,
    ...c,
    bench: { ...d.bench, ...(c.bench ?? {}), hygiene: { ...d.bench.hygiene, ...(c.bench?.hygiene ?? {}) } },
    extract: { ...d.extract, ...(c.extract ?? {}) },
    plugins: { ...(c.plugins ?? {}) },
    use: c.use ?? [],
    sources: c.sources ?? [],
    devices: c.devices ?? d.devices,
  };
  merged.store = resolve(base, merged.store);
  merged.reportDir = resolve(base, merged.reportDir);
  if (merged.modelCache) merged.modelCache = resolve(base, merged.modelCache);
  merged.use = merged.use.map((u) => (u.startsWith('.') ? resolve(base, u) : u));
  merged.sources = merged.sources.map((s) => (typeof s.path === 'string' ? { ...s, path: resolve(base, s.path) } : s));
  return merged;
}
