// execa is imported on first use: it costs ~70 ms to load, and extraction workers never run commands.
const loadExeca = async () => (await import('execa')).execa;
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { GaugeError } from '../errors/gauge-error.js';

/** Where gaugeNN keeps per-user state that outlives a store: the host runners' Python environment. */
export function gaugennHome(): string {
  return process.env.GAUGENN_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'gaugenn');
}

/** The venv that `gaugenn setup` makes for the host runners. */
export function hostVenv(): string {
  return join(gaugennHome(), 'venv');
}

/**
 * The Python that host runners use: `GAUGENN_PYTHON` if set, else gaugeNN's own venv if `gaugenn setup` made it,
 * else `python3` from PATH. A plugin's `python` option wins over all of these.
 */
export function hostPython(): string {
  if (process.env.GAUGENN_PYTHON) return process.env.GAUGENN_PYTHON;
  const venvPy = join(hostVenv(), 'bin', 'python');
  return existsSync(venvPy) ? venvPy : 'python3';
}

/** True when every module imports under the host Python. */
export async function pythonHas(modules: string[], python = hostPython()): Promise<boolean> {
  const r = await (await loadExeca())(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { reject: false });
  return r.exitCode === 0;
}

/**
 * Make (or update) gaugeNN's venv and pip-install the host runners' requirements into it. The venv keeps the
 * system's Python untouched; `--system-site-packages` lets it reuse runtimes already installed there.
 */
export async function setupHostPython(requirements: string[], log: (line: string) => void = () => {}): Promise<string> {
  const venv = hostVenv();
  const py = join(venv, 'bin', 'python');
  const base = process.env.GAUGENN_PYTHON ?? 'python3';
  if (!existsSync(py)) {
    await mkdir(dirname(venv), { recursive: true });
    log(`Creating ${venv}`);
    const r = await (await loadExeca())(base, ['-m', 'venv', '--system-site-packages', venv], { reject: false });
    if (r.exitCode !== 0) {
      throw new GaugeError('RUNNER_MISSING', `Could not create a Python venv with ${base}: ${r.stderr || r.message}. Install Python 3.9+ with venv (Debian: apt-get install python3-venv), or set GAUGENN_PYTHON to a Python that has the runtimes.`);
    }
  }
  if (requirements.length) {
    log(`Installing ${requirements.join(' ')}`);
    const r = await (await loadExeca())(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', ...requirements], { reject: false, all: true });
    if (r.exitCode !== 0) {
      throw new GaugeError('RUNNER_MISSING', `pip could not install ${requirements.join(' ')}:\n${String(r.all ?? '').slice(-2000)}\nCheck network access to PyPI, or install them yourself and set GAUGENN_PYTHON.`);
    }
  }
  return py;
}
