/** Broken input is a GaugeError MODEL_MALFORMED naming the file, never a RangeError or a crash. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GaugeError } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../test-support/fixtures.js';
import { parseTflite } from '../src/index.js';
import { tfliteFixture } from './support/models.js';
import { buildModel } from './support/build-model.js';

const FILE = 'assets/broken.tflite';

/** Parse and return the error; fail if anything but a MODEL_MALFORMED GaugeError comes out. */
function malformedError(bytes: Uint8Array, codes: string[] = ['MODEL_MALFORMED']): GaugeError | undefined {
  try {
    parseTflite(bytes, [{ path: FILE, sha256: 'x', bytes: bytes.length }]);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(GaugeError);
    expect(codes).toContain((e as GaugeError).code);
    expect((e as GaugeError).message).toContain(FILE);
    return e as GaugeError;
  }
}

function withIdentifier(bytes: Buffer): Buffer {
  bytes.write('TFL3', 4, 'latin1');
  return bytes;
}

describe('malformed models', () => {
  const path = tfliteFixture('mobilenet_v1_0.25_128_quant');

  it.skipIf(missing(path))('truncated at many points inside the flatbuffer', () => {
    const bytes = readFileSync(path);
    // This model carries its label file as a zip appended after the flatbuffer; cuts must land before it.
    const zipAt = bytes.indexOf(Buffer.from('PK\x03\x04', 'latin1'));
    const end = zipAt > 0 ? zipAt : bytes.length;
    const cuts = [0, 3, 7, 8, 12, 100, 1000, 4096, end >> 2, end >> 1, end - 4096, end - 64, end - 1];
    for (const cut of cuts) expect(malformedError(bytes.subarray(0, cut)), `cut at ${cut}`).toBeDefined();
  });

  it.skipIf(missing(path))('data appended after the flatbuffer (a metadata zip) may be cut without harm', () => {
    const bytes = readFileSync(path);
    const zipAt = bytes.indexOf(Buffer.from('PK\x03\x04', 'latin1'));
    expect(zipAt).toBeGreaterThan(0);
    expect(parseTflite(bytes.subarray(0, zipAt + 10)).layers).toHaveLength(31);
  });

  it.skipIf(missing(path))('a file whose offsets point past the end', () => {
    const bytes = Buffer.from(readFileSync(path));
    bytes.writeUInt32LE(bytes.length + 16, 0); // root offset beyond the file
    expect(malformedError(bytes)?.message).toMatch(/outside/);

    const b2 = Buffer.from(readFileSync(path));
    const root = b2.readUInt32LE(0);
    b2.writeInt32LE(-0x7fff0000, root); // vtable far away
    expect(malformedError(b2)).toBeDefined();
  });

  it.skipIf(missing(path))('random corruption of a real model never escapes as another error type', () => {
    const clean = readFileSync(path);
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(clean);
      // Corrupt a few words in the flatbuffer tables (the first 4 KiB and the tail hold the structure).
      for (let k = 0; k < 4; k++) {
        const at = k % 2 === 0 ? 8 + ((i * 97 + k * 31) % 4000) : b.length - 4 - ((i * 131 + k * 17) % 8000);
        b.writeUInt32LE(randomBytes(4).readUInt32LE(0), at & ~3);
      }
      malformedError(b, ['MODEL_MALFORMED', 'LIMIT_EXCEEDED']); // may still parse; if it throws, it must be one of these
    }
  });

  it('random bytes with the TFL3 identifier', () => {
    for (let i = 0; i < 500; i++) {
      const b = withIdentifier(randomBytes(16 + (i % 500)));
      b.writeUInt32LE((i * 4) % 600, 0);
      malformedError(b);
    }
  });

  it('not a TFLite file at all', () => {
    expect(malformedError(Buffer.from('definitely not a model'))?.message).toMatch(/identifier/);
    expect(malformedError(new Uint8Array(0))).toBeDefined();
  });
});

describe('absurd sizes', () => {
  // Found by `npm run fuzz` (target tflite): a mutated vtable entry gave shapes whose FLOPs overflowed to
  // Infinity, which the parser returned as the model's totals. Such a model is refused with LIMIT_EXCEEDED.
  it('a layer whose shapes overflow the totals is LIMIT_EXCEEDED, not Infinity', () => {
    const big = 2 ** 31 - 1;
    const fb = buildModel({
      opcodes: [{ deprecated: 9, builtin: 9 }], // FULLY_CONNECTED
      subgraphs: [{
        tensors: [{ name: 'x', shape: [big, big] }, { name: 'w', shape: [big, big], buffer: 1 }, { name: 'y', shape: [big, big] }],
        inputs: [0], outputs: [2], ops: [{ opcode: 0, inputs: [0, 1], outputs: [2] }],
      }],
      buffers: [{}, {}],
    });
    expect(() => parseTflite(fb)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED', message: expect.stringMatching(/beyond 2\^53/) }));
  });
});
