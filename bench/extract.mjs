#!/usr/bin/env node
/**
 * bench/extract: gaugeNN's extraction (central directory first, then only the bytes sniffers, locators, scanners
 * and hashes need, across worker threads) against the unzip-everything-then-scan baseline, side by side.
 *
 * The corpus (≥ 2 GB of APKs by default) is built once into a temp folder and reused: APKs shaped like real ones
 * (DEX, native libraries, stored media, deflated data) with one real TFLite model each from the @mediapipe packages,
 * so models are well under 5% of the bytes. Each side runs in a fresh child process, after the corpus was read once
 * to warm the page cache for both; peak RSS is the child's (all its threads), plus the largest `unzip` for the baseline.
 *
 * `--kind code` builds a corpus in which DEX files and native libraries are a third of the bytes, a quarter of
 * those libraries not valid ELF (packed or encrypted payloads under `lib*.so` names, as packers ship them).
 * Besides the in-process jobs, the `command` job runs the whole `gaugenn extract` command as a user would (a
 * fresh process: start-up, config, every bundled plugin, the store) against the same baseline.
 *
 *   node bench/extract.mjs [--gb 2] [--kind default|code] [--jobs models,full,command] [--workers N] [--repeat 3] [--corpus DIR] [--rebuild]
 *
 * Needs a build (`npx tsc -b packages/cli`) and the `unzip` command (`apt-get install -y unzip`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
/** The model plugins (sniffers, locators) and plugin-android (manifest, DEX and native-library scanners). */
const MODEL_PLUGINS = ['plugin-tflite', 'plugin-ncnn', 'plugin-caffe', 'plugin-formats'].map((p) => join(root, 'packages', p, 'dist/index.js'));
const ANDROID_PLUGIN = join(root, 'packages/plugin-android/dist/index.js');
const PLUGINS = [...MODEL_PLUGINS, ANDROID_PLUGIN];
/** The jobs compared, each done by both sides with the same plugins (`command`: the CLI with its bundled ones). */
const JOBS = { models: MODEL_PLUGINS, full: PLUGINS, command: PLUGINS };
const BIN = join(root, 'packages/cli/bin/run.cjs');

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const GB = Number(flag('gb', '2'));
const KIND = flag('kind', 'default');
if (KIND !== 'default' && KIND !== 'code') throw new Error(`--kind is default or code, not ${KIND}`);
const WORKERS = Number(flag('workers', String(availableParallelism())));
const CORPUS = resolve(flag('corpus', join(tmpdir(), `gaugenn-bench-extract-${KIND === 'code' ? 'code-' : ''}${GB}g`)));
const APK_MB = 52;

// ---------------------------------------------------------------------------------------------------------------
// Child modes: one side of the comparison, printing one JSON line.

if (args[0] === '--child') {
  const side = args[1];
  const apks = (await readdir(CORPUS)).filter((f) => f.endsWith('.apk')).sort().map((f) => join(CORPUS, f));
  const t0 = performance.now();
  const [who, job] = side.split(':');
  const r = who === 'baseline' ? await runBaseline(apks, JOBS[job]) : job === 'command' ? await runCommand() : await runGaugenn(apks, JOBS[job]);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ side, seconds, ...r, maxRss: Math.max(r.maxRss ?? 0, process.resourceUsage().maxRSS * 1024) }) + '\n');
  process.exit(0);
}

