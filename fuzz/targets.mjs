/**
 * The fuzz targets: one entry per reader. Adding a reader is adding one entry here:
 *
 *   {
 *     name: 'my-reader',                       // `npm run fuzz -- --target my-reader`
 *     seeds: async () => [{ name, bytes, companion? }],   // real inputs (fixtures, npm files, captured output)
 *     structure: { analyze: (bytes) => info, mutators: { name: (buf, rng, info) => buf } },  // optional
 *     text: true,                              // optional: also use the text mutators (line/number/punctuation)
 *     setup: async () => ctx,                  // optional, once per worker (a Gauge, a scratch folder)
 *     teardown: async (ctx) => {},             // optional, after the last input (remove the scratch folder)
 *     run: async (bytes, seed, ctx) => outcome // throw a GaugeError to reject; return a short string to name the outcome
 *   }
 *
 * Every input is one seed plus 1–4 mutations (byte-level, and the target's structure-aware ones). `run` may
 * throw only GaugeErrors; anything else, a hang past the time bound or memory past the bound is a crash.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferByteSource, GaugeError, ZipReader, buildZip, createGauge, extractApp, parseRunnerOutput } from '@gaugenn/core';
import androidPlugin, { parseBinaryXml } from '@gaugenn/plugin-android';
import tflitePlugin, { parseTflite } from '@gaugenn/plugin-tflite';
import ncnnPlugin, { parseNcnn, parseBenchncnnOutput } from '@gaugenn/plugin-ncnn';
import caffePlugin, { buildGraph, parsePrototxt, readCaffemodel, parseCaffeTime } from '@gaugenn/plugin-caffe';
import formatsPlugin from '@gaugenn/plugin-formats';
import { analyzeChunks, chunkMutators } from './mutate/chunks.mjs';
import { analyzeDex, dexMutators } from './mutate/dex.mjs';
import { analyzeElf, elfMutators } from './mutate/elf.mjs';
import { analyzeFlatbuffer, flatbufferMutators } from './mutate/flatbuffer.mjs';
import { analyzeNcnnBin, ncnnBinMutators } from './mutate/ncnn-bin.mjs';
import { analyzeProtobuf, protobufMutators } from './mutate/protobuf.mjs';
import { analyzeZip, zipMutators } from './mutate/zip.mjs';
import { fixture, named, packageFile, quotedOutputs, zipEntry } from './seeds.mjs';

const SMALL_APK = ['appium-uiautomator2-server', 'apks/appium-uiautomator2-server-debug-androidTest.apk'];
const SETTINGS_APK = ['io.appium.settings', 'apks/settings_apk-debug.apk'];

/** A finite-number check on what a model reader returns: NaN or Infinity totals are a bug too. */
function checkGraph(g) {
  for (const k of ['macs', 'flops', 'params', 'weightBytes']) {
    if (!Number.isFinite(g.totals[k]) || g.totals[k] < 0) throw new Error(`graph totals.${k} is ${g.totals[k]}`);
  }
  return `graph:${g.layers.length > 0 ? 'layers' : 'empty'}`;
}

