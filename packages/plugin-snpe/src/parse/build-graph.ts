/**
 * A read DLC → the IR. MACs are counted from shapes alone, independent of the kernel layout each SNPE generation
 * stores (all activations are NHWC in SNPE):
 * - conv / depthwise: output elements × (kernel elements ÷ output channels) — kernel elements are
 *   kh·kw·(cin/groups)·cout in any order, so this is kh·kw·cin/groups per output element;
 * - transposed conv: input positions (N·H·W) × kernel elements — each input element scatters kh·kw·cout/groups;
 * - fully connected: output elements × (kernel elements ÷ output features);
 * - matmul: output elements × the inner dimension of the first input.
 */
import {
  elementCount,
  guessModality,
  isTrivialWeight,
  layerFlops,
  sha256,
  sumTotals,
  summariseQuantization,
  type Category,
  type Layer,
  type ModelFile,
  type ModelGraph,
  type TensorInfo,
  type WeightInfo,
} from '@gaugenn/core';
import type { DlcModel, DlcNode } from './dlc-model.js';
import { releaseOf, type DlcMetadata } from './metadata.js';
import { categoryOf, knownOp } from './op-table.js';
import { malformed } from './errors.js';

const last = (s: number[] | undefined) => (s && s.length ? s[s.length - 1]! : 0);

function kernelOf(n: DlcNode) {
  // The kernel is the largest weight tensor of rank ≥ 2 (the others are biases and scales).
  return n.weights.filter((w) => w.shape.length >= 2).sort((a, b) => elementCount(b.shape) - elementCount(a.shape))[0];
}

function refineCategory(n: DlcNode, base: Category, inShape: number[] | undefined): Category {
  // SNPE 1.x writes depthwise convolutions as `Convolutional` with groups = input channels.
  const groups = typeof n.attrs.groups === 'number' ? n.attrs.groups : typeof n.attrs.group === 'number' ? n.attrs.group : 1;
  if (base === 'conv' && groups > 1 && inShape && groups === last(inShape)) return 'depthwise_conv';
  return base;
}

function macsOf(category: Category, n: DlcNode, inShapes: number[][], outShapes: number[][]): number | undefined {
  const out = outShapes[0];
  const k = kernelOf(n);
  switch (category) {
    case 'conv':
    case 'depthwise_conv':
    case 'fully_connected': {
      if (!k || !out || last(out) <= 0) return undefined;
      return elementCount(out) * (elementCount(k.shape) / last(out));
    }
    case 'transposed_conv': {
      const inp = inShapes[0];
      if (!k || !inp || last(inp) <= 0) return undefined;
      return (elementCount(inp) / last(inp)) * elementCount(k.shape);
    }
    case 'matmul': {
      const a = inShapes[0];
      if (!a || !out || a.length < 1) return undefined;
      const transposed = n.attrs.transpose_in0 === true || n.attrs.transpose_in0 === 1;
      const inner = transposed && a.length >= 2 ? a[a.length - 2]! : last(a);
      return elementCount(out) * inner;
    }
    default:
      return 0;
  }
}

export interface BuildOptions {
  files: ModelFile[];
  metadata?: DlcMetadata;
  /** Container member names, for the record. */
  members?: string[];
}

/** The `formatVersion` string: container generation and converter release (`DLC v3, SNPE 1.42.2`). */
export function formatVersionOf(model: { version: number }, md: DlcMetadata | undefined): string {
  const gen = `DLC v${model.version}`;
  if (!md?.converterVersion) return gen;
  const rel = releaseOf(md.converterVersion);
  return `${gen}, SNPE ${rel}`;
}

/** Tensors claiming more elements than this are hostile (2^40 floats would be 4 TiB). */
const MAX_ELEMENTS = 2 ** 40;

function checkShapes(model: DlcModel): void {
  const bad = (s: number[]) => s.length > 16 || s.some((d) => !Number.isInteger(d) || d < -1) || elementCount(s) > MAX_ELEMENTS;
  for (const t of model.tensors.values()) if (bad(t.shape)) throw malformed(`Tensor ${JSON.stringify(t.name)} claims the shape [${t.shape.slice(0, 17).join(', ')}]`);
  for (const n of model.nodes) for (const w of n.weights) if (bad(w.shape)) throw malformed(`Weight ${JSON.stringify(w.name)} of layer ${JSON.stringify(n.name)} claims the shape [${w.shape.slice(0, 17).join(', ')}]`);
}

