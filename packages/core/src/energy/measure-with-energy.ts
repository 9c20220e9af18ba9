import { GaugeError } from '../errors/gauge-error.js';
import type { Device, RunResult } from '../device/types.js';
import type { Gauge } from '../gauge.js';
import { attributeEnergy, type RunTiming } from './attribute.js';
import type { EnergyOutcome, EnergyRecording, EnergySource, EnergySourceSpec } from './types.js';

/** Idle baseline before each job when the spec does not say (ms). */
export const DEFAULT_BASELINE_MS = 3000;

/** Sources are opened once per (gauge, device, spec) and reused across jobs; a lost one is opened again next job. */
const opened = new WeakMap<Gauge, Map<string, Promise<EnergySource>>>();

function applies(spec: EnergySourceSpec, device: Device): boolean {
  return !spec.devices?.length || spec.devices.includes(device.id) || spec.devices.includes(device.kind);
}

async function openSource(gauge: Gauge, spec: EnergySourceSpec, i: number, device: Device): Promise<EnergySource> {
  let m = opened.get(gauge);
  if (!m) opened.set(gauge, (m = new Map()));
  const key = `${i}\u0000${device.id}`;
  let p = m.get(key);
  if (!p) {
    p = gauge.energySource(spec, device);
    m.set(key, p);
    p.catch(() => m!.delete(key));
  }
  return p;
}

function forget(gauge: Gauge, i: number, device: Device): void {
  const m = opened.get(gauge);
  const key = `${i}\u0000${device.id}`;
  const p = m?.get(key);
  m?.delete(key);
  void p?.then((s) => s.close?.()).catch(() => undefined);
}

/** Close every energy source a Gauge opened (USB handles), e.g. at the end of a campaign. */
export async function closeEnergySources(gauge: Gauge): Promise<void> {
  const m = opened.get(gauge);
  opened.delete(gauge);
  await Promise.all([...(m?.values() ?? [])].map((p) => p.then((s) => s.close?.()).catch(() => undefined)));
}

const failure = (source: string, coarse: boolean, e: unknown, fallback: 'ENERGY_SOURCE_UNAVAILABLE' | 'ENERGY_SOURCE_LOST'): EnergyOutcome => {
  const err = GaugeError.from(e, fallback);
  return { source, coarse, status: 'failed', error: { code: err.code, message: err.message }, markers: [] };
};

/** The timed part of a run, for attribution: every sample, or the aggregate's count × mean. */
export function runTiming(result: RunResult, macs?: number): RunTiming {
  if (result.samplesMs.length) return { inferences: result.samplesMs.length, timedMs: result.samplesMs.reduce((a, b) => a + b, 0), macs };
  const a = result.aggregate;
  return { inferences: a?.count ?? 0, timedMs: a && a.mean !== null ? a.count * a.mean : 0, macs };
}

/**
 * Run one job inside an energy window (DESIGN.md measurement protocol). For every energy source configured for
 * this device: start sampling, mark `baseline-start`, wait the idle baseline, mark `run-start`, run, mark
 * `run-end`, stop; then attribute the trace to the job ({@link attributeEnergy}).
 *
 * An energy source that cannot start (`ENERGY_SOURCE_UNAVAILABLE`) or stops delivering (`ENERGY_SOURCE_LOST`)
 * becomes a failed outcome for that source; the run itself always happens and its latency is returned. A run that
 * throws is rethrown after the recordings are stopped.
 */
export async function measureWithEnergy(
  gauge: Gauge,
  device: Device,
  _job: { id: number },
  model: { macs?: number } | undefined,
  run: () => Promise<RunResult>,
): Promise<{ result: RunResult; energy: EnergyOutcome[] }> {
  const specs = (gauge.config.energy ?? []).map((spec, i) => ({ spec, i })).filter(({ spec }) => applies(spec, device));
  if (specs.length === 0) return { result: await run(), energy: [] };

  const live: { spec: EnergySourceSpec; i: number; source: EnergySource; rec: EnergyRecording }[] = [];
  const byIndex = new Map<number, EnergyOutcome>();
  for (const { spec, i } of specs) {
    let source: EnergySource | undefined;
    try {
      source = await openSource(gauge, spec, i, device);
      live.push({ spec, i, source, rec: await source.start() });
    } catch (e) {
      if (source) forget(gauge, i, device);
      const o = failure(spec.source, source?.coarse ?? false, e, 'ENERGY_SOURCE_UNAVAILABLE');
      byIndex.set(i, o);
      gauge.log('warn', `energy source ${spec.source} on ${device.id}: ${o.error!.message}`);
    }
  }
  const markers: { label: string; tMs: number }[] = [];
  const mark = (label: string) => {
    markers.push({ label, tMs: performance.timeOrigin + performance.now() });
    for (const l of live) l.rec.mark(label);
  };

  let result: RunResult | undefined;
  let runError: unknown;
  if (live.length) {
    mark('baseline-start');
    const baselineMs = Math.max(...live.map((l) => Number(l.spec.baselineMs ?? DEFAULT_BASELINE_MS)));
    await new Promise((r) => setTimeout(r, baselineMs));
    mark('run-start');
  }
  try {
    result = await run();
  } catch (e) {
    runError = e;
  }
  if (live.length) mark('run-end');

  for (const l of live) {
    try {
      const trace = await l.rec.stop();
      if (runError) continue;
      const attribution = attributeEnergy(trace, markers, runTiming(result!, model?.macs), { windows: l.spec.windows as number | undefined });
      byIndex.set(l.i, { source: l.spec.source, coarse: l.source.coarse, description: l.source.describe(), status: 'done', attribution, trace, markers });
    } catch (e) {
      forget(gauge, l.i, device);
      const o = { ...failure(l.spec.source, l.source.coarse, e, 'ENERGY_SOURCE_LOST'), description: l.source.describe(), markers };
      byIndex.set(l.i, o);
      gauge.log('warn', `energy source ${l.spec.source} on ${device.id}: ${o.error!.message}`);
    }
  }
  if (runError) throw runError;
  // In configured order, so the first configured source is the job's primary energy figure.
  const energy = specs.map(({ i }) => byIndex.get(i)).filter((o): o is EnergyOutcome => o !== undefined);
  return { result: result!, energy };
}
