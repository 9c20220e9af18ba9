import { runJob, type ProtocolOptions } from '../bench/run-jobs.js';
import { jobStats } from '../bench/job-stats.js';
import { sleep } from '../bench/sleep.js';
import type { Device, DeviceSpec, HygieneRequest } from '../device/types.js';
import { GaugeError } from '../errors/gauge-error.js';
import type { Gauge } from '../gauge.js';
import { summarise } from '../stats/latency-stats.js';
import type { JobRow, Store } from '../store/store.js';
import type { EnergyOutcome } from '../energy/types.js';
import { closeEnergySources } from '../energy/measure-with-energy.js';

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
  /** The campaign's name: a job is unique per (campaign, device, model, backend, threads). */
  campaign: string;
  devices: Device[];
  added: number;
  pending: JobRow[];
  /** (model, device) pairs left out because no plugin runs that framework on that device. */
  skipped: { model: string; framework: string; device: string; reason: string }[];
  /** Device specs that matched no device (an adb server with nothing attached, a device that is offline). */
  unreachable: { spec: DeviceSpec; reason: string }[];
}

/** Options of one `gaugenn bench` invocation. */
export interface BenchOptions {
  models?: string[];
  /** Campaign name (default `default`). */
  campaign?: string;
  /** Device specs to use instead of the config's `devices`. */
  devices?: DeviceSpec[];
}

/**
 * Plan a campaign: connect the configured devices, and add one job per (campaign, device, analysed model, backend,
 * threads) that does not exist yet. Existing jobs keep their state, so a second `bench` of the same campaign
 * re-measures nothing while another campaign name measures again, and jobs a killed process left `running` go back
 * to `pending`.
 */
export async function planBench(gauge: Gauge, store: Store, filter: BenchOptions = {}): Promise<BenchPlan> {
  const b = gauge.config.bench;
  const campaign = filter.campaign ?? 'default';
  const recovered = store.recoverInterrupted();
  if (recovered) gauge.log('info', `${recovered} job(s) left running by an interrupted campaign will run again.`);
  const specs = filter.devices ?? gauge.config.devices;
  const campaignId = store.createCampaign({ bench: b, devices: specs }, campaign);
  const devices: Device[] = [];
  const skipped: BenchPlan['skipped'] = [];
  const unreachable: BenchPlan['unreachable'] = [];
  let added = 0;
  let models = store.models({ analysed: true });
  if (filter.models?.length) models = models.filter((m) => filter.models!.some((f) => m.sha256.startsWith(f) || m.firstPath === f));
  for (const spec of specs) {
    let found: Device[];
    try {
      found = await gauge.devices(spec);
    } catch (e) {
      // One unreachable device never stops the others (a phone unplugged overnight).
      if (!(e instanceof GaugeError) || !['DEVICE_UNAVAILABLE', 'DEVICE_LOST', 'DEVICE_BUSY'].includes(e.code)) throw e;
      unreachable.push({ spec, reason: e.message });
      gauge.log('warn', e.message);
      continue;
    }
    if (found.length === 0) unreachable.push({ spec, reason: `no device matched ${JSON.stringify(spec)}` });
    for (const device of found) {
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
          // Every backend gets every thread count: ops a delegate rejects fall back to CPU threads.
          for (const t of b.threads) jobs.push({ model: m.sha256, framework: m.framework, backend, threads: t });
        }
      }
      added += store.planJobs(campaignId, device.id, jobs, b.warmup, b.runs, campaign);
    }
  }
  const ids = new Set(devices.map((d) => d.id));
  const pending = store.jobs({ status: 'pending', campaign }).filter((j) => ids.has(j.deviceId));
  return { campaignId, campaign, devices, added, pending, skipped, unreachable };
}

/**
 * Run the pending jobs of a plan: devices in parallel, one job at a time per device (concurrent runs on one device
 * would skew its latency). Each device's worker claims its next job from the store in a transaction, so two
 * `gaugenn bench` processes on one store never run the same job. A lost device ends the attempt; its worker waits for
 * the device (`bench.deviceWaitMs`) and goes on, or stops and leaves its jobs pending for the next `bench`, while the
 * other devices go on.
 */