export function buildGraph(model: DlcModel, opts: BuildOptions): ModelGraph {
  checkShapes(model);
  const notes = [...model.notes];
  const shape = (t: string) => model.tensors.get(t)?.shape;
  const unknownOps = new Set<string>();
  const noMacs: string[] = [];
  // The converter shares identical constant tensors between layers (two convs, one bias): a tensor counts once,
  // at its first user, so totals are the elements of the file's constant tensors.
  const seen = new Set<string>();
  const layers: Layer[] = model.nodes.map((n, index) => {
    const inputShapes = n.inputs.map(shape).filter((s): s is number[] => s !== undefined);
    const outputShapes = n.outputs.map(shape).filter((s): s is number[] => s !== undefined);
    if (!knownOp(n.type)) unknownOps.add(n.type);
    const category = refineCategory(n, categoryOf(n.type), inputShapes[0]);
    let macs = macsOf(category, n, inputShapes, outputShapes);
    if (macs === undefined) {
      noMacs.push(n.name);
      macs = 0;
    }
    macs = Math.round(macs);
    const shared = n.weights.filter((w) => w.id !== undefined && seen.has(w.id)).map((w) => w.name);
    const own = n.weights.filter((w) => !(w.id !== undefined && seen.has(w.id)));
    for (const w of own) if (w.id !== undefined) seen.add(w.id);
    const weights: WeightInfo[] = own.map((w) => {
      const elements = elementCount(w.shape);
      const info: WeightInfo = { name: w.name, shape: w.shape, dtype: w.dtype, bytes: w.data?.length ?? 0 };
      if (w.data) info.digest = sha256(w.data);
      if (isTrivialWeight(elements, w.data)) info.trivial = true;
      return info;
    });
    const params = own.reduce((s, w) => s + elementCount(w.shape), 0);
    const attrs: Record<string, unknown> = { ...n.attrs };
    if (shared.length) attrs.sharedWeights = shared;
    const outEnc = model.tensors.get(n.outputs[0] ?? '')?.encoding;
    if (outEnc) attrs.outputEncoding = outEnc;
    return { index, name: n.name, op: n.type, category, inputShapes, outputShapes, macs, flops: layerFlops(category, macs, outputShapes), params, weights, attrs };
  });
  if (unknownOps.size) notes.push(`op types not in gaugeNN's SNPE table, counted as "other": ${[...unknownOps].sort().join(', ')}`);
  if (noMacs.length) notes.push(`MACs could not be counted (shapes or kernel missing) for ${noMacs.length} layer(s): ${noMacs.slice(0, 5).join(', ')}${noMacs.length > 5 ? ', …' : ''}`);
  const info = (t: string): TensorInfo => {
    const x = model.tensors.get(t);
    return { name: t, shape: x?.shape ?? [], dtype: x?.dtype ?? 'unknown' };
  };
  const inputs = model.inputs.map(info);
  const outputs = model.outputs.map(info);
  const quantization = summariseQuantization(layers, inputs);
  const encoded = [...model.tensors.values()].filter((t) => t.encoding);
  const md = opts.metadata;
  const metadata: Record<string, unknown> = {
    container: `DLC v${model.version}.${model.minor}`,
    ...(model.graphName ? { graph: model.graphName } : {}),
    ...(opts.members ? { members: opts.members } : {}),
    ...(model.paramsKind ? { paramsRecord: model.paramsKind } : {}),
    ...(md?.converterVersion ? { converterVersion: md.converterVersion } : {}),
    ...(md?.converter ? { converter: md.converter } : {}),
    ...(md?.converterCommand ? { converterCommand: md.converterCommand } : {}),
    ...(md?.quantizerCommand ? { quantizerCommand: md.quantizerCommand } : {}),
    ...(md?.sourceFramework ? { sourceFramework: md.sourceFramework } : {}),
    ...(md?.entries['model-version'] && md.entries['model-version'] !== 'N/A' ? { modelVersion: md.entries['model-version'] } : {}),
    ...(md?.entries['model-copyright'] && md.entries['model-copyright'] !== 'N/A' ? { copyright: md.entries['model-copyright'] } : {}),
    ...(encoded.length ? { quantizedTensors: encoded.length, encodingBitwidths: [...new Set(encoded.map((t) => t.encoding!.bitwidth))].sort() } : {}),
  };
  if (!md) notes.push('the DLC has no dlc.metadata record: converter version and source framework are unknown');
  return {
    framework: 'snpe',
    formatVersion: formatVersionOf(model, md),
    files: opts.files,
    inputs,
    outputs,
    layers,
    totals: sumTotals(layers),
    modality: guessModality(inputs),
    quantization,
    metadata,
    ...(notes.length ? { notes } : {}),
  };
}
