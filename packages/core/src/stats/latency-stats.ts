/**
 * Latency statistics shared by the report and the bench table, so both print the same numbers.
 *
 * Quantiles use **linear interpolation between closest ranks** (Hyndman & Fan type 7, the default of
 * numpy.percentile, R's quantile and pandas): for sorted x[0..n-1], q(p) = x[h] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋])
 * with h = (n - 1)p. Researchers re-deriving our numbers from samples.csv with numpy get identical values.
 */

/** Summary of one set of latency samples. */
export interface SampleSummary {
  /** Number of finite samples used. */
  n: number;
  median: number;
  /** 10th percentile (lower end of the report's error bars). */
  p10: number;
  p90: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); 0 when n < 2. */
  std: number;
  min: number;
  max: number;
}

/**
 * Quantile `p` ∈ [0, 1] of an ascending-sorted array by linear interpolation (type 7).
 * Returns NaN for an empty array.
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0]!;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Summarise latency samples (ms). Non-finite values (NaN, ±Infinity) are dropped, and `n` counts
 * only what was used. With no usable sample every statistic is NaN and `n` is 0.
 */
export function summarise(samples: readonly number[]): SampleSummary {
  const xs = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) {
    const nan = Number.NaN;
    return { n: 0, median: nan, p10: nan, p90: nan, mean: nan, std: nan, min: nan, max: nan };
  }
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  // Two-pass variance: numerically stable enough for millisecond samples, and simple.
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return {
    n,
    median: quantileSorted(xs, 0.5),
    p10: quantileSorted(xs, 0.1),
    p90: quantileSorted(xs, 0.9),
    mean,
    std,
    min: xs[0]!,
    max: xs[n - 1]!,
  };
}

/** The fields of a job that {@link summariseJob} reads. */
export interface JobSamples {
  samplesMs: readonly number[];
  median?: number;
  p90?: number;
  mean?: number;
  std?: number;
  min?: number;
}

/**
 * Statistics of one job: recomputed from its samples when it has any (so tables, CSVs and figures agree
 * with samples.csv), otherwise the stored summary fields, with what is missing as NaN.
 */
export function summariseJob(job: JobSamples): SampleSummary {
  if (job.samplesMs.length > 0) return summarise(job.samplesMs);
  const v = (x: number | undefined): number => (x === undefined ? Number.NaN : x);
  return {
    n: 0,
    median: v(job.median),
    p10: Number.NaN,
    p90: v(job.p90),
    mean: v(job.mean),
    std: v(job.std),
    min: v(job.min),
    max: Number.NaN,
  };
}
