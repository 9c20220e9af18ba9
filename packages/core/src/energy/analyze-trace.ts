import { energyBetweenS, sampleTimeS } from './trace.js';
import type { PowerTrace } from './types.js';

/** Windows of a recorded trace to attribute, in seconds on the trace's own clock (`t0Ms / 1000 + offset`). */
export interface TraceWindows {
  from?: number;
  to?: number;
  baselineFrom?: number;
  baselineTo?: number;
  inferences?: number;
}

/** What `gaugenn energy analyze --json` prints; null where the flags leave a figure undefined. */
export interface TraceAnalysis {
  durationS: number;
  energyJ: number;
  avgPowerW: number;
  baselineW: number | null;
  netEnergyJ: number | null;
  energyPerInferenceJ: number | null;
}

/**
 * Attribute a recorded trace: energy over [from, to] (default: the whole trace), its average power, the mean
 * power over the baseline window when one is given, the net energy above that baseline, and energy per inference
 * when the number of inferences is given (net when there is a baseline, gross otherwise, as MELT reports it).
 */
export function analyzeTrace(t: PowerTrace, w: TraceWindows = {}): TraceAnalysis {
  const base = t.t0Ms / 1000;
  const n = t.powerW.length;
  const first = base + (n ? sampleTimeS(t, 0) : 0);
  const last = base + (n ? sampleTimeS(t, n - 1) : 0);
  const from = w.from ?? first;
  const to = w.to ?? last;
  if (!(to > from)) throw new RangeError(`the window [${from}, ${to}] s is empty`);
  const durationS = to - from;
  const energyJ = energyBetweenS(t, from - base, to - base);
  let baselineW: number | null = null;
  if (w.baselineFrom !== undefined || w.baselineTo !== undefined) {
    const b0 = w.baselineFrom ?? first;
    const b1 = w.baselineTo ?? last;
    if (!(b1 > b0)) throw new RangeError(`the baseline window [${b0}, ${b1}] s is empty`);
    baselineW = energyBetweenS(t, b0 - base, b1 - base) / (b1 - b0);
  }
  const netEnergyJ = baselineW === null ? null : energyJ - baselineW * durationS;
  const energyPerInferenceJ = w.inferences ? (netEnergyJ ?? energyJ) / w.inferences : null;
  return { durationS, energyJ, avgPowerW: energyJ / durationS, baselineW, netEnergyJ, energyPerInferenceJ };
}
