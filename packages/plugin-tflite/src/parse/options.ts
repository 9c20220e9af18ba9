/**
 * Builtin options of the ops whose attributes matter to a reader (stride, padding, dilation, activation),
 * read from the operator's options table by BuiltinOptions union type and the schema's field ids.
 */
import type { TfliteOperator } from './types.js';

/** BuiltinOptions union values. */
const OPTIONS = { conv2d: 1, depthwiseConv2d: 2, pool2d: 5, fullyConnected: 8, call: 16, transposeConv: 49, if: 92, while: 93, batchMatMul: 101, callOnce: 103, conv3d: 106 } as const;

const PADDING = ['SAME', 'VALID'];
const ACTIVATION = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
const WEIGHTS_FORMAT = ['DEFAULT', 'SHUFFLED4x16INT8'];

const named = (table: string[], v: number) => table[v] ?? `UNKNOWN_${v}`;

/** Attributes of an op from its builtin options; empty when it has none gaugeNN reads. */
export function readOptions(op: TfliteOperator): Record<string, unknown> {
  const t = op.options;
  if (!t) return {};
  switch (op.optionsType) {
    case OPTIONS.conv2d:
      return {
        padding: named(PADDING, t.int8(0)),
        stride: [t.int32(2), t.int32(1)],
        activation: named(ACTIVATION, t.int8(3)),
        dilation: [t.int32(5, 1), t.int32(4, 1)],
      };
    case OPTIONS.depthwiseConv2d:
      return {
        padding: named(PADDING, t.int8(0)),
        stride: [t.int32(2), t.int32(1)],
        depthMultiplier: t.int32(3),
        activation: named(ACTIVATION, t.int8(4)),
        dilation: [t.int32(6, 1), t.int32(5, 1)],
      };
    case OPTIONS.pool2d:
      return {
        padding: named(PADDING, t.int8(0)),
        stride: [t.int32(2), t.int32(1)],
        filter: [t.int32(4), t.int32(3)],
        activation: named(ACTIVATION, t.int8(5)),
      };
    case OPTIONS.fullyConnected:
      return {
        activation: named(ACTIVATION, t.int8(0)),
        weightsFormat: named(WEIGHTS_FORMAT, t.int8(1)),
        keepNumDims: t.bool(2),
      };
    case OPTIONS.transposeConv:
      return {
        padding: named(PADDING, t.int8(0)),
        stride: [t.int32(2), t.int32(1)],
        activation: named(ACTIVATION, t.int8(3)),
      };
    // Control flow: the subgraphs an op runs (their MACs are counted on the op, see parse-tflite.ts).
    case OPTIONS.call:
      return { subgraph: t.uint32(0) };
    case OPTIONS.if:
      return { thenSubgraph: t.int32(0), elseSubgraph: t.int32(1) };
    case OPTIONS.while:
      return { condSubgraph: t.int32(0), bodySubgraph: t.int32(1) };
    case OPTIONS.callOnce:
      return { initSubgraph: t.int32(0) };
    case OPTIONS.batchMatMul:
      return { adjX: t.bool(0), adjY: t.bool(1) };
    case OPTIONS.conv3d:
      return {
        padding: named(PADDING, t.int8(0)),
        stride: [t.int32(1), t.int32(3), t.int32(2)],
        activation: named(ACTIVATION, t.int8(4)),
        dilation: [t.int32(5, 1), t.int32(7, 1), t.int32(6, 1)],
      };
    default:
      return {};
  }
}
