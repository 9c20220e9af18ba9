/**
 * The TFLite model as read from the flatbuffer, before it becomes the IR. Plain data, no flatbuffer objects,
 * except each operator's builtin options table (read on demand by the op that needs it).
 */
import type { Table } from './table.js';

export interface TfliteQuantization {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  /** The shape with -1 for dynamic dimensions, where the converter wrote one. */
  shapeSignature?: number[];
  /** TensorType enum value. */
  type: number;
  /** Index into the model's buffers; 0 is the empty sentinel. */
  buffer: number;
  quantization?: TfliteQuantization;
  isVariable: boolean;
  /** True when the tensor's data is stored sparse (its buffer is smaller than its shape). */
  sparse: boolean;
}

export interface TfliteOperator {
  index: number;
  opcodeIndex: number;
  inputs: number[];
  outputs: number[];
  /** BuiltinOptions union type (0 = none). */
  optionsType: number;
  options?: Table;
}

export interface TfliteSubgraph {
  name?: string;
  tensors: TfliteTensor[];
  inputs: number[];
  outputs: number[];
  operators: TfliteOperator[];
}

export interface TfliteOpCode {
  /** max(deprecated_builtin_code, builtin_code), as the runtime reads it. */
  builtin: number;
  custom?: string;
  version: number;
}

export interface TfliteMetadataEntry {
  name: string;
  buffer: number;
}

export interface TfliteSignature {
  key?: string;
  subgraphIndex: number;
  inputs: { name?: string; tensor: number }[];
  outputs: { name?: string; tensor: number }[];
}

export interface TfliteModel {
  version: number;
  description?: string;
  opcodes: TfliteOpCode[];
  subgraphs: TfliteSubgraph[];
  /** Each buffer's bytes (a view on the file), or undefined when it holds none. */
  buffers: (Uint8Array | undefined)[];
  /** How many buffers live after the flatbuffer (offset/size form, models > 2 GB). */
  externalBuffers: number;
  metadata: TfliteMetadataEntry[];
  signatures: TfliteSignature[];
}
