/**
 * Caffe net (prototxt and/or caffemodel) → IR {@link ModelGraph}. The prototxt, when present, defines the
 * layers; the caffemodel supplies weights by layer name. A caffemodel alone is analysable too: it stores the
 * layer definitions beside the weights (often those of the training net, filtered here to the TEST phase).
 */
import { open, stat } from 'node:fs/promises';
import {
  GaugeError,
  elementCount,
  isTrivialWeight,
  guessModality,
  layerFlops,
  sha256,
  sha256File,
  sumTotals,
  summariseQuantization,
  type Layer,
  type ModelFile,
  type ModelGraph,
  type TensorInfo,
  type WeightInfo,
} from '@gaugenn/core';
import { readCaffemodel, type BlobInfo, type CaffemodelContents } from '../binary/read-caffemodel.js';
import { looksLikeCaffemodel } from '../sniff.js';
import { NetParameter } from '../schema/schema.js';
import { parseText } from '../text/text-parser.js';
import { netFromCaffemodel, netFromText, type CaffeLayer, type CaffeNet } from './net.js';
import { layerCategory } from './op-table.js';
import { checkShape, layerMath, type Shape } from './shapes.js';

/** Layer types whose tops are the net's inputs rather than computations. */
const DATA_TYPES = new Set(['Input', 'Data', 'ImageData', 'HDF5Data', 'MemoryData', 'DummyData', 'WindowData', 'AnnotatedData', 'VideoData']);
/** Most layer names listed in one note. */
const NOTE_NAMES = 8;
/** Largest prototxt read (real ones are kilobytes; inline blobs can make them megabytes). */
const MAX_PROTOTXT = 256 << 20;

/** A parsed prototxt: the net and the fields it had that the schema does not know. */
export interface ParsedPrototxt {
  net: CaffeNet;
  unknownFields: string[];
}

/**
 * Parse prototxt text into a net.
 * @throws GaugeError `MODEL_MALFORMED` naming the line on bad syntax.
 */
export function parsePrototxt(text: string, subject = 'model.prototxt'): ParsedPrototxt {
  const { message, unknownFields } = parseText(text, NetParameter, subject);
  return { net: netFromText(message), unknownFields };
}

/** Options of {@link parseCaffe}. */
export interface ParseCaffeOptions {
  /** Shapes for inputs the files leave open (a caffemodel alone does not state its input size). */
  inputShapes?: Record<string, number[]>;
}

/** A Caffe model's files as the parse hook hands them over; `role` is `prototxt` or `caffemodel` when known. */
export type CaffeFile = Pick<ModelFile, 'path'> & Partial<ModelFile>;

/**
 * Parse a Caffe model from its files: a prototxt, a caffemodel, or both. Roles come from `role`, else from
 * the content (a caffemodel is binary protobuf, a prototxt is text).
 * @throws GaugeError `MODEL_MALFORMED` for unreadable files, `INPUT_NOT_FOUND` for missing ones.
 */
export async function parseCaffe(files: CaffeFile[], options: ParseCaffeOptions = {}): Promise<ModelGraph> {
  if (files.length === 0) throw new GaugeError('MODEL_MALFORMED', 'The Caffe artifact has no files. Re-run the extract stage.');
  let proto: { file: CaffeFile; text: Buffer } | undefined;
  let model: CaffeFile | undefined;
  for (const f of files) {
    const role = f.role === 'prototxt' || f.role === 'caffemodel' ? f.role : await guessRole(f.path);
    if (role === 'caffemodel') model ??= f;
    else if (!proto) {
      const text = await readSmall(f.path);
      proto = { file: f, text };
    }
  }
  const parsed = proto ? parsePrototxt(proto.text.toString('utf8'), proto.file.path) : undefined;
  const contents = model ? await readCaffemodel(model.path) : undefined;
  const irFiles: ModelFile[] = [];
  if (proto) irFiles.push(await modelFile(proto.file, 'prototxt', proto.text));
  if (model) irFiles.push(await modelFile(model, 'caffemodel'));
  return buildGraph({ prototxt: parsed, caffemodel: contents, files: irFiles, subject: (proto?.file ?? model!).path }, options);
}

