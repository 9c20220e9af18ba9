#!/usr/bin/env node
// `npm test`: vitest over every package, then one plain closing line ("N passed, N failed, N skipped") that CI
// reads whatever the runner; the exit code is vitest's own.
//
// Before the tests, the host runtimes the runner tests need (LiteRT, ncnn, OpenCV DNN) are installed into gaugeNN's
// own venv with `gaugenn setup` when that venv lacks them, as the demo does: tests use the venv the runners use
// (core's hostPython()), so on a fresh machine no runtime test is skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { hostPython, pythonHas } = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
const RUNTIMES = ['ai_edge_litert', 'ncnn', 'cv2'];
if (!(await pythonHas(RUNTIMES))) {
  console.log(`Host runtimes (${RUNTIMES.join(', ')}) missing for ${hostPython()}: running \`gaugenn setup\` first.`);
  const s = spawnSync(process.execPath, [join(root, 'packages/cli/bin/run.cjs'), 'setup'], { stdio: 'inherit' });
  if (s.status !== 0) {
    console.log('\n`gaugenn setup` failed: the runtime tests would be skipped. Fix the Python install (see its output above).');
    process.exit(s.status ?? 1);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gaugenn-test-'));
const out = join(dir, 'vitest.json');
const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)], { stdio: 'inherit' });
try {
  const j = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  console.log(`\n${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log('\n0 passed, 1 failed (vitest wrote no results)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(r.status ?? 1);
