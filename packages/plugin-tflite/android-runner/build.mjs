#!/usr/bin/env node
/**
 * Builds gaugeNN's on-device TFLite runner: javac + D8 against the official TFLite AARs from Maven Central,
 * into `dist/` (gitignored): `gaugenn-tflite-runner.dex`, `lib/<abi>/*.so` from the AARs, and `manifest.json`
 * (versions, sha256 of every file). Run from the repository root with `npm run build:android-runner`.
 *
 * Needs a JDK (javac, java, jar) and Maven (`mvn dependency:get` fetches the artifacts into ~/.m2; nothing fetched
 * is committed). A second run with the same sources and artifacts is a no-op; `--force` rebuilds. The output is
 * reproducible: javac and D8 write the same bytes for the same inputs, and no timestamp goes into the DEX.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const JAVA_SRC = join(HERE, 'java');
const BUILD = join(HERE, 'build');
const DIST = join(HERE, 'dist');
const RUNNER_CLASS = 'dev.gaugenn.tflite.TfliteRunner';
const DEX_NAME = 'gaugenn-tflite-runner.dex';
const MIN_API = 21;

/**
 * The artifacts, by Maven coordinates. `tensorflow-lite-gpu-api` (GpuDelegateFactory and its Options, which
 * GpuDelegate's constructors take) is published on Maven Central only up to 2.14.0; 2.16.1's GpuDelegate calls
 * only methods 2.14.0's Options has (isPrecisionLossAllowed, areQuantizedModelsAllowed, getInferencePreference,
 * getSerializationDir, getModelToken, getForceBackend), checked with javap.
 */
const ARTIFACTS = [
  { key: 'tensorflowLite', group: 'org.tensorflow', artifact: 'tensorflow-lite', version: '2.16.1', type: 'aar', dex: true, libs: true },
  { key: 'tensorflowLiteApi', group: 'org.tensorflow', artifact: 'tensorflow-lite-api', version: '2.16.1', type: 'aar', dex: true },
  { key: 'tensorflowLiteGpu', group: 'org.tensorflow', artifact: 'tensorflow-lite-gpu', version: '2.16.1', type: 'aar', dex: true, libs: true },
  { key: 'tensorflowLiteGpuApi', group: 'org.tensorflow', artifact: 'tensorflow-lite-gpu-api', version: '2.14.0', type: 'aar', dex: true },
  { key: 'androidStubs', group: 'com.google.android', artifact: 'android', version: '4.1.1.4', type: 'jar' },
  { key: 'r8', group: 'com.android.tools', artifact: 'r8', version: '8.5.35', type: 'jar' },
];
/** The ABIs the runner ships for (each AAR's jni/ folder). */
const ABIS = ['arm64-v8a', 'armeabi-v7a', 'x86', 'x86_64'];

const log = (s) => process.stderr.write(`[android-runner] ${s}\n`);
const sha256 = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new Error(`${cmd} was not found. The Android runner's build needs a JDK 17 (javac, java, jar) and Maven (Debian: apt-get install openjdk-17-jdk-headless maven).`);
    }
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function walk(dir, ext) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out;
}

const m2 = process.env.GAUGENN_MAVEN_REPO ?? join(homedir(), '.m2', 'repository');
const localPath = (a) => join(m2, ...a.group.split('.'), a.artifact, a.version, `${a.artifact}-${a.version}.${a.type}`);

