import type { Gauge } from '../gauge.js';
import { hwmonSource } from './sources/hwmon.js';
import { nvmlSource } from './sources/nvml.js';
import { raplSource } from './sources/rapl.js';

/**
 * The energy sources core provides itself, for any device whose transport reaches a Linux kernel (host, ssh boards):
 * `hwmon` power rails, `rapl` powercap counters, `nvml` (through the driver's tool; see sources/nvml.ts).
 * Each spec's own keys are the source's options (`{ source: 'hwmon', rails: ['VDD_IN'] }`).
 */
export function tapCoreEnergySources(gauge: Gauge): void {
  gauge.hooks.energy.for('hwmon').tapPromise('core', async ({ spec, device }) => hwmonSource(device.transport, spec as never));
  gauge.hooks.energy.for('rapl').tapPromise('core', async ({ spec, device }) => raplSource(device.transport, spec as never));
  gauge.hooks.energy.for('nvml').tapPromise('core', async ({ spec, device }) => nvmlSource(device.transport, spec as never));
}
