/**
 * An adb device STAND-IN for the Android runners' tests: core's host transport with kind 'adb', the device's work
 * dir mapped into a temp folder, and stand-ins named as such on PATH: `app_process` (the Java runner's CLI contract
 * over the real LiteRT Python runtime, `standins/app_process.py`), `logcat` (a buffer file the app_process
 * stand-in writes the runtime's lines to) and, per test, a `benchmark_model` that prints a real captured output.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostPython, runnerEnv, type Device } from '@gaugenn/core';
import { RUNNER_SCRIPT } from '../../src/index.js';
import { localDevice, localTransport } from './local-device.js';

const APP_PROCESS_PY = fileURLToPath(new URL('./standins/app_process.py', import.meta.url));

export interface StandinDevice {
  device: Device;
  /** The device's work dir (a temp folder). */
  work: string;
  /** Folder of the stand-in tools (on the device's PATH). */
  bin: string;
  /** The stand-in logcat buffer. */
  logcat: string;
  /** Every push the runner made, remote paths in order. */
  pushes: string[];
  /** Every command the runner ran. */
  commands: { command: string; args: string[] }[];
  /** Lines a device's TFLite would log for a delegate (the host has no GPU/NNAPI): set before a run. */
  setDelegateLog(lines: string[] | undefined): void;
}

function script(path: string, text: string): string {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

/**
 * The `app_process` stand-in as one sh script: it sets what the Python stand-in needs (core's protocol module, the
 * plugin's host-runner helpers, optionally a delegate log to replay) and execs it. For the ADB device simulator:
 * `sim.installTool('/system/bin/app_process', appProcessStandin())`; logcat is then the simulator's own.
 */
export function appProcessStandin(options: { delegateLog?: string } = {}): string {
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  const env: Record<string, string> = { ...runnerEnv(), STANDIN_TFLITE_RUNNER_DIR: join(RUNNER_SCRIPT, '..'), ...(options.delegateLog ? { STANDIN_DELEGATE_LOG: options.delegateLog } : {}) };
  const exports = Object.entries(env).map(([k, v]) => `export ${k}=${q(v)}`).join('\n');
  return `#!/bin/sh\n# STAND-IN for Android's app_process running gaugeNN's TFLite runner (test/support/standins/app_process.py)\n${exports}\nexec ${q(hostPython())} ${q(APP_PROCESS_PY)} "$@"\n`;
}

/** A fresh stand-in device; `abis` as the device would report them (`ro.product.cpu.abilist`). */
export function standinDevice(abis: string[] = ['arm64-v8a', 'armeabi-v7a']): StandinDevice {
  const root = mkdtempSync(join(tmpdir(), 'gaugenn-android-standin-'));
  const bin = join(root, 'bin');
  const work = join(root, 'data-local-tmp-gaugenn');
  mkdirSync(bin);
  mkdirSync(work);
  const logcat = join(root, 'logcat.buf');
  writeFileSync(logcat, '');
  const delegateLog = join(root, 'delegate.log');
  let useDelegateLog = false;
  script(join(bin, 'app_process'), `#!/bin/sh\n# STAND-IN for Android's app_process (see ${'standins/app_process.py'})\nexec "${hostPython()}" "${APP_PROCESS_PY}" "$@"\n`);
  // logcat -c clears the buffer; logcat -d … prints it (it only ever holds tag tflite lines).
  script(join(bin, 'logcat'), `#!/bin/sh\n# STAND-IN for Android's logcat\nfor a in "$@"; do\n  if [ "$a" = "-c" ]; then : > "${logcat}"; exit 0; fi\ndone\ncat "${logcat}"\n`);
  const pushes: string[] = [];
  const commands: { command: string; args: string[] }[] = [];
  const env = () => ({
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    STANDIN_LOGCAT: logcat,
    STANDIN_TFLITE_RUNNER_DIR: join(RUNNER_SCRIPT, '..'),
    ...(useDelegateLog ? { STANDIN_DELEGATE_LOG: delegateLog } : {}),
    ...runnerEnv(),
  });
  const base = localDevice('adb');
  const device: Device = {
    ...base,
    id: `standin-${root.slice(-6)}`,
    info: { ...base.info, os: 'Android 14 (stand-in)', abi: abis[0] ?? 'arm64-v8a', abis, apiLevel: 34 },
    transport: {
      ...localTransport,
      workDir: async () => work,
      push: async (l, r) => {
        pushes.push(r);
        await localTransport.push(l, r);
      },
      exec: (c, a, o) => {
        commands.push({ command: c, args: a });
        return localTransport.exec(c, a, { ...o, env: { ...o?.env, ...env() } });
      },
    },
  };
  return {
    device,
    work,
    bin,
    logcat,
    pushes,
    commands,
    setDelegateLog(lines) {
      useDelegateLog = lines !== undefined;
      if (lines) writeFileSync(delegateLog, `${lines.join('\n')}\n`);
    },
  };
}

/**
 * A `benchmark_model` STAND-IN: a script that records its arguments and prints one run of a captured real output
 * (the fixture's text up to its next `# second…`/`# command` annotation, annotations left out), then exits.
 */
export function benchmarkModelStandin(dir: string, fixtureFile: string, exitCode = 0): { binary: string; argsFile: string } {
  const text = readFileSync(fixtureFile, 'utf8').split('\n');
  const firstRun: string[] = [];
  let started = false;
  for (const line of text) {
    if (line.startsWith('# ')) {
      if (started && /^# (command|second|third)/.test(line)) break;
      continue;
    }
    started = true;
    firstRun.push(line);
  }
  const output = join(dir, 'captured-output.txt');
  writeFileSync(output, `${firstRun.join('\n')}\n`);
  const argsFile = join(dir, 'benchmark_model.args');
  const binary = script(join(dir, 'benchmark_model-standin'), `#!/bin/sh\n# STAND-IN for TFLite's benchmark_model: prints a real captured output\nprintf '%s\\n' "$@" > "${argsFile}"\ncat "${output}"\nexit ${exitCode}\n`);
  return { binary, argsFile };
}
