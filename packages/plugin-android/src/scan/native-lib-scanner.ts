import type { Gauge, Scanner } from '@gaugenn/core';

/** Native-library scanner: ML runtimes in `lib/<abi>/*.so` (issue 3; not yet written). */
export function nativeLibScanner(_gauge: Gauge): Scanner {
  return { name: 'android-native-libs', wants: () => false, scan: () => {} };
}
