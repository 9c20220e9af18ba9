import type { CodeSignature, NativeLibSignature } from '@gaugenn/core';

/** Code evidence (DEX classes and methods) of this plugin's framework(s). Filled in by the extraction work (issue 3). */
export const codeSignatures: CodeSignature[] = [];

/** Native-library fingerprints of this plugin's runtime(s). */
export const nativeLibSignatures: NativeLibSignature[] = [];
