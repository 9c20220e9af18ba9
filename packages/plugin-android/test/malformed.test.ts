import { describe, expect, it } from 'vitest';
import { isGaugeError } from '@gaugenn/core';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { parseBinaryXml, readAppMeta, writeManifest } from '../src/index.js';
import { unzipEntry } from './unzip-entry.js';

const nnPerf = fixture('android/tflite_app_resources.ap_');
const written = writeManifest({ package: 'com.example.fuzz', versionCode: 9, versionName: '9.0', minSdk: 21, targetSdk: 34, label: 'Fuzz' });
const writtenUtf8 = writeManifest({ package: 'com.example.fuzz', versionCode: 9, versionName: '9.0', minSdk: 21, targetSdk: 34, label: 'Fuzz' }, { encoding: 'utf-8' });

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Either a result or MANIFEST_INVALID with the agreed message; any other exception fails. */
function outcome(buf: Buffer): 'ok' | 'invalid' {
  try {
    parseBinaryXml(buf);
    readAppMeta(buf);
    return 'ok';
  } catch (e) {
    if (!isGaugeError(e, 'MANIFEST_INVALID')) throw new Error(`expected MANIFEST_INVALID, got ${String(e)}`, { cause: e });
    expect(e.message).toMatch(/^AndroidManifest\.xml is malformed \(.+\); .*other findings are still reported/);
    return 'invalid';
  }
}

/** Offsets of the chunks right inside the XML chunk, as [offset, type]. */
function chunks(buf: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let p = buf.readUInt16LE(2); p < buf.readUInt32LE(4); p += buf.readUInt32LE(p + 4)) out.push([p, buf.readUInt16LE(p)]);
  return out;
}

function patched(buf: Buffer, f: (b: Buffer) => void): Buffer {
  const b = Buffer.from(buf);
  f(b);
  return b;
}

const noNnPerf = missing(nnPerf);

