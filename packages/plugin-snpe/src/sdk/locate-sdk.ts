/**
 * Finding the Qualcomm SNPE / QAIRT SDK on this machine: `plugins.snpe.sdkRoot`, else `SNPE_ROOT`, else
 * `QAIRT_SDK_ROOT`. The SDK is a zip from Qualcomm's software center (no package registry carries it); its
 * `qairt/<version>/` folder holds `bin/<arch>/`, `lib/<arch>/` and the DSP libraries (`lib/hexagon-vNN/unsigned/`
 * in 2.x, `lib/dsp/` in 1.x). Android binaries live under `aarch64-android` (1.x: `aarch64-android-clang*`), x86-64
 * Linux host binaries under `x86_64-linux-clang`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GaugeError } from '@gaugenn/core';

/** Where to get the SDK and which setting points at it: every SNPE_SDK_MISSING message says this. */
export const SDK_HELP =
  'Download the Qualcomm AI Runtime (QAIRT) SDK, which contains SNPE, from Qualcomm\'s software center (https://softwarecenter.qualcomm.com, "Qualcomm AI Runtime Community"; it is on no package registry), unzip it, and set `plugins.snpe.sdkRoot` in gaugenn.config (or the SNPE_ROOT or QAIRT_SDK_ROOT environment variable) to its qairt/<version> folder.';

export interface SnpeSdk {
  root: string;
  /** From `sdk.yaml` or the folder name, where found. */
  version?: string;
  /** The Android binaries' arch folder, where the SDK has one. */
  androidArch?: string;
  /** The x86-64 Linux host arch folder, where the SDK has one. */
  hostArch?: string;
  /** Folders of DSP/HTP skel libraries (`lib/hexagon-v73/unsigned`, …, or 1.x `lib/dsp`). */
  dspDirs: string[];
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const dirs = (p: string) => (isDir(p) ? readdirSync(p).filter((d) => isDir(join(p, d))) : []);

function pickArch(bins: string[], exact: string, prefix: RegExp): string | undefined {
  if (bins.includes(exact)) return exact;
  return bins.filter((d) => prefix.test(d)).sort().at(-1);
}

/** Read an SDK folder; undefined when it holds no `bin/` of SNPE tools. */
export function readSdk(root: string): SnpeSdk | undefined {
  const bins = dirs(join(root, 'bin'));
  if (bins.length === 0) return undefined;
  const androidArch = pickArch(bins, 'aarch64-android', /^aarch64-android/);
  const hostArch = pickArch(bins, 'x86_64-linux-clang', /^x86_64-linux/);
  const lib = join(root, 'lib');
  const dspDirs = [
    ...dirs(lib).filter((d) => /^hexagon-v\d+$/.test(d)).sort().map((d) => join(lib, d, 'unsigned')).filter(isDir),
    ...(isDir(join(lib, 'dsp')) ? [join(lib, 'dsp')] : []),
  ];
  let version: string | undefined;
  const yaml = join(root, 'sdk.yaml');
  if (existsSync(yaml)) version = /^\s*version\s*:\s*['"]?([^'"\s]+)/m.exec(readFileSync(yaml, 'utf8'))?.[1];
  version ??= /(\d+\.\d+\.\d+(?:\.\d+)?)/.exec(root)?.[1];
  return { root, dspDirs, ...(version ? { version } : {}), ...(androidArch ? { androidArch } : {}), ...(hostArch ? { hostArch } : {}) };
}

/** The SDK folder named by the options or the environment, read; undefined when none is set or it is not an SDK. */
export function locateSdk(sdkRoot: string | undefined, env: NodeJS.ProcessEnv = process.env): { sdk?: SnpeSdk; tried: string[] } {
  const tried: string[] = [];
  for (const [where, p] of [['plugins.snpe.sdkRoot', sdkRoot], ['SNPE_ROOT', env.SNPE_ROOT], ['QAIRT_SDK_ROOT', env.QAIRT_SDK_ROOT]] as const) {
    if (!p) continue;
    tried.push(`${where}=${p}`);
    const sdk = readSdk(p);
    if (sdk) return { sdk, tried };
  }
  return { tried };
}

/** The SDK, or a GaugeError SNPE_SDK_MISSING that says where to get it and what to set. */
export function requireSdk(sdkRoot: string | undefined, need: string, env: NodeJS.ProcessEnv = process.env, where: { hook?: string; subject?: string } = {}): SnpeSdk {
  const { sdk, tried } = locateSdk(sdkRoot, env);
  if (sdk) return sdk;
  const what = tried.length ? `No SNPE/QAIRT SDK (a folder with bin/<arch>/ tools) at ${tried.join(', ')}` : 'No SNPE/QAIRT SDK is configured';
  throw new GaugeError('SNPE_SDK_MISSING', `${what}, so ${need} cannot run. ${SDK_HELP}`, { plugin: 'snpe', ...where });
}

/** Path of an SDK tool for an arch, or undefined when the SDK lacks it. */
export function sdkTool(sdk: SnpeSdk, arch: string | undefined, tool: string): string | undefined {
  if (!arch) return undefined;
  const p = join(sdk.root, 'bin', arch, tool);
  return existsSync(p) ? p : undefined;
}

/** The `.so` files of a folder, sorted. */
export function sharedLibs(dir: string): string[] {
  return isDir(dir) ? readdirSync(dir).filter((f) => f.endsWith('.so')).sort().map((f) => join(dir, f)) : [];
}
