import { GaugeError, type PowerTrace } from '@gaugenn/core';

/** A trace read from a file: time in seconds as the file states it, power in W. */
export interface ImportedTrace {
  format: 'powertool' | 'csv' | 'pymonsoon';
  timesS: Float64Array;
  powerW: Float64Array;
  /** What the power was computed from (`Main Avg Power (mW)`, `current_a × voltage_v`). */
  from: string;
  /** True when each row is the mean over the interval up to the next row (PowerTool's averaged rows). */
  stepwise?: boolean;
}

/** As a core trace whose origin is the file's time 0 (so `--from 2` means 2 s into the file's clock). */
export function toPowerTrace(t: ImportedTrace): PowerTrace {
  const n = t.timesS.length;
  const first = n ? t.timesS[0]! : 0;
  const tS = new Float32Array(n);
  for (let i = 0; i < n; i++) tS[i] = t.timesS[i]! - first;
  const span = n > 1 ? tS[n - 1]! : 0;
  return { t0Ms: first * 1000, rateHz: span > 0 ? (n - 1) / span : 0, powerW: Float32Array.from(t.powerW), tS, ...(t.stepwise ? { stepwise: true } : {}) };
}

export function malformed(file: string, msg: string): GaugeError {
  return new GaugeError('TRACE_MALFORMED', `${file}: ${msg}`, { subject: file });
}
