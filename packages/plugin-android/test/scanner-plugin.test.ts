import { describe, expect, it } from 'vitest';
import { Gauge, GaugeError, isGaugeError } from '@gaugenn/core';
import type { AppMeta, GaugeConfig, ScanSink } from '@gaugenn/core';
import plugin, { manifestScanner, readAppMeta, writeManifest } from '../src/index.js';

function sink(): ScanSink & { metas: AppMeta[] } {
  const metas: AppMeta[] = [];
  return { metas, setMeta: (m) => metas.push(m), addFinding() {}, addNativeLib() {}, addSuspect() {} };
}

const aarManifest = `<?xml version="1.0" encoding="utf-8"?>
<!-- <manifest package="not.this.one"> -->
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.mylib"
    android:versionCode="12"
    android:versionName="1.2 &amp; more">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion='${'${targetSdk}'}' />
  <application android:label="My &quot;Lib&quot;" />
</manifest>
`;

describe('android-manifest scanner', () => {
  it('wants the app’s AndroidManifest.xml and those of APKs one level down (split sets), nothing else', () => {
    expect(manifestScanner.name).toBe('android-manifest');
    expect(manifestScanner.wants('AndroidManifest.xml', 2000)).toBe(true);
    expect(manifestScanner.wants('base.apk!/AndroidManifest.xml', 2000)).toBe(true);
    expect(manifestScanner.wants('res/AndroidManifest.xml', 2000)).toBe(false);
    expect(manifestScanner.wants('assets/model.tflite', 2000)).toBe(false);
  });

  it('reports the binary manifest through setMeta', async () => {
    const s = sink();
    const meta = { package: 'com.example.scan', versionCode: 3, versionName: '3.0', minSdk: 23, targetSdk: 34 };
    await manifestScanner.scan(writeManifest(meta), 'AndroidManifest.xml', s);
    expect(s.metas).toEqual([meta]);
  });

  it('tolerates a text manifest (as in an AAR)', async () => {
    const s = sink();
    await manifestScanner.scan(Buffer.from(aarManifest), 'AndroidManifest.xml', s);
    // targetSdk is a build placeholder, not a number: left out rather than guessed.
    expect(s.metas).toEqual([{ package: 'com.example.mylib', versionCode: 12, versionName: '1.2 & more', minSdk: 21, label: 'My "Lib"' }]);
  });

  it('reports unreadable manifests as MANIFEST_INVALID naming the entry and the plugin', async () => {
    for (const bad of [Buffer.from('<resources><string name="x">y</string></resources>'), Buffer.from([0x03, 0x00, 0x08, 0x00, 0xff, 0xff, 0, 0]), Buffer.alloc(0)]) {
      const s = sink();
      const err = await Promise.resolve().then(() => manifestScanner.scan(bad, 'AndroidManifest.xml', s)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isGaugeError(err, 'MANIFEST_INVALID')).toBe(true);
      expect((err as GaugeError).subject).toBe('AndroidManifest.xml');
      expect((err as GaugeError).plugin).toBe('android');
      expect((err as GaugeError).message).toMatch(/malformed.*other findings are still reported/);
      expect(s.metas).toEqual([]);
    }
  });

  it('refuses a binary XML file that is not a manifest', () => {
    const buf = writeManifest({ package: 'a.b', versionCode: 1, versionName: '1', minSdk: 1, targetSdk: 1 });
    // Rename the root element: the string 'manifest' follows versionCode…targetSdkVersion, android, the URI.
    const at = buf.indexOf(Buffer.from('manifest', 'utf16le'));
    buf.write('resource', at, 'utf16le');
    expect(() => readAppMeta(buf)).toThrow(/root element is <resource>/);
  });
});

describe('android plugin', () => {
  it('registers the manifest scanner and takes extra code signatures from its options', async () => {
    expect(plugin.name).toBe('android');
    expect(Object.keys((plugin.configSchema as { properties: object }).properties)).toEqual(['codeSignatures', 'startAdbServer', 'adbPath']);
    const gauge = new Gauge({} as GaugeConfig);
    // Stands for a study's own addition to the cloud API catalogue, given in gaugenn.config.
    const extra = { id: 'cloud.example.vision', kind: 'cloud' as const, service: 'Example Vision', classes: ['com.example.vision.*'] };
    await plugin.apply(gauge, { codeSignatures: [extra] });
    expect(gauge.scanners).toContain(manifestScanner);
    expect(gauge.codeSignatures).toContainEqual(extra);
    expect(gauge.handled('device')).toEqual(['adb', 'stf']);
  });
});
