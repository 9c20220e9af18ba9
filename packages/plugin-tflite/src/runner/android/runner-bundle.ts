/**
 * The built on-device runner (`npm run build:android-runner` writes `android-runner/dist/`): the DEX, the native
 * libraries per ABI and the manifest that lists them with their sha256.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaugeError } from '@gaugenn/core';

/** `<package>/android-runner/dist`, beside `src/` and `dist/` alike. */
export const ANDROID_RUNNER_DIST = fileURLToPath(new URL('../../../android-runner/dist', import.meta.url));

export interface RunnerLib {
  name: string;
  file: string;
  sha256: string;
  bytes: number;
}

/** `android-runner/dist/manifest.json`, as build.mjs writes it. */
export interface RunnerManifest {
  runnerClass: string;
  minApi: number;
  dex: { file: string; sha256: string; bytes: number };
  abis: Record<string, RunnerLib[]>;
  versions: Record<string, string>;
}

/** A manifest read from disk, with its folder. */
export interface RunnerBundle {
  dir: string;
  manifest: RunnerManifest;
}

/** Read the built runner; RUNNER_MISSING (saying how to build it) when it is not there. */
export function loadRunnerBundle(dir = ANDROID_RUNNER_DIST): RunnerBundle {
  const path = join(dir, 'manifest.json');
  const build = 'Build it with `npm run build:android-runner` (needs a JDK and Maven; it fetches the TFLite AARs from Maven Central).';
  if (!existsSync(path)) {
    throw new GaugeError('RUNNER_MISSING', `gaugeNN's Android TFLite runner is not built (no ${path}). ${build}`, { plugin: 'tflite', hook: 'deploy' });
  }
  let manifest: RunnerManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as RunnerManifest;
  } catch (e) {
    throw new GaugeError('RUNNER_MISSING', `${path} is unreadable: ${(e as Error).message}. ${build}`, { plugin: 'tflite', hook: 'deploy', cause: e });
  }
  if (!existsSync(join(dir, manifest.dex.file))) {
    throw new GaugeError('RUNNER_MISSING', `${join(dir, manifest.dex.file)} is missing. ${build}`, { plugin: 'tflite', hook: 'deploy' });
  }
  return { dir, manifest };
}

/** The first of the device's ABIs (preferred first) that the bundle has libraries for. */
export function pickAbi(bundle: RunnerBundle, abis: string[]): string | undefined {
  return abis.find((a) => (bundle.manifest.abis[a]?.length ?? 0) > 0);
}
