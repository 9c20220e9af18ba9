/** The DLC as the record readers see it, before it becomes the IR: nodes, tensors, weights, in the file's terms. */
import type { DType } from '@gaugenn/core';

/** Fixed-point encoding of a quantized tensor, as the file states it. */
export interface DlcEncoding {
  bitwidth: number;
  min: number;
  max: number;
  scale: number;
  offset: number;
}

export interface DlcTensor {
  name: string;
  shape: number[];
  dtype: DType;
  /** The SDK's own name of the data type (`Float_32`, `uFxp_8`), where known. */
  nativeType?: string;
  encoding?: DlcEncoding;
}

export interface DlcWeight {
  name: string;
  /** Identity of a graph-wide tensor that several layers may share (v4 static tensors), so it counts once. */
  id?: string;
  shape: number[];
  dtype: DType;
  /** The stored bytes, where the weights record holds them. */
  data?: Uint8Array;
}

export interface DlcNode {
  name: string;
  /** The native op/layer type (`Conv2d`, `Convolutional`, or `v2:<code>` for an unnamed DLC v2 type). */
  type: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, unknown>;
  weights: DlcWeight[];
}

export interface DlcModel {
  /** Record generation: 2, 3 or 4. */
  version: number;
  minor: number;
  graphName?: string;
  nodes: DlcNode[];
  /** Every tensor whose shape the file states, by name. */
  tensors: Map<string, DlcTensor>;
  inputs: string[];
  outputs: string[];
  /** What could not be read, for the IR's notes. */
  notes: string[];
  /** The weights record's identifier (`NETP`, `NR64`), or absent. */
  paramsKind?: string;
}
