/**
 * TFLite flatbuffer → IR {@link ModelGraph}. Subgraph 0 is the model; other subgraphs (bodies of WHILE/IF,
 * further signatures) are counted in metadata and named in notes, not walked.
 */
import {
  GaugeError,
  elementCount,
  guessModality,
  layerFlops,
  sha256,
  isTrivialWeight,
  sumTotals,
  summariseQuantization,
  type Layer,
  type ModelFile,
  type ModelGraph,
  type TensorInfo,
  type WeightInfo,
} from '@gaugenn/core';
import { tfliteDtype } from './dtype.js';
import { opMacs, type OpTensors } from './macs.js';
import { readMetadata } from './metadata.js';
import { readModel } from './model-reader.js';
import { opInfo } from './op-table.js';
import { readOptions } from './options.js';
import type { TfliteModel, TfliteSubgraph, TfliteTensor } from './types.js';

/** Ops that run other subgraphs; their bodies are not walked. */
const CONTROL_FLOW = new Set(['WHILE', 'IF', 'CALL_ONCE', 'CALL', 'STABLEHLO_WHILE', 'STABLEHLO_CASE']);

/**
 * Parse a TFLite model from its bytes.
 * @param bytes the whole `.tflite` file.
 * @param files the model's files for the IR (main first); defaults to one entry hashed from `bytes`.
 * @throws GaugeError `MODEL_MALFORMED` when the bytes are not a readable TFLite flatbuffer.
 */
export function parseTflite(bytes: Uint8Array, files?: ModelFile[]): ModelGraph {
  const modelFiles = files && files.length > 0 ? files : [{ path: 'model.tflite', sha256: sha256(bytes), bytes: bytes.length }];
  const subject = modelFiles[0]!.path;
  let model: TfliteModel;
  try {
    model = readModel(bytes);
  } catch (e) {
    throw malformed(e, subject);
  }
  try {
    return toGraph(model, modelFiles);
  } catch (e) {
    // A structural fault found late (in an options table, in a tensor's data) is still a malformed file.
    if (e instanceof GaugeError) throw e;
    throw malformed(e, subject);
  }
}

