/**
 * ncnn `.param` (+ optional `.bin`) → IR {@link ModelGraph}: layers with categories from ops.json, shapes
 * inferred from the Input sizes, MACs/FLOPs/params per layer, and one sha256 digest per weight blob.
 */
import {
  GaugeError,
  guessModality,
  layerFlops,
  MAC_CATEGORIES,
  sha256,
  sumTotals,
  summariseQuantization,
  type Layer,
  type ModelFile,
  type ModelGraph,
  type TensorInfo,
  type WeightInfo,
} from '@gaugenn/core';
import { checkShape, inferLayer, InferError, shapeHints, type Shape } from './infer.js';
import { layerCategory } from './op-table.js';
import { SHAPE_HINT_ID } from './param-dict.js';
import { NCNN_MAGIC, readParam, type NcnnLayerDef, type NcnnNet } from './param-reader.js';
import { weightLayout, type WeightSpec } from './weight-layout.js';
import { absentWeight, WeightCursor } from './weights.js';

/** Spatial size assumed for an Input layer that states none (benchncnn's usual size). */
export const DEFAULT_INPUT_SIZE = 224;
/** Largest weight blob believed from a param alone (elements); bigger is a lying field. */
const MAX_WEIGHT_ELEMENTS = 2 ** 32;

export interface ParseNcnnOptions {
  /**
   * Input blob dims (ncnn order, no batch: [c, h, w]) for Input layers that state no size. Default: channels
   * from the first layer that reads the input, and {@link DEFAULT_INPUT_SIZE} square.
   */
  inputShape?: number[];
}

/** A model's param bytes and, where present, its weights bytes, with the IR's file records. */
export interface NcnnSources {
  param: Uint8Array;
  bin?: Uint8Array;
  /** Files for the IR (param first). Defaults to records hashed from the bytes. */
  files?: ModelFile[];
}

/**
 * Parse an ncnn model.
 * @throws GaugeError `MODEL_MALFORMED` when the param is unreadable or contradicts itself, or when the `.bin`
 * does not hold exactly the bytes the param's layers read.
 */
export function parseNcnn(src: NcnnSources, options: ParseNcnnOptions = {}): ModelGraph {
  const files = src.files?.length
    ? src.files
    : [
        { path: 'model.param', sha256: sha256(src.param), bytes: src.param.length, role: 'param' },
        ...(src.bin ? [{ path: 'model.bin', sha256: sha256(src.bin), bytes: src.bin.length, role: 'weights' }] : []),
      ];
  const subject = files[0]!.path;
  const net = readParam(src.param, subject);
  try {
    return toGraph(net, src.bin, files, options, subject);
  } catch (e) {
    if (e instanceof InferError) throw new GaugeError('MODEL_MALFORMED', `${subject}: ${e.message}. The param contradicts itself or its input size; check it against the model it came from.`, { subject, cause: e });
    if (e instanceof GaugeError) throw e;
    throw new GaugeError('MODEL_MALFORMED', `${subject} could not be analysed: ${(e as Error)?.message ?? e}. The param is corrupt or uses a layer in a way gaugeNN does not know.`, { subject, cause: e });
  }
}

/** Channels the first reader of `blob` expects, from its conv fields; 3 when nothing says. */
function guessChannels(net: NcnnNet, blob: number): number {
  for (const l of net.layers) {
    if (!l.bottoms.includes(blob)) continue;
    if (l.type === 'Split') return guessChannels(net, l.tops[0]!);
    if (l.type === 'Convolution') {
      const out = l.params.int(0, 0);
      const kw = l.params.int(1, 0);
      const kh = l.params.int(11, kw);
      const per = out * kw * kh;
      if (per > 0 && l.params.int(6, 0) % per === 0) return l.params.int(6, 0) / per;
    }
    if (l.type === 'ConvolutionDepthWise') return l.params.int(7, 3);
    return 3;
  }
  return 3;
}

