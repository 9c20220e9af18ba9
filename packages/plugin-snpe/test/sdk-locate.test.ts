/**
 * Locating the SDK: config first, then SNPE_ROOT, then QAIRT_SDK_ROOT; the 2.x layout (bin/aarch64-android,
 * lib/hexagon-vNN/unsigned, sdk.yaml) and the 1.x one (bin/aarch64-android-clang8.0, lib/dsp), as the SDK zips
 * lay them out (folder names from the SDK docs and mlcommons' build files; the trees here are empty stand-ins).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GaugeError } from '@gaugenn/core';
import { locateSdk, requireSdk } from '../src/index.js';

function tree(files: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'gaugenn-sdk-layout-'));
  for (const f of files) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '');
  }
  return root;
}

describe('locating the SNPE / QAIRT SDK', () => {
  const v2 = tree(['sdk.yaml', 'bin/aarch64-android/snpe-net-run', 'bin/x86_64-linux-clang/snpe-net-run', 'lib/aarch64-android/libSNPE.so', 'lib/hexagon-v73/unsigned/libSnpeHtpV73Skel.so', 'lib/hexagon-v75/unsigned/libSnpeHtpV75Skel.so']);
  writeFileSync(join(v2, 'sdk.yaml'), 'version: 2.26.0.240828\n');
  const v1 = tree(['bin/aarch64-android-clang8.0/snpe-net-run', 'lib/aarch64-android-clang8.0/libSNPE.so', 'lib/dsp/libsnpe_dsp_v66_domains_v2_skel.so']);

  it('2.x layout: Android and host arch folders, one DSP folder per Hexagon version, version from sdk.yaml', () => {
    const { sdk } = locateSdk(v2, {});
    expect(sdk).toEqual({ root: v2, version: '2.26.0.240828', androidArch: 'aarch64-android', hostArch: 'x86_64-linux-clang', dspDirs: [join(v2, 'lib/hexagon-v73/unsigned'), join(v2, 'lib/hexagon-v75/unsigned')] });
  });

  it('1.x layout: the clang-suffixed Android folder and lib/dsp', () => {
    const { sdk } = locateSdk(undefined, { SNPE_ROOT: v1 });
    expect(sdk).toMatchObject({ root: v1, androidArch: 'aarch64-android-clang8.0', dspDirs: [join(v1, 'lib/dsp')] });
    expect(sdk!.hostArch).toBeUndefined();
  });

  it('order: plugins.snpe.sdkRoot, then SNPE_ROOT, then QAIRT_SDK_ROOT; a folder that is no SDK is passed over', () => {
    expect(locateSdk(v2, { SNPE_ROOT: v1 }).sdk!.root).toBe(v2);
    expect(locateSdk(undefined, { SNPE_ROOT: v1, QAIRT_SDK_ROOT: v2 }).sdk!.root).toBe(v1);
    expect(locateSdk('/no/such/sdk', { QAIRT_SDK_ROOT: v2 })).toEqual({ sdk: expect.objectContaining({ root: v2 }), tried: ['plugins.snpe.sdkRoot=/no/such/sdk', `QAIRT_SDK_ROOT=${v2}`] });
  });

  it('none: SNPE_SDK_MISSING that names the download and the three settings', () => {
    const e = (() => { try { requireSdk(undefined, 'a test', {}); } catch (x) { return x; } })() as GaugeError;
    expect(e).toBeInstanceOf(GaugeError);
    expect(e.code).toBe('SNPE_SDK_MISSING');
    expect(e.message).toMatch(/No SNPE\/QAIRT SDK is configured, so a test cannot run/);
    expect(e.message).toMatch(/Qualcomm AI Runtime.*softwarecenter\.qualcomm\.com.*plugins\.snpe\.sdkRoot.*SNPE_ROOT or QAIRT_SDK_ROOT/s);
  });
});
