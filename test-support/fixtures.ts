/**
 * Where tests find real inputs: `../shared/fixtures` beside the repository, and npm packages in node_modules.
 * A test that needs a missing one skips with a message naming the path (never silently passes).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const fixturesRoot = resolve(repoRoot, '..', 'shared', 'fixtures');

/** Absolute path of a shared fixture, e.g. `fixture('tflite/split_concat.tflite')`. */
export function fixture(rel: string): string {
  return join(fixturesRoot, rel);
}

/** Skip reason when a fixture is absent, else undefined. Use with `it.skipIf(missing(p))`. */
export function missing(...paths: string[]): string | undefined {
  const gone = paths.filter((p) => !existsSync(p));
  if (gone.length === 0) return undefined;
  // vitest shows the test name only, so say it on stderr too.
  process.stderr.write(`[skip] missing fixture(s): ${gone.join(', ')}\n`);
  return `missing: ${gone.join(', ')}`;
}

const require = createRequire(join(repoRoot, 'package.json'));

/** Directory of an installed npm package (e.g. `@mediapipe/pose`), or undefined. */
export function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}
