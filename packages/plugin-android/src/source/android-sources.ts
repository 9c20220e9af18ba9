import type { Gauge } from '@gaugenn/core';

/** Android app sources (split APK sets, OBB grouping, …): issue 3, not yet written. */
export function registerAndroidSources(_gauge: Gauge): void {}
