/**
 * Reads a TFLite flatbuffer (schema v3, file identifier `TFL3`) into {@link TfliteModel}.
 * Field ids below are the schema's; each table's reader lists only the fields gaugeNN uses.
 */
import { FlatBuffer, MalformedError, Table } from './table.js';
import type {
  TfliteModel,
  TfliteOpCode,
  TfliteOperator,
  TfliteQuantization,
  TfliteSignature,
  TfliteSubgraph,
  TfliteTensor,
} from './types.js';

/** The TFLite file identifier at bytes 4..8. */
export const TFLITE_IDENTIFIER = 'TFL3';

/** Model table field ids. */
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadata: 6, signatureDefs: 7 } as const;
const OPCODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7 } as const;
const QUANT = { scale: 2, zeroPoint: 3, quantizedDimension: 6 } as const;
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, optionsType: 3, options: 4 } as const;
const BUFFER = { data: 0, offset: 1, size: 2 } as const;
const METADATA = { name: 0, buffer: 1 } as const;
const SIGNATURE = { inputs: 0, outputs: 1, key: 2, subgraphIndex: 4 } as const;
const TENSOR_MAP = { name: 0, tensorIndex: 1 } as const;

/** Read a whole model. Throws {@link MalformedError} on any structural fault. */
export function readModel(bytes: Uint8Array): TfliteModel {
  const fb = new FlatBuffer(bytes);
  if (fb.identifier() !== TFLITE_IDENTIFIER) {
    throw new MalformedError(`file identifier is "${fb.identifier()}", not "${TFLITE_IDENTIFIER}"`);
  }
  const model = fb.root('model');
  const opcodes = model.tables(MODEL.operatorCodes, (i) => `operator_code ${i}`).map(readOpCode);
  const subgraphs = model.tables(MODEL.subgraphs, (i) => `subgraph ${i}`).map((t, i) => readSubgraph(t, i));
  let externalBuffers = 0;
  const buffers = model.tables(MODEL.buffers, (i) => `buffer ${i}`).map((t, i) => {
    const data = t.bytes(BUFFER.data);
    if (data && data.length > 0) return data;
    // Models over 2 GB keep data after the flatbuffer: offset/size from the file start. Offset 1 is a placeholder.
    const offset = t.uint64(BUFFER.offset);
    const size = t.uint64(BUFFER.size);
    if (offset > 1 && size > 0) {
      fb.check(offset, size, `buffer ${i} external data`);
      externalBuffers++;
      return bytes.subarray(offset, offset + size);
    }
    return undefined;
  });
  const metadata = model.tables(MODEL.metadata, (i) => `metadata ${i}`).map((t) => ({
    name: t.string(METADATA.name) ?? '',
    buffer: t.uint32(METADATA.buffer),
  }));
  const signatures = model.tables(MODEL.signatureDefs, (i) => `signature_def ${i}`).map(readSignature);
  const m: TfliteModel = {
    version: model.uint32(MODEL.version),
    description: model.string(MODEL.description),
    opcodes,
    subgraphs,
    buffers,
    externalBuffers,
    metadata,
    signatures,
  };
  validateIndices(m);
  return m;
}

function readOpCode(t: Table): TfliteOpCode {
  // Old files only set the int8 field (codes < 127); new ones set both, with 127 in the old one: take the max.
  const builtin = Math.max(t.int8(OPCODE.deprecatedBuiltinCode), t.int32(OPCODE.builtinCode));
  return { builtin, custom: t.string(OPCODE.customCode), version: t.int32(OPCODE.version, 1) };
}

function readSubgraph(t: Table, sg: number): TfliteSubgraph {
  return {
    name: t.string(SUBGRAPH.name),
    tensors: t.tables(SUBGRAPH.tensors, (i) => `subgraph ${sg} tensor ${i}`).map(readTensor),
    inputs: t.int32Vector(SUBGRAPH.inputs),
    outputs: t.int32Vector(SUBGRAPH.outputs),
    operators: t.tables(SUBGRAPH.operators, (i) => `subgraph ${sg} operator ${i}`).map(readOperator),
  };
}

function readTensor(t: Table, index: number): TfliteTensor {
  const q = t.table(TENSOR.quantization, `${t.what} quantization`);
  let quantization: TfliteQuantization | undefined;
  if (q) {
    const scale = q.float32Vector(QUANT.scale);
    if (scale.length > 0) {
      quantization = { scale, zeroPoint: q.int64Vector(QUANT.zeroPoint), quantizedDimension: q.int32(QUANT.quantizedDimension) };
    }
  }
  const signature = t.int32Vector(TENSOR.shapeSignature);
  return {
    index,
    name: t.string(TENSOR.name) ?? '',
    shape: t.int32Vector(TENSOR.shape),
    shapeSignature: signature.length > 0 ? signature : undefined,
    type: t.int8(TENSOR.type),
    buffer: t.uint32(TENSOR.buffer),
    quantization,
    isVariable: t.bool(TENSOR.isVariable),
    sparse: t.has(TENSOR.sparsity),
  };
}

function readOperator(t: Table, index: number): TfliteOperator {
  const optionsType = t.uint8(OPERATOR.optionsType);
  return {
    index,
    opcodeIndex: t.uint32(OPERATOR.opcodeIndex),
    inputs: t.int32Vector(OPERATOR.inputs),
    outputs: t.int32Vector(OPERATOR.outputs),
    optionsType,
    options: optionsType ? t.table(OPERATOR.options, `${t.what} builtin_options`) : undefined,
  };
}

function readSignature(t: Table): TfliteSignature {
  const map = (id: number, kind: string) =>
    t.tables(id, (i) => `${t.what} ${kind} ${i}`).map((m) => ({ name: m.string(TENSOR_MAP.name), tensor: m.uint32(TENSOR_MAP.tensorIndex) }));
  return {
    key: t.string(SIGNATURE.key),
    subgraphIndex: t.uint32(SIGNATURE.subgraphIndex),
    inputs: map(SIGNATURE.inputs, 'input'),
    outputs: map(SIGNATURE.outputs, 'output'),
  };
}

/** Cross-references must point inside their tables; a bad one is a corrupt file, not a crash later. */
function validateIndices(m: TfliteModel): void {
  if (m.subgraphs.length === 0) throw new MalformedError('the model has no subgraphs');
  m.subgraphs.forEach((sg, s) => {
    const n = sg.tensors.length;
    const tensorRef = (i: number, what: string, optional: boolean) => {
      if ((optional && i === -1) || (i >= 0 && i < n)) return;
      throw new MalformedError(`subgraph ${s} ${what} refers to tensor ${i}, but the subgraph has ${n}`);
    };
    sg.inputs.forEach((i) => tensorRef(i, 'input', false));
    sg.outputs.forEach((i) => tensorRef(i, 'output', false));
    for (const t of sg.tensors) {
      if (t.buffer >= m.buffers.length && !(t.buffer === 0 && m.buffers.length === 0)) {
        throw new MalformedError(`subgraph ${s} tensor ${t.index} refers to buffer ${t.buffer}, but the model has ${m.buffers.length}`);
      }
    }
    for (const op of sg.operators) {
      if (op.opcodeIndex >= m.opcodes.length) {
        throw new MalformedError(`subgraph ${s} operator ${op.index} uses operator_code ${op.opcodeIndex}, but the model has ${m.opcodes.length}`);
      }
      op.inputs.forEach((i) => tensorRef(i, `operator ${op.index} input`, true));
      op.outputs.forEach((i) => tensorRef(i, `operator ${op.index} output`, true));
    }
  });
}