/** A Gauge with the readers' plugins, as the CLI builds it, for scanners and sniffers. */
async function gauge() {
  // An empty folder as the working directory, so no gaugenn.config.* of the caller's is picked up.
  const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-fuzz-cfg-'));
  try {
    return await createGauge({ cwd, builtins: [tflitePlugin, ncnnPlugin, caffePlugin, androidPlugin, formatsPlugin] });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** Run the one scanner that wants `path`, collecting findings (a scanner throws GaugeErrors for bad input). */
function scanWith(name, path) {
  return {
    setup: async () => (await gauge()).scanners.find((s) => s.name === name),
    run: async (bytes, _seed, scanner) => {
      if (!scanner.wants(path, bytes.length)) throw new Error(`${name} does not want ${path}`);
      let n = 0;
      const sink = { setMeta: () => n++, addFinding: () => n++, addNativeLib: () => n++, addSuspect: () => n++ };
      await scanner.scan(Buffer.from(bytes), path, sink);
      return n ? 'findings' : 'nothing';
    },
  };
}

/** Walk an archive and its nested archives as the extractor does, reading every entry whole. */
async function walkZip(bytes, depth, limits, codes = new Set()) {
  const z = await ZipReader.open(new BufferByteSource(bytes), { limits });
  for (const p of z.problems) codes.add(`${depth}:${p.code}`);
  for (const e of z.entries) {
    if (e.isDirectory) continue;
    let data;
    try {
      data = await z.readAll(e, 8 * 1024 * 1024);
    } catch (err) {
      if (!(err instanceof GaugeError)) throw err;
      codes.add(`${depth}:entry:${err.code}`); // one bad entry; the walk goes on, as in the extractor
      continue;
    }
    if (depth < limits.maxDepth && data.length >= 4 && data.readUInt32LE(0) === 0x04034b50) {
      try {
        await walkZip(data, depth + 1, limits, codes);
      } catch (err) {
        if (!(err instanceof GaugeError)) throw err;
        codes.add(`${depth + 1}:open:${err.code}`);
      }
    }
  }
  return [...codes].sort().join(',') || 'clean';
}

/** A small app with nested archives (stored, so their headers are in the outer bytes): zip → zip → zip. */
async function nestedApp() {
  const manifest = await zipEntry(fixture('android/tflite_app_resources.ap_'), 'AndroidManifest.xml');
  const tfl = fixture('tflite/split_concat.tflite');
  const proto = fixture('caffe/lenet.prototxt');
  const param = fixture('ncnn/bench_squeezenet.param');
  if (!manifest || !tfl || !proto || !param) return undefined;
  const inner2 = await buildZip([{ name: 'models/squeezenet.param', data: param, method: 'deflate' }]);
  const inner = await buildZip([
    { name: 'lenet.prototxt', data: proto, method: 'deflate' },
    { name: 'more/inner2.zip', data: inner2, method: 'store' },
  ]);
  return buildZip([
    { name: 'AndroidManifest.xml', data: manifest, method: 'deflate' },
    { name: 'assets/split_concat.tflite', data: tfl, method: 'store' },
    { name: 'assets/packs/inner.zip', data: inner, method: 'store' },
    { name: 'res/raw/notes.txt', data: Buffer.from('not a model\n'.repeat(40)), method: 'deflate' },
  ]);
}

const ZIP_LIMITS = { maxEntries: 2000, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxRatio: 1000, ratioMinBytes: 1024 * 1024, maxDepth: 4 };

export const TARGETS = [
  {
    name: 'zip',
    seeds: async () => named([['nested-app.apk', await nestedApp()], [SMALL_APK[1], packageFile(...SMALL_APK)]]),
    structure: { analyze: analyzeZip, mutators: zipMutators },
    run: (bytes) => walkZip(bytes, 0, ZIP_LIMITS),
  },
  {
    name: 'walker',
    seeds: async () => named([['nested-app.apk', await nestedApp()], [SMALL_APK[1], packageFile(...SMALL_APK)]]),
    structure: { analyze: analyzeZip, mutators: zipMutators },
    // The whole extractor over a file: it must never throw for bad input, and every sniffer and scanner it calls
    // may throw only GaugeErrors (the walker would wrap anything else, so the wrappers below look first).
    setup: async () => {
      const g = await gauge();
      const dir = mkdtempSync(join(tmpdir(), 'gaugenn-fuzz-walk-'));
      const ctx = { dir, count: 0, foreign: undefined };
      const guard = (name, fn) => (...args) => {
        try {
          const v = fn(...args);
          return v && typeof v.then === 'function' ? v.catch((e) => { if (!(e instanceof GaugeError)) ctx.foreign ??= e; throw e; }) : v;
        } catch (e) {
          if (!(e instanceof GaugeError)) ctx.foreign ??= Object.assign(e, { message: `${name}: ${e.message}` });
          throw e;
        }
      };
      ctx.sniffers = g.sniffers.map((s) => ({ ...s, sniff: guard(`sniffer ${s.name}`, s.sniff.bind(s)), ...(s.locate ? { locate: guard(`locate ${s.name}`, s.locate.bind(s)) } : {}), ...(s.pair ? { pair: guard(`pair ${s.name}`, s.pair.bind(s)) } : {}) }));
      ctx.scanners = g.scanners.map((s) => ({ ...s, wants: s.wants.bind(s), scan: guard(`scanner ${s.name}`, s.scan.bind(s)) }));
      return ctx;
    },
    teardown: (ctx) => rmSync(ctx.dir, { recursive: true, force: true }),
    run: async (bytes, _seed, ctx) => {
      // Models land in a content-addressed cache: empty it now and then so a long run stays small on disk.
      if (ctx.count++ % 200 === 0) {
        rmSync(join(ctx.dir, 'cache'), { recursive: true, force: true });
      }
      const file = join(ctx.dir, 'app.apk');
      writeFileSync(file, bytes);
      ctx.foreign = undefined;
      const x = await extractApp({ id: file, files: [file], source: 'files' }, { sniffers: ctx.sniffers, scanners: ctx.scanners, modelCacheDir: join(ctx.dir, 'cache'), workDir: ctx.dir, limits: ZIP_LIMITS });
      if (ctx.foreign) throw ctx.foreign;
      const codes = [...new Set(x.errors.map((e) => e.code))].sort().join(',');
      return `models=${Math.min(x.models.length, 3)} errors=${codes || 'none'}`;
    },
  },
  {
    name: 'manifest',
    seeds: async () =>
      named([
        ['tflite_app_resources.ap_!/AndroidManifest.xml', await zipEntry(fixture('android/tflite_app_resources.ap_'), 'AndroidManifest.xml')],
        ['settings_apk-debug.apk!/AndroidManifest.xml', await zipEntry(packageFile(...SETTINGS_APK), 'AndroidManifest.xml')],
        ['androidTest.apk!/AndroidManifest.xml', await zipEntry(packageFile(...SMALL_APK), 'AndroidManifest.xml')],
      ]),
    structure: { analyze: analyzeChunks, mutators: chunkMutators },
    setup: scanWith('android-manifest', 'AndroidManifest.xml').setup,
    run: async (bytes, seed, scanner) => {
      parseBinaryXml(bytes);
      return scanWith('android-manifest', 'AndroidManifest.xml').run(bytes, seed, scanner);
    },
  },
  {
    name: 'dex',
    seeds: async () =>
      named([
        ['androidTest.apk!/classes.dex', await zipEntry(packageFile(...SMALL_APK), 'classes.dex')],
        // A real app's DEX that uses the TFLite Interpreter and its delegates: mutations reach the signature matches.
        ['tflite_app_classes.dex', fixture('android/tflite_app_classes.dex')],
      ]),
    structure: { analyze: analyzeDex, mutators: dexMutators },
    ...scanWith('android-dex', 'classes.dex'),
  },
  {
    name: 'elf',
    seeds: async () =>
      named([
        ['libtensorflowlite_jni.so', fixture('android/libtensorflowlite_jni.so')],
        ['better-sqlite3 test_extension.node', packageFile('better-sqlite3', 'build/Release/test_extension.node')],
      ]),
    structure: { analyze: analyzeElf, mutators: elfMutators },
    ...scanWith('android-native-libs', 'lib/arm64-v8a/libfuzz.so'),
  },
  {
    name: 'tflite',
    seeds: async () =>
      named([
        ['split_concat.tflite', fixture('tflite/split_concat.tflite')],
        ['keras_lstm_mnist_ptq.tflite', fixture('tflite/keras_lstm_mnist_ptq.tflite')],
        ['model_invoking_error.tflite', fixture('tflite/model_invoking_error.tflite')],
        ['face_detection_short_range.tflite', packageFile('@mediapipe/face_detection', 'face_detection_short_range.tflite')],
        ['selfie_segmentation.tflite', packageFile('@mediapipe/selfie_segmentation', 'selfie_segmentation.tflite')],
      ]),
    structure: { analyze: analyzeFlatbuffer, mutators: flatbufferMutators },
    run: (bytes) => checkGraph(parseTflite(bytes)),
  },
  {
    name: 'ncnn-param',
    seeds: async () =>
      named(['bench_mobilenet', 'bench_squeezenet', 'bench_resnet18', 'bench_googlenet', 'bench_shufflenet_v2', 'bench_mobilenet_ssd', 'bench_mobilenet_int8', 'bench_blazeface', 'squeezenet_v1.1', 'mnet.25-opt', 'nanodet_m'].map((n) => [`${n}.param`, fixture(`ncnn/${n}.param`)])),
    text: true,
    run: (bytes) => checkGraph(parseNcnn({ param: bytes })),
  },
  {
    name: 'ncnn-bin',
    // The weights are mutated; the param stays the real one it belongs to (the seed's companion).
    seeds: async () => named(['mnet.25-opt', 'squeezenet_v1.1'].map((n) => [`${n}.bin`, fixture(`ncnn/${n}.bin`), fixture(`ncnn/${n}.param`)])),
    structure: { analyze: analyzeNcnnBin, mutators: ncnnBinMutators },
    run: (bytes, seed) => checkGraph(parseNcnn({ param: seed.companion, bin: bytes })),
  },
  {
    name: 'caffe-prototxt',
    seeds: async () => named(['mtcnn_det1', 'mtcnn_det2', 'bvlc_alexnet_deploy', 'lenet'].map((n) => [`${n}.prototxt`, fixture(`caffe/${n}.prototxt`)])),
    text: true,
    run: (bytes, seed) => checkGraph(buildGraph({ prototxt: parsePrototxt(bytes.toString('utf8'), seed.name), files: [], subject: seed.name })),
  },
  {
    name: 'caffemodel',
    // The weights are mutated; half the time they are read with the real prototxt they belong to.
    seeds: async () => named(['mtcnn_det1', 'mtcnn_det2'].map((n) => [`${n}.caffemodel`, fixture(`caffe/${n}.caffemodel`), fixture(`caffe/${n}.prototxt`)])),
    structure: { analyze: analyzeProtobuf, mutators: protobufMutators },
    run: async (bytes, seed) => {
      const caffemodel = await readCaffemodel(bytes, { window: 4096 });
      const withText = bytes.length % 2 === 0 && seed.companion;
      const prototxt = withText ? parsePrototxt(seed.companion.toString('utf8'), seed.name) : undefined;
      return checkGraph(buildGraph({ caffemodel, prototxt, files: [], subject: seed.name }));
    },
  },
  {
    name: 'benchncnn-output',
    seeds: async () => quotedOutputs('packages/plugin-ncnn/test/benchncnn.test.ts'),
    text: true,
    run: (bytes) => {
      const o = parseBenchncnnOutput(bytes.toString('utf8'));
      for (const s of o.stats) if (![s.minMs, s.maxMs, s.avgMs].every(Number.isFinite)) throw new Error(`non-finite stat for ${s.model}`);
      return o.stats.length ? 'stats' : 'none';
    },
  },
  {
    name: 'caffe-time',
    seeds: async () => quotedOutputs('packages/plugin-caffe/test/caffe-time.test.ts'),
    text: true,
    run: (bytes) => {
      const r = parseCaffeTime(bytes.toString('utf8'));
      return `${r.layers.length ? 'layers' : 'nolayers'}:${r.iterationsMs.length ? 'iter' : 'noiter'}`;
    },
  },
  {
    name: 'runner-json',
    // gaugeNN's own runner protocol (core's parseRunnerOutput): one JSON document, or an error document.
    seeds: async () =>
      named([
        ['ok', Buffer.from('{"engine":"ai-edge-litert 1.2.0","samplesMs":[3.25,3.5,3.125],"warmupMs":[9.5],"extra":{"threads":4,"delegate":"xnnpack"}}\n')],
        ['error', Buffer.from('{"error":{"code":"RUNNER_FAILED","message":"Failed to invoke the interpreter"}}\n')],
        ['noise', Buffer.from('INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n{"engine":"ncnn 1.0.20250503","samplesMs":[1,2,3]}\n')],
      ]),
    text: true,
    run: (bytes) => parseRunnerOutput(bytes.toString('utf8')).ok.toString(),
  },
];
