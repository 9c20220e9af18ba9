/**
 * A minimal host Device over node:child_process, for the runner tests only: the runner depends on core's
 * Device/Transport interfaces, and this stands in for core's host device without depending on it.
 */
import { spawn } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import type { Device, ExecOptions, ExecResult, Transport } from '@gaugenn/core';

export const localTransport: Transport = {
  push: (local, remote) => copyFile(local, remote),
  pull: (remote, local) => copyFile(remote, local),
  readFile: (remote) => readFile(remote),
  workDir: async () => tmpdir(),
  exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, signal: options.signal });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const timer = options.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs)
        : undefined;
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: code ?? -1, stdout, stderr, timedOut });
      });
      if (options.input !== undefined) child.stdin.end(options.input);
      else child.stdin.end();
    });
  },
};

export function localDevice(kind = 'host'): Device {
  return {
    id: `test-${kind}`,
    kind,
    info: { cpu: { cores: cpus().length }, os: process.platform, abi: process.arch },
    transport: localTransport,
    temperature: async () => undefined,
  };
}