describe('malformed manifests', () => {
  it.skipIf(noNnPerf)('truncated at every 7th byte of the real nnPerf manifest: MANIFEST_INVALID', async () => {
    const real = await unzipEntry(nnPerf, 'AndroidManifest.xml');
    for (let n = 0; n < real.length; n += 7) expect(outcome(real.subarray(0, n))).toBe('invalid');
    expect(outcome(real)).toBe('ok');
  });

  it('truncated written manifests (both encodings): MANIFEST_INVALID', () => {
    for (const buf of [written, writtenUtf8]) for (let n = 0; n < buf.length; n += 7) expect(outcome(buf.subarray(0, n))).toBe('invalid');
  });

  it('random bytes, with and without a valid XML chunk header', () => {
    const r = rng(1);
    for (let i = 0; i < 2000; i++) {
      const buf = Buffer.alloc(Math.floor(r() * 512));
      for (let j = 0; j < buf.length; j++) buf[j] = Math.floor(r() * 256);
      if (i % 2 === 0 && buf.length >= 8) {
        buf.writeUInt32LE(0x00080003, 0);
        buf.writeUInt32LE(buf.length, 4);
      }
      outcome(buf);
    }
  });

  it.skipIf(noNnPerf)('bit flips and random u32 overwrites of the real manifest: valid output or MANIFEST_INVALID', async () => {
    const real = await unzipEntry(nnPerf, 'AndroidManifest.xml');
    const r = rng(2);
    const seen = { ok: 0, invalid: 0 };
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(real);
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
        const at = Math.floor(r() * (b.length - 4));
        if (r() < 0.5) b[at]! ^= 1 << Math.floor(r() * 8);
        else b.writeUInt32LE(Math.floor(r() * 2 ** 32), at);
      }
      seen[outcome(b)]++;
    }
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.invalid).toBeGreaterThan(0);
  });

  it('lying chunk sizes never loop or read out of bounds', () => {
    const cs = chunks(written);
    const lies: Buffer[] = [
      patched(written, (b) => b.writeUInt32LE(0xffffffff, 4)), // XML chunk larger than the file
      patched(written, (b) => b.writeUInt16LE(0xffff, 2)), // XML header larger than the chunk
      patched(written, (b) => b.writeUInt16LE(4, 2)), // XML header smaller than a chunk header
    ];
    for (const [at] of cs) {
      for (const size of [0, 4, 8, 12, 0x7fffffff, 0xffffffff]) lies.push(patched(written, (b) => b.writeUInt32LE(size, at + 4)));
      for (const header of [0, 7, 0xffff]) lies.push(patched(written, (b) => b.writeUInt16LE(header, at + 2)));
    }
    const t0 = Date.now();
    for (const buf of lies) expect(outcome(buf)).toBe('invalid');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('huge string, style and attribute counts are refused without allocating for them', () => {
    const [pool] = chunks(written)[0]!;
    const start = chunks(written).find(([, t]) => t === 0x0102)![0];
    const bufs = [
      patched(written, (b) => b.writeUInt32LE(0xffffffff, pool + 8)), // stringCount
      patched(written, (b) => b.writeUInt32LE(0x10000000, pool + 8)),
      patched(written, (b) => b.writeUInt32LE(0xffffffff, pool + 12)), // styleCount
      patched(written, (b) => b.writeUInt32LE(0xfffffff0, pool + 20)), // stringsStart
      patched(written, (b) => b.writeUInt16LE(0xffff, start + 16 + 12)), // attributeCount
      patched(written, (b) => b.writeUInt16LE(0xffff, start + 16 + 8)), // attributeStart
      patched(written, (b) => b.writeUInt16LE(4, start + 16 + 10)), // attributeSize below 20
      patched(written, (b) => b.writeUInt32LE(0x7ffffff0, start + 16 + 4)), // element name index
    ];
    for (const buf of bufs) expect(outcome(buf)).toBe('invalid');
  });

  it('a string whose length runs past the pool is refused (UTF-16 and UTF-8)', () => {
    const [pool] = chunks(written)[0]!;
    const first = (b: Buffer) => pool + b.readUInt32LE(pool + 20) + b.readUInt32LE(pool + 28);
    expect(outcome(patched(written, (b) => b.writeUInt16LE(0x7fff, first(b))))).toBe('invalid');
    expect(outcome(patched(written, (b) => b.writeUInt16LE(0xffff, first(b))))).toBe('invalid'); // two-unit length
    // UTF-8: the byte length (second field) bounds the read; the UTF-16 length before it is only a hint.
    expect(outcome(patched(writtenUtf8, (b) => b.set([0x80, 0x01, 0xff, 0xff], first(b))))).toBe('invalid');
    expect(outcome(patched(writtenUtf8, (b) => { b[first(b) + 1] = 0xff; b[first(b) + 2] = 0xff; }))).toBe('invalid');
  });

  it('structure errors: stray end tags, no element, runaway nesting', () => {
    const cs = chunks(written);
    const [startAt] = cs.find(([, t]) => t === 0x0102)!;
    const startLen = written.readUInt32LE(startAt + 4);
    const [endAt] = cs.find(([, t]) => t === 0x0103)!;
    const endLen = written.readUInt32LE(endAt + 4);
    const head = written.subarray(0, startAt); // XML header, pool, resource map, start namespace
    const wrap = (body: Buffer[]) => {
      const b = Buffer.concat([head, ...body]);
      b.writeUInt32LE(b.length, 4);
      return b;
    };
    const start = written.subarray(startAt, startAt + startLen);
    const end = written.subarray(endAt, endAt + endLen);
    expect(outcome(wrap([end]))).toBe('invalid'); // end tag closes nothing
    expect(outcome(wrap([]))).toBe('invalid'); // no element at all
    expect(outcome(wrap(Array(1000).fill(start)))).toBe('invalid'); // nesting past the depth limit
    expect(outcome(wrap([start, end]))).toBe('ok');
  });
});
