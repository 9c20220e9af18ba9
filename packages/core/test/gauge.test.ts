import { describe, expect, it } from 'vitest';
import { Gauge } from '../src/gauge.js';
import { defaultConfig } from '../src/config/defaults.js';
import { GaugeError } from '../src/errors/gauge-error.js';

describe('Gauge hooks', () => {
  it('dispatches keyed stages by lookup and wraps a plugin’s throw with its name and the hook', async () => {
    const g = new Gauge(defaultConfig());
    g.hooks.parse.for('toyfw').tapPromise('toy-plugin', async () => {
      throw new Error('bad magic');
    });
    const err = await g.parse({ framework: 'toyfw', files: [{ path: '/x', sha256: 'a', bytes: 1 }] }).catch((e) => e);
    expect(err).toBeInstanceOf(GaugeError);
    expect(err.code).toBe('PLUGIN_HOOK');
    expect(err.plugin).toBe('toy-plugin');
    expect(err.hook).toBe('parse:toyfw');
    expect(err.message).toBe('bad magic');
  });

  it('keeps a GaugeError’s own code when a plugin throws one', async () => {
    const g = new Gauge(defaultConfig());
    g.hooks.parse.for('toyfw').tapPromise('toy-plugin', async () => {
      throw new GaugeError('MODEL_MALFORMED', 'truncated');
    });
    const err = await g.parse({ framework: 'toyfw', files: [] }).catch((e) => e);
    expect(err.code).toBe('MODEL_MALFORMED');
    expect(err.plugin).toBe('toy-plugin');
  });

  it('says no plugin handles a framework instead of failing obscurely', async () => {
    const g = new Gauge(defaultConfig());
    const err = await g.parse({ framework: 'onnx', files: [] }).catch((e) => e);
    expect(err.code).toBe('NO_HANDLER');
    expect(err.message).toContain('onnx');
  });
});
