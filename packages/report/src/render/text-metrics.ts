/**
 * Text widths for Vega's layout without a canvas.
 *
 * Vega's fallback guesses 0.8 em per character, which truncates labels at about half their real length and
 * pads layouts. Vega lets a host replace `textMetrics.width` (vl-convert does); we plug in per-glyph widths
 * of a Helvetica/Arial-like sans-serif. The lockfile may hold several copies of vega-scenegraph (vega pins
 * ~5.1 while vega-view wants ^5.2), each with its own `textMetrics`, so every copy reachable from vega's
 * dependencies is patched — patching only `vega.textMetrics` would miss the copy the renderer uses.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Advance widths of ASCII 32–126 per 1000 units of em (Helvetica/Arial metrics). */
const SANS_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' … '/'
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0–9
  278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
  667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,
  667, 667, 611, // A–Z
  278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
  500, 500, 500, // a–z
  334, 260, 334, 584, // { | } ~
];

/**
 * Width in px of `text` as a text mark `item` draws it. The browser may substitute a wider generic font
 * (DejaVu Sans on Linux), so the estimate errs 10 % wide: a little slack beats overlapping labels.
 */
export function sansTextWidth(item: { text?: unknown; fontSize?: unknown; fontWeight?: unknown }, text?: unknown): number {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const s = String(text ?? item.text ?? '').trim();
  let units = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    // Wide scripts (CJK, Hangul) take a full em; other non-ASCII an average glyph.
    units += c >= 32 && c <= 126 ? SANS_WIDTHS[c - 32]! : c >= 0x1100 ? 1000 : 600;
  }
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 1.07 : 1;
  return (units / 1000) * size * bold * 1.1;
}

/** The mutable part of vega-scenegraph's `textMetrics`. */
export interface TextMetrics {
  width: (item: object, text?: unknown) => number;
}

/** Directory of the package.json named `name` at or above `file`. */
function packageRoot(file: string, name: string): string | undefined {
  for (let d = dirname(file); d !== dirname(d); d = dirname(d)) {
    const p = join(d, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === name) return d;
      } catch {
        // not a readable package.json: keep climbing
      }
    }
  }
  return undefined;
}

let found: Promise<TextMetrics[]> | undefined;

/** Every distinct vega-scenegraph `textMetrics` object vega's packages import (memoised). */
export function vegaTextMetrics(): Promise<TextMetrics[]> {
  found ??= (async () => {
    const entries = new Set<string>();
    const vegaEntry = createRequire(import.meta.url).resolve('vega');
    const root = packageRoot(vegaEntry, 'vega');
    const deps = root
      ? Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: object }).dependencies ?? {})
      : [];
    for (const from of [vegaEntry, ...deps.map((d) => { try { return createRequire(vegaEntry).resolve(d); } catch { return undefined; } })]) {
      if (!from) continue;
      try {
        entries.add(createRequire(from).resolve('vega-scenegraph'));
      } catch {
        // this dependency does not reach vega-scenegraph
      }
    }
    const out: TextMetrics[] = [];
    for (const e of entries) {
      // Same file URL ⇒ same ESM instance as the one vega's packages hold.
      const mod = (await import(pathToFileURL(e).href)) as { textMetrics?: TextMetrics };
      if (mod.textMetrics && !out.includes(mod.textMetrics)) out.push(mod.textMetrics);
    }
    return out;
  })();
  return found;
}

/** Run `fn` with sans-serif text metrics in every vega-scenegraph copy, then put the previous ones back. */
export async function withSansMetrics<T>(fn: () => Promise<T>): Promise<T> {
  const all = await vegaTextMetrics();
  const previous = all.map((m) => m.width);
  for (const m of all) m.width = sansTextWidth;
  try {
    return await fn();
  } finally {
    all.forEach((m, i) => (m.width = previous[i]!));
  }
}
