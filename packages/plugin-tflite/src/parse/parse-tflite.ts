/**
 * TFLite flatbuffer → IR {@link ModelGraph}. Subgraph 0 is the model and gives the layers; the subgraphs its
 * control-flow ops run (WHILE/IF/CALL bodies) are walked and counted on those ops; other subgraphs (further
 * signatures) are counted in metadata and named in notes.
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

/** Ops that run other subgraphs. */
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

/** What one walked subgraph adds up to (the body of a control-flow op). */
interface SubgraphSum {
  macs: number;
  flops: number;
  params: number;
  weights: WeightInfo[];
}

/** Deepest nesting of control flow walked (real models nest two or three levels). */
const MAX_NESTING = 16;

/** Walks operators into layers; control-flow ops carry the MACs of the subgraphs they run. */
class Walker {
  /** Weight tensors already counted, as `subgraph:tensor`, so totals count each weight once. */
  private readonly counted = new Set<string>();
  /** Subgraphs walked as bodies, for the note. */
  readonly bodies = new Map<number, string>();
  constructor(
    private readonly model: TfliteModel,
    private readonly notes: string[],
  ) {}

  layers(sgIndex: number, stack: number[] = []): Layer[] {
    const { model } = this;
    const sg = model.subgraphs[sgIndex]!;
    return sg.operators.map((op): Layer => {
      const code = model.opcodes[op.opcodeIndex]!;
      const info = opInfo(code.builtin, code.custom);
      const where = sgIndex === 0 ? `operator ${op.index}` : `subgraph ${sgIndex} operator ${op.index}`;
      if (!info.known && stack.length === 0) this.notes.push(`${where} uses builtin code ${code.builtin}, newer than gaugeNN's op table; it is category "other".`);
      const pick = (i: number) => (i >= 0 ? sg.tensors[i] : undefined);
      const inputs: OpTensors = op.inputs.map(pick);
      const outputs: OpTensors = op.outputs.map(pick);
      const attrs: Record<string, unknown> = { ...readOptions(op), opVersion: code.version };
      if (info.customCode !== undefined) attrs.customCode = info.customCode;
      if (info.name !== info.builtin) attrs.builtin = info.builtin;
      const { weights, params, shared } = this.weights(sgIndex, inputs);
      if (shared > 0) attrs.sharedWeights = shared;
      const { macs, note } = opMacs(info, inputs, outputs, attrs);
      if (note) this.notes.push(`${where} ${note}`);
      const x = inputs[0];
      if (info.category === 'recurrent' && macs > 0 && x && x.shape.length >= 3) {
        // A fused sequence op loops inside itself: say that its MACs are the whole loop, every time step.
        const steps = elementCount(x.shape) / Math.max(1, x.shape[x.shape.length - 1]!);
        attrs.timeSteps = steps;
        this.notes.push(`${where} (${info.name}) runs its recurrence loop inside the op: its MACs count all ${steps} time step(s) of the loop body.`);
      }
      const outputShapes = outputs.filter((t): t is TfliteTensor => !!t).map((t) => [...t.shape]);
      const layer: Layer = {
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
      if (CONTROL_FLOW.has(info.name)) this.controlFlow(layer, [...stack, sgIndex], where);
      return layer;
    });
  }

  /**
   * A control-flow op counts what it runs: WHILE one iteration of its condition and body (the trip count is
   * known only at run time), IF its costlier branch, CALL/CALL_ONCE their subgraph.
   */
  private controlFlow(layer: Layer, stack: number[], where: string): void {
    const attrs = (layer.attrs ??= {});
    const a = attrs as Record<string, number | undefined>;
    const n = this.model.subgraphs.length;
    const ok = (i: number | undefined): i is number => typeof i === 'number' && i > 0 && i < n;
    const sum = (i: number, role: string): SubgraphSum | undefined => {
      if (stack.includes(i) || stack.length > MAX_NESTING) {
        this.notes.push(`${where} (${layer.op}) calls subgraph ${i} recursively; it is counted once, not again.`);
        return undefined;
      }
      if (!this.bodies.has(i)) this.bodies.set(i, `${role} of ${layer.op} (${where})`);
      return total(this.layers(i, stack));
    };
    let parts: SubgraphSum[] = [];
    if (layer.op === 'WHILE') {
      parts = [ok(a.condSubgraph) ? sum(a.condSubgraph, 'condition') : undefined, ok(a.bodySubgraph) ? sum(a.bodySubgraph, 'body') : undefined].filter((x): x is SubgraphSum => !!x);
      attrs.macsPer = 'iteration';
    } else if (layer.op === 'IF') {
      const branches = [ok(a.thenSubgraph) ? sum(a.thenSubgraph, 'then branch') : undefined, ok(a.elseSubgraph) ? sum(a.elseSubgraph, 'else branch') : undefined].filter((x): x is SubgraphSum => !!x);
      // The branch taken is known only at run time: count the costlier one, and the weights of both.
      const costly = branches.reduce<SubgraphSum | undefined>((m, b) => (!m || b.macs > m.macs ? b : m), undefined);
      if (costly) parts = [{ ...costly, params: branches.reduce((s, b) => s + b.params, 0), weights: branches.flatMap((b) => b.weights) }];
      attrs.macsPer = 'costlier branch';
    } else if (ok(a.subgraph ?? a.initSubgraph)) {
      const one = sum((a.subgraph ?? a.initSubgraph)!, layer.op === 'CALL_ONCE' ? 'init' : 'callee');
      if (one) parts = [one];
    }
    if (parts.length === 0) return;
    layer.macs += parts.reduce((s, p) => s + p.macs, 0);
    layer.flops += parts.reduce((s, p) => s + p.flops, 0);
    layer.params += parts.reduce((s, p) => s + p.params, 0);
    layer.weights.push(...parts.flatMap((p) => p.weights));
  }

  /**
   * Constant inputs of one op become its weights and params. A tensor shared by several ops is counted
   * for the first one only, so model totals count each weight once.
   */
  private weights(sgIndex: number, inputs: OpTensors) {
    const weights: WeightInfo[] = [];
    let params = 0;
    let shared = 0;
    for (const t of inputs) {
      if (!t) continue;
      const data = this.model.buffers[t.buffer];
      if (!data || data.length === 0 || t.isVariable) continue;
      const key = `${sgIndex}:${t.index}`;
      if (this.counted.has(key)) {
        shared++;
        continue;
      }
      this.counted.add(key);
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
}

function total(layers: Layer[]): SubgraphSum {
  const t = sumTotals(layers);
  return { macs: t.macs, flops: t.flops, params: t.params, weights: layers.flatMap((l) => l.weights) };
}

function toGraph(model: TfliteModel, files: ModelFile[]): ModelGraph {
  const sg = model.subgraphs[0]!;
  const notes: string[] = [];
  const walker = new Walker(model, notes);
  const layers = walker.layers(0);

  const inputs = sg.inputs.map((i) => tensorInfo(sg.tensors[i]!, true));
  const outputs = sg.outputs.map((i) => tensorInfo(sg.tensors[i]!, true));
  const meta = readMetadata(model);
  notes.push(...meta.notes, ...structureNotes(model, sg, walker.bodies));
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

/** What the reader should know about parts of the file the layers do not cover. */
function structureNotes(model: TfliteModel, sg: TfliteSubgraph, bodies: ReadonlyMap<number, string>): string[] {
  const notes: string[] = [];
  if (bodies.size > 0) {
    const listed = [...bodies].map(([i, role]) => `subgraph ${i} (${role})`).join('; ');
    notes.push(
      `Control-flow subgraphs are counted on the op that runs them: ${listed}. A WHILE counts one iteration of its condition and body (the trip count is known only at run time); an IF its costlier branch.`,
    );
  }
  const signatureRoots = new Set(model.signatures.map((s) => s.subgraphIndex));
  const unwalked = model.subgraphs.map((_, i) => i).filter((i) => i > 0 && !bodies.has(i));
  if (unwalked.length > 0) {
    const sigs = unwalked.filter((i) => signatureRoots.has(i)).length;
    notes.push(
      `The model has ${unwalked.length} subgraph(s) besides subgraph 0 that no op of it runs${sigs > 0 ? ` (${sigs} of them other signatures)` : ''}; only subgraph 0 and what it calls is counted.`,
    );
  }
  const sparse = sg.tensors.filter((t) => t.sparse).length;
  if (sparse > 0) notes.push(`${sparse} tensor(s) are stored sparse; params count their dense shape, weight bytes the stored size.`);
  if (model.externalBuffers > 0) notes.push(`${model.externalBuffers} buffer(s) live after the flatbuffer (the >2 GB layout).`);
  if (model.version !== 3) notes.push(`The schema version is ${model.version}; gaugeNN reads version 3.`);
  return notes;
}
