/** Run the real `gaugenn` binary (built dist) as a user would, in a child process. */
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { repoRoot } from '../../../test-support/fixtures.js';

export const BIN = join(repoRoot, 'packages', 'cli', 'bin', 'run.cjs');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function gaugenn(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? repoRoot, env: { NO_COLOR: '1', ...opts.env }, reject: false, timeout: 600_000 });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Start the CLI without waiting, to kill it mid-run. */
export function spawnGaugenn(args: string[], cwd: string): ResultPromise {
  return execa(process.execPath, [BIN, ...args], { cwd, env: { NO_COLOR: '1' }, reject: false });
}
