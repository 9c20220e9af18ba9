import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { GaugeError, type GaugeErrorJSON } from '../errors/gauge-error.js';
import type { ExtractedApp } from '../extract/types.js';
import type { AggregateStats, Delegation, Device, DeviceInfo, JobWarning } from '../device/types.js';
import type { ModelGraph } from '../ir/model-graph.js';
import { MIGRATIONS } from './migrations.js';
import type { EnergyOutcome, PowerTrace } from '../energy/types.js';
import { blobFloat32, float32Blob } from '../energy/trace.js';
import { guardDatabase, storeFault } from './store-faults.js';

const now = () => new Date().toISOString();
const json = (v: unknown) => JSON.stringify(v ?? null);
const parse = <T>(s: string | null | undefined, d: T): T => (s == null ? d : (JSON.parse(s) as T));

/** A model row as the store keeps it. */
export interface StoredModel {
  sha256: string;
  framework: string;
  bytes: number;
  files: { path: string; entry?: string; sha256: string; bytes: number; role?: string }[];
  firstPath: string;
  analysedAt?: string;
  analysisError?: GaugeErrorJSON;
  macs?: number;
  flops?: number;
  params?: number;
  weightBytes?: number;
  layerCount?: number;
  modality?: string;
  quantization?: string;
  inputs?: { name: string; shape: number[]; dtype: string }[];
  outputs?: { name: string; shape: number[]; dtype: string }[];
  categories?: Record<string, number>;
  categoryMacs?: Record<string, number>;
  metadata?: Record<string, unknown>;
  apps: number;
}

/** One ended attempt of a job that did not end the job (a device lost mid-job). */
export interface AttemptRecord {
  attempt: number;
  startedAt?: string;
  endedAt: string;
  error: GaugeErrorJSON;
}

/** A measurement job: one (campaign, device, model, backend, threads). */
export interface JobRow {
  id: number;
  campaign: string;
  deviceId: string;
  model: string;
  framework: string;
  backend: string;
  threads: number;
  warmup: number;
  runs: number;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  error?: GaugeErrorJSON;
  engine?: string;
  tempBeforeC?: number;
  tempAfterC?: number;
  thermalWaitMs?: number;
  startedAt?: string;
  finishedAt?: string;
  /** `all`: every sample is stored; `aggregate`: the runtime printed only statistics (see `aggregate`). */
  samplesKind: 'all' | 'aggregate';
  aggregate?: AggregateStats;
  delegation?: Delegation | null;
  warnings: JobWarning[];
  /** What hygiene was applied and the CPU state before/after. */
  hygiene?: Record<string, unknown>;
  /** Attempts that a lost device ended, oldest first. */
  attemptLog: AttemptRecord[];
  extra?: Record<string, unknown>;
  claimedBy?: string;
}