async function guessRole(path: string): Promise<'prototxt' | 'caffemodel'> {
  const head = await readSmall(path, 4096);
  return looksLikeCaffemodel(head, Number.MAX_SAFE_INTEGER) ? 'caffemodel' : 'prototxt';
}

async function readSmall(path: string, limit = MAX_PROTOTXT): Promise<Buffer> {
  let b: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      if (size > limit && limit === MAX_PROTOTXT) {
        throw new GaugeError('MODEL_UNSUPPORTED', `${path} is ${size} bytes, too large for a prototxt (limit ${MAX_PROTOTXT}). If it is a caffemodel, give it role "caffemodel".`, { subject: path });
      }
      b = Buffer.alloc(Math.min(size, limit));
      const { bytesRead } = await fh.read(b, 0, b.length, 0);
      b = b.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof GaugeError) throw e;
    throw new GaugeError('INPUT_NOT_FOUND', `Cannot read ${path}: ${(e as Error).message}. Re-run the extract stage or check the path.`, { subject: path, cause: e });
  }
  return b;
}

async function modelFile(f: CaffeFile, role: string, bytes?: Buffer): Promise<ModelFile> {
  const sha = f.sha256 || (bytes ? sha256(bytes) : await sha256File(f.path));
  const size = f.bytes || (bytes ? bytes.length : (await stat(f.path)).size);
  return { path: f.path, sha256: sha, bytes: size, role };
}

/** Everything {@link buildGraph} needs, already read. */
export interface CaffeInputs {
  prototxt?: ParsedPrototxt;
  caffemodel?: CaffemodelContents;
  files: ModelFile[];
  /** Path used in error messages. */
  subject: string;
}

