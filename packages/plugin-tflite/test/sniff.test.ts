/** The sniffer decides by content: every real model matches whatever its name; other formats do not. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { SNIFF_HEAD_BYTES } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { looksLikeTflite, tfliteSniffer } from '../src/index.js';
import { fixtureNames, mediapipeModels, tfliteFixture } from './support/models.js';

const sniffBytes = (bytes: Uint8Array, path: string) =>
  tfliteSniffer.sniff({ path, size: bytes.length, head: bytes.subarray(0, SNIFF_HEAD_BYTES) });

describe('tflite sniffer', () => {
  const models = [...fixtureNames().map(tfliteFixture), ...mediapipeModels()];
  for (const path of models) {
    it.skipIf(missing(path))(`matches ${basename(path)} under any name`, () => {
      const bytes = readFileSync(path);
      for (const name of ['assets/model.tflite', 'assets/model.bin', 'res/raw/picture.jpg', 'noext']) {
        expect(sniffBytes(bytes, name)).toEqual({ framework: 'tflite', kind: 'model', role: 'model' });
      }
    });
  }

  it('rejects a PNG header', () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
    expect(sniffBytes(png, 'model.tflite')).toBeUndefined();
  });

  it('rejects a zip header', () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(200)]);
    expect(sniffBytes(zip, 'model.tflite')).toBeUndefined();
  });

  it('rejects random bytes (1000 tries)', () => {
    for (let i = 0; i < 1000; i++) expect(sniffBytes(randomBytes(64 + (i % 300)), 'model.tflite')).toBeUndefined();
  });

  it('rejects TFL3 with a root offset outside the file or inside the header', () => {
    const make = (root: number) => {
      const b = Buffer.alloc(64);
      b.writeUInt32LE(root, 0);
      b.write('TFL3', 4, 'latin1');
      return b;
    };
    expect(looksLikeTflite(make(4), 64)).toBe(false);
    expect(looksLikeTflite(make(1 << 20), 64)).toBe(false);
    expect(looksLikeTflite(make(3), 64)).toBe(false);
    expect(looksLikeTflite(Buffer.from('xxxxTFL3'), 8)).toBe(false); // too short to hold a model
  });
});
