import type { Gauge, Scanner } from '@gaugenn/core';

/** DEX scanner: framework APIs, delegates and cloud ML APIs from `classes*.dex` (issue 3; not yet written). */
export function dexScanner(_gauge: Gauge): Scanner {
  return { name: 'android-dex', wants: () => false, scan: () => {} };
}
