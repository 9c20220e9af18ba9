/**
 * Pairing prototxts with caffemodels by their layer names, for apps that name the two files differently
 * (`deploy.prototxt` + `weights.caffemodel`). The rule: every prototxt layer that carries weights must be named
 * in the caffemodel; among the candidates, the one sharing most layer names wins.
 */
import { readCaffemodel } from './binary/read-caffemodel.js';
import { parsePrototxt } from './parse/parse-caffe.js';
import { layerCategory } from './parse/op-table.js';

/** Layer types whose weights live in the caffemodel. */
const WEIGHTED = new Set(['Convolution', 'Deconvolution', 'InnerProduct', 'BatchNorm', 'Scale', 'Bias', 'PReLU', 'Normalize', 'Embed']);

/** Names of a prototxt's layers (TEST phase), and which of them need weights. */
export interface PrototxtNames {
  all: string[];
  weighted: string[];
}

/** Layer names of prototxt text. @throws GaugeError `MODEL_MALFORMED` on bad syntax. */
export function prototxtLayerNames(text: string, subject?: string): PrototxtNames {
  const { net } = parsePrototxt(text, subject);
  const all = net.layers.map((l) => l.name);
  const weighted = net.layers
    .filter((l) => WEIGHTED.has(l.type) || ['conv', 'depthwise_conv', 'transposed_conv', 'fully_connected'].includes(layerCategory(l.type).category))
    .map((l) => l.name);
  return { all, weighted };
}

/** Layer names stored in a caffemodel (file path or bytes), read without hashing the weights. */
export async function caffemodelLayerNames(source: string | Uint8Array): Promise<string[]> {
  const c = await readCaffemodel(source, { digests: false });
  return c.layers.map((l) => (typeof l.msg.name === 'string' ? l.msg.name : '')).filter((n) => n !== '');
}

/**
 * How well a prototxt's layers fit a caffemodel's: the number of shared names, or 0 when some weighted
 * prototxt layer is missing from the caffemodel (they do not belong together).
 */
export function layerNameMatch(prototxt: PrototxtNames, caffemodelNames: readonly string[]): number {
  const have = new Set(caffemodelNames);
  if (prototxt.weighted.length === 0 || !prototxt.weighted.every((n) => have.has(n))) return 0;
  return prototxt.all.filter((n) => have.has(n)).length;
}

/**
 * Pair each caffemodel with the prototxt whose layer names fit it best (ties: the first prototxt).
 * @returns caffemodel id → prototxt id; caffemodels with no fitting prototxt are absent.
 */
export function pairByLayerNames(
  prototxts: readonly { id: string; names: PrototxtNames }[],
  caffemodels: readonly { id: string; names: readonly string[] }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of caffemodels) {
    let best: { id: string; score: number } | undefined;
    for (const p of prototxts) {
      const score = layerNameMatch(p.names, c.names);
      if (score > 0 && (!best || score > best.score)) best = { id: p.id, score };
    }
    if (best) out.set(c.id, best.id);
  }
  return out;
}
