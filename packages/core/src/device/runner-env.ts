import { delimiter, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of `gaugenn_runner.py`, the Python side of the runner protocol (shipped with core). */
export const RUNNER_PYTHON_LIB = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'python');

/** Environment for a host Python runner: core's protocol module on PYTHONPATH, ahead of the user's own. */
export function runnerEnv(): Record<string, string> {
  const prev = process.env.PYTHONPATH;
  return { PYTHONPATH: prev ? `${RUNNER_PYTHON_LIB}${delimiter}${prev}` : RUNNER_PYTHON_LIB };
}
