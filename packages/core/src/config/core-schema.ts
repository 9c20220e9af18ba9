/**
 * JSON Schema of core's config keys. Plugins' `configSchema`s are merged under `plugins.<name>`.
 * `additionalProperties: false` everywhere, so a misspelt key fails with its JSON path.
 */
export function coreSchema(pluginSchemas: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const pluginProps: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(pluginSchemas)) pluginProps[name] = s;
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      store: { type: 'string', minLength: 1, description: 'SQLite results store' },
      reportDir: { type: 'string', minLength: 1 },
      modelCache: { type: 'string', minLength: 1, description: 'where model bytes found in apps are kept, content-addressed' },
      use: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'extra plugins: module names or paths' },
      plugins: { type: 'object', additionalProperties: false, properties: pluginProps },
      sources: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string' },
            snapshot: { type: 'string', minLength: 1, description: 'snapshot every app of this source belongs to (e.g. 2025-06)' },
            category: { type: 'string', minLength: 1, description: 'app category for every app of this source, unless the source names one' },
          },
        },
      },
      devices: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, id: { type: 'string' } } },
      },
      extract: {
        type: 'object',
        additionalProperties: false,
        properties: {
          workers: { type: 'integer', minimum: 1, maximum: 256 },
          searchLibraries: { type: 'boolean' },
        },
      },
      energy: {
        type: 'array',
        description: 'energy sources measured around every job; the first is the primary figure',
        items: {
          type: 'object',
          required: ['source'],
          // Each source validates its own options; these keys are the protocol's.
          properties: {
            source: { type: 'string', minLength: 1, description: 'monsoon, android-battery, hwmon, rapl, nvml, or a plugin\'s source' },
            devices: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'device ids or kinds this source applies to' },
            baselineMs: { type: 'integer', minimum: 0, maximum: 600000, description: 'idle baseline before each job, ms' },
            windows: { type: 'integer', minimum: 1, maximum: 1000, description: 'sub-windows for the spread of energy per inference' },
          },
        },
      },
      bench: {
        type: 'object',
        additionalProperties: false,
        properties: {
          backends: { type: 'array', items: { type: 'string' }, minItems: 1 },
          threads: { type: 'array', items: { type: 'integer', minimum: 1, maximum: 256 }, minItems: 1 },
          warmup: { type: 'integer', minimum: 0, maximum: 10000 },
          runs: { type: 'integer', minimum: 1, maximum: 100000 },
          timeoutMs: { type: 'integer', minimum: 1000 },
          thermalThresholdC: { type: 'number', minimum: 0, maximum: 150 },
          thermalMaxWaitMs: { type: 'integer', minimum: 0 },
          cooldownMs: { type: 'integer', minimum: 0 },
          batteryFloorPct: { type: 'number', minimum: 0, maximum: 100 },
          batteryWaitMs: { type: 'integer', minimum: 0 },
          deviceWaitMs: { type: 'integer', minimum: 0 },
          maxAttempts: { type: 'integer', minimum: 1, maximum: 100 },
          hygiene: {
            type: 'object',
            additionalProperties: false,
            properties: { screenOff: { type: 'boolean' }, stayAwake: { type: 'boolean' }, wifiOff: { type: 'boolean' } },
          },
          pinBigCluster: { type: 'boolean' },
          unplugged: {
            type: 'object',
            additionalProperties: false,
            required: ['powerOff', 'powerOn', 'windowMs'],
            properties: {
              powerOff: { type: 'string', minLength: 1, description: 'host command that cuts USB power (ykushcmd, uhubctl, …)' },
              powerOn: { type: 'string', minLength: 1, description: 'host command that restores USB power' },
              windowMs: { type: 'integer', minimum: 0, description: 'how long power stays off' },
              settleMs: { type: 'integer', minimum: 0, description: 'wait after cutting power before the window counts' },
            },
          },
        },
      },
    },
  };
}
