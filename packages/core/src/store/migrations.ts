/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Never edit a released migration: add a new one.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, created_at TEXT NOT NULL
  );
  CREATE TABLE apps (
    id INTEGER PRIMARY KEY,
    app_key TEXT UNIQUE NOT NULL,
    file TEXT NOT NULL,
    files TEXT NOT NULL,
    source TEXT NOT NULL,
    snapshot TEXT, category TEXT,
    package TEXT, version_code INTEGER, version_name TEXT, min_sdk INTEGER, target_sdk INTEGER, label TEXT,
    frameworks TEXT NOT NULL DEFAULT '[]',
    native_libs TEXT NOT NULL DEFAULT '[]',
    code_findings TEXT NOT NULL DEFAULT '[]',
    cloud_apis TEXT NOT NULL DEFAULT '[]',
    suspected_encrypted TEXT NOT NULL DEFAULT '[]',
    errors TEXT NOT NULL DEFAULT '[]',
    stats TEXT NOT NULL DEFAULT '{}',
    extracted_at TEXT NOT NULL
  );
  CREATE TABLE models (
    sha256 TEXT PRIMARY KEY,
    framework TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    files TEXT NOT NULL,
    first_path TEXT NOT NULL,
    analysed_at TEXT,
    analysis_error TEXT,
    format_version TEXT,
    macs INTEGER, flops INTEGER, params INTEGER, weight_bytes INTEGER, layer_count INTEGER,
    modality TEXT, quantization TEXT,
    inputs TEXT, outputs TEXT, categories TEXT, category_macs TEXT, metadata TEXT, notes TEXT
  );
  CREATE TABLE occurrences (
    app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    model_sha256 TEXT NOT NULL REFERENCES models(sha256),
    path TEXT NOT NULL,
    offset INTEGER,
    PRIMARY KEY (app_id, path)
  );
  CREATE INDEX occurrences_model ON occurrences(model_sha256);
  CREATE TABLE layers (
    model_sha256 TEXT NOT NULL REFERENCES models(sha256) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT, op TEXT NOT NULL, category TEXT NOT NULL,
    input_shapes TEXT NOT NULL, output_shapes TEXT NOT NULL,
    macs INTEGER NOT NULL, flops INTEGER NOT NULL, params INTEGER NOT NULL,
    attrs TEXT,
    PRIMARY KEY (model_sha256, idx)
  );
  CREATE TABLE weights (
    model_sha256 TEXT NOT NULL REFERENCES models(sha256) ON DELETE CASCADE,
    layer_idx INTEGER NOT NULL,
    n INTEGER NOT NULL,
    name TEXT, shape TEXT NOT NULL, dtype TEXT NOT NULL, bytes INTEGER NOT NULL,
    digest TEXT, trivial INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (model_sha256, layer_idx, n)
  );
  CREATE INDEX weights_digest ON weights(digest) WHERE digest IS NOT NULL AND trivial = 0;
  CREATE TABLE devices (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, info TEXT NOT NULL, seen_at TEXT NOT NULL
  );
  CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, config TEXT NOT NULL
  );
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER REFERENCES campaigns(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    model_sha256 TEXT NOT NULL REFERENCES models(sha256),
    framework TEXT NOT NULL,
    backend TEXT NOT NULL,
    threads INTEGER NOT NULL,
    warmup INTEGER NOT NULL,
    runs INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    engine TEXT,
    extra TEXT,
    temp_before REAL, temp_after REAL, thermal_wait_ms INTEGER,
    created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
    UNIQUE (device_id, model_sha256, backend, threads)
  );
  CREATE INDEX jobs_status ON jobs(status);
  CREATE TABLE samples (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    warmup INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    ms REAL NOT NULL,
    PRIMARY KEY (job_id, warmup, idx)
  );
  CREATE TABLE energy (
    job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    meter TEXT NOT NULL,
    idle_w REAL, window_j REAL, per_inference_j REAL, power_w REAL, samples TEXT
  );
  `,
  // 2: named campaigns (a job is unique per campaign, device, model, backend, threads), aggregate jobs, backend
  // truth, warnings, hygiene, and the attempt history. SQLite cannot change a UNIQUE constraint in place, so the
  // jobs table is rebuilt; existing jobs belong to the campaign named 'default'.
  `
  ALTER TABLE campaigns ADD COLUMN name TEXT NOT NULL DEFAULT 'default';
  CREATE TABLE jobs_v2 (
    id INTEGER PRIMARY KEY,
    campaign TEXT NOT NULL DEFAULT 'default',
    campaign_id INTEGER REFERENCES campaigns(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    model_sha256 TEXT NOT NULL REFERENCES models(sha256),
    framework TEXT NOT NULL,
    backend TEXT NOT NULL,
    threads INTEGER NOT NULL,
    warmup INTEGER NOT NULL,
    runs INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    engine TEXT,
    extra TEXT,
    temp_before REAL, temp_after REAL, thermal_wait_ms INTEGER,
    created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT,
    samples_kind TEXT NOT NULL DEFAULT 'all' CHECK (samples_kind IN ('all','aggregate')),
    aggregate TEXT,
    delegation TEXT,
    warnings TEXT NOT NULL DEFAULT '[]',
    hygiene TEXT,
    attempt_log TEXT NOT NULL DEFAULT '[]',
    claimed_by TEXT,
    UNIQUE (campaign, device_id, model_sha256, backend, threads)
  );
  INSERT INTO jobs_v2 (id, campaign, campaign_id, device_id, model_sha256, framework, backend, threads, warmup, runs, status, attempts,
      error, engine, extra, temp_before, temp_after, thermal_wait_ms, created_at, started_at, finished_at)
    SELECT id, 'default', campaign_id, device_id, model_sha256, framework, backend, threads, warmup, runs, status, attempts,
      error, engine, extra, temp_before, temp_after, thermal_wait_ms, created_at, started_at, finished_at FROM jobs;
  DROP TABLE jobs;
  ALTER TABLE jobs_v2 RENAME TO jobs;
  CREATE INDEX jobs_status ON jobs(status);
  CREATE INDEX jobs_device ON jobs(device_id, status);
  `,
  // 3: snapshot membership. The same package file seen in two snapshots is an app of each, so an app row is unique
  // per (app_key, snapshot) instead of per app_key; '' stands for "no snapshot" (SQLite's UNIQUE lets NULLs repeat).
  // `fingerprint` (sizes and mtimes of the package files) lets a second snapshot reuse an unchanged extraction.
  `
  CREATE TABLE apps_v3 (
    id INTEGER PRIMARY KEY,
    app_key TEXT NOT NULL,
    file TEXT NOT NULL,
    files TEXT NOT NULL,
    source TEXT NOT NULL,
    snapshot TEXT NOT NULL DEFAULT '', category TEXT,
    package TEXT, version_code INTEGER, version_name TEXT, min_sdk INTEGER, target_sdk INTEGER, label TEXT,
    frameworks TEXT NOT NULL DEFAULT '[]',
    native_libs TEXT NOT NULL DEFAULT '[]',
    code_findings TEXT NOT NULL DEFAULT '[]',
    cloud_apis TEXT NOT NULL DEFAULT '[]',
    suspected_encrypted TEXT NOT NULL DEFAULT '[]',
    errors TEXT NOT NULL DEFAULT '[]',
    stats TEXT NOT NULL DEFAULT '{}',
    extracted_at TEXT NOT NULL,
    fingerprint TEXT,
    UNIQUE (app_key, snapshot)
  );
  INSERT INTO apps_v3 (id, app_key, file, files, source, snapshot, category, package, version_code, version_name, min_sdk, target_sdk, label,
      frameworks, native_libs, code_findings, cloud_apis, suspected_encrypted, errors, stats, extracted_at)
    SELECT id, app_key, file, files, source, COALESCE(snapshot, ''), category, package, version_code, version_name, min_sdk, target_sdk, label,
      frameworks, native_libs, code_findings, cloud_apis, suspected_encrypted, errors, stats, extracted_at FROM apps;
  DROP TABLE apps;
  ALTER TABLE apps_v3 RENAME TO apps;
  CREATE INDEX apps_package ON apps(package, snapshot);
  INSERT OR IGNORE INTO snapshots (name, created_at) SELECT DISTINCT snapshot, MIN(extracted_at) FROM apps WHERE snapshot != '' GROUP BY snapshot;
  `,
  // 4: energy per job and source. The trace itself is kept (power as a float32 blob, times implicit from the rate
  // or as float32 offsets, and the window markers), so energy figures can be re-derived without re-measuring.
  `
  CREATE TABLE energy_windows (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    coarse INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('done','failed')),
    error TEXT,
    description TEXT,
    baseline_w REAL, avg_power_w REAL, energy_per_inference_j REAL, net_energy_j REAL, energy_j REAL,
    window_s REAL, inferences REAL, efficiency_macs_per_j REAL, inferences_per_j REAL,
    spread TEXT, samples_in_window INTEGER, samples_in_baseline INTEGER,
    t0_ms REAL, rate_hz REAL, trace_power BLOB, trace_t BLOB, markers TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (job_id, source)
  );
  `,
];
