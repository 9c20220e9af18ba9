/** TFLite TensorType enum → IR dtype. Values are the schema's. */
import type { DType } from '@gaugenn/core';

const TENSOR_TYPES: readonly DType[] = [
  'float32', // 0 FLOAT32
  'float16', // 1 FLOAT16
  'int32', // 2 INT32
  'uint8', // 3 UINT8
  'int64', // 4 INT64
  'string', // 5 STRING
  'bool', // 6 BOOL
  'int16', // 7 INT16
  'complex64', // 8 COMPLEX64
  'int8', // 9 INT8
  'float64', // 10 FLOAT64
  'unknown', // 11 COMPLEX128: no IR dtype
  'uint64', // 12 UINT64
  'unknown', // 13 RESOURCE
  'unknown', // 14 VARIANT
  'uint32', // 15 UINT32
  'uint16', // 16 UINT16
  'int4', // 17 INT4
  'bfloat16', // 18 BFLOAT16
];

/** The IR dtype of a TFLite TensorType value (`unknown` for types the IR has no name for). */
export function tfliteDtype(type: number): DType {
  return TENSOR_TYPES[type] ?? 'unknown';
}
