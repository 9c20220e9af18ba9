import type { FetchProgress, FetchReport, Gauge, SourceSpec } from '@gaugenn/core';

/** Fetch (or count) each downloading source in turn; a failed app is in its report, a refused key throws. */
export async function fetchSources(gauge: Gauge, specs: SourceSpec[], mode: 'fetch' | 'status', signal?: AbortSignal, onProgress?: (p: FetchProgress) => void): Promise<FetchReport[]> {
  const out: FetchReport[] = [];
  for (const spec of specs) {
    if (!gauge.fetches(spec.type)) continue;
    out.push(await gauge.fetch(spec, { mode, signal, onProgress, log: (level, message) => gauge.log(level, message) }));
  }
  return out;
}

/** The `gaugenn sources fetch --json` contract. */
export function fetchedJSON(reports: FetchReport[]) {
  return {
    fetched: reports.flatMap((r) => r.fetched),
    skipped: reports.flatMap((r) => r.skipped),
    failed: reports.flatMap((r) => r.failed),
  };
}
