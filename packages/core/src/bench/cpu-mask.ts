import type { DeviceInfo } from '../device/types.js';

/**
 * The `taskset` mask (hex) of the device's big cluster: the cores with the highest max frequency. Undefined when
 * the layout is unknown or every core is alike (pinning would change nothing).
 */
export function bigClusterMask(info: DeviceInfo): string | undefined {
  const clusters = info.cpu.clusters;
  let cores: number[] | undefined;
  if (clusters?.length) {
    if (clusters.length < 2) return undefined;
    cores = [...clusters].sort((a, b) => b.maxFreqMHz - a.maxFreqMHz)[0]!.cores;
  } else if (info.cpu.maxFreqsMHz?.length) {
    const top = Math.max(...info.cpu.maxFreqsMHz);
    cores = info.cpu.maxFreqsMHz.flatMap((f, i) => (f === top ? [i] : []));
    if (cores.length === info.cpu.maxFreqsMHz.length) return undefined;
  }
  if (!cores?.length) return undefined;
  let mask = 0n;
  for (const c of cores) mask |= 1n << BigInt(c);
  return mask.toString(16);
}