/** Build the IR from a parsed prototxt and/or caffemodel contents (no I/O). */
export function buildGraph(src: CaffeInputs, options: ParseCaffeOptions = {}): ModelGraph {
  const { subject } = src;
  const fromModel = src.caffemodel ? netFromCaffemodel(src.caffemodel) : undefined;
  const net = src.prototxt?.net ?? fromModel;
  if (!net) throw new GaugeError('MODEL_MALFORMED', `${subject}: neither a prototxt nor a caffemodel was given.`, { subject });
  const notes: string[] = [];
  const listed = (names: string[]) => names.slice(0, NOTE_NAMES).join(', ') + (names.length > NOTE_NAMES ? `, … (${names.length} in all)` : '');

  // Weights by layer name, when a prototxt defines the layers and a caffemodel holds the weights.
  const stored = new Map<string, BlobInfo[]>();
  if (src.prototxt && fromModel) {
    // Every stored layer, TRAIN-only ones included: the phase rules of the prototxt are the ones that count.
    src.caffemodel!.layers.forEach((r) => {
      const name = typeof r.msg.name === 'string' ? r.msg.name : '';
      if (r.blobs.length > 0 && !stored.has(name)) stored.set(name, r.blobs);
    });
  }
  const blobsOf = (l: CaffeLayer): BlobInfo[] => (src.prototxt && fromModel ? (stored.get(l.name) ?? []) : l.blobs);

  const shapes = new Map<string, Shape>();
  const inputs: TensorInfo[] = [];
  // Figures are per single inference: a deploy file's batch (BVLC's say 10) is kept in metadata, not multiplied in.
  let fileBatch: number | undefined;
  const addInput = (name: string, shape: Shape) => {
    const override = options.inputShapes?.[name];
    let s = override ? checkShape(override, `input ${name}`, subject) : shape;
    if (s && s.length >= 2 && s[0]! > 1) {
      fileBatch ??= s[0]!;
      s = [1, ...s.slice(1)];
    }
    shapes.set(name, s);
    inputs.push({ name, shape: s ?? [], dtype: 'float32' });
  };
  for (const i of net.inputs) addInput(i.name, i.shape ? checkShape(i.shape, `input ${i.name}`, subject) : undefined);

  const layers: Layer[] = [];
  const unknownShape: string[] = [];
  const unknownType: string[] = [];
  const missingBlobs: string[] = [];
  const used = new Set<string>();
  const produced = new Map<string, true>();
  const dangling: string[] = [];
  for (const l of net.layers) {
    for (const b of l.bottom) {
      if (!shapes.has(b)) {
        dangling.push(b);
        addInput(b, undefined);
      }
      produced.delete(b);
    }
    const inShapes = l.bottom.map((b) => shapes.get(b));
    const blobs = blobsOf(l);
    if (blobs.length > 0) used.add(l.name);
    const math = layerMath(l, inShapes, blobs.map(blobShape), subject);
    if (DATA_TYPES.has(l.type)) {
      l.top.forEach((t, i) => addInput(t, math.outputs[i]));
      continue;
    }
    l.top.forEach((t, i) => {
      shapes.set(t, math.outputs[i]);
      produced.set(t, true);
    });
    const { category: base, known } = layerCategory(l.type);
    if (!known) unknownType.push(`${l.name} (${l.type})`);
    const group = math.attrs.group as number | undefined;
    const cin = inShapes[0]?.[1];
    const category = base === 'conv' && group !== undefined && group > 1 && group === cin && group === math.attrs.numOutput ? 'depthwise_conv' : base;
    if (math.note && math.note.includes('input shape unknown')) unknownShape.push(l.name);
    else if (math.note) notes.push(`layer ${l.name} (${l.type}): ${math.note}.`);

    const { weights, params } = layerWeights(l, blobs, math.weights, notes);
    if (blobs.length === 0 && math.weights.length > 0 && fromModel) missingBlobs.push(l.name);
    const outputShapes = math.outputs.map((s) => s ?? []);
    layers.push({
      index: layers.length,
      name: l.name,
      op: l.type,
      category,
      inputShapes: inShapes.map((s) => s ?? []),
      outputShapes,
      macs: math.macs,
      // Unknown output shapes count no FLOPs rather than a made-up one per missing tensor.
      flops: math.outputs.every((s) => s !== undefined) ? layerFlops(category, math.macs, outputShapes) : 0,
      params,
      weights,
      attrs: { ...math.attrs, bottom: l.bottom, top: l.top },
    });
  }

  const outputs: TensorInfo[] = [...produced.keys()].map((name) => ({ name, shape: shapes.get(name) ?? [], dtype: 'float32' }));
  const totals = sumTotals(layers);

  if (!src.prototxt) notes.push('Parsed from the caffemodel alone: its stored layer definitions (filtered to the TEST phase) stand in for a prototxt.');
  if (!src.caffemodel && layers.some((l) => l.params > 0)) {
    notes.push('No caffemodel: weights are not in the files; params count the shapes the layer parameters imply, and weights carry no digests.');
  }
  if (dangling.length > 0) notes.push(`Blobs used before any layer produces them became inputs of unknown shape: ${listed([...new Set(dangling)])}. Pass inputShapes to count their MACs.`);
  if (unknownShape.length > 0) notes.push(`Input shapes unknown for ${unknownShape.length} layer(s) (${listed(unknownShape)}): their output shapes and MACs are not counted.`);
  if (unknownType.length > 0) notes.push(`Layer types gaugeNN does not model (category "custom", no MACs): ${listed(unknownType)}.`);
  if (missingBlobs.length > 0) notes.push(`The caffemodel holds no weights for ${listed(missingBlobs)}; their params come from the layer parameters.`);
  if (src.prototxt && fromModel) {
    const unused = [...stored.keys()].filter((n) => !used.has(n));
    if (unused.length > 0) notes.push(`The caffemodel holds weights for layers the prototxt does not run: ${listed(unused)}.`);
  }
  if (net.trainOnly.length > 0) notes.push(`${net.trainOnly.length} layer(s) are TRAIN-phase only and were left out: ${listed(net.trainOnly)}.`);
  const unknownFields = src.prototxt?.unknownFields ?? [];
  if (unknownFields.length > 0) notes.push(`Fields gaugeNN's Caffe schema does not declare were skipped: ${listed(unknownFields)}.`);
  if (src.caffemodel && src.caffemodel.unknownFields.length > 0) notes.push(`The caffemodel has top-level fields ${src.caffemodel.unknownFields.join(', ')} that gaugeNN skips.`);
  if (fileBatch !== undefined) notes.push(`The file states a batch of ${fileBatch} (metadata.batch); shapes, MACs and FLOPs are for one inference (batch 1).`);
  notes.push('FLOPs = 2 × MACs for conv/FC layers + one per output element of other arithmetic layers.');

  const metadata: Record<string, unknown> = {
    source: src.prototxt && src.caffemodel ? 'prototxt+caffemodel' : src.prototxt ? 'prototxt' : 'caffemodel',
    layerFormat: net.v1Layers > 0 ? 'V1 (layers)' : 'V2 (layer)',
  };
  if (net.name) metadata.name = net.name;
  const batch = fileBatch ?? inputs[0]?.shape[0];
  if (typeof batch === 'number' && batch > 0) metadata.batch = batch;
  if (src.caffemodel) metadata.caffemodelLayers = src.caffemodel.layers.length;

  return {
    framework: 'caffe',
    formatVersion: net.v1Layers > 0 ? 'V1' : 'V2',
    files: src.files,
    inputs,
    outputs,
    layers,
    totals,
    modality: guessModality(inputs),
    quantization: summariseQuantization(layers, inputs),
    metadata,
    notes,
  };
}

