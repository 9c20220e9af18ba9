/**
 * Real APKs from the real Android toolchain, for tests and benchmarks: javac against `android.jar`, D8 (Maven
 * Central `com.android.tools:r8`), aapt with the platform's `framework-res.apk`, zipalign where present,
 * apksigner with a throw-away key. Library jars and AARs come from Maven Central through `mvn dependency:get`
 * into ~/.m2 (never into this repository). See ../shared/notes/android-toolchain-facts.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** Where aapt finds the platform resources (Debian package `android-framework-res`). */
export const FRAMEWORK_RES = '/usr/share/android-framework-res/framework-res.apk';

/** Maven coordinates the toolchain uses. */
export const ARTIFACTS = {
  androidJar: 'com.google.android:android:4.1.1.4:jar',
  d8: 'com.android.tools:r8:8.5.35:jar',
  tflite: 'org.tensorflow:tensorflow-lite:2.16.1:aar',
  tfliteApi: 'org.tensorflow:tensorflow-lite-api:2.16.1:aar',
  tfliteGpu: 'org.tensorflow:tensorflow-lite-gpu:2.16.1:aar',
  tfliteGpuApi: 'org.tensorflow:tensorflow-lite-gpu-api:2.14.0:aar',
} as const;

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Tools this machine lacks for building APKs (empty when all are there). zipalign is optional. */
export function missingTools(): string[] {
  const need = ['java', 'javac', 'jar', 'keytool', 'aapt', 'apksigner', 'mvn', 'unzip'].filter((t) => !has(t));
  if (!existsSync(FRAMEWORK_RES)) need.push(`${FRAMEWORK_RES} (apt-get install android-framework-res)`);
  return need;
}

/** Skip reason for `it.skipIf` when a tool is missing, else undefined; says which on stderr too. */
export function toolchainMissing(): string | undefined {
  const m = missingTools();
  if (m.length === 0) return undefined;
  process.stderr.write(`[skip] Android toolchain incomplete: ${m.join(', ')}\n`);
  return `missing: ${m.join(', ')}`;
}

