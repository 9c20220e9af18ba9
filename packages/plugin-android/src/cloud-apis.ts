import type { CodeSignature } from '@gaugenn/core';

/** The cloud ML API catalogue (issue 3; not yet written). */
export const cloudApiSignatures: CodeSignature[] = [];
