/**
 * Safety limits for reading untrusted archives. Every limit is enforced on bytes actually produced while
 * streaming; declared sizes are only used to refuse early, never to allow.
 */

/** Limits that bound what one archive (and everything nested in it) may cost. */
export interface ArchiveLimits {
  /** Entries listed per archive; the rest are not listed (ARCHIVE_TOO_MANY_ENTRIES). */
  maxEntries: number;
  /** Uncompressed bytes one entry may expand to (ARCHIVE_BOMB). */
  maxEntryBytes: number;
  /** Uncompressed bytes all entries read through one {@link ByteBudget} may expand to (ARCHIVE_BOMB). */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio, enforced once an entry is past {@link ratioMinBytes}. */
  maxRatio: number;
  /** Below this many uncompressed bytes the ratio is not checked (small, highly compressible files are normal). */
  ratioMinBytes: number;
  /** Archives nested deeper than this are not opened (ARCHIVE_NESTING). The top-level archive is depth 0. */
  maxDepth: number;
}

/** Defaults sized for real app stores: APKs of a few GB, OBBs, nested asset packs. */
export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 100_000,
  maxEntryBytes: 4 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxRatio: 1000,
  ratioMinBytes: 1024 ** 2,
  maxDepth: 4,
});

/** Defaults overlaid with the given values. */
export function resolveLimits(limits: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const out = { ...DEFAULT_ARCHIVE_LIMITS };
  for (const [k, v] of Object.entries(limits) as [keyof ArchiveLimits, number | undefined][]) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Uncompressed bytes spent so far. One budget is shared by an archive and everything nested in it,
 * so a bomb split over many entries (or many nested archives) still hits {@link ArchiveLimits.maxTotalBytes}.
 */
export class ByteBudget {
  used = 0;
  constructor(readonly limit: number) {}
}
