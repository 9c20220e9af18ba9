import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing, packageDir } from '../../../test-support/fixtures.js';
import { ANDROID_NS, parseBinaryXml, readAppMeta } from '../src/index.js';
import { unzipEntry } from './unzip-entry.js';

const nnPerf = fixture('android/tflite_app_resources.ap_');
const settingsDir = packageDir('io.appium.settings');
const uia2Dir = packageDir('appium-uiautomator2-server');

/** True when the raw bytes hold `s` as UTF-16LE: a `strings -el`-style cross-check independent of the reader. */
function hasUtf16(buf: Buffer, s: string): boolean {
  return buf.includes(Buffer.from(s, 'utf16le'));
}

describe('real compiled manifests', () => {
  it.skipIf(missing(nnPerf))('reads the nnPerf app manifest (aapt2 output, UTF-16 pool)', async () => {
    const buf = await unzipEntry(nnPerf, 'AndroidManifest.xml');
    expect(readAppMeta(buf)).toEqual({
      package: 'com.example.android.nnPerf',
      versionCode: 1,
      versionName: '1.0',
      minSdk: 19,
      targetSdk: 26,
      // label is @string/app_name (a reference), so it is not reported.
    });
    // The values really are in the file's string pool, not invented by the reader.
    for (const s of ['com.example.android.nnPerf', '1.0', 'versionCode', 'minSdkVersion', ANDROID_NS]) expect(hasUtf16(buf, s)).toBe(true);

    const doc = parseBinaryXml(buf);
    expect(doc.encoding).toBe('utf-16');
    expect(doc.namespaces).toEqual([{ prefix: 'android', uri: ANDROID_NS }]);
    const app = doc.root.children.find((c) => c.name === 'application')!;
    const label = app.attributes.find((a) => a.name === 'label')!;
    expect(label).toMatchObject({ ns: ANDROID_NS, resId: 0x01010001, type: 0x01 });
    expect(label.value).toMatch(/^@0x7f[0-9a-f]{6}$/);
    expect(app.attributes.find((a) => a.name === 'debuggable')?.value).toBe(true);
    const activity = app.children.find((c) => c.name === 'activity')!;
    expect(activity.attributes.find((a) => a.name === 'name')?.value).toBe('com.example.android.nnPerf.CameraActivity');
    expect(doc.root.children.filter((c) => c.name === 'uses-permission').map((c) => c.attributes[0]!.value)).toEqual([
      'android.permission.CAMERA',
      'android.permission.WRITE_EXTERNAL_STORAGE',
    ]);
  });

  const settingsApk = settingsDir && join(settingsDir, 'apks', 'settings_apk-debug.apk');
  it.skipIf((settingsApk ? missing(settingsApk) : 'npm package io.appium.settings is not installed'))(
    'reads io.appium.settings',
    async () => {
      const buf = await unzipEntry(settingsApk!, 'AndroidManifest.xml');
      const meta = readAppMeta(buf);
      expect(meta.package).toBe('io.appium.settings');
      expect(hasUtf16(buf, 'io.appium.settings')).toBe(true);
      expect(meta.versionCode).toBeGreaterThan(0);
      expect(hasUtf16(buf, meta.versionName!)).toBe(true);
      expect(meta.minSdk).toBeGreaterThanOrEqual(19);
      expect(meta.targetSdk).toBeGreaterThanOrEqual(meta.minSdk!);
    },
  );

  const uia2Apks = uia2Dir ? readdirSync(join(uia2Dir, 'apks')).filter((f) => f.endsWith('.apk')) : [];
  it.skipIf((uia2Apks.length ? undefined : 'npm package appium-uiautomator2-server (apks/*.apk) is not installed'))(
    'reads the appium-uiautomator2-server APKs (server and androidTest)',
    async () => {
      const packages: (readonly [string, string | undefined])[] = [];
      for (const f of uia2Apks) {
        const meta = readAppMeta(await unzipEntry(join(uia2Dir!, 'apks', f), 'AndroidManifest.xml'));
        expect(meta.minSdk).toBeGreaterThan(0);
        packages.push([f, meta.package] as const);
      }
      for (const [file, pkg] of packages) {
        expect(pkg).toBe(file.includes('androidTest') ? 'io.appium.uiautomator2.server.test' : 'io.appium.uiautomator2.server');
      }
      expect(new Set(packages.map(([, p]) => p))).toContain('io.appium.uiautomator2.server');
    },
  );
});
