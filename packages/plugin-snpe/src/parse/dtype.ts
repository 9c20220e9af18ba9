/**
 * DLC data-type codes. v4 (SNPE 2.x) uses QNN's codes: the high byte is the kind (0 signed int, 1 unsigned int,
 * 2 float, 3 signed fixed point, 4 unsigned fixed point, 5 bool), the low byte the width in bits written as hex
 * digits (0x08, 0x16, 0x32, 0x64). v3 weight data uses 6 for uint8 and 9 for float32.
 */
import type { DType } from '@gaugenn/core';

export interface DTypeFacts {
  dtype: DType;
  /** Bytes per element. */
  size: number;
  /** The SDK's own name (`Float_32`, `uFxp_8`), as snpe-dlc-info prints it. */
  native: string;
}

const WIDTH: Record<number, number> = { 0x08: 8, 0x16: 16, 0x32: 32, 0x64: 64 };

/** Facts of a v4 data-type code, or undefined for a code gaugeNN does not know. */
export function v4DType(code: number): DTypeFacts | undefined {
  const kind = (code >> 8) & 0xff;
  const bits = WIDTH[code & 0xff];
  if (bits === undefined) return undefined;
  const size = bits / 8;
  switch (kind) {
    case 0:
      return { dtype: `int${bits}` as DType, size, native: `Int_${bits}` };
    case 1:
      return { dtype: `uint${bits}` as DType, size, native: `UInt_${bits}` };
    case 2:
      return bits === 16 || bits === 32 || bits === 64 ? { dtype: bits === 16 ? 'float16' : bits === 32 ? 'float32' : 'float64', size, native: `Float_${bits}` } : undefined;
    case 3:
      return { dtype: `int${bits}` as DType, size, native: `sFxp_${bits}` };
    case 4:
      return { dtype: `uint${bits}` as DType, size, native: `uFxp_${bits}` };
    case 5:
      return bits === 8 ? { dtype: 'bool', size: 1, native: 'Bool_8' } : undefined;
    default:
      return undefined;
  }
}

/** Facts of a v3 weight data-type code. */
export function v3DType(code: number): DTypeFacts | undefined {
  if (code === 6) return { dtype: 'uint8', size: 1, native: 'uFxp_8' };
  if (code === 9) return { dtype: 'float32', size: 4, native: 'Float_32' };
  return undefined;
}
