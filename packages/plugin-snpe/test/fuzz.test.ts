/**
 * Seeded mutation fuzzing of the package's untrusted-input readers (the exported `fuzzTargets`) on the real
 * fixtures: byte flips, truncations, insertions, duplicated slices, and (for DLCs) the same inside the `model` and
 * `model.params` records with the container rebuilt, so mutations reach the FlatBuffer and v2 readers past the zip
 * layer. Every outcome is a result or a GaugeError of the target's codes; a parsed graph has finite totals.
 * Bounded and deterministic: a fixed case count per seed and a fixed seed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferByteSource, ZipReader, buildZip, type ModelGraph } from '@gaugenn/core';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { fuzzTargets, runFuzzTarget, parseDlcBytes } from '../src/index.js';

const CASES = 120;

function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s ^= s >>> 13;
    return (s >>> 0) % Math.max(1, n);
  };
}

function mutate(src: Buffer, r: (n: number) => number, lo = 0): Buffer {
  const b = Buffer.from(src);
  const at = () => lo + r(Math.max(1, b.length - lo));
  switch (r(5)) {
    case 0:
      for (let i = r(8) + 1; i > 0; i--) b[at()] = r(256);
      return b;
    case 1:
      return b.subarray(0, at());
    case 2: {
      const p = at();
      return Buffer.concat([b.subarray(0, p), Buffer.from(Array.from({ length: r(16) + 1 }, () => r(256))), b.subarray(p)]);
    }
    case 3: {
      const p = at();
      return Buffer.concat([b.subarray(0, p), b.subarray(p, p + r(64)), b.subarray(p)]);
    }
    default: {
      // A 32-bit field set to an extreme: offsets and lengths are the usual attack.
      const p = Math.min(at(), b.length - 4);
      if (p >= 0) b.writeUInt32LE([0, 1, 0x7fffffff, 0xffffffff, b.length][r(5)]! >>> 0, p);
      return b;
    }
  }
}

async function members(b: Buffer): Promise<Record<string, Buffer>> {
  const z = await ZipReader.open(new BufferByteSource(b));
  const out: Record<string, Buffer> = {};
  for (const e of z.entries) {
    const parts: Buffer[] = [];
    for await (const c of z.chunks(e)) parts.push(c);
    out[e.name] = Buffer.concat(parts);
  }
  return out;
}

const finite = (g: ModelGraph) => [g.totals.macs, g.totals.flops, g.totals.params, g.totals.weightBytes].every(Number.isFinite);

describe('fuzz', () => {
  it('exports its targets for a harness', () => {
    expect(fuzzTargets.map((t) => t.name)).toEqual(['snpe/dlc-container', 'snpe/dlc-model-record', 'snpe/diag-log', 'snpe/dlc-sniffer']);
  });

  for (const t of fuzzTargets) {
    for (const seed of t.seeds) {
      const path = fixture(seed);
      it.skipIf(missing(path))(`${t.name}: ${CASES} mutations of ${seed.split('/').pop()}`, async () => {
        const src = readFileSync(path);
        const r = rng(0x5a9e + seed.length + t.name.length);
        const seen: Record<string, number> = {};
        for (let i = 0; i < CASES; i++) {
          const out = await runFuzzTarget(t, mutate(src, r));
          seen[out] = (seen[out] ?? 0) + 1;
        }
        expect(Object.values(seen).reduce((a, b) => a + b, 0)).toBe(CASES);
      }, 120_000);
    }
  }

  for (const seed of fuzzTargets[0]!.seeds) {
    const path = fixture(seed);
    it.skipIf(missing(path))(`DLC records: ${CASES} mutations inside model / model.params of ${seed.split('/').pop()}`, async () => {
      const m = await members(readFileSync(path));
      const r = rng(0xd1c + seed.length);
      const names = Object.keys(m).filter((n) => n === 'model' || n === 'model.params');
      let graphs = 0;
      for (let i = 0; i < CASES; i++) {
        const which = names[r(names.length)]!;
        // Mutate past the 8-byte header most of the time, so the FlatBuffer/v2 body is what is attacked.
        const mutated = { ...m, [which]: mutate(m[which]!, r, r(4) === 0 ? 0 : 8) };
        const dlc = await buildZip(Object.entries(mutated).map(([name, data]) => ({ name, data, method: 'store' as const })));
        const out = await runFuzzTarget(fuzzTargets[0]!, dlc);
        if (out === 'ok') {
          const g = await parseDlcBytes(dlc);
          expect(finite(g)).toBe(true);
          graphs++;
        }
      }
      // Many mutations (weight bytes, names) leave a readable model: the readers do not reject everything.
      expect(graphs).toBeGreaterThan(0);
    }, 180_000);
  }
});
