/**
 * Input files for snpe-net-run, from the IR's input shapes: one float32 little-endian raw file per input (the
 * tool's default input type), filled with seeded pseudo-random values in [0, 1) so runs are repeatable, and the
 * input list with one line per inference (`path`, or `name:=path …` for several inputs).
 */
import { elementCount, type TensorInfo } from '@gaugenn/core';

/** Largest raw input written (a 4k RGB image in float32 is ~100 MB). */
export const MAX_INPUT_BYTES = 512 * 1024 ** 2;

export interface RawInput {
  name: string;
  /** File name to give it on the device. */
  file: string;
  data: Buffer;
}

/** One raw file per input, seeded by the input's position. */
export function rawInputs(inputs: readonly TensorInfo[], seed = 0x5eed): RawInput[] {
  return inputs.map((t, i) => {
    const n = elementCount(t.shape.length ? t.shape : [1]);
    if (4 * n > MAX_INPUT_BYTES) throw new RangeError(`input ${t.name} needs ${4 * n} bytes, more than ${MAX_INPUT_BYTES}`);
    const data = Buffer.alloc(4 * n);
    let s = (seed + i * 0x9e3779b9) >>> 0;
    for (let k = 0; k < n; k++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      data.writeFloatLE(s / 0x100000000, 4 * k);
    }
    return { name: t.name, file: `input_${i}.raw`, data };
  });
}

/** The input list: `lines` identical inference lines (the tool runs one inference per line). */
export function inputList(inputs: readonly { name: string; path: string }[], lines: number): string {
  const line = inputs.length === 1 ? inputs[0]!.path : inputs.map((x) => `${x.name}:=${x.path}`).join(' ');
  return `${Array.from({ length: lines }, () => line).join('\n')}\n`;
}
