/**
 * The contract of sources that download apps (`gauge.hooks.fetch`): what `gaugenn sources fetch`, `sources status`
 * and `gaugenn run` see. Field names are the `sources fetch --json` contract.
 */

/** One app file that is on disk and verified. */
export interface FetchedApp {
  sha256: string;
  package: string | null;
  versionCode: number | null;
  file: string;
}

/** An app that needed no download (already fetched and verified), or that a filter left out, with why. */
export interface SkippedApp extends FetchedApp {
  reason: string;
}

/** An app that could not be fetched, with the error code and what to do. */
export interface FailedApp {
  sha256: string;
  package?: string | null;
  code: string;
  message: string;
}

/** What one fetch (or status) of one source did or found. */
export interface FetchReport {
  /** The source type and a label for it (its list, its dest). */
  source: string;
  label?: string;
  /** Apps the source lists after its filters. */
  listed: number;
  fetched: FetchedApp[];
  skipped: SkippedApp[];
  failed: FailedApp[];
  /** Status mode: apps not fetched yet. */
  missing?: number;
  bytes?: number;
}

/** Progress of a running fetch, for the CLI's listr2 output. */
export interface FetchProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  /** Bytes expected in all, where the list states sizes. */
  bytesTotal?: number;
  current?: string;
}

export interface FetchContext {
  /** `fetch` downloads what is missing; `status` only counts what is listed, fetched, verified and failed. */
  mode: 'fetch' | 'status';
  onProgress?(p: FetchProgress): void;
  signal?: AbortSignal;
  log?(level: 'info' | 'warn', message: string): void;
}
