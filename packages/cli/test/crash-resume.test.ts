/**
 * kill -9 and resume, in CI: scripts/crash-resume.mjs kills `gaugenn bench` (host device, real LiteRT) and
 * `gaugenn extract` (npm APKs and models, and the shared fixtures where present) 5 times each at rotating points
 * (startup, mid-job, right after a commit, while the WAL grows) and checks the store after resuming: every job
 * done once with exactly its samples, every app once with the models of a run never killed, integrity ok.
 * `npm run crash-resume` runs the same with 20 kills.
 */
import { hostPython, pythonHas } from '@gaugenn/core';
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test-support/fixtures.js';

const hasLiteRT = await pythonHas(['ai_edge_litert']);
const noRuntime = hasLiteRT ? undefined : `no ai_edge_litert for ${hostPython()}: run \`npx gaugenn setup\``;
if (noRuntime) process.stderr.write(`[skip] ${noRuntime}\n`);

async function crashResume(mode: string) {
  const r = await execa(process.execPath, [join(repoRoot, 'scripts', 'crash-resume.mjs'), '--kills', '5', '--mode', mode, '--seed', '13', '--json'], { reject: false, timeout: 900_000 });
  const report = JSON.parse(String(r.stdout));
  return { exitCode: r.exitCode, report, stderr: String(r.stderr) };
}

describe('crash and resume (SIGKILL ×5)', () => {
  it.skipIf(noRuntime)('gaugenn bench: every job done exactly once with exactly its samples; integrity ok', { timeout: 900_000 }, async () => {
    const { exitCode, report, stderr } = await crashResume('bench');
    const [bench] = report.results;
    expect(bench.problems, stderr).toEqual([]);
    expect(bench.kills).toBe(5);
    expect(new Set(bench.killLog.map((k: any) => k.strategy))).toEqual(new Set(['startup', 'mid-job', 'between-jobs', 'mid-commit']));
    expect(bench.done).toBe(bench.jobs);
    expect(bench.integrity).toBe('ok');
    expect(bench.foreignKeys).toBe(0);
    expect(exitCode).toBe(0);
  });

  it('gaugenn extract over a corpus: every app once, as a run never killed stores it; integrity ok', { timeout: 900_000 }, async () => {
    const { exitCode, report, stderr } = await crashResume('extract');
    const [ex] = report.results;
    expect(ex.problems, stderr).toEqual([]);
    expect(ex.kills).toBe(5);
    expect(ex.apps).toBe(ex.corpus);
    expect(ex.integrity).toBe('ok');
    expect(exitCode).toBe(0);
  });
});
