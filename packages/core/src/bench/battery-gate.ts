import type { Device } from '../device/types.js';
import { sleep } from './sleep.js';

/** What the battery floor saw before a job. */
export interface BatteryReading {
  ok: boolean;
  levelPct: number | null;
  waitedMs: number;
}

/**
 * Wait while the device's battery is under `floorPct` (a phone that drains mid-campaign throttles and then shuts
 * down), polling every `pollMs`. Devices without a battery reading pass at once.
 */
export async function batteryGate(device: Device, floorPct: number, maxWaitMs: number, signal?: AbortSignal, pollMs = Math.min(5000, Math.max(200, maxWaitMs / 20))): Promise<BatteryReading> {
  const start = Date.now();
  let level = (await device.battery?.())?.levelPct ?? null;
  while (level !== null && level < floorPct) {
    if (Date.now() - start >= maxWaitMs) return { ok: false, levelPct: level, waitedMs: Date.now() - start };
    await sleep(pollMs, signal);
    level = (await device.battery?.())?.levelPct ?? null;
  }
  return { ok: true, levelPct: level, waitedMs: Date.now() - start };
}
