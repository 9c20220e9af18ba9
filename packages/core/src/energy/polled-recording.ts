import { GaugeError } from '../errors/gauge-error.js';
import { hostNowMs, traceFromSamples } from './trace.js';
import type { EnergyMarker, EnergyRecording, PowerTrace } from './types.js';

/** What a polled source reads once: an instantaneous power in W, or a cumulative energy counter in J. */
export type PollReading = { powerW: number } | { energyJ: number };

/** Options of a polled recording. */
export interface PollOptions {
  /** Time between the starts of two reads (a read that takes longer delays the next). */
  intervalMs: number;
  /** Consecutive failed reads after which the source counts as lost (default 3). */
  maxFailures?: number;
  /** What the source is, for error messages. */
  what: string;
}

/**
 * A recording that polls a reader until stopped: the common engine of sources that read a file or run a command
 * (fuel gauge, hwmon rails, RAPL, NVML). Each reading is stamped at the midpoint of its read on the host clock.
 * Counter readings become the mean power between consecutive readings, stamped at the midpoint between them.
 */
export async function startPolledRecording(read: () => Promise<PollReading>, opts: PollOptions): Promise<EnergyRecording & { markers: EnergyMarker[] }> {
  const times: number[] = [];
  const power: number[] = [];
  const markers: EnergyMarker[] = [];
  let prev: { tMs: number; energyJ: number } | undefined;
  let failures = 0;
  let lastError: unknown;
  let lost: GaugeError | undefined;
  let stopping = false;

  const once = async (): Promise<void> => {
    const a = hostNowMs();
    const r = await read();
    const tMs = (a + hostNowMs()) / 2;
    if ('powerW' in r) {
      if (!Number.isFinite(r.powerW)) throw new Error(`${opts.what} gave a reading that is not a number`);
      times.push(tMs);
      power.push(r.powerW);
    } else {
      if (prev && tMs > prev.tMs) {
        times.push((prev.tMs + tMs) / 2);
        power.push((r.energyJ - prev.energyJ) / ((tMs - prev.tMs) / 1000));
      }
      prev = { tMs, energyJ: r.energyJ };
    }
  };

  // The first reading is taken before start() returns, so a source that cannot be read fails at once.
  await once();
  const loop = (async () => {
    let started = hostNowMs();
    await new Promise((r) => setTimeout(r, opts.intervalMs));
    while (!stopping) {
      started = hostNowMs();
      try {
        await once();
        failures = 0;
      } catch (e) {
        lastError = e;
        if (++failures >= (opts.maxFailures ?? 3)) {
          lost = new GaugeError('ENERGY_SOURCE_LOST', `${opts.what} stopped answering during the window (${(e as Error).message ?? e}). Check the device is still connected; this job's energy is not measured, its latency is.`, { cause: e });
          return;
        }
      }
      const wait = opts.intervalMs - (hostNowMs() - started);
      if (wait > 0 && !stopping) await new Promise((r) => setTimeout(r, wait));
    }
  })();

  return {
    markers,
    mark(label: string) {
      markers.push({ label, tMs: hostNowMs() });
    },
    async stop(): Promise<PowerTrace> {
      stopping = true;
      await loop;
      // One closing reading, so the trace covers the run's end.
      if (!lost) await once().catch((e) => { lastError = e; });
      if (lost) throw lost;
      if (power.length < 2) {
        throw new GaugeError('ENERGY_SOURCE_LOST', `${opts.what} gave fewer than two readings during the window${lastError ? ` (${(lastError as Error).message})` : ''}. Lengthen the baseline or the runs.`);
      }
      return traceFromSamples(times, power);
    },
  };
}
