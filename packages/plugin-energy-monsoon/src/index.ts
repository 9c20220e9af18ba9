/**
 * @gaugenn/plugin-energy-monsoon — Monsoon HVPM/LVPM power monitors as the `monsoon` energy source, and importers
 * for traces recorded before (PowerTool CSV exports, generic `time_s,current_a,voltage_v` CSV).
 *
 * Config: `energy: [{ source: 'monsoon', voltage: 4.2, maxVoltage: 4.4, usbPassthrough: 'off', traceDir: 'traces' }]`.
 */
import { definePlugin, type GaugePlugin } from '@gaugenn/core';
import { findMonitor } from './usb/find-monitor.js';
import { monsoonSource, type MonsoonOptions } from './source/monsoon-source.js';
import type { UsbDeviceLike } from './usb/usb-like.js';

export * from './protocol/constants.js';
export * from './protocol/status.js';
export * from './protocol/packet.js';
export * from './protocol/decoder.js';
export * from './usb/usb-like.js';
export * from './usb/monsoon-usb.js';
export * from './usb/find-monitor.js';
export * from './source/monsoon-source.js';
export * from './simulator/monsoon-simulator.js';
export * from './import/imported-trace.js';
export * from './import/powertool-csv.js';
export * from './import/generic-csv.js';
export * from './import/import-trace.js';

/**
 * The plugin, tapping `gauge.hooks.energy.for(sourceName)`. `openUsb` finds the monitor (node-usb by default); a
 * test passes one that returns a {@link MonsoonSimulator}, under another source name so it is never mistaken for
 * a real monitor.
 */
export function monsoonPlugin(o: { sourceName?: string; openUsb?: (options: MonsoonOptions) => Promise<UsbDeviceLike> } = {}): GaugePlugin {
  const name = o.sourceName ?? 'monsoon';
  return definePlugin({
    name,
    apply(gauge) {
      gauge.hooks.energy.for(name).tapPromise(name, async ({ spec }) => {
        const opts = spec as unknown as MonsoonOptions;
        const usb = await (o.openUsb ?? ((x: MonsoonOptions) => findMonitor(x.serial)))(opts);
        return monsoonSource(usb, opts);
      });
    },
  });
}

export default monsoonPlugin();