const withBatch = (s: number[]) => (s.length === 3 ? [1, ...s] : [...s]);
const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function toGraph(net: NcnnNet, bin: Uint8Array | undefined, files: ModelFile[], options: ParseNcnnOptions, subject: string): ModelGraph {
  const notes: string[] = [];
  const shapes: Shape[] = new Array(net.blobs.length).fill(undefined);
  const consumed = new Uint8Array(net.blobs.length);
  const cursor = bin ? new WeightCursor(bin, files.find((f) => f.role === 'weights')?.path ?? subject) : undefined;
  const assumed: string[] = [];
  const unknownMacs: string[] = [];
  const unknownTypes = new Set<string>();
  let hinted = 0;
  const mismatches: string[] = [];

  const layers = net.layers.map((def): Layer => {
    for (const b of def.bottoms) consumed[b] = 1;
    const ins = def.bottoms.map((b) => shapes[b]);
    const where = `layer ${def.index} (${def.type} ${def.name})`;
    let inferred = inferLayer(def.type, def.name, def.params, ins, def.tops.length);
    if (def.type === 'Input' && !inferred.outputs[0]) {
      const shape = options.inputShape ? [...options.inputShape] : [guessChannels(net, def.tops[0]!), DEFAULT_INPUT_SIZE, DEFAULT_INPUT_SIZE];
      inferred = { outputs: [shape], macs: 0 };
      assumed.push(`${net.blobs[def.tops[0]!]} [${shape.join(', ')}]`);
    }
    const outs = inferred.outputs.map((s, i) => checkShape(s, `${where} output ${i}`));
    def.tops.forEach((t, i) => (shapes[t] = outs[i]));

    const hints = shapeHints(def.params.ints(SHAPE_HINT_ID), def.tops.length);
    if (hints) {
      hints.forEach((h, i) => {
        const s = outs[i];
        if (!h || !s) return;
        hinted++;
        if (!sameShape(h, s) && mismatches.length < 1000) mismatches.push(`${def.name} [${s.join(', ')}] vs hint [${h.join(', ')}]`);
      });
    }

    const { category, known } = layerCategory(def.type);
    if (!known) unknownTypes.add(def.type);
    if (inferred.unknown && (MAC_CATEGORIES.has(category) || !known)) unknownMacs.push(inferred.unknown);
    const macs = MAC_CATEGORIES.has(category) ? inferred.macs : 0;
    const { weights, params } = layerWeights(def, cursor, where);
    const outputShapes = outs.map((s) => (s ? [...s] : []));
    const attrs: Record<string, unknown> = def.params.toRecord();
    return {
      index: def.index,
      name: def.name,
      op: def.type,
      category,
      inputShapes: ins.map((s) => (s ? [...s] : [])),
      outputShapes,
      macs,
      flops: layerFlops(category, macs, outs.filter((s): s is number[] => !!s)),
      params,
      weights,
      attrs,
    };
  });

  if (cursor && cursor.pos !== cursor.bytes.length) {
    throw new GaugeError(
      'MODEL_MALFORMED',
      `${cursor.subject}: the param's layers read ${cursor.pos} bytes of weights but the .bin has ${cursor.bytes.length} bytes. The .bin belongs to another .param (or was re-exported); use the pair shipped together.`,
      { subject: cursor.subject },
    );
  }

  const tensor = (blob: number): TensorInfo => ({ name: net.blobs[blob]!, shape: shapes[blob] ? withBatch(shapes[blob]!) : [-1], dtype: 'float32' });
  const inputs = net.layers.filter((l) => l.type === 'Input').flatMap((l) => l.tops.map(tensor));
  const outputs: TensorInfo[] = [];
  for (const l of net.layers) for (const t of l.tops) if (!consumed[t]) outputs.push(tensor(t));

  if (assumed.length) {
    notes.push(`The Input layer states no size; shapes and MACs assume ${assumed.join(', ')} (ncnn dims c, h, w). Pass another input shape to the parser for the size the app uses.`);
  }
  if (!bin) {
    notes.push(
      'No .bin weights file: weights are absent, so there are no weight digests; params and MACs come from the param fields. Measurements of this model run with generated all-zero fp32 weights, as ncnn\'s benchncnn does.',
    );
  }
  if (unknownTypes.size) notes.push(`Layer types gaugeNN does not know are listed as category "custom" with no MACs: ${[...unknownTypes].join(', ')}.`);
  if (unknownMacs.length) notes.push(`Shapes (and so MACs) are unknown for ${unknownMacs.length} layer(s), first: ${unknownMacs.slice(0, 3).join('; ')}.`);
  if (mismatches.length) notes.push(`${mismatches.length} of ${hinted} inferred output shapes differ from the file's -23330 shape hints (MACs use the inferred ones): ${mismatches.slice(0, 3).join('; ')}.`);
  if (net.blobs.length < net.declaredBlobs) notes.push(`The header declares ${net.declaredBlobs} blobs; the layers make ${net.blobs.length}.`);

  const metadata: Record<string, unknown> = {
    paramFormat: net.format,
    layerCount: net.layers.length,
    blobCount: net.blobs.length,
    weights: bin ? 'file' : 'absent',
    shapeLayout: 'ncnn blob dims outermost first, no batch (c, h, w); model inputs/outputs of 3 dims carry a batch of 1',
    macsRule: 'MACs count conv/depthwise/deconv/InnerProduct/Gemm/MatMul/recurrent/attention multiply-accumulates; FLOPs = 2 × MACs plus one per output element of other arithmetic layers',
  };
  if (hinted) metadata.shapeHintsChecked = { hinted, mismatched: mismatches.length };
  if (assumed.length) metadata.inputSizeAssumed = true;

  return {
    framework: 'ncnn',
    formatVersion: String(NCNN_MAGIC),
    files,
    inputs,
    outputs,
    layers,
    totals: sumTotals(layers),
    modality: guessModality(inputs),
    quantization: summariseQuantization(layers, inputs),
    metadata,
    notes: notes.length ? notes : undefined,
  };
}

function layerWeights(def: NcnnLayerDef, cursor: WeightCursor | undefined, where: string): { weights: WeightInfo[]; params: number } {
  let specs: WeightSpec[];
  try {
    specs = weightLayout(def.type, def.params);
  } catch (e) {
    throw new InferError(`${where}: ${(e as Error).message}`);
  }
  const int8 = def.params.int(def.type === 'Embed' || def.type === 'Gemm' ? 18 : 8, 0) > 0;
  const weights: WeightInfo[] = [];
  let params = 0;
  for (const spec of specs) {
    if (!Number.isSafeInteger(spec.elements) || spec.elements < 0 || spec.elements > MAX_WEIGHT_ELEMENTS) {
      throw new InferError(`${where} declares a ${spec.name} of ${spec.elements} elements`);
    }
    if (spec.elements === 0 && !cursor) continue;
    const info = cursor ? cursor.read(spec, `${where} ${spec.name}`) : absentWeight(spec, int8);
    weights.push(info);
    if (!spec.scale) params += spec.elements;
  }
  return { weights, params };
}
