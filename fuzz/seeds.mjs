/**
 * Where fuzz seeds come from: the real fixtures in `../shared/fixtures` beside the repository (the place
 * test-support/fixtures.ts names), files inside npm-shipped apps and models, and captured runner output quoted
 * in the packages' own tests (read from those files, so there is one copy). A missing seed is left out and
 * named; a target with no seed at all is skipped with a message.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipReader } from '@gaugenn/core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const fixturesRoot = resolve(repoRoot, '..', 'shared', 'fixtures');
const require = createRequire(join(repoRoot, 'package.json'));

export const missingSeeds = [];

/** A shared fixture's bytes, or undefined (and noted) when absent. */
export function fixture(rel) {
  const p = join(fixturesRoot, rel);
  if (!existsSync(p)) {
    missingSeeds.push(p);
    return undefined;
  }
  return readFileSync(p);
}

/** Every file of a shared fixture folder as [name, bytes] pairs (e.g. `android/benchmark_model_outputs`). */
export function fixtureFiles(rel, filter = () => true) {
  const d = join(fixturesRoot, rel);
  if (!existsSync(d)) {
    missingSeeds.push(d);
    return [];
  }
  return readdirSync(d).filter((f) => filter(f) && statSync(join(d, f)).isFile()).sort().map((f) => [`${rel}/${f}`, readFileSync(join(d, f))]);
}

/** A file inside an installed npm package, or undefined. */
export function packageFile(pkg, rel) {
  try {
    const p = join(dirname(require.resolve(`${pkg}/package.json`)), rel);
    if (existsSync(p)) return readFileSync(p);
  } catch {
    // not installed
  }
  missingSeeds.push(`${pkg}/${rel}`);
  return undefined;
}

/** One entry of a zip (an APK's manifest or DEX), or undefined. */
export async function zipEntry(bytes, name) {
  if (!bytes) return undefined;
  const { BufferByteSource } = await import('@gaugenn/core');
  const z = await ZipReader.open(new BufferByteSource(bytes));
  const e = z.getEntry(name);
  return e ? z.readAll(e, 64 * 1024 * 1024) : undefined;
}

/** Template literals `const NAME = \`…\`;` of a test file: captured output the tests quote. */
export function quotedOutputs(testFile) {
  const p = join(repoRoot, testFile);
  if (!existsSync(p)) return [];
  const src = readFileSync(p, 'utf8');
  return [...src.matchAll(/^const (\w+) = `([^`]*)`;/gm)].map((m) => ({ name: `${testFile}#${m[1]}`, bytes: Buffer.from(m[2].replace(/\\t/g, '\t').replace(/\\n/g, '\n'), 'utf8') }));
}

/** Named seeds, dropping absent ones. */
export function named(pairs) {
  return pairs.filter(([, b]) => b && b.length).map(([name, bytes, companion]) => ({ name, bytes, companion }));
}
