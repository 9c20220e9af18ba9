import { describe, expect, it } from 'vitest';
import { ANDROID_NS, parseBinaryXml, readAppMeta, writeManifest } from '../src/index.js';
import type { ManifestSpec } from '../src/index.js';

const metas: ManifestSpec[] = [
  { package: 'com.example.app', versionCode: 1, versionName: '1.0', minSdk: 21, targetSdk: 34 },
  { package: 'org.gaugenn.demo.vision', versionCode: 2147483647, versionName: '2024.11.24-rc1', minSdk: 1, targetSdk: 35, label: 'Vision Demo' },
  { package: 'jp.example.kamera', versionCode: 42, versionName: 'バージョン 3', minSdk: 26, targetSdk: 33, label: '日本語アプリ' },
  { package: 'fr.exemple.cafe', versionCode: 7, versionName: 'é', minSdk: 24, targetSdk: 30, label: 'Café ☕ — Ünïcødé' },
  { package: 'com.example.emoji', versionCode: 3, versionName: '1', minSdk: 23, targetSdk: 34, label: '🧠 NN 𝔸𝕡𝕡' }, // surrogate pairs
  { package: 'a.b', versionCode: 0, versionName: '', minSdk: 19, targetSdk: 19, label: '' },
  // Past 0x7f the UTF-8 lengths take two bytes.
  { package: 'com.example.longlabel', versionCode: 5, versionName: 'v'.repeat(200), minSdk: 21, targetSdk: 34, label: 'ł'.repeat(300) },
];

describe('writeManifest → readAppMeta', () => {
  for (const encoding of ['utf-16', 'utf-8'] as const) {
    for (const meta of metas) {
      it(`round-trips ${meta.package} (${encoding})`, () => {
        const buf = writeManifest(meta, { encoding });
        expect(buf.length % 4).toBe(0);
        expect(readAppMeta(buf)).toEqual(meta);
        expect(parseBinaryXml(buf).encoding).toBe(encoding);
      });
    }
  }

  it('round-trips a label past 0x7fff UTF-16 units (two-unit length)', () => {
    const meta = { package: 'com.example.huge', versionCode: 1, versionName: '1', minSdk: 21, targetSdk: 34, label: 'x'.repeat(40_000) };
    expect(readAppMeta(writeManifest(meta))).toEqual(meta);
    expect(() => writeManifest(meta, { encoding: 'utf-8' })).toThrow(RangeError);
  });

  it('refuses numbers that are not 32-bit integers', () => {
    const base = { package: 'a.b', versionCode: 1, versionName: '1', minSdk: 21, targetSdk: 34 };
    expect(() => writeManifest({ ...base, versionCode: 1.5 })).toThrow(RangeError);
    expect(() => writeManifest({ ...base, minSdk: 2 ** 32 })).toThrow(RangeError);
  });

  it('writes the layout aapt2 writes: android attributes with ids, sorted, in the android namespace', () => {
    const doc = parseBinaryXml(writeManifest(metas[1]!));
    expect(doc.namespaces).toEqual([{ prefix: 'android', uri: ANDROID_NS }]);
    expect(doc.root.name).toBe('manifest');
    expect(doc.root.attributes.map((a) => [a.name, a.ns, a.resId, a.type])).toEqual([
      ['versionCode', ANDROID_NS, 0x0101021b, 0x10],
      ['versionName', ANDROID_NS, 0x0101021c, 0x03],
      ['package', undefined, undefined, 0x03],
    ]);
    expect(doc.root.children.map((c) => c.name)).toEqual(['uses-sdk', 'application']);
    const sdk = doc.root.children[0]!;
    expect(sdk.attributes.map((a) => [a.name, a.resId, a.value])).toEqual([
      ['minSdkVersion', 0x0101020c, 1],
      ['targetSdkVersion', 0x01010270, 35],
    ]);
    expect(doc.root.children[1]!.attributes[0]).toMatchObject({ name: 'label', resId: 0x01010001, value: 'Vision Demo', rawValue: 'Vision Demo' });
  });

  it('leaves <application> without attributes when there is no label', () => {
    const doc = parseBinaryXml(writeManifest(metas[0]!));
    expect(doc.root.children[1]).toMatchObject({ name: 'application', attributes: [] });
  });
});
