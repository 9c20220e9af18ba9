import type { CodeSignature } from '@gaugenn/core';

/** Code evidence (DEX classes and methods) of this plugin's framework(s). */
export const codeSignatures: CodeSignature[] = [];
