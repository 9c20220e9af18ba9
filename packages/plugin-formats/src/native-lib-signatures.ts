import type { NativeLibSignature } from '@gaugenn/core';

/** Native-library fingerprints of this plugin's runtime(s). */
export const nativeLibSignatures: NativeLibSignature[] = [];
