import type { Device } from '../device/types.js';

/**
 * One energy source as the config names it: `energy: [{ source: 'monsoon', maxVoltage: 4.4 }]`.
 * `source` picks the tap of `gauge.hooks.energy.for(source)`; every other key is the source's own option.
 * `devices` (ids or kinds) limits the source to those devices; without it the source is asked for every device
 * and may decline (return undefined) for devices it cannot measure.
 */
export interface EnergySourceSpec {
  /** The source type a plugin taps (the bundled ones: monsoon, android-battery, hwmon, rapl, nvml). */
  source: string;
  devices?: string[];
  [option: string]: unknown;
}

/**
 * A power trace, kept compactly: power as float32, time implicit from a sample rate (regular sources such as a
 * Monsoon at 5 kHz) or explicit float32 offsets (polled sources such as a fuel gauge).
 *
 * A *sample* is the power in watts drawn by what the source measures at one instant, on the host clock: sample i
 * is at `t0Ms + (tS ? tS[i] : i / rateHz) * 1000` milliseconds since the epoch. Sources that read current and
 * voltage multiply them; counter sources (RAPL, NVML energy) turn consecutive counter readings into the mean power
 * between them, placed at the midpoint.
 */
export interface PowerTrace {
  /** Host time of the trace's origin, ms since the epoch (`performance.timeOrigin + performance.now()`). */
  t0Ms: number;
  /** Samples per second for a regular trace; for a polled one, the mean rate it achieved. */
  rateHz: number;
  /** Power in W, one per sample. */
  powerW: Float32Array;
  /** Seconds from `t0Ms` of each sample, for irregular traces; absent when time is `i / rateHz`. */
  tS?: Float32Array;
  /**
   * True when each sample is the mean power over the interval up to the next sample (PowerTool's 20 ms rows),
   * so energy is the step function's integral; otherwise samples are instants and energy is the trapezoid rule.
   */
  stepwise?: boolean;
}

/** A named instant on the host clock (ms since the epoch), e.g. the start and end of the run window. */
export interface EnergyMarker {
  label: string;
  tMs: number;
}

/**
 * A recording in progress. The protocol marks the window on it (`baseline-start`, `run-start`, `run-end`) with the
 * host clock, so both kinds of source fit: a source that starts and stops sampling around the window, and one that
 * samples continuously (a Monsoon trace streamed to disk) where the markers say which part is which.
 */
export interface EnergyRecording {
  /** Note an instant on the host clock; the trace is aligned to markers by time, never by sample index. */
  mark(label: string): void;
  /**
   * Stop sampling and return the trace. Throws `GaugeError('ENERGY_SOURCE_LOST')` when the source stopped
   * delivering samples during the recording (monitor unplugged, device gone).
   */
  stop(): Promise<PowerTrace>;
}

/**
 * An energy source bound to one device: a power monitor wired to a phone, the phone's own fuel gauge, a board's
 * power rails, the host's RAPL counters. `start()` begins sampling and returns the recording; it throws
 * `GaugeError('ENERGY_SOURCE_UNAVAILABLE')` with what to check when the source cannot be used now.
 */
export interface EnergySource {
  /** The source type (`monsoon`, `android-battery`, …), as in config. */
  name: string;
  /**
   * True for sources whose samples are too slow or too filtered to resolve single inferences (a phone fuel gauge
   * updates every few hundred ms and averages): their figures are shown as coarse in results and report.
   */
  coarse: boolean;
  /** Samples per second the source aims at (5000 for a Monsoon; the poll rate for polled sources). */
  nominalRateHz: number;
  /** What exactly is measured (`Main channel at 4.20 V`, `VDD_IN`, `package-0`), for the record. */
  describe(): string;
  start(): Promise<EnergyRecording>;
  /** Release what the source holds (USB handles). */
  close?(): Promise<void>;
}

/** What the `energy` hook taps receive: the spec from config and the device being measured. */
export interface EnergySourceRequest {
  spec: EnergySourceSpec;
  device: Device;
}

/** Spread of energy per inference over the sub-windows of one run window. */
export interface EnergySpread {
  windows: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** What core attributes to one job from one source's trace. */
export interface EnergyAttribution {
  /** Idle power before the run, W (mean over the baseline window). */
  baselineW: number;
  /** Mean power over the attributed inference window, W. */
  avgPowerW: number;
  /** Net energy (above baseline) per inference, J. */
  energyPerInferenceJ: number;
  /** Net energy over the attributed window, J. */
  netEnergyJ: number;
  /** Gross energy over the attributed window, J. */
  energyJ: number;
  /** Length of the attributed window, s. */
  windowS: number;
  /** Inferences the window holds. */
  inferences: number;
  /** Model MACs per net joule (null when the model's MACs are unknown or the net energy is not positive). */
  efficiencyMacsPerJ: number | null;
  /** Inferences per net joule (null when the net energy is not positive). */
  inferencesPerJ: number | null;
  spread: EnergySpread;
  /** Samples the attributed window and the baseline window hold (few samples mean a rough figure). */
  samplesInWindow: number;
  samplesInBaseline: number;
}

/** One source's outcome for one job: attributed, or failed with a recorded error (latency is kept either way). */
export interface EnergyOutcome {
  source: string;
  coarse: boolean;
  description?: string;
  status: 'done' | 'failed';
  attribution?: EnergyAttribution;
  error?: { code: string; message: string };
  trace?: PowerTrace;
  markers: EnergyMarker[];
}
