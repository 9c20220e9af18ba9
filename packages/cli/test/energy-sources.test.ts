import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gaugenn } from './cli.js';

describe('gaugenn energy sources', () => {
  it('on this machine: RAPL, NVML and a Monsoon are not available, each saying why; latency-only devices are unaffected', async () => {
    const r = await gaugenn(['energy', 'sources', '--source', 'rapl', '--source', 'nvml', '--source', 'monsoon', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const { sources } = JSON.parse(r.stdout);
    const by = Object.fromEntries(sources.map((s: { source: string }) => [s.source, s]));
    const hasPowercap = existsSync('/sys/class/powercap');
    const hasNvidia = existsSync('/proc/driver/nvidia/version');
    if (!hasPowercap) {
      expect(by.rapl).toMatchObject({ device: 'host', available: false, error: { code: 'ENERGY_SOURCE_UNAVAILABLE' } });
      expect(by.rapl.error.message).toMatch(/^RAPL not available: no powercap: \/sys\/class\/powercap does not exist/);
    }
    if (!hasNvidia) {
      expect(by.nvml).toMatchObject({ available: false, error: { code: 'ENERGY_SOURCE_UNAVAILABLE' } });
      expect(by.nvml.error.message).toMatch(/^NVML not available: no NVIDIA driver/);
    }
    expect(by.monsoon.available).toBe(false);
    expect(by.monsoon.error.message).toMatch(/No Monsoon power monitor found.*Check: the monitor is switched on/);
  });
});
