import type { Gauge } from '@gaugenn/core';
import { androidBatterySource, type AndroidBatteryOptions } from './android-battery-source.js';

/** Device kinds whose transport is an Android shell (this plugin's adb devices and STF-reserved ones). */
const ANDROID_KINDS = new Set(['adb', 'stf']);

/** Tap `gauge.hooks.energy.for('android-battery')`: the fuel gauge of Android devices; other devices are declined. */
export function registerAndroidEnergy(gauge: Gauge): void {
  gauge.hooks.energy.for('android-battery').tapPromise('android', async ({ spec, device }) => {
    if (!ANDROID_KINDS.has(device.kind)) return undefined;
    return androidBatterySource(device.transport, spec as unknown as AndroidBatteryOptions);
  });
}