function malformed(e: unknown, subject: string): GaugeError {
  if (e instanceof GaugeError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new GaugeError(
    'MODEL_MALFORMED',
    `${subject} is not a readable TFLite model: ${why}. The file is truncated, corrupt or not TFLite; re-extract it, or check that it opens in Netron.`,
    { subject, cause: e },
  );
}

function tensorInfo(t: TfliteTensor, open: boolean): TensorInfo {
  return { name: t.name, shape: open && t.shapeSignature ? [...t.shapeSignature] : [...t.shape], dtype: tfliteDtype(t.type) };
}

function toGraph(model: TfliteModel, files: ModelFile[]): ModelGraph {
  const sg = model.subgraphs[0]!;
  const notes: string[] = [];
  const counted = new Set<number>();
  const layers = sg.operators.map((op): Layer => {
    const code = model.opcodes[op.opcodeIndex]!;
    const info = opInfo(code.builtin, code.custom);
    if (!info.known) notes.push(`operator ${op.index} uses builtin code ${code.builtin}, newer than gaugeNN's op table; it is category "other".`);
    const pick = (i: number) => (i >= 0 ? sg.tensors[i] : undefined);
    const inputs: OpTensors = op.inputs.map(pick);
    const outputs: OpTensors = op.outputs.map(pick);
    const attrs: Record<string, unknown> = { ...readOptions(op), opVersion: code.version };
    if (info.customCode !== undefined) attrs.customCode = info.customCode;
    if (info.name !== info.builtin) attrs.builtin = info.builtin;
    const { weights, params, shared } = layerWeights(model, inputs, counted);
    if (shared > 0) attrs.sharedWeights = shared;
    const { macs, note } = opMacs(info, inputs, outputs, attrs);
    if (note) notes.push(`operator ${op.index} ${note}`);
    const outputShapes = outputs.filter((t): t is TfliteTensor => !!t).map((t) => [...t.shape]);
    return {
      index: op.index,
      name: outputs[0]?.name || `${info.name}_${op.index}`,
      op: info.name,
      category: info.category,
      inputShapes: inputs.filter((t): t is TfliteTensor => !!t).map((t) => [...t.shape]),
      outputShapes,
      macs,
      flops: layerFlops(info.category, macs, outputShapes),
      params,
      weights,
      attrs,
    };
  });

  const inputs = sg.inputs.map((i) => tensorInfo(sg.tensors[i]!, true));
  const outputs = sg.outputs.map((i) => tensorInfo(sg.tensors[i]!, true));
  const meta = readMetadata(model);
  notes.push(...meta.notes, ...structureNotes(model, sg));
  const staged = layers.filter((l) => (l.op === 'DEQUANTIZE' || l.op === 'DENSIFY') && l.weights.length > 0).length;
  if (staged > 0) {
    notes.push(
      `${staged} weight tensor(s) are stored compressed (fp16 or sparse) and reach their layers through DEQUANTIZE/DENSIFY; their params and digests are listed on those layers.`,
    );
  }

  const metadata: Record<string, unknown> = { ...meta.fields, schemaVersion: model.version, subgraphs: model.subgraphs.length };
  if (model.description) metadata.converter = model.description;
  if (sg.name) metadata.graphName = sg.name;
  if (model.signatures.length > 0) {
    metadata.signatures = model.signatures.map((s) => ({
      key: s.key,
      subgraph: s.subgraphIndex,
      inputs: s.inputs.map((m) => m.name),
      outputs: s.outputs.map((m) => m.name),
    }));
  }

  return {
    framework: 'tflite',
    formatVersion: String(model.version),
    files,
    inputs,
    outputs,
    layers,
    totals: sumTotals(layers),
    modality: meta.modality ?? guessModality(inputs),
    quantization: summariseQuantization(layers, inputs),
    metadata,
    notes: notes.length > 0 ? notes : undefined,
  };
}

/**
 * Constant inputs of one op become its weights and params. A tensor shared by several ops is counted
 * for the first one only, so model totals count each weight once.
 */
function layerWeights(model: TfliteModel, inputs: OpTensors, counted: Set<number>) {
  const weights: WeightInfo[] = [];
  let params = 0;
  let shared = 0;
  for (const t of inputs) {
    if (!t) continue;
    const data = model.buffers[t.buffer];
    if (!data || data.length === 0 || t.isVariable) continue;
    if (counted.has(t.index)) {
      shared++;
      continue;
    }
    counted.add(t.index);
    const elements = elementCount(t.shape);
    params += elements;
    weights.push({
      name: t.name,
      shape: [...t.shape],
      dtype: tfliteDtype(t.type),
      bytes: data.length,
      digest: sha256(data),
      trivial: isTrivialWeight(elements, data),
    });
  }
  return { weights, params, shared };
}

/** What the reader should know about parts of the file the layers do not cover. */
function structureNotes(model: TfliteModel, sg: TfliteSubgraph): string[] {
  const notes: string[] = [];
  const others = model.subgraphs.length - 1;
  if (others > 0) {
    const flow = new Set<string>();
    for (const op of sg.operators) {
      const code = model.opcodes[op.opcodeIndex]!;
      const name = opInfo(code.builtin, code.custom).name;
      if (CONTROL_FLOW.has(name)) flow.add(name);
    }
    const via = flow.size > 0 ? ` (called by ${[...flow].join(', ')})` : '';
    notes.push(
      `The model has ${others} subgraph(s) besides subgraph 0${via}; only subgraph 0 is listed as layers, so ops, MACs and params inside the others are not counted.`,
    );
  }
  const sparse = sg.tensors.filter((t) => t.sparse).length;
  if (sparse > 0) notes.push(`${sparse} tensor(s) are stored sparse; params count their dense shape, weight bytes the stored size.`);
  if (model.externalBuffers > 0) notes.push(`${model.externalBuffers} buffer(s) live after the flatbuffer (the >2 GB layout).`);
  if (model.version !== 3) notes.push(`The schema version is ${model.version}; gaugeNN reads version 3.`);
  return notes;
}
