import { runJob, type ProtocolOptions } from '../bench/run-jobs.js';
import type { Device } from '../device/types.js';
import type { Gauge } from '../gauge.js';
import { summarise } from '../report/stats.js';
import type { JobRow, Store } from '../store/store.js';
import type { EnergyOutcome } from '../energy/types.js';

/**
 * A job's primary energy figure for `bench --json`: the first configured source, null when none was configured.
 * A source that failed keeps the same fields as nulls, plus the `error` that says why.
 */
function energyJSON(outcomes: Omit<EnergyOutcome, 'trace'>[]) {
  const o = outcomes[0];
  if (!o) return null;
  const a = o.attribution;
  return {
    source: o.source,
    coarse: o.coarse,
    energyPerInferenceJ: a?.energyPerInferenceJ ?? null,
    avgPowerW: a?.avgPowerW ?? null,
    baselineW: a?.baselineW ?? null,
    efficiencyMacsPerJ: a?.efficiencyMacsPerJ ?? null,
    ...(o.error ? { error: o.error } : {}),
  };
}

/** What planning found: devices connected, jobs added, and models no runner could take. */
export interface BenchPlan {
  campaignId: number;
  devices: Device[];
  added: number;
  pending: JobRow[];
  /** (model, device) pairs left out because no plugin runs that framework on that device. */
  skipped: { model: string; framework: string; device: string; reason: string }[];
}

/**
 * Plan a campaign: connect the configured devices, and add one job per (device, analysed model, backend, threads)
 * that does not exist yet. Existing jobs keep their state, so a second `bench` re-measures nothing, and jobs a
 * killed process left `running` go back to `pending`.
 */
export async function planBench(gauge: Gauge, store: Store, filter: { models?: string[] } = {}): Promise<BenchPlan> {
  const b = gauge.config.bench;
  const recovered = store.recoverInterrupted();
  if (recovered) gauge.log('info', `${recovered} job(s) left running by an interrupted campaign will run again.`);
  const campaignId = store.createCampaign({ bench: b, devices: gauge.config.devices });
  const devices: Device[] = [];
  const skipped: BenchPlan['skipped'] = [];
  let added = 0;
  let models = store.models({ analysed: true });
  if (filter.models?.length) models = models.filter((m) => filter.models!.some((f) => m.sha256.startsWith(f) || m.firstPath === f));
  for (const spec of gauge.config.devices) {
    for (const device of await gauge.devices(spec)) {
    store.saveDevice(device);
    devices.push(device);
    const jobs: { model: string; framework: string; backend: string; threads: number }[] = [];
    for (const m of models) {
      const runner = await gauge.runner(m.framework, device);
      if (!runner) {
        skipped.push({ model: m.firstPath, framework: m.framework, device: device.id, reason: `no ${m.framework} runner for ${device.kind} devices` });
        continue;
      }
      const offered = runner.backends(device);
      for (const backend of b.backends) {
        if (!offered.includes(backend)) {
          skipped.push({ model: m.firstPath, framework: m.framework, device: device.id, reason: `backend ${backend} not offered (offered: ${offered.join(', ')})` });
          continue;
        }
        for (const threads of b.threads) jobs.push({ model: m.sha256, framework: m.framework, backend, threads });
      }
    }
    added += store.planJobs(campaignId, device.id, jobs, b.warmup, b.runs);
    }
  }
  const ids = new Set(devices.map((d) => d.id));
  const pending = store.jobs({ status: 'pending' }).filter((j) => ids.has(j.deviceId));
  return { campaignId, devices, added, pending, skipped };
}

/** Run the pending jobs of a plan in order, one at a time per device (concurrent runs would skew latency). */
export async function runBench(gauge: Gauge, store: Store, plan: BenchPlan, onJob?: (job: JobRow, i: number, total: number) => void, signal?: AbortSignal): Promise<JobRow[]> {
  const b = gauge.config.bench;
  const opts: ProtocolOptions = { timeoutMs: b.timeoutMs, thermalThresholdC: b.thermalThresholdC, thermalMaxWaitMs: b.thermalMaxWaitMs, signal };
  const byId = new Map(plan.devices.map((d) => [d.id, d]));
  const out: JobRow[] = [];
  for (const [i, job] of plan.pending.entries()) {
    if (signal?.aborted) break;
    const r = await runJob(gauge, store, job, byId.get(job.deviceId)!, opts);
    out.push(r);
    onJob?.(r, i, plan.pending.length);
  }
  return out;
}

/** The JSON contract of `gaugenn bench --json`: every job in the store for these devices, with its samples. */
export function benchJSON(store: Store, deviceIds?: string[]) {
  const names = new Map(store.models().map((m) => [m.sha256, m.firstPath]));
  const jobs = store.jobs().filter((j) => !deviceIds || deviceIds.includes(j.deviceId));
  return {
    jobs: jobs.map((j) => {
      const samplesMs = j.status === 'done' ? store.samples(j.id) : [];
      const s = samplesMs.length ? summarise(samplesMs) : undefined;
      return {
        id: j.id,
        device: j.deviceId,
        model: names.get(j.model) ?? j.model,
        sha256: j.model,
        framework: j.framework,
        backend: j.backend,
        threads: j.threads,
        status: j.status,
        samplesMs,
        median: s ? s.median : null,
        p90: s ? s.p90 : null,
        engine: j.engine ?? null,
        tempBeforeC: j.tempBeforeC ?? null,
        tempAfterC: j.tempAfterC ?? null,
        error: j.error ?? null,
        energy: energyJSON(store.energy(j.id)),
      };
    }),
  };
}
