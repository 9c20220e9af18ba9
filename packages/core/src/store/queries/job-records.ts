import type { GaugeErrorJSON } from '../../errors/gauge-error.js';
import type { AggregateStats, Delegation, JobWarning } from '../../device/types.js';
import type { Store } from '../store.js';

/** One measurement job with everything schema 2 records about it (campaign, aggregates, backend truth, warnings). */
export interface JobRecord {
  id: number;
  campaign: string;
  deviceId: string;
  model: string;
  framework: string;
  backend: string;
  threads: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  /** `aggregate`: the runtime printed only summary statistics; `samplesMs` is then empty and `aggregate` holds them. */
  samplesKind: 'all' | 'aggregate';
  samplesMs: number[];
  aggregate?: AggregateStats;
  delegation?: Delegation;
  warnings: JobWarning[];
  error?: GaugeErrorJSON;
  engine?: string;
  tempBeforeC?: number;
  tempAfterC?: number;
}

/** Energy of one job, from the columns the `energy` table has (absent ones read as undefined). */
export interface EnergyRecord {
  jobId: number;
  meter: string;
  perInferenceJ?: number;
  powerW?: number;
  idleW?: number;
}

const parse = <T>(s: unknown, d: T): T => (typeof s === 'string' && s.length ? (JSON.parse(s) as T) : d);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

/** Every job, in id order, with its timed samples (warm-up excluded). */
export function jobRecords(store: Store): JobRecord[] {
  const samples = new Map<number, number[]>();
  for (const s of store.db.prepare('SELECT job_id, ms FROM samples WHERE warmup = 0 ORDER BY job_id, idx').all() as { job_id: number; ms: number }[]) {
    let l = samples.get(s.job_id);
    if (!l) samples.set(s.job_id, (l = []));
    l.push(s.ms);
  }
  return (store.db.prepare('SELECT * FROM jobs ORDER BY id').all() as any[]).map((r) => ({
    id: r.id,
    campaign: r.campaign ?? 'default',
    deviceId: r.device_id,
    model: r.model_sha256,
    framework: r.framework,
    backend: r.backend,
    threads: r.threads,
    status: r.status,
    samplesKind: r.samples_kind === 'aggregate' ? 'aggregate' : 'all',
    samplesMs: r.status === 'done' ? (samples.get(r.id) ?? []) : [],
    aggregate: parse<AggregateStats | undefined>(r.aggregate, undefined),
    delegation: parse<Delegation | undefined>(r.delegation, undefined),
    warnings: parse<JobWarning[]>(r.warnings, []),
    error: parse<GaugeErrorJSON | undefined>(r.error, undefined),
    engine: r.engine ?? undefined,
    tempBeforeC: num(r.temp_before),
    tempAfterC: num(r.temp_after),
  }));
}

/** Energy rows, one per job that has one; reads whichever of the known columns the table has. */
export function energyRecords(store: Store): EnergyRecord[] {
  const cols = new Set((store.db.prepare('PRAGMA table_info(energy)').all() as { name: string }[]).map((c) => c.name));
  if (!cols.has('job_id')) return [];
  const pick = (c: string) => (cols.has(c) ? c : `NULL AS ${c}`);
  const rows = store.db.prepare(`SELECT job_id, ${pick('meter')}, ${pick('per_inference_j')}, ${pick('power_w')}, ${pick('idle_w')} FROM energy ORDER BY job_id`).all() as any[];
  return rows.map((r) => ({ jobId: r.job_id, meter: r.meter ?? 'unknown', perInferenceJ: num(r.per_inference_j), powerW: num(r.power_w), idleW: num(r.idle_w) }));
}
