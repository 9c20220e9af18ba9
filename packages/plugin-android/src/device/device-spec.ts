/**
 * The JSON schemas of the plugin's device specs. Core accepts any keys on `devices` items (a kind belongs to its
 * plugin), so each spec is validated here and a bad one is CONFIG_INVALID naming the key.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { GaugeError, type DeviceSpec } from '@gaugenn/core';

const ADDRESS = '^[^\\s:]+:[0-9]{1,5}$';

const thermalZones = { type: 'array', items: { type: 'string', minLength: 1 }, description: 'thermal zones the gate watches, by sysfs name or type (* globs)' };

/** `{ kind: 'adb', serial?, server?, thermalZones? }` (`id` is taken as the serial, as `--device adb:SERIAL` gives). */
export const adbSpecSchema = {
  type: 'object',
  required: ['kind'],
  properties: {
    kind: { const: 'adb' },
    serial: { type: 'string', minLength: 1 },
    id: { type: 'string', minLength: 1 },
    server: { type: 'string', pattern: ADDRESS },
    thermalZones,
  },
  additionalProperties: false,
} as const;

/** `{ kind: 'stf', url, token?, serials?, server?, timeoutMs?, thermalZones? }` (token default: $STF_TOKEN). */
export const stfSpecSchema = {
  type: 'object',
  required: ['kind', 'url'],
  properties: {
    kind: { const: 'stf' },
    url: { type: 'string', pattern: '^https?://' },
    token: { type: 'string', minLength: 1 },
    serials: { type: 'array', items: { type: 'string', minLength: 1 } },
    server: { type: 'string', pattern: ADDRESS },
    timeoutMs: { type: 'integer', minimum: 1 },
    thermalZones,
  },
  additionalProperties: false,
} as const;

export interface AdbSpec {
  kind: 'adb';
  serial?: string;
  id?: string;
  server?: string;
  thermalZones?: string[];
}

export interface StfSpec {
  kind: 'stf';
  url: string;
  token?: string;
  serials?: string[];
  server?: string;
  timeoutMs?: number;
  thermalZones?: string[];
}

const ajv = new Ajv({ allErrors: true, strict: false });
// Compiled untyped: ajv's type guard would narrow a failed spec to `never`.
const validators = { adb: ajv.compile<unknown>(adbSpecSchema), stf: ajv.compile<unknown>(stfSpecSchema) };

function line(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`;
}

/** Validate a spec of one of this plugin's kinds; throws CONFIG_INVALID that names the spec and every fault. */
export function checkSpec<K extends 'adb' | 'stf'>(kind: K, spec: DeviceSpec): K extends 'adb' ? AdbSpec : StfSpec {
  const v = validators[kind];
  if (!v(spec as unknown)) {
    const shown = JSON.stringify({ ...spec, ...(typeof spec.token === 'string' ? { token: '…' } : {}) });
    const allowed = Object.keys((kind === 'adb' ? adbSpecSchema : stfSpecSchema).properties).join(', ');
    throw new GaugeError('CONFIG_INVALID', `Invalid ${kind} device spec ${shown}: ${(v.errors ?? []).map(line).join('; ')}. Keys of an ${kind} device: ${allowed}.`, { plugin: 'android', hook: `device:${kind}` });
  }
  return spec as never;
}
