/**
 * Seeded fuzzing of the param reader over mutations of the real fixtures (truncation, digit changes, huge
 * numbers, deleted and duplicated lines, byte flips of the binary form): every outcome is a ModelGraph or a
 * GaugeError, never another exception or a hang. Deterministic, bounded, and it runs in CI without a skip:
 * when the shared fixtures are absent it fuzzes the package's own demo model instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { GaugeError } from '@gaugenn/core';
import { describe, expect, it } from 'vitest';
import { buildDemoNcnnModel, parseNcnn } from '../src/index.js';
import { toBinaryParam } from './support/binary-param.js';
import { BENCH, paramPath, REAL } from './support/models.js';

const ITERATIONS = 4000;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutateText(text: string, r: () => number): string {
  const pick = (n: number) => Math.floor(r() * n);
  const lines = text.split('\n');
  switch (pick(7)) {
    case 0:
      return text.slice(0, pick(text.length));
    case 1: {
      const digits = [...text.matchAll(/\d/g)];
      const m = digits[pick(digits.length)];
      return m ? text.slice(0, m.index) + String(pick(10)) + text.slice(m.index! + 1) : text;
    }
    case 2: {
      const nums = [...text.matchAll(/-?\d+/g)];
      const m = nums[pick(nums.length)];
      const huge = ['2147483647', '-2147483648', '99999999999', '0', '-1', '-233', '65536'][pick(7)]!;
      return m ? text.slice(0, m.index) + huge + text.slice(m.index! + m[0].length) : text;
    }
    case 3:
      lines.splice(2 + pick(Math.max(lines.length - 2, 1)), 1);
      return lines.join('\n');
    case 4: {
      const i = 2 + pick(Math.max(lines.length - 2, 1));
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 5: {
      const i = pick(text.length);
      return text.slice(0, i) + String.fromCharCode(32 + pick(95)) + text.slice(i + 1);
    }
    default: {
      const tokens = text.split(' ');
      tokens.splice(pick(tokens.length), 1);
      return tokens.join(' ');
    }
  }
}

describe('fuzzing the param reader', () => {
  it('every mutated param parses or fails with a GaugeError', { timeout: 120_000 }, async () => {
    const names = [...BENCH, ...REAL].filter((n) => existsSync(paramPath(n)));
    const seeds = names.length ? names.map((n) => readFileSync(paramPath(n), 'utf8')) : [(await buildDemoNcnnModel()).files[0]!.data.toString('utf8')];
    const r = prng(7767517);
    const outcomes = { parsed: 0, rejected: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const seed = seeds[i % seeds.length]!;
      let text = seed;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) text = mutateText(text, r);
      let bytes: Uint8Array = Buffer.from(text);
      if (i % 5 === 0) {
        // The binary form of an intact param, then damaged bytes.
        try {
          bytes = Buffer.from(toBinaryParam(seed));
        } catch {
          bytes = Buffer.from(text);
        }
        for (let k = 0; k < 1 + Math.floor(r() * 4); k++) {
          const at = Math.floor(r() * bytes.length);
          bytes[at] = Math.floor(r() * 256);
        }
        if (r() < 0.3) bytes = bytes.subarray(0, Math.floor(r() * bytes.length));
      }
      try {
        const g = parseNcnn({ param: bytes });
        expect(Number.isFinite(g.totals.macs)).toBe(true);
        outcomes.parsed++;
      } catch (e) {
        if (!(e instanceof GaugeError)) throw new Error(`iteration ${i}: ${(e as Error)?.stack ?? e}\n--- input ---\n${text.slice(0, 2000)}`);
        expect(e.code).toMatch(/^(MODEL_|LIMIT_EXCEEDED$)/);
        outcomes.rejected++;
      }
    }
    expect(outcomes.parsed + outcomes.rejected).toBe(ITERATIONS);
    expect(outcomes.rejected).toBeGreaterThan(0);
    expect(outcomes.parsed).toBeGreaterThan(0);
  });
});
