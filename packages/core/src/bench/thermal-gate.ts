import type { Device } from '../device/types.js';
import { sleep } from './sleep.js';

/** What the thermal gate saw before a job. */
export interface ThermalReading {
  /** Temperature when the job was allowed to start (°C), undefined if the device exposes none. */
  tempC?: number;
  waitedMs: number;
  /** True when the device stayed above the threshold for the whole wait and the job ran anyway. */
  gaveUp: boolean;
}


/**
 * Wait until the device is cooler than `thresholdC` (DESIGN.md measurement protocol), polling every `pollMs`.
 * A device that never cools within `maxWaitMs` is measured anyway and the reading says so, rather than
 * stalling a campaign forever.
 */
export async function thermalGate(device: Device, thresholdC: number, maxWaitMs: number, signal?: AbortSignal, pollMs = Math.min(2000, Math.max(100, maxWaitMs / 10))): Promise<ThermalReading> {
  const start = Date.now();
  let t = await device.temperature();
  while (t !== undefined && t > thresholdC) {
    if (Date.now() - start >= maxWaitMs) return { tempC: t, waitedMs: Date.now() - start, gaveUp: true };
    await sleep(pollMs, signal);
    t = await device.temperature();
  }
  return { tempC: t, waitedMs: Date.now() - start, gaveUp: false };
}