/** The artifact in the local Maven repository, fetched from Maven Central when absent. */
function fetch(a) {
  const p = localPath(a);
  if (!existsSync(p)) {
    log(`fetching ${a.group}:${a.artifact}:${a.version}:${a.type} from Maven Central`);
    run('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${a.group}:${a.artifact}:${a.version}:${a.type}`, '-Dtransitive=false', ...(process.env.GAUGENN_MAVEN_REPO ? [`-Dmaven.repo.local=${m2}`] : [])]);
    if (!existsSync(p)) throw new Error(`Maven reported success but ${p} is absent.`);
  }
  return p;
}

/** Hash of what the build's output depends on: the Java sources, this script and the artifact versions. */
function inputsHash() {
  const h = createHash('sha256');
  for (const f of walk(JAVA_SRC, '.java')) h.update(relative(HERE, f)).update(readFileSync(f));
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  h.update(JSON.stringify(ARTIFACTS));
  return h.digest('hex');
}

/**
 * One build at a time (test files running in parallel may each find dist/ missing): a lock folder, waited for,
 * taken from a builder that died more than 10 minutes ago.
 */
function withLock(f) {
  const lock = join(HERE, '.build-lock');
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > 600_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() - t0 > 900_000) throw new Error(`another build holds ${lock}; remove it if no build is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return f();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function main() {
  const force = process.argv.includes('--force');
  const inputs = inputsHash();
  const manifestPath = join(DIST, 'manifest.json');
  if (!force && existsSync(manifestPath)) {
    try {
      const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const files = [m.dex.file, ...Object.values(m.abis).flat().map((l) => l.file)];
      if (m.inputsSha256 === inputs && files.every((f) => existsSync(join(DIST, f)))) {
        log(`up to date: ${relative(process.cwd(), DIST)} (use --force to rebuild)`);
        return;
      }
    } catch {
      // unreadable manifest: rebuild
    }
  }

  const paths = Object.fromEntries(ARTIFACTS.map((a) => [a.key, fetch(a)]));
  rmSync(BUILD, { recursive: true, force: true });
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(BUILD, { recursive: true });

  // Each AAR's classes.jar and jni/ libraries.
  const classJars = [];
  for (const a of ARTIFACTS.filter((x) => x.type === 'aar')) {
    const dir = join(BUILD, 'aar', a.artifact);
    mkdirSync(dir, { recursive: true });
    run('jar', ['xf', paths[a.key]], { cwd: dir });
    if (a.dex) classJars.push(join(dir, 'classes.jar'));
  }

  log(`javac ${RUNNER_CLASS}`);
  const classes = join(BUILD, 'classes');
  mkdirSync(classes, { recursive: true });
  const cp = [paths.androidStubs, ...classJars].join(':');
  run('javac', ['--release', '8', '-Xlint:-options', '-encoding', 'UTF-8', '-implicit:none', '-cp', cp, '-d', classes, ...walk(JAVA_SRC, '.java')]);

  log('d8');
  const dexOut = join(BUILD, 'dex');
  mkdirSync(dexOut, { recursive: true });
  run('java', ['-cp', paths.r8, 'com.android.tools.r8.D8', '--release', '--min-api', String(MIN_API), '--lib', paths.androidStubs, '--output', dexOut, ...walk(classes, '.class'), ...classJars]);
  mkdirSync(DIST, { recursive: true });
  copyFileSync(join(dexOut, 'classes.dex'), join(DIST, DEX_NAME));

  const abis = {};
  for (const abi of ABIS) {
    abis[abi] = [];
    for (const a of ARTIFACTS.filter((x) => x.libs)) {
      const jni = join(BUILD, 'aar', a.artifact, 'jni', abi);
      if (!existsSync(jni)) continue;
      for (const so of readdirSync(jni).filter((f) => f.endsWith('.so')).sort()) {
        const rel = `lib/${abi}/${so}`;
        mkdirSync(join(DIST, 'lib', abi), { recursive: true });
        copyFileSync(join(jni, so), join(DIST, rel));
        abis[abi].push({ name: so, file: rel, sha256: sha256(join(DIST, rel)), bytes: statSync(join(DIST, rel)).size, from: `${a.group}:${a.artifact}:${a.version}` });
      }
    }
  }
  const dex = join(DIST, DEX_NAME);
  const manifest = {
    runnerClass: RUNNER_CLASS,
    minApi: MIN_API,
    dex: { file: DEX_NAME, sha256: sha256(dex), bytes: statSync(dex).size },
    abis,
    versions: Object.fromEntries(ARTIFACTS.map((a) => [a.key, `${a.group}:${a.artifact}:${a.version}`])),
    javac: run('javac', ['-version']).trim() || 'javac',
    inputsSha256: inputs,
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), DIST)}: ${DEX_NAME} (${manifest.dex.bytes} bytes, sha256 ${manifest.dex.sha256.slice(0, 12)}…), libs for ${Object.keys(abis).filter((k) => abis[k].length).join(', ')}`);
}

try {
  withLock(main);
} catch (e) {
  log(e.message);
  process.exit(1);
}