function blobShape(b: BlobInfo): number[] {
  return b.shape.length > 0 ? b.shape : [b.count];
}

/** Stored blobs become weights (params = stored values); without them, the implied shapes do (no digest, 0 bytes). */
function layerWeights(l: CaffeLayer, blobs: BlobInfo[], implied: number[][], notes: string[]): { weights: WeightInfo[]; params: number } {
  if (blobs.length > 0) {
    let params = 0;
    const weights = blobs.map((b, i): WeightInfo => {
      params += b.count;
      const shape = blobShape(b);
      if (b.count > 0 && elementCount(shape) !== b.count) notes.push(`layer ${l.name} blob ${i}: shape [${shape.join(', ')}] but ${b.count} values stored; params count the stored values.`);
      const exp = implied[i];
      if (exp && elementCount(exp) !== elementCount(shape)) {
        notes.push(`layer ${l.name} blob ${i}: stored shape [${shape.join(', ')}] differs from the [${exp.join(', ')}] its parameters imply.`);
      }
      const w: WeightInfo = { name: `${l.name}/${i}`, shape, dtype: b.dtype, bytes: b.bytes, trivial: isTrivialWeight(b.count, { allZero: b.allZero }) };
      if (b.digest) w.digest = b.digest;
      return w;
    });
    return { weights, params };
  }
  const weights = implied.map((shape, i): WeightInfo => ({ name: `${l.name}/${i}`, shape, dtype: 'float32', bytes: 0, trivial: isTrivialWeight(elementCount(shape)) }));
  return { weights, params: implied.reduce((s, sh) => s + elementCount(sh), 0) };
}

/** Parse prototxt bytes already in memory (tests, the demo): no caffemodel. */
export function parsePrototxtGraph(text: string, path = 'model.prototxt'): ModelGraph {
  const bytes = Buffer.from(text, 'utf8');
  return buildGraph({ prototxt: parsePrototxt(text, path), files: [{ path, sha256: sha256(bytes), bytes: bytes.length, role: 'prototxt' }], subject: path });
}
