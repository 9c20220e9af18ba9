/**
 * The fuzz harness itself (fuzz/run.mjs): a reader that throws something other than a GaugeError, one that hangs
 * and one that eats memory are each caught, named, and given a reproducer (seed + path, and the input's bytes on
 * disk) that replays the same input; a reader that only throws GaugeErrors passes with its figures. The readers
 * here are toys written for this test, loaded with `--targets`.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test-support/fixtures.js';

const core = pathToFileURL(join(repoRoot, 'packages', 'core', 'dist', 'index.js')).href;
const TOYS = `
import { GaugeError } from ${JSON.stringify(core)};
const seeds = async () => [{ name: 'toy', bytes: Buffer.from('TOY header 0123456789 and a body of some length') }];
export const TARGETS = [
  { name: 'toy-typed', seeds, run: (b) => { if (b[0] !== 0x54) throw new GaugeError('MODEL_MALFORMED', 'not a toy'); return 'ok'; } },
  { name: 'toy-typeerror', seeds, run: (b) => { if (b.length < 40) null.boom; return 'ok'; } },
  { name: 'toy-hang', seeds, run: (b) => { if (b.length < 40) for (;;); return 'ok'; } },
  { name: 'toy-memory', seeds, run: (b) => { if (b.length < 40) { const keep = []; for (;;) keep.push(new Array(1e6).fill(1)); } return 'ok'; } },
];
`;

const dir = mkdtempSync(join(tmpdir(), 'gaugenn-fuzz-harness-'));
writeFileSync(join(dir, 'toys.mjs'), TOYS);
const fuzz = (args: string[]) =>
  execa(process.execPath, [join(repoRoot, 'fuzz', 'run.mjs'), '--targets', join(dir, 'toys.mjs'), '--out', join(dir, 'crashes'), '--seed', '7', ...args], { reject: false, timeout: 120_000 });

describe('fuzz harness', () => {
  it('passes a reader that throws only GaugeErrors, with its figures', async () => {
    const r = await fuzz(['--target', 'toy-typed', '--n', '300']);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/toy-typed\s+300 inputs .* rejected \d+ .*ok/);
    expect(r.stdout).toMatch(/codes: MODEL_MALFORMED×\d+/);
  });

  it('fails a TypeError with a reproducer whose bytes and --path replay the same input', async () => {
    const r = await fuzz(['--target', 'toy-typeerror', '--n', '300']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/EXCEPTION in toy-typeerror/);
    expect(r.stdout).toMatch(/TypeError/);
    const path = r.stdout.match(/reproduce: npm run fuzz -- --target toy-typeerror --seed 7 --path (\d+)/)![1]!;
    const bytes = r.stdout.match(/bytes:\s+(\S+)/)![1]!;
    expect(readFileSync(bytes).length).toBeLessThan(40);
    const dump = await fuzz(['--target', 'toy-typeerror', '--path', path, '--dump', '--out', join(dir, 'dump')]);
    expect(readFileSync(dump.stdout.trim().split('\n').at(-1)!)).toEqual(readFileSync(bytes));
    const replay = await fuzz(['--target', 'toy-typeerror', '--path', path]);
    expect(replay.exitCode).toBe(1);
    expect(replay.stdout).toMatch(/TypeError/);
  });

  it('terminates a hang at the time bound and writes the input that hung', async () => {
    const r = await fuzz(['--target', 'toy-hang', '--n', '300', '--time-ms', '1000']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/HANG in toy-hang/);
    expect(r.stdout).toMatch(/input ran over 1000 ms/);
    expect(readFileSync(r.stdout.match(/bytes:\s+(\S+)/)![1]!).length).toBeLessThan(40);
  });

  it('stops a reader that exceeds the heap bound', async () => {
    const r = await fuzz(['--target', 'toy-memory', '--n', '300', '--heap-mb', '64']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/MEMORY in toy-memory/);
  });
});
