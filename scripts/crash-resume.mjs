#!/usr/bin/env node
/**
 * `npm run crash-resume -- [--kills N] [--mode bench|extract|both] [--seed S] [--runs R] [--json] [--keep]`
 *
 * Kills `gaugenn bench` (and `gaugenn extract`) with SIGKILL N times (default 20) at chosen points, resumes it each
 * time, and then checks the store: every job done exactly once (a job done before a kill is never touched again),
 * every done job with exactly its samples (indices 0…runs-1, none lost, none doubled), every app once with the same
 * models as a run that was never killed, and `PRAGMA integrity_check` ok. Kill points rotate over:
 *   startup      a random moment in the first 1.5 s (config, migrations, planning)
 *   mid-job      a random moment while a job is `running`
 *   between-jobs as soon as another job (or app) is committed
 *   mid-commit   as soon as the store's write-ahead log grows (a transaction is being written)
 * The kill takes gaugenn and every process it started (runners), as a host crash would.
 * Bench runs on the host device with the real LiteRT runtime (gaugeNN's venv) over small TFLite models from the
 * `@mediapipe/*` npm packages. Exit code 0 when every check passed.
 */
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(repoRoot, 'packages', 'cli', 'bin', 'run.js');
const require = createRequire(join(repoRoot, 'package.json'));
const { values: o } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    mode: { type: 'string', default: 'both' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    runs: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const KILLS = Number(o.kills);
const RUNS = Number(o.runs);
const WARMUP = 1;
let seed = Number(o.seed) >>> 0;
const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
const STRATEGIES = ['mid-job', 'between-jobs', 'mid-commit', 'startup'];
const log = (s) => (o.json ? process.stderr : process.stdout).write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pkgFile(pkg, rel) {
  try {
    const p = join(dirname(require.resolve(`${pkg}/package.json`)), rel);
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Small TFLite models shipped on npm (LiteRT runs each in well under a second). */
const BENCH_MODELS = [
  ['@mediapipe/face_detection', 'face_detection_short_range.tflite'],
  ['@mediapipe/selfie_segmentation', 'selfie_segmentation.tflite'],
  ['@mediapipe/selfie_segmentation', 'selfie_segmentation_landscape.tflite'],
  ['@mediapipe/face_detection', 'face_detection_full_range_sparse.tflite'],
  ['@mediapipe/face_detection', 'face_detection_full_range.tflite'],
  ['@mediapipe/hands', 'hand_landmark_lite.tflite'],
].map(([p, f]) => pkgFile(p, f)).filter(Boolean);

/** A corpus of apps and loose models: npm APKs and models, and the shared fixtures where present. */
function extractCorpus() {
  const out = [...BENCH_MODELS];
  for (const [p, f] of [['io.appium.settings', 'apks/settings_apk-debug.apk'], ['appium-uiautomator2-server', 'apks/appium-uiautomator2-server-debug-androidTest.apk'], ['@mediapipe/pose', 'pose_landmark_lite.tflite'], ['@mediapipe/holistic', 'pose_landmark_lite.tflite']]) {
    const x = pkgFile(p, f);
    if (x) out.push(x);
  }
  const fixtures = resolve(repoRoot, '..', 'shared', 'fixtures');
  for (const sub of ['tflite', 'ncnn', 'caffe', 'android']) {
    const d = join(fixtures, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (statSync(join(d, f)).isFile()) out.push(join(d, f));
  }
  return out;
}

/** Pids of every descendant of `pid` (from /proc), so a kill takes the whole tree at once, as a crash would. */
function descendants(pid) {
  const children = new Map();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const stack = [pid];
  while (stack.length) for (const c of children.get(stack.pop()) ?? []) (out.push(c), stack.push(c));
  return out;
}

function crash(child) {
  const tree = [child.pid, ...descendants(child.pid)];
  for (const p of tree) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function openRead(db) {
  return existsSync(db) ? new Database(db, { readonly: true, fileMustExist: true }) : undefined;
}

/** Read one figure from the store while gaugenn writes it (WAL lets a reader in); undefined if not there yet. */
function peek(db, sql) {
  let d;
  try {
    d = openRead(db);
    return d?.prepare(sql).get();
  } catch {
    return undefined;
  } finally {
    d?.close();
  }
}

const walSize = (db) => {
  try {
    return statSync(`${db}-wal`).size;
  } catch {
    return 0;
  }
};

function runCli(args, cwd) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
}

/**
 * Start the command, wait for the strategy's kill point, crash it. Resolves with what happened:
 * 'killed' (at the point), or 'finished' (it completed before the point came).
 */
async function killOnce(args, cwd, db, strategy, progressSql, runningSql) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  let exited = false;
  child.on('exit', () => (exited = true));
  const t0 = Date.now();
  const progress = () => peek(db, progressSql)?.n ?? 0;
  const start = progress();
  const wal0 = walSize(db);
  const deadline = t0 + 120_000;
  let at = 'none';
  if (strategy === 'startup') {
    const wait = random() * 1500;
    while (!exited && Date.now() - t0 < wait) await sleep(5);
    at = `${Math.round(wait)} ms after start`;
  } else if (strategy === 'mid-job') {
    // Wait until a job is running (extract has no job rows: a moment into the walk), then a random moment more.
    if (runningSql) while (!exited && Date.now() < deadline && !((peek(db, runningSql)?.n ?? 0) > 0)) await sleep(10);
    else await sleep(300 + random() * 1500);
    const wait = random() * 700;
    await sleep(wait);
    at = `${Math.round(wait)} ms into ${runningSql ? 'a running job' : 'the walk'}`;
  } else if (strategy === 'between-jobs') {
    while (!exited && Date.now() < deadline && progress() <= start) await sleep(3);
    at = `right after commit #${progress()}`;
  } else {
    // mid-commit: the WAL grows while a transaction's pages are written.
    let w = walSize(db);
    const base = w;
    while (!exited && Date.now() < deadline && w <= Math.max(base, wal0)) {
      await sleep(1);
      w = walSize(db);
    }
    at = `WAL at ${w} bytes (was ${base})`;
  }
  if (exited) return { outcome: 'finished', at };
  crash(child);
  await new Promise((r) => (exited ? r() : child.on('exit', r)));
  return { outcome: 'killed', at, ms: Date.now() - t0 };
}

function integrity(db) {
  const d = new Database(db, { readonly: true });
  try {
    return { integrity: d.pragma('integrity_check', { simple: true }), foreignKeys: d.pragma('foreign_key_check').length };
  } finally {
    d.close();
  }
}

/** What each done job holds, to prove a job done before a kill is never measured again. */
function doneJobs(db) {
  const d = openRead(db);
  if (!d) return new Map();
  try {
    const rows = d.prepare("SELECT id, finished_at, attempts FROM jobs WHERE status IN ('done','failed')").all();
    const m = new Map();
    for (const r of rows) {
      const s = d.prepare('SELECT warmup, idx, ms FROM samples WHERE job_id = ? ORDER BY warmup, idx').all(r.id);
      m.set(r.id, `${r.finished_at}|${createHash('sha256').update(JSON.stringify(s)).digest('hex')}`);
    }
    return m;
  } catch {
    return new Map();
  } finally {
    d.close();
  }
}

async function benchScenario(work) {
  const db = join(work, 'bench.db');
  const problems = [];
  // Enough jobs that the campaign outlasts the kills: models × thread counts.
  const threads = Array.from({ length: Math.max(1, Math.ceil((KILLS * 1.3 + 4) / BENCH_MODELS.length)) }, (_, i) => i + 1);
  writeFileSync(join(work, 'gaugenn.config.json'), JSON.stringify({ bench: { runs: RUNS, warmup: WARMUP, threads, timeoutMs: 120_000 } }));
  const ex = runCli(['extract', ...BENCH_MODELS, '--store', db, '--json'], work);
  const an = runCli(['analyze', '--store', db, '--json'], work);
  if (ex.status !== 0 || an.status !== 0) throw new Error(`setup failed: ${ex.stderr}${an.stderr}`);
  const kills = [];
  let frozen = new Map();
  for (let i = 0; kills.length < KILLS; i++) {
    const strategy = STRATEGIES[i % STRATEGIES.length];
    const r = await killOnce(['bench', '--store', db, '--json'], work, db, strategy, "SELECT COUNT(*) AS n FROM jobs WHERE status IN ('done','failed')", "SELECT COUNT(*) AS n FROM jobs WHERE status = 'running'");
    const now = doneJobs(db);
    // A job finished before this kill must be exactly as it was.
    for (const [id, v] of frozen) if (now.get(id) !== v) problems.push(`job ${id} changed after it was done (kill ${kills.length})`);
    frozen = now;
    const pending = peek(db, "SELECT COUNT(*) AS n FROM jobs WHERE status NOT IN ('done','failed')")?.n;
    kills.push({ strategy, ...r, doneAfter: now.size, pendingAfter: pending });
    log(`  bench kill ${kills.length}/${KILLS} ${strategy.padEnd(12)} ${r.outcome} ${r.at}; ${now.size} done, ${pending} left`);
    if (r.outcome === 'finished') {
      problems.push(`the campaign finished before kill ${kills.length}: too few jobs for ${KILLS} kills`);
      break;
    }
  }
  const last = runCli(['bench', '--store', db, '--json'], work);
  if (last.status !== 0) problems.push(`the resumed bench exited ${last.status}: ${last.stderr.slice(0, 500)}`);
  const final = doneJobs(db);
  for (const [id, v] of frozen) if (final.get(id) !== v) problems.push(`job ${id} changed after it was done (final run)`);
  const d = new Database(db, { readonly: true });
  const jobs = d.prepare('SELECT id, status, runs, warmup, attempts, error FROM jobs ORDER BY id').all();
  const expected = new Set(d.prepare('SELECT sha256 FROM models WHERE analysed_at IS NOT NULL').all().map((m) => m.sha256)).size * threads.length;
  if (jobs.length !== expected) problems.push(`${jobs.length} jobs, expected ${expected} (one per model × threads)`);
  const dupKeys = d.prepare('SELECT COUNT(*) AS n FROM (SELECT campaign, device_id, model_sha256, backend, threads FROM jobs GROUP BY 1,2,3,4,5 HAVING COUNT(*) > 1)').get().n;
  if (dupKeys) problems.push(`${dupKeys} job keys appear twice`);
  let done = 0;
  for (const j of jobs) {
    if (j.status !== 'done') {
      problems.push(`job ${j.id} is ${j.status}${j.error ? `: ${j.error}` : ''}`);
      continue;
    }
    done++;
    for (const [w, n] of [[0, j.runs], [1, j.warmup]]) {
      const idx = d.prepare('SELECT idx FROM samples WHERE job_id = ? AND warmup = ? ORDER BY idx').all(j.id, w).map((r) => r.idx);
      if (idx.length !== n || idx.some((x, k) => x !== k)) problems.push(`job ${j.id} has ${idx.length} ${w ? 'warm-up' : 'timed'} samples (indices ${idx.slice(0, 5).join(',')}…), expected ${n}`);
    }
  }
  const orphans = d.prepare('SELECT COUNT(*) AS n FROM samples s LEFT JOIN jobs j ON j.id = s.job_id WHERE j.id IS NULL OR j.status != \'done\'').get().n;
  if (orphans) problems.push(`${orphans} samples belong to no done job`);
  const reruns = jobs.filter((j) => j.attempts > 1).length;
  d.close();
  const check = integrity(db);
  if (check.integrity !== 'ok') problems.push(`integrity_check: ${check.integrity}`);
  if (check.foreignKeys) problems.push(`${check.foreignKeys} foreign key violations`);
  return { scenario: 'bench', kills: kills.filter((k) => k.outcome === 'killed').length, killLog: kills, jobs: jobs.length, done, jobsInterruptedAndRerun: reruns, ...check, problems };
}

function appsOf(db) {
  const d = new Database(db, { readonly: true });
  try {
    const apps = d.prepare('SELECT id, app_key FROM apps ORDER BY app_key').all();
    return apps.map((a) => ({ app: a.app_key, models: d.prepare('SELECT model_sha256 || \'@\' || path AS m FROM occurrences WHERE app_id = ? ORDER BY 1').all(a.id).map((r) => r.m) }));
  } finally {
    d.close();
  }
}

async function extractScenario(work) {
  const corpus = extractCorpus();
  const problems = [];
  const ref = join(work, 'extract-ref.db');
  const refRun = runCli(['extract', ...corpus, '--store', ref, '--json'], work);
  if (refRun.status !== 0) throw new Error(`reference extract failed: ${refRun.stderr}`);
  const expected = appsOf(ref);
  const db = join(work, 'extract.db');
  const kills = [];
  // Count real kills: on a loaded machine a run can end before its kill point; it is logged and another is tried.
  const killed = () => kills.filter((k) => k.outcome === 'killed').length;
  for (let i = 0; killed() < KILLS && i < KILLS * 4; i++) {
    const strategy = STRATEGIES[i % STRATEGIES.length];
    const r = await killOnce(['extract', ...corpus, '--store', db, '--json'], work, db, strategy, 'SELECT COALESCE(MAX(id), 0) AS n FROM apps');
    kills.push({ strategy, ...r, appsAfter: peek(db, 'SELECT COUNT(*) AS n FROM apps')?.n ?? 0 });
    log(`  extract kill ${killed()}/${KILLS} ${strategy.padEnd(12)} ${r.outcome} ${r.at}; ${kills.at(-1).appsAfter} apps stored`);
    if (existsSync(db)) {
      const c = integrity(db);
      if (c.integrity !== 'ok') problems.push(`integrity_check after kill ${kills.length}: ${c.integrity}`);
    }
  }
  const last = runCli(['extract', ...corpus, '--store', db, '--json'], work);
  if (last.status !== 0) problems.push(`the resumed extract exited ${last.status}: ${last.stderr.slice(0, 500)}`);
  const got = appsOf(db);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    const g = new Map(got.map((a) => [a.app, a.models.join(' ')]));
    for (const a of expected) if (g.get(a.app) !== a.models.join(' ')) problems.push(`app ${a.app}: models differ from the run that was never killed`);
    if (got.length !== expected.length) problems.push(`${got.length} apps, expected ${expected.length}`);
  }
  const d = new Database(db, { readonly: true });
  const dupOcc = d.prepare('SELECT COUNT(*) AS n FROM (SELECT app_id, model_sha256, path FROM occurrences GROUP BY 1,2,3 HAVING COUNT(*) > 1)').get().n;
  const orphanOcc = d.prepare('SELECT COUNT(*) AS n FROM occurrences o LEFT JOIN apps a ON a.id = o.app_id WHERE a.id IS NULL').get().n;
  d.close();
  if (dupOcc) problems.push(`${dupOcc} occurrences doubled`);
  if (orphanOcc) problems.push(`${orphanOcc} occurrences of apps that are gone`);
  const check = integrity(db);
  if (check.integrity !== 'ok') problems.push(`integrity_check: ${check.integrity}`);
  return { scenario: 'extract', kills: kills.filter((k) => k.outcome === 'killed').length, killLog: kills, apps: got.length, corpus: corpus.length, ...check, problems };
}

const work = mkdtempSync(join(tmpdir(), 'gaugenn-crash-resume-'));
const results = [];
log(`crash-resume: ${KILLS} kills per scenario, seed ${o.seed}, work ${work}`);
try {
  if (o.mode === 'bench' || o.mode === 'both') {
    if (BENCH_MODELS.length < 2) throw new Error('the @mediapipe/* npm packages are not installed: run `npm ci`');
    results.push(await benchScenario(work));
  }
  if (o.mode === 'extract' || o.mode === 'both') results.push(await extractScenario(work));
} finally {
  if (!o.keep) rmSync(work, { recursive: true, force: true });
}
const ok = results.every((r) => r.problems.length === 0 && r.kills === KILLS);
for (const r of results) {
  log(`${r.scenario}: ${r.kills} kills, ${r.scenario === 'bench' ? `${r.done}/${r.jobs} jobs done (${r.jobsInterruptedAndRerun} interrupted and re-run)` : `${r.apps} apps`}, integrity ${r.integrity}; ${r.problems.length ? `PROBLEMS:\n    ${r.problems.join('\n    ')}` : 'all checks passed'}`);
}
if (o.json) process.stdout.write(`${JSON.stringify({ ok, seed: Number(o.seed), kills: KILLS, results }, null, 2)}\n`);
process.exit(ok ? 0 : 1);
