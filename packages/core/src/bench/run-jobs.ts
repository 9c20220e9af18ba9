import { GaugeError, isGaugeError } from '../errors/gauge-error.js';
import type { Device, HygieneRequest, JobWarning, RunRequest, RunResult, Runner } from '../device/types.js';
import type { Gauge } from '../gauge.js';
import type { JobRow, Store } from '../store/store.js';
import { batteryGate } from './battery-gate.js';
import { bigClusterMask } from './cpu-mask.js';
import { delegationWarnings } from './delegation-warnings.js';
import { sleep } from './sleep.js';
import { thermalGate } from './thermal-gate.js';
import { runUnplugged, type UnpluggedOptions } from './unplugged.js';
import { measureWithEnergy } from '../energy/measure-with-energy.js';

/** Protocol settings for one campaign (from `config.bench`). */
export interface ProtocolOptions {
  timeoutMs: number;
  thermalThresholdC: number;
  thermalMaxWaitMs: number;
  signal?: AbortSignal;
  /** Wait while the battery is under this level, then skip the job (BATTERY_LOW). */
  batteryFloorPct?: number;
  batteryWaitMs?: number;
  /** Attempts before a lost device fails the job for good. */
  maxAttempts?: number;
  /** Pin the runner to the big cluster. */
  pinBigCluster?: boolean;
  /** Unplugged mode: the runner runs detached while USB power is cut. */
  unplugged?: UnpluggedOptions;
  /** Batch size the runner measures at (default 1). */
  batch?: number;
  /** Hygiene the device applied for this campaign, recorded on each job. */
  hygiene?: { requested: HygieneRequest; applied: string[]; failed: { what: string; why: string }[] };
}

/** How a job's attempt ended: the job is done or failed for good, or the device was lost and the job is pending again. */
export type JobOutcome = 'done' | 'failed' | 'lost';

/**
 * Run one claimed job by the measurement protocol: battery floor → thermal gate → CPU state → runner (warm-up,
 * then every timed sample, or the tool's aggregates) → CPU state and temperature after. Samples are committed with
 * the `done` state in one transaction, so a process killed mid-job leaves it `running` and it is run again.
 * A failure of the model or runner is recorded on the job, never thrown: the campaign goes on. A device lost
 * mid-job (DEVICE_LOST) ends the attempt, not the job: it goes back to pending, up to `maxAttempts`.
 */
