import type { Category, DType, Layer, Modality, ModelTotals, QuantizationInfo, TensorInfo } from './model-graph.js';
import { MAC_CATEGORIES } from './model-graph.js';
import { GaugeError } from '../errors/gauge-error.js';

/** Product of a shape's dimensions; open (-1) dimensions count as 1. */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d > 0 ? d : 1;
  return n;
}

/** Categories that only move or relabel data: no arithmetic, so no FLOPs. */
const DATA_MOVEMENT: ReadonlySet<Category> = new Set<Category>(['reshape', 'concat_split', 'quantize', 'custom', 'other', 'embedding']);

/**
 * FLOPs of a layer by the house rule: 2 × MACs for MAC categories, otherwise one per output element
 * for arithmetic layers and zero for data movement. Parsers call this so every framework counts alike.
 */
export function layerFlops(category: Category, macs: number, outputShapes: readonly number[][]): number {
  if (MAC_CATEGORIES.has(category)) return 2 * macs;
  if (DATA_MOVEMENT.has(category)) return 0;
  return outputShapes.reduce((s, sh) => s + elementCount(sh), 0);
}

/** Sum per-layer figures into model totals. `weightBytes` counts each distinct weight tensor once. */
export function sumTotals(layers: readonly Layer[]): ModelTotals {
  let macs = 0;
  let flops = 0;
  let params = 0;
  let weightBytes = 0;
  for (const l of layers) {
    macs += l.macs;
    flops += l.flops;
    params += l.params;
    for (const w of l.weights) weightBytes += w.bytes;
  }
  const totals = { macs, flops, params, weightBytes };
  // Shapes that overflow (dims of 2^31 multiplied together) give totals no device could run and no float holds
  // exactly: refuse the model with a typed error rather than store Infinity or a rounded absurdity.
  for (const [k, v] of Object.entries(totals)) {
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER)) {
      throw new GaugeError('LIMIT_EXCEEDED', `The model's ${k} come to ${v}, beyond 2^53: its shapes overflow (a hostile or damaged file). It was not analysed; nothing else is affected.`);
    }
  }
  return totals;
}

/** Summarise weight dtypes into a {@link QuantizationInfo}. */
export function summariseQuantization(layers: readonly Layer[], inputs: readonly TensorInfo[]): QuantizationInfo {
  const weightDtypes: Partial<Record<DType, number>> = {};
  for (const l of layers) for (const w of l.weights) weightDtypes[w.dtype] = (weightDtypes[w.dtype] ?? 0) + elementCount(w.shape);
  const sorted = (Object.entries(weightDtypes) as [DType, number][]).sort((a, b) => b[1] - a[1]);
  const weightDtype: DType = sorted[0]?.[0] ?? 'unknown';
  const activationDtype: DType = inputs[0]?.dtype ?? 'unknown';
  const float = (d: DType) => d === 'float32' || d === 'float16' || d === 'bfloat16' || d === 'float64';
  let scheme: string;
  if (weightDtype === 'unknown') scheme = 'unknown';
  else if (weightDtype === 'float32') scheme = 'fp32';
  else if (weightDtype === 'float16') scheme = 'fp16';
  else if (float(activationDtype)) scheme = `dynamic-range-${weightDtype}`;
  else scheme = weightDtype;
  return { scheme, weightDtype, activationDtype, weightDtypes };
}

/** Guess the modality from the first input's shape: NHWC/NCHW with 1, 3 or 4 channels reads as an image. */
export function guessModality(inputs: readonly TensorInfo[]): Modality {
  const s = inputs[0]?.shape;
  if (!s) return 'unknown';
  if (s.length === 4) {
    const [, a, b, c] = s;
    if ([1, 3, 4].includes(c!) && a! >= 16 && b! >= 16) return 'image';
    if ([1, 3, 4].includes(a!) && b! >= 16 && c! >= 16) return 'image';
    if (s[0]! > 1 && [1, 3].includes(c!)) return 'video';
  }
  if (s.length === 5) return 'video';
  const dt = inputs[0]!.dtype;
  if ((s.length === 2 || s.length === 3) && (dt === 'int32' || dt === 'int64')) return 'text';
  if (s.length === 2 && s[1]! >= 8000) return 'audio';
  if (s.length === 3 && s[1]! > 1 && s[2]! > 1 && s[2]! <= 16) return 'sensor';
  return 'unknown';
}

/** Weight tensors with fewer elements say nothing about lineage (biases of tiny layers, scalars). DESIGN.md IR rule. */
export const TRIVIAL_WEIGHT_ELEMENTS = 64;

/**
 * Whether a weight tensor is excluded from lineage (`WeightInfo.trivial`): too small, or all zeros. Pass the stored
 * bytes when you have them; without them (a streamed blob, or weights no file holds) only the size rule applies,
 * or pass `allZero` as the caller counted it.
 */
export function isTrivialWeight(elements: number, data?: Uint8Array | { allZero: boolean }): boolean {
  if (elements < TRIVIAL_WEIGHT_ELEMENTS) return true;
  if (data === undefined) return false;
  if (!(data instanceof Uint8Array)) return data.allZero;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}
