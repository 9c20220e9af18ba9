/**
 * The statistics of one job in the `bench --json` contract: from its samples when it kept every sample, from the
 * runtime's own aggregates when that is all it printed. Milliseconds; null where unknown, never guessed.
 */
import type { AggregateStats } from '../device/types.js';
import { quantileSorted } from '../stats/latency-stats.js';

export type JobStats = AggregateStats;

const EMPTY: JobStats = { count: 0, mean: null, std: null, min: null, max: null, median: null, p5: null, p95: null };

/** Statistics of samples: quantiles by linear interpolation (numpy's default), std with n − 1. */
export function statsFromSamples(samples: readonly number[]): JobStats {
  const xs = samples.filter(Number.isFinite).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { ...EMPTY };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return {
    count: n,
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: xs[0]!,
    max: xs[n - 1]!,
    median: quantileSorted(xs, 0.5),
    p5: quantileSorted(xs, 0.05),
    p95: quantileSorted(xs, 0.95),
  };
}

/** A job's statistics: samples win; otherwise the stored aggregate; otherwise all null. */
export function jobStats(samples: readonly number[], aggregate?: AggregateStats): JobStats {
  if (samples.length) return statsFromSamples(samples);
  return aggregate ? { ...EMPTY, ...aggregate } : { ...EMPTY };
}