/** Path of a Maven artifact in ~/.m2, fetched from Maven Central first when absent. */
export function mavenArtifact(coord: string): string {
  const [group, artifact, version, ext = 'jar'] = coord.split(':') as [string, string, string, string?];
  const path = join(homedir(), '.m2', 'repository', ...group.split('.'), artifact, version, `${artifact}-${version}.${ext}`);
  if (!existsSync(path)) {
    execFileSync('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${group}:${artifact}:${version}:${ext}`, '-Dtransitive=false'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  }
  if (!existsSync(path)) throw new Error(`mvn dependency:get did not produce ${path}`);
  return path;
}

/** The parts of an AAR a build needs, unpacked once per process into a temp folder. */
export interface Aar {
  classesJar: string;
  /** `jni/<abi>/<name>.so` → absolute path. */
  jni: Map<string, string>;
}

const aars = new Map<string, Promise<Aar>>();

/** Unpack an AAR (fetched from Maven Central when absent). */
export function aar(coord: string): Promise<Aar> {
  let p = aars.get(coord);
  if (!p) {
    p = (async () => {
      const file = mavenArtifact(coord);
      const dir = await mkdtemp(join(tmpdir(), 'gaugenn-aar-'));
      // unzip exits 11 when a pattern matches nothing (API-only AARs have no jni/).
      const r = spawnSync('unzip', ['-q', '-o', file, 'classes.jar', 'jni/*', '-d', dir], { stdio: 'ignore' });
      if (r.status !== 0 && r.status !== 11) throw new Error(`unzip ${file} failed (${r.status})`);
      const jni = new Map<string, string>();
      const jdir = join(dir, 'jni');
      if (existsSync(jdir)) {
        for (const e of await readdir(jdir, { recursive: true, withFileTypes: true })) {
          if (e.isFile()) jni.set(relative(dir, join(e.parentPath, e.name)), join(e.parentPath, e.name));
        }
      }
      return { classesJar: join(dir, 'classes.jar'), jni };
    })();
    aars.set(coord, p);
  }
  return p;
}

/** What one APK is made of. */
export interface ApkSpec {
  package: string;
  versionCode: number;
  versionName: string;
  minSdk: number;
  targetSdk: number;
  /** Java sources by path under the source root (`com/example/Main.java`). */
  java: Record<string, string>;
  /** Library jars compiled against and dexed into the app (e.g. AAR classes.jar). */
  libs?: string[];
  /** Native libraries: path inside the APK (`lib/arm64-v8a/libx.so`) → file on disk. */
  nativeLibs?: Record<string, string>;
  /** Assets: path under `assets/` → bytes. */
  assets?: Record<string, Uint8Array>;
}

/** A built APK and its classes.dex (for comparing with dexdump). */
export interface BuiltApk {
  apk: string;
  dex: string;
  dir: string;
}

const run = (cmd: string, args: string[], cwd?: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
};

/**
 * Build, align and sign an APK into a new folder under `parent`: javac (Java 8 bytecode) → D8 → aapt package
 * (binary manifest against framework-res) → aapt add classes.dex, native libs (stored) → zipalign → apksigner.
 */
export async function buildApk(spec: ApkSpec, parent = tmpdir()): Promise<BuiltApk> {
  const dir = await mkdtemp(join(parent, 'gaugenn-apk-'));
  const src = join(dir, 'src');
  const classes = join(dir, 'classes');
  const out = join(dir, 'out');
  await Promise.all([mkdir(classes, { recursive: true }), mkdir(out, { recursive: true }), mkdir(join(dir, 'assets'), { recursive: true })]);
  const sources: string[] = [];
  for (const [rel, text] of Object.entries(spec.java)) {
    const p = join(src, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, text);
    sources.push(p);
  }
  const androidJar = mavenArtifact(ARTIFACTS.androidJar);
  const libs = spec.libs ?? [];
  run('javac', ['-nowarn', '-source', '8', '-target', '8', '-encoding', 'UTF-8', '-cp', [androidJar, ...libs].join(':'), '-d', classes, ...sources]);
  const classFiles = (await readdir(classes, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.class')).map((e) => join(e.parentPath, e.name));
  run('java', ['-cp', mavenArtifact(ARTIFACTS.d8), 'com.android.tools.r8.D8', '--release', '--min-api', String(Math.max(spec.minSdk, 21)), '--lib', androidJar, '--output', out, ...classFiles, ...libs]);
  await writeFile(
    join(dir, 'AndroidManifest.xml'),
    `<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="${spec.package}" android:versionCode="${spec.versionCode}" android:versionName="${spec.versionName}">
  <uses-sdk android:minSdkVersion="${spec.minSdk}" android:targetSdkVersion="${spec.targetSdk}" />
  <application android:label="${spec.package}" android:hasCode="true" />
</manifest>
`,
  );
  for (const [name, bytes] of Object.entries(spec.assets ?? {})) {
    const p = join(dir, 'assets', name);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, bytes);
  }
  const unsigned = join(dir, 'unsigned.apk');
  run('aapt', ['package', '-f', '-M', join(dir, 'AndroidManifest.xml'), '-I', FRAMEWORK_RES, '-A', join(dir, 'assets'), '-F', unsigned]);
  // aapt adds entries by the relative path given, so run it from the folder that holds them.
  run('aapt', ['add', unsigned, 'classes.dex'], out);
  const natives = Object.entries(spec.nativeLibs ?? {});
  if (natives.length > 0) {
    for (const [inApk, file] of natives) {
      await mkdir(dirname(join(dir, 'so', inApk)), { recursive: true });
      await copyFile(file, join(dir, 'so', inApk));
    }
    run('aapt', ['add', '-0', 'so', unsigned, ...natives.map(([p]) => p)], join(dir, 'so'));
  }
  let aligned = unsigned;
  if (has('zipalign')) {
    aligned = join(dir, 'aligned.apk');
    run('zipalign', ['-f', '-p', '4', unsigned, aligned]);
  }
  const ks = join(dir, 'key.jks');
  run('keytool', ['-genkeypair', '-keystore', ks, '-storepass', 'gaugenn', '-keypass', 'gaugenn', '-alias', 'k', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '365', '-dname', 'CN=gaugeNN test']);
  const apk = join(dir, `${spec.package}.apk`);
  run('apksigner', ['sign', '--ks', ks, '--ks-pass', 'pass:gaugenn', '--key-pass', 'pass:gaugenn', '--out', apk, aligned]);
  return { apk, dex: join(out, 'classes.dex'), dir };
}

/** A `Main extends Activity` whose `onCreate` runs `body` (Java statements; `model` is a MappedByteBuffer-free ByteBuffer). */
export function activity(pkg: string, imports: string[], body: string): Record<string, string> {
  return {
    [`${pkg.replaceAll('.', '/')}/Main.java`]: `package ${pkg};

import android.app.Activity;
import android.os.Bundle;
import java.nio.ByteBuffer;
${imports.map((i) => `import ${i};`).join('\n')}

public class Main extends Activity {
  @Override
  protected void onCreate(Bundle state) {
    super.onCreate(state);
    ByteBuffer model = ByteBuffer.allocateDirect(4);
    ${body}
  }
}
`,
  };
}
