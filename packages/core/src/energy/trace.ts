import type { PowerTrace } from './types.js';

/** The host clock the protocol and every source share: ms since the epoch, monotonic within a process. */
export function hostNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Seconds from the trace origin of sample i. */
export function sampleTimeS(t: PowerTrace, i: number): number {
  return t.tS ? t.tS[i]! : i / t.rateHz;
}

/** Build a trace from host-clock sample times (ms) and powers; regular spacing is not assumed. */
export function traceFromSamples(timesMs: ArrayLike<number>, powerW: ArrayLike<number>): PowerTrace {
  const n = timesMs.length;
  const t0Ms = n ? timesMs[0]! : hostNowMs();
  const tS = new Float32Array(n);
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    tS[i] = (timesMs[i]! - t0Ms) / 1000;
    p[i] = powerW[i]!;
  }
  const span = n > 1 ? tS[n - 1]! : 0;
  return { t0Ms, rateHz: span > 0 ? (n - 1) / span : 0, powerW: p, tS };
}

/** First index whose time is ≥ s (binary search; times are non-decreasing). */
function lowerBound(t: PowerTrace, s: number): number {
  let lo = 0;
  let hi = t.powerW.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sampleTimeS(t, mid) < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Power at time s (seconds from the origin), linearly interpolated; held flat beyond the ends. */
function powerAt(t: PowerTrace, s: number): number {
  const n = t.powerW.length;
  const i = lowerBound(t, s);
  if (i <= 0) return t.powerW[0]!;
  if (i >= n) return t.powerW[n - 1]!;
  const t1 = sampleTimeS(t, i);
  const t0 = sampleTimeS(t, i - 1);
  if (t1 === t0) return t.powerW[i]!;
  const f = (s - t0) / (t1 - t0);
  return t.powerW[i - 1]! + f * (t.powerW[i]! - t.powerW[i - 1]!);
}

/**
 * Energy in J between two times in seconds from the origin: the trapezoid rule over the samples, with the ends
 * interpolated, so a window that falls between two slow samples (a fuel gauge) still gets its share.
 */
export function energyBetweenS(t: PowerTrace, fromS: number, toS: number): number {
  const n = t.powerW.length;
  if (n === 0 || !(toS > fromS)) return 0;
  if (n === 1) return t.powerW[0]! * (toS - fromS);
  if (t.stepwise) return stepEnergy(t, fromS, toS);
  let e = 0;
  let prevS = fromS;
  let prevP = powerAt(t, fromS);
  for (let i = lowerBound(t, fromS); i < n; i++) {
    const s = sampleTimeS(t, i);
    if (s >= toS) break;
    if (s > prevS) {
      const p = t.powerW[i]!;
      e += 0.5 * (prevP + p) * (s - prevS);
      prevS = s;
      prevP = p;
    }
  }
  e += 0.5 * (prevP + powerAt(t, toS)) * (toS - prevS);
  return e;
}

/** Step-function integral: sample i holds until sample i + 1 (the last for one mean interval). */
function stepEnergy(t: PowerTrace, fromS: number, toS: number): number {
  const n = t.powerW.length;
  const lastDt = (sampleTimeS(t, n - 1) - sampleTimeS(t, 0)) / (n - 1);
  let e = 0;
  for (let i = Math.max(0, lowerBound(t, fromS) - 1); i < n; i++) {
    const a = sampleTimeS(t, i);
    if (a >= toS) break;
    const b = i + 1 < n ? sampleTimeS(t, i + 1) : a + lastDt;
    const lo = Math.max(a, fromS);
    const hi = Math.min(b, toS);
    if (hi > lo) e += t.powerW[i]! * (hi - lo);
  }
  return e;
}

/** Energy between two host-clock instants (ms since the epoch). */
export function energyBetweenMs(t: PowerTrace, fromMs: number, toMs: number): number {
  return energyBetweenS(t, (fromMs - t.t0Ms) / 1000, (toMs - t.t0Ms) / 1000);
}

/** Samples whose time lies in [fromMs, toMs]. */
export function samplesBetweenMs(t: PowerTrace, fromMs: number, toMs: number): number {
  return lowerBound(t, (toMs - t.t0Ms) / 1000 + 1e-9) - lowerBound(t, (fromMs - t.t0Ms) / 1000);
}

/** Duration of a trace in seconds (first to last sample; a regular trace counts its last sample period too). */
export function traceDurationS(t: PowerTrace): number {
  const n = t.powerW.length;
  if (n === 0) return 0;
  return t.tS ? t.tS[n - 1]! - t.tS[0]! : n / t.rateHz;
}

/** Store form of a float32 array: its little-endian bytes (a Buffer over the same memory). */
export function float32Blob(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Inverse of {@link float32Blob}; copies, so the result is aligned whatever the Buffer's offset. */
export function blobFloat32(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b.subarray(0, out.length * 4));
  return out;
}