/** gaugeNN through `extractApps` (worker pool, store writes) with the given plugins. */
async function runGaugenn(apks, plugins) {
  const work = await mkdtemp(join(tmpdir(), 'gaugenn-bench-g-'));
  try {
    const recipe = { builtins: plugins, cwd: work, workers: WORKERS };
    const gauge = await core.gaugeFromRecipe(recipe);
    const store = new core.Store(join(work, 'bench.db'));
    let maxRss = 0;
    const xs = await core.extractApps(gauge, store, apps(apks), undefined, undefined, { workers: WORKERS, onPoolStats: (s) => (maxRss = s.maxRss) });
    store.close();
    return { models: xs.reduce((n, x) => n + x.models.length, 0), errors: xs.reduce((n, x) => n + x.errors.length, 0), maxRss };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The whole `gaugenn extract CORPUS --json` command in a fresh process, timed from here: Node start-up, oclif,
 * the config, every bundled plugin, the worker pool and the store writes are all in the figure.
 */
async function runCommand() {
  const work = await mkdtemp(join(tmpdir(), 'gaugenn-bench-c-'));
  try {
    await writeFile(join(work, 'gaugenn.config.json'), JSON.stringify({ extract: { workers: WORKERS } }));
    const { code, out, rss, err } = await new Promise((res, rej) => {
      const hasTime = existsSync('/usr/bin/time');
      const argv = [process.execPath, BIN, 'extract', CORPUS, '--json', '--store', join(work, 'bench.db')];
      const p = spawn(hasTime ? '/usr/bin/time' : argv[0], hasTime ? ['-f', '%M', ...argv] : argv.slice(1), { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks = [];
      let e = '';
      p.stdout.on('data', (d) => chunks.push(d));
      p.stderr.on('data', (d) => (e += d));
      p.on('error', rej);
      p.on('close', (c) => res({ code: c, out: Buffer.concat(chunks).toString('utf8'), rss: Number(/(\d+)\s*$/.exec(e.trim())?.[1] ?? 0) * 1024, err: e }));
    });
    if (code !== 0) throw new Error(`gaugenn extract exited ${code}: ${err.slice(-2000)}`);
    const xs = JSON.parse(out);
    return { models: xs.reduce((n, x) => n + x.models.length, 0), errors: xs.reduce((n, x) => n + x.errors.length, 0), maxRss: rss };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function apps(apks) {
  return apks.map((f) => ({ id: f, files: [f], source: 'bench' }));
}

/**
 * The baseline does the same job the gaugeNN side does, with the same plugins, the usual way: unzip every APK whole
 * to disk, then walk the files: sniff every head with the same sniffers and hash what they claim, search the same
 * unclaimed blobs with the same locators, and hand every file a scanner wants to that scanner. N APKs at a time.
 */
async function runBaseline(apks, plugins) {
  const gauge = await core.gaugeFromRecipe({ builtins: plugins, cwd: tmpdir() });
  const locators = gauge.sniffers.filter((s) => typeof s.locate === 'function');
  const sink = { setMeta() {}, addFinding() {}, addNativeLib() {}, addSuspect() {} };
  const work = await mkdtemp(join(tmpdir(), 'gaugenn-bench-b-'));
  let models = 0;
  let unzipRss = 0;
  let next = 0;
  const one = async (apk, slot) => {
    const out = join(work, `x${slot}`);
    // /usr/bin/time -f %M: the unzip's own peak RSS (KiB), so the baseline's memory is counted in full.
    const { rss } = await runUnzip(apk, out);
    unzipRss = Math.max(unzipRss, rss);
    for (const e of await readdir(out, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const p = join(e.parentPath, e.name);
      const rel = p.slice(out.length + 1);
      const fh = await open(p, 'r');
      const head = Buffer.alloc(core.SNIFF_HEAD_BYTES);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      const size = (await fh.stat()).size;
      await fh.close();
      const input = { path: rel, size, head: head.subarray(0, bytesRead) };
      const hit = gauge.sniffers.some((s) => s.sniff(input));
      const wanted = gauge.scanners.filter((s) => s.wants(rel, size));
      const magic = core.knownMagic(input.head);
      const searched = !hit && size >= 64 * 1024 && (!magic || (magic.locatable && wanted.length > 0));
      if (hit) {
        const h = createHash('sha256');
        for await (const c of createReadStream(p)) h.update(c);
        h.digest('hex');
        models++;
      }
      if (wanted.length || searched) {
        const data = await readFile(p);
        // The same work gaugeNN does with each scanner: by ranges where it reads by ranges (then only the ranges
        // it names are searched for models), else whole.
        let ranges;
        for (const s of wanted) {
          try {
            if (s.scanRanges) {
              const got = await s.scanRanges({ path: rel, size, read: async (o, n) => data.subarray(o, o + n) }, sink);
              ranges = [...(ranges ?? []), ...(got ?? [])];
            } else await s.scan(data, rel, sink);
          } catch { /* recorded as an app error by gaugeNN; nothing to count here */ }
        }
        if (ranges && !hit) for (const r of ranges) for (const l of locators) models += l.locate(data.subarray(r.offset, r.offset + r.length)).length;
        else if (searched) for (const l of locators) models += l.locate(data).length;
      }
    }
    await rm(out, { recursive: true, force: true });
  };
  await Promise.all(Array.from({ length: WORKERS }, async (_, slot) => {
    while (next < apks.length) await one(apks[next++], slot);
  }));
  await rm(work, { recursive: true, force: true });
  return { models, errors: 0, maxRss: 0, unzipRss };
}

function runUnzip(apk, out) {
  return new Promise((res, rej) => {
    const hasTime = existsSync('/usr/bin/time');
    const cmd = hasTime ? '/usr/bin/time' : 'unzip';
    const argv = hasTime ? ['-f', '%M', 'unzip', '-o', '-q', apk, '-d', out] : ['-o', '-q', apk, '-d', out];
    const p = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('close', (code) => {
      if (code !== 0) return rej(new Error(`unzip failed on ${apk}: ${err}`));
      const kib = Number(/(\d+)\s*$/.exec(err.trim())?.[1] ?? 0);
      res({ rss: kib * 1024 });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

/** Real models ≤ 2.1 MB from the @mediapipe packages (one per APK keeps models under 5% of a 52 MB APK). */
async function realModels() {
  const out = [];
  const base = join(root, 'node_modules/@mediapipe');
  for (const pkg of (await readdir(base)).sort()) {
    for (const f of (await readdir(join(base, pkg))).sort()) {
      if (!f.endsWith('.tflite')) continue;
      const b = await readFile(join(base, pkg, f));
      if (b.length <= 2.1 * 1024 * 1024) out.push({ name: f, data: b });
    }
  }
  if (out.length === 0) throw new Error('No @mediapipe models found: run npm ci first.');
  return out;
}

async function buildCorpus() {
  const marker = join(CORPUS, '.complete');
  if (existsSync(marker) && !args.includes('--rebuild')) return JSON.parse(await readFile(marker, 'utf8'));
  if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status !== 0) throw new Error('`unzip` is missing: apt-get install -y unzip');
  const { writeManifest } = await import(pathToFileURL(ANDROID_PLUGIN).href);
  await rm(CORPUS, { recursive: true, force: true });
  await mkdir(CORPUS, { recursive: true });
  const models = await realModels();
  const pool = randomBytes(64 * 1024 * 1024); // incompressible bytes, sliced at different offsets
  let at = 0;
  const rnd = (n) => {
    if (at + n > pool.length) at = 0;
    const b = pool.subarray(at, at + n);
    at += n + 4099;
    return b;
  };
  /** A DEX with a sound header and no ids (a scanner finds no classes), then opaque data. */
  const dex = (n) => {
    const b = Buffer.from(rnd(n));
    b.fill(0, 0, 0x70);
    b.write('dex\n035\0', 0, 'latin1');
    b.writeUInt32LE(n, 32); // file_size
    b.writeUInt32LE(0x70, 36); // header_size
    b.writeUInt32LE(0x12345678, 40); // endian_tag
    return b;
  };
  /**
   * An ELF64 aarch64 shared object shaped like a real one: a large opaque .text, a .rodata with strings, and a
   * small .dynsym/.dynstr (JNI exports), with section headers at the end — so the native-library scanner does the
   * work it does on real libraries (symbols from the tables, strings from .rodata), not a worst-case whole-file search.
   */
  const elf = (n) => {
    const names = ['libgame.so', 'JNI_OnLoad', 'Java_com_bench_Native_run', 'Java_com_bench_Native_init', 'malloc', 'free'];
    const dynstr = Buffer.from('\0' + names.join('\0') + '\0', 'latin1');
    const nameOff = (i) => 1 + names.slice(0, i).reduce((s, x) => s + x.length + 1, 0);
    const dynsym = Buffer.alloc(24 * names.length);
    for (let i = 1; i < names.length; i++) {
      const e = dynsym.subarray(24 * i);
      e.writeUInt32LE(nameOff(i), 0);
      e[4] = i < 4 ? 0x12 : 0x10; // GLOBAL FUNC exported, or GLOBAL NOTYPE imported
      e.writeUInt16LE(i < 4 ? 1 : 0, 6); // defined in .text, or undefined (an import)
    }
    const rodata = Buffer.alloc(64 * 1024);
    Buffer.from('bench game engine v1.2.3\0shader compile failed: %s\0level %d loaded\0', 'latin1').copy(rodata);
    const shstrtab = Buffer.from('\0.text\0.rodata\0.dynstr\0.dynsym\0.shstrtab\0', 'latin1');
    const fixed = 64 + rodata.length + dynstr.length + dynsym.length + shstrtab.length + 6 * 64 + 64;
    const text = rnd(Math.max(4096, n - fixed));
    const parts = [];
    let off = 0;
    const put = (b, align = 8) => { const pad = (align - (off % align)) % align; if (pad) { parts.push(Buffer.alloc(pad)); off += pad; } const at = off; parts.push(b); off += b.length; return at; };
    const ehdr = Buffer.alloc(64);
    put(ehdr);
    const sec = [
      { name: 1, type: 1, flags: 6, at: put(text, 16), size: text.length },
      { name: 7, type: 1, flags: 2, at: put(rodata), size: rodata.length },
      { name: 15, type: 3, flags: 2, at: put(dynstr), size: dynstr.length },
      { name: 23, type: 11, flags: 2, at: put(dynsym), size: dynsym.length, link: 3, info: 1, entsize: 24 },
      { name: 31, type: 3, flags: 0, at: put(shstrtab), size: shstrtab.length },
    ];
    const shdrs = Buffer.alloc(64 * (sec.length + 1));
    sec.forEach((x, i) => {
      const h = shdrs.subarray(64 * (i + 1));
      h.writeUInt32LE(x.name, 0); h.writeUInt32LE(x.type, 4); h.writeBigUInt64LE(BigInt(x.flags), 8);
      h.writeBigUInt64LE(BigInt(x.at), 24); h.writeBigUInt64LE(BigInt(x.size), 32);
      h.writeUInt32LE(x.link ?? 0, 40); h.writeUInt32LE(x.info ?? 0, 44); h.writeBigUInt64LE(1n, 48); h.writeBigUInt64LE(BigInt(x.entsize ?? 0), 56);
    });
    const shoff = put(shdrs);
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(ehdr, 0);
    ehdr.writeUInt16LE(3, 16); // ET_DYN
    ehdr.writeUInt16LE(183, 18); // EM_AARCH64
    ehdr.writeUInt32LE(1, 20);
    ehdr.writeBigUInt64LE(BigInt(shoff), 40);
    ehdr.writeUInt16LE(64, 52); // e_ehsize
    ehdr.writeUInt16LE(56, 54); // e_phentsize
    ehdr.writeUInt16LE(64, 58); // e_shentsize
    ehdr.writeUInt16LE(sec.length + 1, 60); // e_shnum
    ehdr.writeUInt16LE(sec.length, 62); // e_shstrndx
    return Buffer.concat(parts);
  };
  const withMagic = (magic, n, off = 0) => {
    const b = Buffer.from(rnd(n));
    Buffer.from(magic, 'latin1').copy(b, off);
    return b;
  };
  const count = Math.ceil((GB * 1024) / APK_MB);
  let total = 0;
  let modelBytes = 0;
  let codeBytes = 0;
  for (let i = 0; i < count; i++) {
    const m = models[i % models.length];
    const MB = 1024 * 1024;
    // Modern APKs keep native libraries stored (page-aligned, mapped in place).
    const code = KIND === 'code'
      ? [
          // DEX 7.5 MB + native libraries 10 MB = a third of the APK; 2.5 MB of the libraries are no ELF at all.
          { name: 'classes.dex', data: dex(5 * MB), method: 'deflate' },
          { name: 'classes2.dex', data: dex(2.5 * MB), method: 'deflate' },
          { name: 'lib/arm64-v8a/libgame.so', data: elf(6 * MB), method: 'store' },
          { name: 'lib/arm64-v8a/libc++_shared.so', data: elf(1.5 * MB), method: 'store' },
          { name: 'lib/arm64-v8a/libjiagu.so', data: withMagic('\x00JGU', 2 * MB), method: 'store' },
          { name: 'lib/arm64-v8a/libassets.so', data: Buffer.from(rnd(0.5 * MB)), method: 'store' },
        ]
      : [
          { name: 'classes.dex', data: dex(6 * MB), method: 'deflate' },
          { name: 'classes2.dex', data: dex(3 * MB), method: 'deflate' },
          { name: 'lib/arm64-v8a/libgame.so', data: elf(8 * MB), method: 'store' },
          { name: 'lib/arm64-v8a/libc++_shared.so', data: elf(MB), method: 'store' },
        ];
    codeBytes += code.reduce((n, e) => n + e.data.length, 0);
    const entries = [
      { name: 'AndroidManifest.xml', data: writeManifest({ package: `com.bench.app${i}`, versionCode: i + 1, versionName: `1.${i}`, minSdk: 24, targetSdk: 34 }), method: 'deflate' },
      ...code,
      { name: 'resources.arsc', data: withMagic('\x02\x00\x0c\x00', MB), method: 'store' },
      // aapt stores media it cannot compress further.
      ...Array.from({ length: 200 }, (_, k) => ({ name: `res/drawable-xxhdpi/img_${k}.png`, data: withMagic('\x89PNG\r\n\x1a\n', 50 * 1024), method: 'store' })),
      ...Array.from({ length: 4 }, (_, k) => ({ name: `assets/audio/track_${k}.ogg`, data: withMagic('OggS', 3 * 1024 * 1024), method: 'store' })),
      { name: 'assets/video/intro.mp4', data: withMagic('ftypisom', 10 * 1024 * 1024, 4), method: 'store' },
      ...Array.from({ length: 5 }, (_, k) => ({ name: `assets/data/level_${k}.json`, data: Buffer.from(JSON.stringify({ level: k, tiles: Array.from({ length: 20000 }, (_, t) => (t * 7 + k) % 97) })), method: 'deflate' })),
      { name: `assets/models/${m.name}`, data: m.data, method: i % 2 ? 'deflate' : 'store' },
    ];
    const f = join(CORPUS, `app${String(i).padStart(4, '0')}.apk`);
    await core.writeZip(f, entries, { apkSigningBlock: true, level: 1 });
    total += (await stat(f)).size;
    modelBytes += m.data.length;
    process.stderr.write(`\rbuilding corpus: ${i + 1}/${count} APKs, ${(total / 1e9).toFixed(2)} GB`);
  }
  process.stderr.write('\n');
  const info = { apks: count, bytes: total, modelBytes, codeBytes, models: count, kind: KIND };
  await writeFile(marker, JSON.stringify(info));
  return info;
}

async function warm() {
  for (const f of (await readdir(CORPUS)).filter((f) => f.endsWith('.apk'))) for await (const _ of createReadStream(join(CORPUS, f), { highWaterMark: 1 << 22 }));
}

function child(side) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', side, '--corpus', CORPUS, '--workers', String(WORKERS), '--gb', String(GB)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${side} run failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

// ---------------------------------------------------------------------------------------------------------------

const info = await buildCorpus();
console.log(`corpus: ${CORPUS}`);
console.log(`  ${info.apks} APKs, ${(info.bytes / 1e9).toFixed(2)} GB, models ${(info.modelBytes / 1e6).toFixed(1)} MB = ${((100 * info.modelBytes) / info.bytes).toFixed(2)}% of the bytes; ${WORKERS} worker(s) / parallel unzips`);
if (info.codeBytes) console.log(`  DEX + native libraries: ${(info.codeBytes / 1e6).toFixed(0)} MB = ${((100 * info.codeBytes) / info.bytes).toFixed(1)}% of the bytes (corpus kind: ${info.kind})`);
await warm();
// Each side runs REPEAT times, alternating, and the median run is reported: two shared cores make single runs noisy.
const REPEAT = Number(flag('repeat', '3'));
const median = (xs) => [...xs].sort((a, b) => a.seconds - b.seconds)[Math.floor(xs.length / 2)];
const results = {};
// `--jobs full,command` runs only those jobs.
const RUN_JOBS = flag('jobs', Object.keys(JOBS).join(',')).split(',').filter((j) => j in JOBS);
for (const job of RUN_JOBS) {
  const gs = [];
  const bs = [];
  for (let i = 0; i < REPEAT; i++) {
    gs.push(child(`gaugenn:${job}`));
    bs.push(child(`baseline:${job}`));
  }
  results[job] = { g: median(gs), b: median(bs), all: { g: gs.map((x) => x.seconds), b: bs.map((x) => x.seconds) } };
}
const mb = (x) => info.bytes / 1e6 / x.seconds;
const gb = `${(info.bytes / 1e9).toFixed(2)} GB`;
const rss = (x) => `${(x.maxRss / 2 ** 20).toFixed(0)} MiB${x.unzipRss ? ` (+ unzip ${(x.unzipRss / 2 ** 20).toFixed(0)} MiB)` : ''}`;
const JOB_NAMES = { models: 'find models (model plugins)', full: 'full extraction (+ manifest, DEX, native libs)', command: 'whole `gaugenn extract` command (start-up included)' };
const rows = [['job', 'side', 'bytes', 'seconds', 'MB/s', 'peak RSS', 'models', 'ratio']];
for (const [job, { g, b }] of Object.entries(results)) {
  rows.push([JOB_NAMES[job], 'gaugeNN', gb, g.seconds.toFixed(2), mb(g).toFixed(0), rss(g), String(g.models), `${(mb(g) / mb(b)).toFixed(1)}x`]);
  rows.push(['', 'unzip + same scan (baseline)', gb, b.seconds.toFixed(2), mb(b).toFixed(0), rss(b), String(b.models), '1.0x']);
}
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((v, c) => (c <= 1 ? v.padEnd(w[c]) : v.padStart(w[c]))).join('  '));
console.log(`\nmedian of ${REPEAT} runs per side; all runs (s): ${Object.entries(results).map(([j, r]) => `${j}: gaugeNN ${r.all.g.map((x) => x.toFixed(2)).join('/')}, baseline ${r.all.b.map((x) => x.toFixed(2)).join('/')}`).join('; ')}`);
const peak = Math.max(...Object.values(results).map((r) => r.g.maxRss));
const x10 = (job) => (!results[job] ? 'not run' : mb(results[job].g) / mb(results[job].b) >= 10 ? 'met' : 'NOT met');
console.log(`\ntargets: find models >= 10x the baseline: ${x10('models')}; whole gaugenn extract command >= 10x: ${x10('command')}; gaugeNN peak RSS < 512 MiB: ${peak < 512 * 2 ** 20 ? 'met' : 'NOT met'}`);
for (const [job, { g, b }] of Object.entries(results)) {
  if (g.errors) console.log(`${job}: gaugeNN recorded ${g.errors} errors across the corpus`);
  if (g.models !== b.models) console.log(`${job}: note: models found differ (gaugeNN ${g.models}, baseline ${b.models})`);
}