export async function runBench(gauge: Gauge, store: Store, plan: BenchPlan, onJob?: (job: JobRow, i: number, total: number) => void, signal?: AbortSignal): Promise<JobRow[]> {
  const b = gauge.config.bench;
  const out: JobRow[] = [];
  const total = plan.pending.length;
  const worker = async (device: Device): Promise<void> => {
    const hygiene = await applyHygiene(gauge, device, b.hygiene);
    const opts: ProtocolOptions = {
      timeoutMs: b.timeoutMs, thermalThresholdC: b.thermalThresholdC, thermalMaxWaitMs: b.thermalMaxWaitMs, signal,
      batteryFloorPct: b.batteryFloorPct, batteryWaitMs: b.batteryWaitMs, maxAttempts: b.maxAttempts,
      pinBigCluster: b.pinBigCluster, unplugged: b.unplugged, hygiene,
    };
    let first = true;
    while (!signal?.aborted) {
      const job = store.claimJob(device.id, plan.campaign);
      if (!job) break;
      if (!first && b.cooldownMs > 0) {
        try {
          await sleep(b.cooldownMs, signal);
        } catch {
          store.releaseClaim(job.id);
          break;
        }
      }
      first = false;
      const r = await runJob(gauge, store, job, device, opts);
      out.push(r.job);
      onJob?.(r.job, out.length - 1, total);
      if (r.outcome === 'lost') {
        gauge.log('warn', `${device.id} was lost during job ${job.id} (attempt ${r.job.attempts}); waiting up to ${b.deviceWaitMs} ms for it to return.`);
        const back = device.waitForReturn ? await device.waitForReturn(b.deviceWaitMs, signal).catch(() => false) : false;
        if (!back) {
          gauge.log('warn', `${device.id} did not return; its remaining jobs stay pending for the next \`gaugenn bench\`.`);
          break;
        }
      }
    }
  };
  try {
    // allSettled: one device's worker failing (its store write, a plugin bug) must not cut the others short.
    const results = await Promise.allSettled(plan.devices.map((d) => worker(d)));
    const bad = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (bad) throw bad.reason;
  } finally {
    await closeEnergySources(gauge);
    await Promise.allSettled(plan.devices.map((d) => d.release?.()));
  }
  return out;
}

/** Ask the device for the campaign's hygiene once, before its first job; what it did is recorded on every job. */
async function applyHygiene(gauge: Gauge, device: Device, requested: HygieneRequest): Promise<ProtocolOptions['hygiene']> {
  const wanted = Object.values(requested).some(Boolean);
  if (!wanted) return undefined;
  if (!device.prepare) {
    const failed = Object.entries(requested).filter(([, v]) => v).map(([what]) => ({ what, why: `${device.kind} devices offer no hygiene controls` }));
    return { requested, applied: [], failed };
  }
  try {
    const r = await device.prepare(requested);
    for (const f of r.failed) gauge.log('warn', `${device.id}: could not apply ${f.what}: ${f.why}`);
    return { requested, applied: r.applied, failed: r.failed };
  } catch (e) {
    return { requested, applied: [], failed: [{ what: 'all', why: (e as Error).message }] };
  }
}

/** The JSON contract of `gaugenn bench --json`: every job in the store for these devices, with its samples. */
export function benchJSON(store: Store, deviceIds?: string[], campaign?: string) {
  const names = new Map(store.models().map((m) => [m.sha256, m.firstPath]));
  const jobs = store.jobs(campaign ? { campaign } : {}).filter((j) => !deviceIds || deviceIds.includes(j.deviceId));
  return {
    jobs: jobs.map((j) => {
      const samplesMs = j.status === 'done' ? store.samples(j.id) : [];
      const s = samplesMs.length ? summarise(samplesMs) : undefined;
      const stats = j.status === 'done' ? jobStats(samplesMs, j.aggregate) : jobStats([]);
      return {
        id: j.id,
        campaign: j.campaign,
        device: j.deviceId,
        model: names.get(j.model) ?? j.model,
        sha256: j.model,
        framework: j.framework,
        backend: j.backend,
        threads: j.threads,
        status: j.status,
        attempts: j.attempts,
        startedAt: j.startedAt ?? null,
        finishedAt: j.finishedAt ?? null,
        thermalWaitMs: j.thermalWaitMs ?? null,
        samplesKind: j.samplesKind,
        samplesMs,
        stats,
        median: s ? s.median : stats.median,
        p90: s ? s.p90 : null,
        engine: j.engine ?? null,
        tempBeforeC: j.tempBeforeC ?? null,
        tempAfterC: j.tempAfterC ?? null,
        delegation: j.delegation ?? null,
        warnings: j.warnings,
        attemptLog: j.attemptLog,
        hygiene: j.hygiene ?? null,
        error: j.error ?? null,
        energy: energyJSON(store.energy(j.id)),
      };
    }),
  };
}
