#!/usr/bin/env node
/**
 * bench/apk-crosscheck: gaugeNN's readings of real APKs against Android's own tools. APKs are built here by the
 * real toolchain (javac, D8, aapt, zipalign, apksigner; test-support/android-toolchain.ts), some against the
 * official TFLite AARs; then `gaugenn extract --json`'s package, versionCode, versionName, minSdk and targetSdk
 * are compared with `aapt dump badging`, and gaugeNN's DEX reader's class and method counts with `dexdump -f`'s
 * header. Prints one line per APK and field, and whether all agree.
 *
 *   node bench/apk-crosscheck.mjs
 *
 * Needs a build, the Android tools (.ci/run installs them) and Maven Central for the jars (cached in ~/.m2).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'packages/cli/bin/run.cjs');
const work = await mkdtemp(join(tmpdir(), 'gaugenn-crosscheck-'));

// The toolchain helper is TypeScript (tests import it); esbuild, already installed for vitest, strips its types.
const { transform } = await import('esbuild');
const helper = join(work, 'android-toolchain.mjs');
await writeFile(helper, (await transform(await readFile(join(root, 'test-support/android-toolchain.ts'), 'utf8'), { loader: 'ts', format: 'esm' })).code);
const tc = await import(pathToFileURL(helper).href);
const { DexCode } = await import(pathToFileURL(join(root, 'packages/plugin-android/dist/dex/dex-code.js')).href);

const missingTools = tc.missingTools();
if (missingTools.length) throw new Error(`missing: ${missingTools.join(', ')}`);

const run = (cmd, argv) => {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
};

try {
  const [lite, api, gpu] = await Promise.all([tc.aar(tc.ARTIFACTS.tflite), tc.aar(tc.ARTIFACTS.tfliteApi), tc.aar(tc.ARTIFACTS.tfliteGpu)]);
  const tflite = [lite.classesJar, api.classesJar, gpu.classesJar];
  const specs = [
    { package: 'org.example.plain', versionCode: 1, versionName: '1.0', minSdk: 21, targetSdk: 33, java: tc.activity('org.example.plain', [], 'model.rewind();') },
    {
      package: 'com.example.gpu', versionCode: 42, versionName: '4.2-beta', minSdk: 24, targetSdk: 34, libs: tflite,
      java: tc.activity('com.example.gpu', ['org.tensorflow.lite.Interpreter', 'org.tensorflow.lite.gpu.GpuDelegate'], 'Interpreter.Options o = new Interpreter.Options(); o.addDelegate(new GpuDelegate()); new Interpreter(model, o);'),
      nativeLibs: { 'lib/arm64-v8a/libtensorflowlite_jni.so': lite.jni.get('jni/arm64-v8a/libtensorflowlite_jni.so') },
    },
    {
      package: 'net.example.nnapi', versionCode: 2024120100, versionName: '2024.12', minSdk: 26, targetSdk: 35, libs: tflite,
      java: tc.activity('net.example.nnapi', ['org.tensorflow.lite.Interpreter', 'org.tensorflow.lite.nnapi.NnApiDelegate'], 'Interpreter.Options o = new Interpreter.Options(); o.addDelegate(new NnApiDelegate()); new Interpreter(model, o);'),
    },
  ];
  const built = [];
  for (const s of specs) {
    process.stderr.write(`building ${s.package} …\n`);
    built.push({ spec: s, ...(await tc.buildApk(s, work)) });
  }
  const doc = JSON.parse(run(process.execPath, [BIN, 'extract', '--json', '--store', join(work, 'g.db'), ...built.map((b) => b.apk)]));
  const rows = [['apk', 'field', 'gaugenn', 'android tool', 'agree']];
  let all = true;
  const check = (apk, field, ours, theirs) => {
    const ok = String(ours) === String(theirs);
    all &&= ok;
    rows.push([apk, field, String(ours), String(theirs), ok ? 'yes' : 'NO']);
  };
  for (const [i, b] of built.entries()) {
    const name = `${b.spec.package}.apk`;
    const x = doc[i];
    const badging = run('aapt', ['dump', 'badging', b.apk]);
    const attr = (re) => re.exec(badging)?.[1];
    check(name, 'package', x.package, attr(/^package: name='([^']*)'/m));
    check(name, 'versionCode', x.versionCode, attr(/versionCode='([^']*)'/));
    check(name, 'versionName', x.versionName, attr(/versionName='([^']*)'/));
    check(name, 'minSdk', x.minSdk, attr(/^sdkVersion:'([^']*)'/m));
    check(name, 'targetSdk', x.targetSdk, attr(/^targetSdkVersion:'([^']*)'/m));
    const header = run('dexdump', ['-f', b.dex]);
    const field = (f) => Number(new RegExp(`^${f}\\s*:\\s*(\\d+)`, 'm').exec(header)?.[1]);
    const code = DexCode.read(await readFile(b.dex), 'classes.dex');
    check(name, 'DEX classes (class_defs)', code.definedClasses, field('class_defs_size'));
    check(name, 'DEX method ids', code.methodCount, field('method_ids_size'));
    check(name, 'extract errors', x.errors.length, 0);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(w[c])).join('  '));
  console.log(`\n${built.length} APKs built by javac + D8 + aapt + ${spawnSync('sh', ['-c', 'command -v zipalign'], { stdio: 'ignore' }).status === 0 ? 'zipalign + ' : ''}apksigner: ${all ? 'every field agrees' : 'DISAGREEMENTS above'}.`);
  process.exitCode = all ? 0 : 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
