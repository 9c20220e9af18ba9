/**
 * Seeded mutation fuzzing of both readers on the real fixtures: byte flips, truncations, insertions and
 * duplicated slices. Every outcome must be a graph or a GaugeError; never another exception or a hang.
 * Bounded: a fixed number of cases per file, deterministic seed, so CI sees the same inputs every run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GaugeError } from '@gaugenn/core';
import { missing } from '../../../test-support/fixtures.js';
import { buildGraph, parsePrototxt, readCaffemodel } from '../src/index.js';
import { caffeFixture } from './support/models.js';

const CASES = 250;

function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s ^= s >>> 13;
    return s % Math.max(1, n);
  };
}

function mutate(src: Buffer, r: (n: number) => number): Buffer {
  const b = Buffer.from(src);
  switch (r(5)) {
    case 0:
      for (let i = r(8) + 1; i > 0; i--) b[r(b.length)] = r(256);
      return b;
    case 1:
      return b.subarray(0, r(b.length));
    case 2: {
      const at = r(b.length);
      return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: r(16) + 1 }, () => r(256))), b.subarray(at)]);
    }
    case 3: {
      const at = r(b.length);
      const len = r(64);
      return Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
    }
    default: {
      // Text-aware: swap a punctuation mark, which prototxt errors usually are.
      const i = r(b.length);
      b[i] = '{}:"<>[]#'.charCodeAt(r(9));
      return b;
    }
  }
}

const outcome = (e: unknown) => {
  if (!(e instanceof GaugeError)) throw e;
  expect(['MODEL_MALFORMED', 'MODEL_UNSUPPORTED', 'LIMIT_EXCEEDED']).toContain(e.code);
};

describe('fuzz', () => {
  for (const name of ['mtcnn_det1.prototxt', 'mtcnn_det2.prototxt', 'bvlc_alexnet_deploy.prototxt', 'lenet.prototxt']) {
    const path = caffeFixture(name);
    it.skipIf(missing(path))(`prototxt reader: ${CASES} mutations of ${name}`, () => {
      const src = readFileSync(path);
      const r = rng(0xcaffe + name.length);
      let graphs = 0;
      for (let i = 0; i < CASES; i++) {
        const text = mutate(src, r).toString('utf8');
        try {
          const g = buildGraph({ prototxt: parsePrototxt(text, name), files: [], subject: name });
          expect(Number.isFinite(g.totals.macs)).toBe(true);
          graphs++;
        } catch (e) {
          outcome(e);
        }
      }
      expect(graphs).toBeGreaterThan(0);
    });
  }

  for (const name of ['mtcnn_det1.caffemodel', 'mtcnn_det2.caffemodel']) {
    const path = caffeFixture(name);
    it.skipIf(missing(path))(`caffemodel reader: ${CASES} mutations of ${name}`, async () => {
      const src = readFileSync(path);
      const r = rng(0xbeef + name.length);
      let graphs = 0;
      for (let i = 0; i < CASES; i++) {
        try {
          const c = await readCaffemodel(mutate(src, r), { window: 4096 });
          buildGraph({ caffemodel: c, files: [], subject: name });
          graphs++;
        } catch (e) {
          outcome(e);
        }
      }
      expect(graphs).toBeGreaterThan(0);
    });
  }
});
