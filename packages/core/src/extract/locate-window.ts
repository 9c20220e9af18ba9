/**
 * Searching a large entry for embedded models without holding it whole: the bytes stream through one window
 * buffer, each window is shown to the sniffers' `locate`, and the window slides on keeping an overlap, so a model
 * that straddles two windows is whole in the next one. Memory stays at one window per entry being searched.
 *
 * A model is certain to be found when it is no longer than the overlap; a longer one only when it happens to start
 * early enough in a window. Models are kept once per offset, in offset order, and never overlap.
 */
import { GaugeError } from '../errors/gauge-error.js';
import type { SniffHit, Sniffer } from './types.js';

/** Window and overlap sizes for {@link WindowLocator}. */
export interface LocateOptions {
  /** Bytes shown to `locate` at once (memory per searched entry). Default 64 MiB. */
  windowBytes: number;
  /** Bytes kept from one window to the next: the largest embedded model certain to be found. Default 32 MiB. */
  overlapBytes: number;
  /** Entries smaller than this are not searched. Default 64 KiB. */
  minEntryBytes: number;
  /**
   * Read native libraries (and other `locatable` formats) whole just to search them. Default false: they are
   * searched when a scanner has read them anyway (plugin-android's native-library scanner does), so a normal run
   * loses nothing, and a models-only run does not read every library for a rare case.
   */
  searchLibraries: boolean;
}

/** Defaults of {@link LocateOptions}. */
export const DEFAULT_LOCATE_OPTIONS: Readonly<LocateOptions> = Object.freeze({
  windowBytes: 64 * 1024 * 1024,
  overlapBytes: 32 * 1024 * 1024,
  minEntryBytes: 64 * 1024,
  searchLibraries: false,
});

/** A model found at an absolute offset of the entry; `bytes` is only valid during the callback. */
export interface FoundModel {
  offset: number;
  bytes: Uint8Array;
  hit: SniffHit;
  sniffer: string;
}

/** Bytes a model must end before a window's end to be taken from it: room for its appended tail (padding, zip). */
const TAIL_MARGIN = 64 * 1024;

/** Streams one entry through sliding windows; `push` its chunks in order, then `end`. */
export class WindowLocator {
  private buf: Buffer;
  private fill = 0;
  /** Absolute offset of `buf[0]` in the entry. */
  private base = 0;
  /** Absolute end of the last model taken: later candidates must start at or after it. */
  private coveredTo = 0;
  private readonly overlap: number;
  found = 0;

  private readonly sniffers: Sniffer[];

  constructor(
    sniffers: Sniffer[],
    entrySize: number,
    options: LocateOptions,
    private readonly onFound: (m: FoundModel) => Promise<void>,
    /** A throwing `locate` is reported here and that sniffer is asked no more for this entry. */
    private readonly onError: (e: GaugeError) => void,
  ) {
    this.sniffers = sniffers.filter((s) => s.locate);
    const size = Math.max(1, Math.min(options.windowBytes, entrySize));
    this.buf = Buffer.allocUnsafe(size);
    this.overlap = Math.min(options.overlapBytes, Math.floor(options.windowBytes / 2));
  }

  /** Search bytes already whole in memory, without copying them. */
  static async searchAll(sniffers: Sniffer[], data: Buffer, options: LocateOptions, onFound: (m: FoundModel) => Promise<void>, onError: (e: GaugeError) => void): Promise<number> {
    if (data.length > options.windowBytes) {
      const l = new WindowLocator(sniffers, data.length, options, onFound, onError);
      for (let o = 0; o < data.length; o += 1024 * 1024) await l.push(data.subarray(o, o + 1024 * 1024));
      await l.end();
      return l.found;
    }
    const l = new WindowLocator(sniffers, 1, options, onFound, onError);
    l.buf = data;
    l.fill = data.length;
    await l.end();
    return l.found;
  }

  async push(chunk: Uint8Array): Promise<void> {
    let o = 0;
    while (o < chunk.length) {
      if (this.fill === this.buf.length) await this.window(false);
      const n = Math.min(chunk.length - o, this.buf.length - this.fill);
      this.buf.set(chunk.subarray(o, o + n), this.fill);
      this.fill += n;
      o += n;
    }
  }

  async end(): Promise<void> {
    if (this.fill > 0) await this.window(true);
  }

  private async window(final: boolean): Promise<void> {
    const data = this.buf.subarray(0, this.fill);
    const hits: (FoundModel & { length: number })[] = [];
    for (const s of [...this.sniffers]) {
      if (!s.locate) continue;
      let got;
      try {
        got = s.locate(data);
      } catch (e) {
        this.onError(GaugeError.from(e, 'PLUGIN_HOOK', { plugin: s.name, hook: 'locate' }));
        this.sniffers.splice(this.sniffers.indexOf(s), 1);
        continue;
      }
      // Plugin output is checked like input: a located range must lie inside the window.
      for (const g of got ?? []) {
        if (Number.isSafeInteger(g.offset) && Number.isSafeInteger(g.length) && g.offset >= 0 && g.length > 0 && g.offset + g.length <= data.length && g.hit) {
          hits.push({ offset: g.offset, length: g.length, bytes: data, hit: g.hit, sniffer: s.name });
        }
      }
    }
    hits.sort((a, b) => a.offset - b.offset);
    const step = Math.max(1, this.buf.length - this.overlap);
    let next = this.base + step;
    for (const h of hits) {
      const abs = this.base + h.offset;
      if (abs < this.coveredTo) continue;
      // Too close to the window's end to be sure of its tail: take it from the next window, which starts here.
      if (!final && h.offset > 0 && h.offset + h.length + TAIL_MARGIN > data.length) {
        next = Math.min(next, abs);
        break;
      }
      if (!final && abs >= next) break; // the next window shows it again, with more room
      this.coveredTo = abs + h.length;
      this.found++;
      await this.onFound({ offset: abs, bytes: data.subarray(h.offset, h.offset + h.length), hit: h.hit, sniffer: h.sniffer });
    }
    if (final) {
      this.fill = 0;
      return;
    }
    const drop = next - this.base;
    this.buf.copyWithin(0, drop, this.fill);
    this.fill -= drop;
    this.base = next;
  }
}
