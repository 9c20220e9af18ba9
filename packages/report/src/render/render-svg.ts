/**
 * Vega-Lite → static SVG in Node, with no network, no canvas package and no browser.
 * `renderer: 'none'` + `toSVG()` uses Vega's string renderer; text widths come from sans-serif glyph metrics
 * (text-metrics.ts), which is why every figure asks for a generic sans-serif font family.
 */
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { withSansMetrics } from './text-metrics.js';

// Vega and Vega-Lite take ~0.3 s to import: loaded on first render only, so the extraction workers and every
// command that draws no figure start fast.
let libs: Promise<[typeof Vega, typeof import('vega-lite')]> | undefined;
const loadVega = () => (libs ??= Promise.all([import('vega'), import('vega-lite')]));

/** A loader that refuses everything: figures embed their data, so any fetch is a bug (or an attack). */
function offlineLoader(vega: typeof Vega): Vega.Loader {
  const refuse = async (uri: string): Promise<never> => {
    throw new Error(`report figures never load external resources (refused: ${uri})`);
  };
  const base = vega.loader();
  return { ...base, load: refuse, sanitize: refuse, http: refuse, file: refuse } as Vega.Loader;
}

/**
 * Render one Vega-Lite spec to an SVG string.
 * `idPrefix` rewrites every `id`/`url(#…)`/`href="#…"` in the SVG so several figures can be inlined in one
 * HTML page without their clip paths and gradients colliding.
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix?: string): Promise<string> {
  const [vega, { compile }] = await loadVega();
  const logger = vega.logger(vega.Error);
  const vgSpec = compile(spec, { logger }).spec;
  const svg = await withSansMetrics(async () => {
    const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', loader: offlineLoader(vega), logLevel: vega.Error });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  });
  return idPrefix ? prefixSvgIds(svg, idPrefix) : svg;
}

/** Prefix SVG-internal ids and their references. */
export function prefixSvgIds(svg: string, prefix: string): string {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${p}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${p}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${p}-${id}"`);
}

/**
 * Render several specs one after another (Vega views are not meant to share a dataflow run, and
 * sequential keeps memory flat). Keys of the result follow the input order.
 */
export async function renderSvgs(specs: readonly { id: string; spec: TopLevelSpec }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { id, spec } of specs) out.set(id, await renderSvg(spec, id));
  return out;
}
