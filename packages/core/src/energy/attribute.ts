import { energyBetweenMs, samplesBetweenMs } from './trace.js';
import type { EnergyAttribution, EnergyMarker, PowerTrace } from './types.js';

/** What the run told us about its inferences, to place them in the run window. */
export interface RunTiming {
  /** Timed inferences and their total time in ms (from every sample, or from the aggregate's count × mean). */
  inferences: number;
  timedMs: number;
  /** Model MACs per inference, where the analysis knows them. */
  macs?: number;
}

/** Options of attribution. */
export interface AttributeOptions {
  /** Sub-windows the inference window is cut into for the spread (default 5). */
  windows?: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function marker(markers: EnergyMarker[], label: string): number | undefined {
  return markers.find((m) => m.label === label)?.tMs;
}

/**
 * Attribute one job's energy from a trace and the window markers.
 *
 * - **Baseline**: mean power over [`baseline-start`, `run-start`], the idle period the protocol waited before the run
 *   (less a guard of two sample periods at its end).
 * - **Inference window**: the runner's timed inferences come last in its run (warm-up and model loading come
 *   first), so they occupy the last `timedMs` of [`run-start`, `run-end`]; the window is clamped to the run.
 *   Attributing over that window rather than over the whole run keeps process start-up and model loading out of
 *   the per-inference figure.
 * - **Per inference**: net energy (gross minus baseline × duration) over the window / the inferences in it.
 *   Average power is gross energy / duration, so power = energy / latency holds.
 * - **Spread**: the window is cut into `windows` equal parts and the per-inference energy computed on each.
 */
export function attributeEnergy(trace: PowerTrace, markers: EnergyMarker[], run: RunTiming, opts: AttributeOptions = {}): EnergyAttribution {
  const b0 = marker(markers, 'baseline-start');
  const r0 = marker(markers, 'run-start');
  const r1 = marker(markers, 'run-end');
  if (r0 === undefined || r1 === undefined) throw new Error('the recording has no run-start/run-end markers');
  // The baseline stops short of run-start by two sample periods (at most a fifth of it): a slow source's last idle
  // reading and its first busy one are interpolated across the step, which would leak the run into the baseline.
  const guardMs = b0 !== undefined && trace.rateHz > 0 ? Math.min((2 * 1000) / trace.rateHz, 0.2 * (r0 - b0)) : 0;
  const bEnd = r0 - guardMs;
  const baselineMs = b0 !== undefined ? bEnd - b0 : 0;
  const baselineW = baselineMs > 0 ? energyBetweenMs(trace, b0!, bEnd) / (baselineMs / 1000) : 0;
  const runMs = r1 - r0;
  const winMs = Math.min(runMs, run.timedMs > 0 ? run.timedMs : runMs);
  const w0 = r1 - winMs;
  const windowS = winMs / 1000;
  const energyJ = energyBetweenMs(trace, w0, r1);
  const netEnergyJ = energyJ - baselineW * windowS;
  // When the window had to be clamped, it holds fewer inferences than were timed, in proportion.
  const inferences = run.timedMs > 0 ? run.inferences * (winMs / run.timedMs) : run.inferences;
  const energyPerInferenceJ = netEnergyJ / inferences;
  const k = Math.max(1, Math.floor(opts.windows ?? 5));
  const per: number[] = [];
  for (let i = 0; i < k; i++) {
    const a = w0 + (winMs * i) / k;
    const b = w0 + (winMs * (i + 1)) / k;
    per.push((energyBetweenMs(trace, a, b) - baselineW * ((b - a) / 1000)) / (inferences / k));
  }
  const m = mean(per);
  const std = per.length > 1 ? Math.sqrt(per.reduce((s, x) => s + (x - m) ** 2, 0) / (per.length - 1)) : 0;
  const positive = energyPerInferenceJ > 0;
  return {
    baselineW,
    avgPowerW: windowS > 0 ? energyJ / windowS : 0,
    energyPerInferenceJ,
    netEnergyJ,
    energyJ,
    windowS,
    inferences,
    efficiencyMacsPerJ: positive && run.macs ? run.macs / energyPerInferenceJ : null,
    inferencesPerJ: positive ? 1 / energyPerInferenceJ : null,
    spread: { windows: k, mean: m, std, min: Math.min(...per), max: Math.max(...per) },
    samplesInWindow: samplesBetweenMs(trace, w0, r1),
    samplesInBaseline: b0 !== undefined ? samplesBetweenMs(trace, b0, bEnd) : 0,
  };
}