export async function runJob(gauge: Gauge, store: Store, job: JobRow, device: Device, opts: ProtocolOptions): Promise<{ job: JobRow; outcome: JobOutcome }> {
  const model = store.model(job.model);
  if (store.job(job.id)?.status !== 'running') store.startJob(job.id, undefined, 0);
  let outcome: JobOutcome = 'done';
  try {
    if (opts.batteryFloorPct !== undefined) {
      const b = await batteryGate(device, opts.batteryFloorPct, opts.batteryWaitMs ?? 0, opts.signal);
      if (!b.ok) {
        throw new GaugeError('BATTERY_LOW', `${device.id}'s battery stayed at ${b.levelPct}% (under bench.batteryFloorPct ${opts.batteryFloorPct}%) for ${b.waitedMs} ms; the job was skipped. Charge the device and run \`gaugenn bench --retry-failed\`.`);
      }
    }
    const gate = await thermalGate(device, opts.thermalThresholdC, opts.thermalMaxWaitMs, opts.signal);
    store.recordGate(job.id, gate.tempC, gate.waitedMs);
    if (gate.gaveUp) {
      const message = `${device.id} stayed above ${opts.thermalThresholdC} °C (at ${gate.tempC} °C) for ${gate.waitedMs} ms; measured anyway.`;
      store.addWarning(job.id, { code: 'THERMAL_GATE', message });
      gauge.log('warn', message);
    }
    if (!model) throw new GaugeError('MODEL_NOT_FOUND', `Model ${job.model} is not in the store. Run \`gaugenn extract\` again.`);
    const runner = await gauge.runner(job.framework, device);
    if (!runner) {
      throw new GaugeError('NO_HANDLER', `No plugin runs ${job.framework} models on ${device.kind} devices. Install the framework's plugin, or leave this device out of the campaign.`, { hook: `deploy:${job.framework}` });
    }
    if (!runner.backends(device).includes(job.backend)) {
      throw new GaugeError('BACKEND_UNSUPPORTED', `The ${job.framework} runner offers ${runner.backends(device).join(', ')} on ${device.id}, not ${job.backend}. Change bench.backends in the config.`);
    }
    const cpuMask = opts.pinBigCluster ? bigClusterMask(device.info) : undefined;
    const cpuBefore = await device.cpuState?.().catch(() => undefined);
    const request: RunRequest = {
      modelFiles: model.files.map((f) => ({ path: f.path, role: f.role })),
      backend: job.backend,
      threads: job.threads,
      warmup: job.warmup,
      runs: job.runs,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      ...(cpuMask ? { cpuMask } : {}),
      ...(opts.batch && opts.batch !== 1 ? { batch: opts.batch } : {}),
    };
    const { result, energy } = await measureWithEnergy(gauge, device, job, model, () => measure(runner, device, request, opts));
    if (result.samplesMs.length === 0 && !result.aggregate) {
      throw new GaugeError('RUNNER_OUTPUT', `The ${job.framework} runner reported no samples. Check the runner's output.`);
    }
    const cpuAfter = await device.cpuState?.().catch(() => undefined);
    store.recordHygiene(job.id, {
      ...(opts.hygiene ?? {}),
      cpuMask: cpuMask ?? null,
      unplugged: Boolean(opts.unplugged),
      before: cpuBefore ?? null,
      after: cpuAfter ?? null,
    });
    const tempAfterC = await device.temperature();
    store.finishJob(job.id, { ...result, warnings: withDelegationWarnings(result), tempAfterC });
    store.saveEnergy(job.id, energy);
  } catch (e) {
    if (opts.signal?.aborted) {
      // Interrupted (Ctrl-C): the attempt never happened as far as the store is concerned.
      store.releaseClaim(job.id);
      throw e;
    }
    const err = GaugeError.from(e, 'RUNNER_FAILED', { subject: model?.firstPath ?? job.model });
    const attempts = store.job(job.id)?.attempts ?? 1;
    if (isGaugeError(err, 'DEVICE_LOST') && attempts < (opts.maxAttempts ?? 3)) {
      store.endAttempt(job.id, err.toJSON());
      outcome = 'lost';
    } else {
      store.failJob(job.id, err.toJSON(), isGaugeError(err, 'DEVICE_LOST') ? undefined : await device.temperature().catch(() => undefined));
      outcome = 'failed';
    }
  }
  const after = store.job(job.id)!;
  if (outcome === 'lost') return { job: after, outcome };
  const samplesMs = after.status === 'done' ? store.samples(job.id) : [];
  try {
    await gauge.hooks.measure.promise({
      jobId: job.id, device: job.deviceId, model: job.model, framework: job.framework, backend: job.backend, threads: job.threads,
      status: after.status === 'done' ? 'done' : 'failed', samplesMs, error: after.error?.message,
    });
  } catch (e) {
    // The job is committed; a plugin observing it must not stop the campaign. Say which plugin failed.
    const err = GaugeError.from(e, 'PLUGIN_HOOK', { hook: 'measure' });
    gauge.log('warn', `${err.plugin ? `plugin ${err.plugin}` : 'a plugin'} failed on job ${job.id} (hook measure): ${err.message}`);
  }
  return { job: after, outcome: after.status === 'done' ? 'done' : 'failed' };
}

/** Run the job attached, or detached while USB power is cut (unplugged mode). */
function measure(runner: Runner, device: Device, request: RunRequest, opts: ProtocolOptions): Promise<RunResult> {
  return opts.unplugged ? runUnplugged(runner, device, request, opts.unplugged) : runner.run(device, request);
}

/**
 * Backend truth in one place for every framework: a delegation that executed nothing, or only part of the graph,
 * is a warning even when the runner did not say so itself.
 */
function withDelegationWarnings(r: RunResult): JobWarning[] {
  const own = r.warnings ?? [];
  const derived = delegationWarnings(r.delegation).filter((w) => !own.some((o) => o.code === w.code));
  return [...own, ...derived];
}

export { sleep };
