import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GaugeError, type GaugeErrorJSON } from '../errors/gauge-error.js';
import type { ExtractedApp } from '../extract/types.js';
import type { Device, DeviceInfo } from '../device/types.js';
import type { ModelGraph } from '../ir/model-graph.js';
import { MIGRATIONS } from './migrations.js';
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

/** A measurement job: one (device, model, backend, threads). */
export interface JobRow {
  id: number;
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
  startedAt?: string;
  finishedAt?: string;
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
      // change a constraint) must not cascade-delete the rows that reference it.
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

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  close(): void {
    this.db.close();
  }

  // ---- apps and models -------------------------------------------------------------------------

  /** Record one extracted app, its models and where they occur. Re-extracting an app replaces its row. */
  saveApp(x: ExtractedApp): number {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM apps WHERE app_key = ?').run(x.app.id);
      const info = this.db
        .prepare(
          `INSERT INTO apps (app_key, file, files, source, snapshot, category, package, version_code, version_name, min_sdk, target_sdk, label,
             frameworks, native_libs, code_findings, cloud_apis, suspected_encrypted, errors, stats, extracted_at)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        )
        .run(
          x.app.id, x.app.files[0] ?? x.app.id, json(x.app.files), x.app.source, x.app.snapshot ?? null, x.app.category ?? null,
          x.meta.package ?? x.app.package ?? null, x.meta.versionCode ?? null, x.meta.versionName ?? null, x.meta.minSdk ?? null,
          x.meta.targetSdk ?? null, x.meta.label ?? null, json(x.frameworks), json(x.nativeLibs), json(x.codeFindings),
          json(x.cloudApis), json(x.suspectedEncrypted), json(x.errors), json(x.stats), now(),
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

  /** Apps as stored, newest first. */
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

  /** Jobs left `running` by a process that died are pending again: their samples were never committed. */
  recoverInterrupted(): number {
    return this.db.prepare("UPDATE jobs SET status='pending' WHERE status='running'").run().changes;
  }

  /** Put failed jobs back in the queue (`gaugenn bench --retry-failed`). */
  retryFailed(): number {
    return this.db.prepare("UPDATE jobs SET status='pending', error=NULL WHERE status='failed'").run().changes;
  }

  private rowToJob(r: any): JobRow {
    return {
      id: r.id, deviceId: r.device_id, model: r.model_sha256, framework: r.framework, backend: r.backend, threads: r.threads,
      warmup: r.warmup, runs: r.runs, status: r.status, attempts: r.attempts, error: parse(r.error, undefined), engine: r.engine ?? undefined,
      tempBeforeC: r.temp_before ?? undefined, tempAfterC: r.temp_after ?? undefined, startedAt: r.started_at ?? undefined, finishedAt: r.finished_at ?? undefined,
    };
  }

  jobs(filter: { status?: JobRow['status']; deviceId?: string } = {}): JobRow[] {
    const cond: string[] = [];
    const args: unknown[] = [];
    if (filter.status) { cond.push('status = ?'); args.push(filter.status); }
    if (filter.deviceId) { cond.push('device_id = ?'); args.push(filter.deviceId); }
    const where = cond.length ? `WHERE ${cond.join(' AND ')}` : '';
    return (this.db.prepare(`SELECT * FROM jobs ${where} ORDER BY id`).all(...args) as any[]).map((r) => this.rowToJob(r));
  }

  job(id: number): JobRow | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id);
    return r ? this.rowToJob(r) : undefined;
  }

  startJob(id: number, tempBeforeC: number | undefined, thermalWaitMs: number): void {
    this.db.prepare("UPDATE jobs SET status='running', attempts=attempts+1, started_at=?, temp_before=?, thermal_wait_ms=? WHERE id=?").run(now(), tempBeforeC ?? null, thermalWaitMs, id);
  }

  /** Commit a finished job and all its samples atomically. */
  finishJob(id: number, r: { samplesMs: number[]; warmupMs?: number[]; engine: string; extra?: unknown; tempAfterC?: number }): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM samples WHERE job_id = ?').run(id);
      const ins = this.db.prepare('INSERT INTO samples (job_id, warmup, idx, ms) VALUES (?,?,?,?)');
      r.samplesMs.forEach((ms, i) => ins.run(id, 0, i, ms));
      (r.warmupMs ?? []).forEach((ms, i) => ins.run(id, 1, i, ms));
      this.db.prepare("UPDATE jobs SET status='done', error=NULL, engine=?, extra=?, temp_after=?, finished_at=? WHERE id=?").run(r.engine, json(r.extra ?? {}), r.tempAfterC ?? null, now(), id);
    })();
  }

  failJob(id: number, err: GaugeErrorJSON, tempAfterC?: number): void {
    this.db.prepare("UPDATE jobs SET status='failed', error=?, temp_after=?, finished_at=? WHERE id=?").run(json(err), tempAfterC ?? null, now(), id);
  }

  /** Timed samples of a job, in order. */
  samples(jobId: number, warmup = false): number[] {
    return (this.db.prepare('SELECT ms FROM samples WHERE job_id = ? AND warmup = ? ORDER BY idx').all(jobId, warmup ? 1 : 0) as { ms: number }[]).map((r) => r.ms);
  }
}