/** Who claims jobs: this process on this host, so a later run can tell a dead claimant from a live one. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/** True when `owner` is a process of this host that no longer runs (or an owner we cannot place). */
function ownerGone(owner: string | null): boolean {
  if (!owner) return true;
  const i = owner.lastIndexOf(':');
  const host = owner.slice(0, i);
  const pid = Number(owner.slice(i + 1));
  if (host !== hostname()) return false; // another machine's run: we cannot tell, so leave it
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * The results store: one SQLite file is the truth (DESIGN.md). Every write that spans rows is one transaction,
 * so a campaign killed at any point leaves the store consistent.
 */
export class Store {
  readonly db: Database.Database;

  constructor(readonly path: string) {
    let raw: Database.Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      raw = new Database(path);
      // Every statement maps disk-full, read-only, locked and corrupt-file errors to typed GaugeErrors.
      this.db = guardDatabase(raw, path);
      this.db.pragma('busy_timeout = 5000');
      // Before anything writes (even switching to WAL rewrites the header): a foreign, damaged or newer file
      // is refused and left as it is.
      this.checkFile();
      this.db.pragma('journal_mode = WAL');
      // Foreign keys stay off while migrating: a migration that rebuilds a table (SQLite's documented way to
      // change a constraint) must not cascade-delete the rows that reference it. better-sqlite3 turns them on by
      // default, so they are turned off explicitly (outside any transaction, where SQLite ignores the pragma).
      this.db.pragma('foreign_keys = OFF');
      this.migrate();
      this.db.pragma('foreign_keys = ON');
    } catch (e) {
      raw?.close();
      if (e instanceof GaugeError) throw e;
      throw storeFault(e, path) ?? new GaugeError('STORE', `Cannot open the store ${path}: ${(e as Error).message}. Check the path is writable, or pick another with --store.`, { cause: e, subject: path });
    }
  }

  /** Refuse a file gaugeNN must not write: one from a newer schema, or a SQLite file that is not a store. */
  private checkFile(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new GaugeError('STORE_NEWER', `The store ${this.path} was written by a newer gaugeNN (schema ${version} > ${MIGRATIONS.length}). It was left untouched: upgrade gaugeNN to read it, or pick another store with --store.`, { subject: this.path });
    }
    if (version === 0) {
      const tables = (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 5").all() as { name: string }[]).map((t) => t.name);
      if (tables.length) {
        throw new GaugeError('STORE_CORRUPT', `${this.path} is a SQLite file but not a gaugeNN store (it has tables ${tables.join(', ')} and no gaugeNN schema version). It was left untouched; pick another store with --store.`, { subject: this.path });
      }
    }
  }

  /**
   * Apply the migrations not applied yet, each in an IMMEDIATE transaction that reads the version inside it:
   * two processes opening a new store at once (two `gaugenn bench`) must not both run the same migration.
   */
  private migrate(): void {
    for (;;) {
      const done = this.db.transaction(() => {
        const v = this.db.pragma('user_version', { simple: true }) as number;
        if (v >= MIGRATIONS.length) return true;
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
        return false;
      }).immediate();
      if (done) return;
    }
  }

  close(): void {
    this.db.close();
  }

  // ---- apps and models -------------------------------------------------------------------------

  /**
   * Record one extracted app, its models and where they occur. An app is one row per snapshot it was seen in:
   * re-extracting it for the same snapshot replaces that row and leaves its rows in other snapshots alone.
   * `fingerprint` (see {@link appFingerprint}) lets a later snapshot reuse this extraction.
   */
  saveApp(x: ExtractedApp, fingerprint?: unknown): number {
    const snapshot = x.app.snapshot ?? '';
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM apps WHERE app_key = ? AND snapshot = ?').run(x.app.id, snapshot);
      if (snapshot) this.db.prepare('INSERT OR IGNORE INTO snapshots (name, created_at) VALUES (?,?)').run(snapshot, now());
      const info = this.db
        .prepare(
          `INSERT INTO apps (app_key, file, files, source, snapshot, category, package, version_code, version_name, min_sdk, target_sdk, label,
             frameworks, native_libs, code_findings, cloud_apis, suspected_encrypted, errors, stats, extracted_at, fingerprint)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        )
        .run(
          x.app.id, x.app.files[0] ?? x.app.id, json(x.app.files), x.app.source, snapshot, x.app.category ?? null,
          x.meta.package ?? x.app.package ?? null, x.meta.versionCode ?? null, x.meta.versionName ?? null, x.meta.minSdk ?? null,
          x.meta.targetSdk ?? null, x.meta.label ?? null, json(x.frameworks), json(x.nativeLibs), json(x.codeFindings),
          json(x.cloudApis), json(x.suspectedEncrypted), json(x.errors), json(x.stats), now(), fingerprint === undefined ? null : json(fingerprint),
        );
      const appId = Number(info.lastInsertRowid);
      const insModel = this.db.prepare(
        `INSERT INTO models (sha256, framework, bytes, files, first_path) VALUES (?,?,?,?,?)
         ON CONFLICT(sha256) DO NOTHING`,
      );
      const insOcc = this.db.prepare('INSERT OR REPLACE INTO occurrences (app_id, model_sha256, path, offset) VALUES (?,?,?,?)');
      for (const m of x.models) {
        insModel.run(m.sha256, m.framework, m.bytes, json(m.files), m.path);
        insOcc.run(appId, m.sha256, m.path, m.offset ?? null);
      }
      return appId;
    });
    // IMMEDIATE: take the write lock before reading, so two extracts saving at once queue on the busy timeout
    // instead of one failing on a stale snapshot; each app's delete-and-insert stays one unit.
    return tx.immediate();
  }

  /** Apps as stored, one row per (app, snapshot), in the order they were recorded. */
  apps(): (Record<string, unknown> & { id: number; app_key: string })[] {
    return this.db.prepare('SELECT * FROM apps ORDER BY id').all() as never;
  }

  private rowToModel(r: any): StoredModel {
    return {
      sha256: r.sha256,
      framework: r.framework,
      bytes: r.bytes,
      files: parse(r.files, []),
      firstPath: r.first_path,
      analysedAt: r.analysed_at ?? undefined,
      analysisError: parse(r.analysis_error, undefined),
      macs: r.macs ?? undefined,
      flops: r.flops ?? undefined,
      params: r.params ?? undefined,
      weightBytes: r.weight_bytes ?? undefined,
      layerCount: r.layer_count ?? undefined,
      modality: r.modality ?? undefined,
      quantization: r.quantization ?? undefined,
      inputs: parse(r.inputs, undefined),
      outputs: parse(r.outputs, undefined),
      categories: parse(r.categories, undefined),
      categoryMacs: parse(r.category_macs, undefined),
      metadata: parse(r.metadata, undefined),
      apps: r.apps ?? 0,
    };
  }

  /** Models, with how many apps ship each. */
  models(filter: { analysed?: boolean; pending?: boolean } = {}): StoredModel[] {
    let where = '';
    if (filter.pending) where = 'WHERE m.analysed_at IS NULL AND m.analysis_error IS NULL';
    else if (filter.analysed) where = 'WHERE m.analysed_at IS NOT NULL';
    const rows = this.db
      .prepare(`SELECT m.*, (SELECT COUNT(DISTINCT app_id) FROM occurrences o WHERE o.model_sha256 = m.sha256) AS apps FROM models m ${where} ORDER BY m.first_path`)
      .all();
    return rows.map((r) => this.rowToModel(r));
  }

  model(sha256: string): StoredModel | undefined {
    const r = this.db.prepare(`SELECT m.*, (SELECT COUNT(DISTINCT app_id) FROM occurrences o WHERE o.model_sha256 = m.sha256) AS apps FROM models m WHERE sha256 = ?`).get(sha256);
    return r ? this.rowToModel(r) : undefined;
  }

  /** Record a model that was not yet in the store (e.g. `gaugenn analyze FILE` on a loose file). */
  ensureModel(m: { sha256: string; framework: string; bytes: number; files: StoredModel['files']; path: string }): void {
    this.db.prepare('INSERT INTO models (sha256, framework, bytes, files, first_path) VALUES (?,?,?,?,?) ON CONFLICT(sha256) DO NOTHING').run(m.sha256, m.framework, m.bytes, json(m.files), m.path);
  }

  /** Store a parsed graph: model totals, layers and weight digests, in one transaction. */
  saveAnalysis(sha256: string, g: ModelGraph): void {
    const categories: Record<string, number> = {};
    const categoryMacs: Record<string, number> = {};
    for (const l of g.layers) {
      categories[l.category] = (categories[l.category] ?? 0) + 1;
      categoryMacs[l.category] = (categoryMacs[l.category] ?? 0) + l.macs;
    }
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE models SET analysed_at=?, analysis_error=NULL, format_version=?, macs=?, flops=?, params=?, weight_bytes=?, layer_count=?,
             modality=?, quantization=?, inputs=?, outputs=?, categories=?, category_macs=?, metadata=?, notes=? WHERE sha256=?`,
        )
        .run(now(), g.formatVersion ?? null, g.totals.macs, g.totals.flops, g.totals.params, g.totals.weightBytes, g.layers.length,
          g.modality, g.quantization.scheme, json(g.inputs), json(g.outputs), json(categories), json(categoryMacs), json(g.metadata), json(g.notes ?? []), sha256);
      this.db.prepare('DELETE FROM layers WHERE model_sha256 = ?').run(sha256);
      this.db.prepare('DELETE FROM weights WHERE model_sha256 = ?').run(sha256);
      const insL = this.db.prepare('INSERT INTO layers VALUES (?,?,?,?,?,?,?,?,?,?,?)');
      const insW = this.db.prepare('INSERT INTO weights VALUES (?,?,?,?,?,?,?,?,?)');
      for (const l of g.layers) {
        insL.run(sha256, l.index, l.name, l.op, l.category, json(l.inputShapes), json(l.outputShapes), l.macs, l.flops, l.params, l.attrs ? json(l.attrs) : null);
        l.weights.forEach((w, n) => insW.run(sha256, l.index, n, w.name ?? null, json(w.shape), w.dtype, w.bytes, w.digest ?? null, w.trivial ? 1 : 0));
      }
    })();
  }

  /** Record why a model could not be analysed; it is not retried until re-extracted or forced. */
  saveAnalysisError(sha256: string, err: GaugeErrorJSON): void {
    this.db.prepare('UPDATE models SET analysis_error = ? WHERE sha256 = ?').run(json(err), sha256);
  }

  /** Layers of one model, in order. */
  layers(sha256: string): Record<string, unknown>[] {
    return this.db.prepare('SELECT * FROM layers WHERE model_sha256 = ? ORDER BY idx').all(sha256) as never;
  }

  // ---- devices, campaigns, jobs ----------------------------------------------------------------

  saveDevice(d: Device): void {
    this.db
      .prepare('INSERT INTO devices (id, kind, info, seen_at) VALUES (?,?,?,?) ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, info=excluded.info, seen_at=excluded.seen_at')
      .run(d.id, d.kind, json(d.info), now());
  }

  devices(): { id: string; kind: string; info: DeviceInfo; seenAt: string }[] {
    return (this.db.prepare('SELECT * FROM devices ORDER BY id').all() as any[]).map((r) => ({ id: r.id, kind: r.kind, info: parse(r.info, {} as DeviceInfo), seenAt: r.seen_at }));
  }

  /** Record one `bench` invocation of a named campaign (the name groups jobs; each invocation keeps its config). */
  createCampaign(config: unknown, name = 'default'): number {
    return Number(this.db.prepare('INSERT INTO campaigns (created_at, config, name) VALUES (?,?,?)').run(now(), json(config), name).lastInsertRowid);
  }

  /**
   * Plan jobs: one per (device, model, backend, threads). A job that already exists — done, failed or pending —
   * is kept as it is, so planning twice re-measures nothing. Returns how many were new.
   */
  planJobs(campaignId: number, deviceId: string, jobs: { model: string; framework: string; backend: string; threads: number }[], warmup: number, runs: number, campaign = 'default'): number {
    const ins = this.db.prepare(
      `INSERT INTO jobs (campaign, campaign_id, device_id, model_sha256, framework, backend, threads, warmup, runs, status, created_at)
       VALUES (?,?,?,?,?,?,?,?,?, 'pending', ?) ON CONFLICT(campaign, device_id, model_sha256, backend, threads) DO NOTHING`,
    );
    let added = 0;
    this.db.transaction(() => {
      for (const j of jobs) added += ins.run(campaign, campaignId, deviceId, j.model, j.framework, j.backend, j.threads, warmup, runs, now()).changes;
    })();
    return added;
  }

  /**
   * Jobs left `running` by a process that died are pending again: their samples were never committed. Jobs that a
   * live process (a concurrent `gaugenn bench`) is running are left alone.
   */
  recoverInterrupted(): number {
    const rows = this.db.prepare("SELECT id, claimed_by FROM jobs WHERE status='running'").all() as { id: number; claimed_by: string | null }[];
    const reset = this.db.prepare("UPDATE jobs SET status='pending', claimed_by=NULL WHERE id=? AND status='running'");
    let n = 0;
    this.db.transaction(() => {
      for (const r of rows) if (ownerGone(r.claimed_by)) n += reset.run(r.id).changes;
    })();
    return n;
  }

  /** Put failed jobs back in the queue (`gaugenn bench --retry-failed`). */
  retryFailed(campaign?: string): number {
    const sql = "UPDATE jobs SET status='pending', error=NULL, attempts=0, attempt_log='[]' WHERE status='failed'";
    return (campaign ? this.db.prepare(`${sql} AND campaign = ?`).run(campaign) : this.db.prepare(sql).run()).changes;
  }

  private rowToJob(r: any): JobRow {
    return {
      id: r.id, campaign: r.campaign, deviceId: r.device_id, model: r.model_sha256, framework: r.framework, backend: r.backend, threads: r.threads,
      warmup: r.warmup, runs: r.runs, status: r.status, attempts: r.attempts, error: parse(r.error, undefined), engine: r.engine ?? undefined,
      tempBeforeC: r.temp_before ?? undefined, tempAfterC: r.temp_after ?? undefined, thermalWaitMs: r.thermal_wait_ms ?? undefined,
      startedAt: r.started_at ?? undefined, finishedAt: r.finished_at ?? undefined,
      samplesKind: r.samples_kind, aggregate: parse(r.aggregate, undefined), delegation: parse(r.delegation, undefined),
      warnings: parse(r.warnings, []), hygiene: parse(r.hygiene, undefined), attemptLog: parse(r.attempt_log, []),
      extra: parse(r.extra, undefined), claimedBy: r.claimed_by ?? undefined,
    };
  }

  jobs(filter: { status?: JobRow['status']; deviceId?: string; campaign?: string } = {}): JobRow[] {
    const cond: string[] = [];
    const args: unknown[] = [];
    if (filter.status) { cond.push('status = ?'); args.push(filter.status); }
    if (filter.deviceId) { cond.push('device_id = ?'); args.push(filter.deviceId); }
    if (filter.campaign) { cond.push('campaign = ?'); args.push(filter.campaign); }
    const where = cond.length ? `WHERE ${cond.join(' AND ')}` : '';
    return (this.db.prepare(`SELECT * FROM jobs ${where} ORDER BY id`).all(...args) as any[]).map((r) => this.rowToJob(r));
  }

  job(id: number): JobRow | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id);
    return r ? this.rowToJob(r) : undefined;
  }

  /**
   * Claim the next pending job of a device in a campaign, atomically: the row moves to `running` under this owner in
   * one IMMEDIATE transaction, so two `gaugenn bench` processes on one store never take the same job.
   */
  claimJob(deviceId: string, campaign: string, owner = processOwner()): JobRow | undefined {
    const pick = this.db.prepare("SELECT id FROM jobs WHERE status='pending' AND device_id=? AND campaign=? ORDER BY id LIMIT 1");
    const take = this.db.prepare("UPDATE jobs SET status='running', claimed_by=?, attempts=attempts+1, started_at=?, finished_at=NULL WHERE id=? AND status='pending'");
    const id = this.db.transaction(() => {
      const r = pick.get(deviceId, campaign) as { id: number } | undefined;
      if (!r) return undefined;
      return take.run(owner, now(), r.id).changes === 1 ? r.id : undefined;
    }).immediate();
    return id === undefined ? undefined : this.job(id);
  }

  /** Move a job to `running` outside the claim path (tests, single-job tools). */
  startJob(id: number, tempBeforeC: number | undefined, thermalWaitMs: number): void {
    this.db.prepare("UPDATE jobs SET status='running', attempts=attempts+1, claimed_by=?, started_at=?, temp_before=?, thermal_wait_ms=? WHERE id=?").run(processOwner(), now(), tempBeforeC ?? null, thermalWaitMs, id);
  }

  /** What the thermal gate saw before a claimed job. */
  recordGate(id: number, tempBeforeC: number | undefined, thermalWaitMs: number): void {
    this.db.prepare('UPDATE jobs SET temp_before=?, thermal_wait_ms=? WHERE id=?').run(tempBeforeC ?? null, thermalWaitMs, id);
  }

  /** Add a warning to a job (kept across the job's attempts until it is done). */
  addWarning(id: number, w: JobWarning): void {
    const row = this.db.prepare('SELECT warnings FROM jobs WHERE id = ?').get(id) as { warnings: string } | undefined;
    if (!row) return;
    const list = parse<JobWarning[]>(row.warnings, []);
    if (!list.some((x) => x.code === w.code && x.message === w.message)) list.push(w);
    this.db.prepare('UPDATE jobs SET warnings=? WHERE id=?').run(json(list), id);
  }

  /** Record the hygiene applied and the CPU state around a job. */
  recordHygiene(id: number, hygiene: Record<string, unknown>): void {
    this.db.prepare('UPDATE jobs SET hygiene=? WHERE id=?').run(json(hygiene), id);
  }

  /**
   * Commit a finished job and all its samples atomically. A runtime that printed only aggregates gives an
   * `aggregate` job: its statistics are stored as such and no sample is invented.
   */
  finishJob(id: number, r: { samplesMs: number[]; warmupMs?: number[]; engine: string; extra?: unknown; tempAfterC?: number; aggregate?: AggregateStats; delegation?: Delegation | null; warnings?: JobWarning[] }): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM samples WHERE job_id = ?').run(id);
      const ins = this.db.prepare('INSERT INTO samples (job_id, warmup, idx, ms) VALUES (?,?,?,?)');
      r.samplesMs.forEach((ms, i) => ins.run(id, 0, i, ms));
      (r.warmupMs ?? []).forEach((ms, i) => ins.run(id, 1, i, ms));
      const prev = this.db.prepare('SELECT warnings FROM jobs WHERE id = ?').get(id) as { warnings: string } | undefined;
      const warnings = [...parse<JobWarning[]>(prev?.warnings, []), ...(r.warnings ?? [])];
      const kind = r.samplesMs.length === 0 && r.aggregate ? 'aggregate' : 'all';
      this.db
        .prepare("UPDATE jobs SET status='done', error=NULL, engine=?, extra=?, temp_after=?, finished_at=?, samples_kind=?, aggregate=?, delegation=?, warnings=?, claimed_by=NULL WHERE id=?")
        .run(r.engine, json(r.extra ?? {}), r.tempAfterC ?? null, now(), kind, r.aggregate ? json(r.aggregate) : null, r.delegation === undefined ? null : json(r.delegation), json(warnings), id);
    })();
  }

  failJob(id: number, err: GaugeErrorJSON, tempAfterC?: number): void {
    this.db.prepare("UPDATE jobs SET status='failed', error=?, temp_after=?, finished_at=?, claimed_by=NULL WHERE id=?").run(json(err), tempAfterC ?? null, now(), id);
  }

  /** Give a claimed job back untouched (the run was interrupted before it measured anything worth keeping). */
  releaseClaim(id: number): void {
    this.db.prepare("UPDATE jobs SET status='pending', claimed_by=NULL, attempts=MAX(0, attempts-1) WHERE id=? AND status='running'").run(id);
  }

  /**
   * End an attempt without ending the job (DESIGN.md: a device lost mid-job ends the attempt, not the job): the job is
   * pending again and the attempt is logged with its cause.
   */
  endAttempt(id: number, err: GaugeErrorJSON): void {
    const row = this.db.prepare('SELECT attempts, started_at, attempt_log FROM jobs WHERE id = ?').get(id) as { attempts: number; started_at: string | null; attempt_log: string } | undefined;
    if (!row) return;
    const log = parse<AttemptRecord[]>(row.attempt_log, []);
    log.push({ attempt: row.attempts, startedAt: row.started_at ?? undefined, endedAt: now(), error: err });
    this.db.prepare("UPDATE jobs SET status='pending', claimed_by=NULL, attempt_log=? WHERE id=?").run(json(log), id);
  }

  /** Timed samples of a job, in order. */
  samples(jobId: number, warmup = false): number[] {
    return (this.db.prepare('SELECT ms FROM samples WHERE job_id = ? AND warmup = ? ORDER BY idx').all(jobId, warmup ? 1 : 0) as { ms: number }[]).map((r) => r.ms);
  }

  // ---- energy ----------------------------------------------------------------------------------

  /**
   * Store one job's energy outcomes, one per source, with their traces; replaces what the job had. The first
   * attributed outcome is also the job's row in the summary `energy` table (schema 1) that reports read: meter is
   * the source name, marked `(coarse)` for coarse sources, idle_w the baseline, window_j the net energy.
   */
  saveEnergy(jobId: number, outcomes: EnergyOutcome[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM energy_windows WHERE job_id = ?').run(jobId);
      this.db.prepare('DELETE FROM energy WHERE job_id = ?').run(jobId);
      const primary = outcomes.find((o) => o.status === 'done' && o.attribution);
      if (primary) {
        const a = primary.attribution!;
        this.db.prepare('INSERT INTO energy (job_id, meter, idle_w, window_j, per_inference_j, power_w, samples) VALUES (?,?,?,?,?,?,NULL)')
          .run(jobId, `${primary.source}${primary.coarse ? ' (coarse)' : ''}`, a.baselineW, a.netEnergyJ, a.energyPerInferenceJ, a.avgPowerW);
      }
      const ins = this.db.prepare(
        `INSERT INTO energy_windows (job_id, source, coarse, status, error, description, baseline_w, avg_power_w, energy_per_inference_j,
           net_energy_j, energy_j, window_s, inferences, efficiency_macs_per_j, inferences_per_j, spread, samples_in_window, samples_in_baseline,
           t0_ms, rate_hz, trace_power, trace_t, markers) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      );
      for (const o of outcomes) {
        const a = o.attribution;
        const t = o.trace;
        ins.run(jobId, o.source, o.coarse ? 1 : 0, o.status, o.error ? json(o.error) : null, o.description ?? null,
          a?.baselineW ?? null, a?.avgPowerW ?? null, a?.energyPerInferenceJ ?? null, a?.netEnergyJ ?? null, a?.energyJ ?? null,
          a?.windowS ?? null, a?.inferences ?? null, a?.efficiencyMacsPerJ ?? null, a?.inferencesPerJ ?? null, a ? json(a.spread) : null,
          a?.samplesInWindow ?? null, a?.samplesInBaseline ?? null,
          t?.t0Ms ?? null, t?.rateHz ?? null, t ? float32Blob(t.powerW) : null, t?.tS ? float32Blob(t.tS) : null, json(o.markers));
      }
    })();
  }

  /** A job's energy outcomes in the order they were configured (without traces; see {@link energyTrace}). */
  energy(jobId: number): Omit<EnergyOutcome, 'trace'>[] {
    const rows = this.db.prepare('SELECT * FROM energy_windows WHERE job_id = ? ORDER BY rowid').all(jobId) as any[];
    return rows.map((r) => ({
      source: r.source,
      coarse: r.coarse === 1,
      description: r.description ?? undefined,
      status: r.status,
      error: parse(r.error, undefined),
      markers: parse(r.markers, []),
      attribution: r.status === 'done' ? {
        baselineW: r.baseline_w, avgPowerW: r.avg_power_w, energyPerInferenceJ: r.energy_per_inference_j, netEnergyJ: r.net_energy_j,
        energyJ: r.energy_j, windowS: r.window_s, inferences: r.inferences, efficiencyMacsPerJ: r.efficiency_macs_per_j,
        inferencesPerJ: r.inferences_per_j, spread: parse(r.spread, { windows: 0, mean: 0, std: 0, min: 0, max: 0 }),
        samplesInWindow: r.samples_in_window, samplesInBaseline: r.samples_in_baseline,
      } : undefined,
    }));
  }

  /** The stored trace of one job and source, for re-deriving its energy; undefined when none was kept. */
  energyTrace(jobId: number, source: string): PowerTrace | undefined {
    const r = this.db.prepare('SELECT t0_ms, rate_hz, trace_power, trace_t FROM energy_windows WHERE job_id = ? AND source = ?').get(jobId, source) as any;
    if (!r?.trace_power) return undefined;
    return { t0Ms: r.t0_ms, rateHz: r.rate_hz, powerW: blobFloat32(r.trace_power), ...(r.trace_t ? { tS: blobFloat32(r.trace_t) } : {}) };
  }
}
