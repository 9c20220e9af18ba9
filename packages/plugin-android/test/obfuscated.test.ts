import { describe, expect, it } from 'vitest';
import { parseBinaryXml, readAppMeta, writeManifest } from '../src/index.js';

const meta = { package: 'com.example.obf', versionCode: 77, versionName: '7.7', minSdk: 24, targetSdk: 34, label: 'Obf' };

/** Offset of string `i`'s length field in a UTF-16 pool written by writeManifest (pool chunk right after the 8-byte XML header). */
function utf16StringAt(buf: Buffer, i: number): number {
  const pool = 8;
  const stringsStart = buf.readUInt32LE(pool + 20);
  return pool + stringsStart + buf.readUInt32LE(pool + 28 + i * 4);
}

describe('obfuscated manifests', () => {
  it('names attributes from the resource map when their name strings are empty', () => {
    const buf = writeManifest(meta);
    // The writer puts the five android attribute names first (versionCode … label, by id); blank them as obfuscators do.
    for (let i = 0; i < 5; i++) buf.writeUInt16LE(0, utf16StringAt(buf, i));
    const doc = parseBinaryXml(buf);
    expect(doc.root.attributes.map((a) => a.name)).toEqual(['versionCode', 'versionName', 'package']);
    expect(doc.root.children[0]!.attributes.map((a) => a.name)).toEqual(['minSdkVersion', 'targetSdkVersion']);
    expect(readAppMeta(buf)).toEqual(meta);
  });

  it('matches android attributes by id even when their names are garbage', () => {
    const buf = writeManifest(meta);
    for (let i = 0; i < 5; i++) buf.writeUInt16LE(0x0058 /* 'X' */, utf16StringAt(buf, i) + 2);
    const doc = parseBinaryXml(buf);
    expect(doc.root.attributes[0]!.name).toBe('XersionCode');
    expect(readAppMeta(buf)).toEqual(meta);
  });
});
