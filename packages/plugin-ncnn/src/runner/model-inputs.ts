/** What a runner needs to know about an ncnn model before running it: its files and its input blobs' shapes. */
import { readFile } from 'node:fs/promises';
import { GaugeError, type RunRequest } from '@gaugenn/core';
import { parseNcnn } from '../parse/parse-ncnn.js';
import { isBinaryParam, readParam } from '../parse/param-reader.js';
import { weightBytesRead } from '../pair.js';

export interface RunnableModel {
  param: string;
  bin?: string;
  binaryParam: boolean;
  /** Input blobs with ncnn dims (no batch), e.g. `{ name: 'data', dims: [3, 224, 224] }`. */
  inputs: { name: string; dims: number[] }[];
}

/** Resolve param/bin from a run request and read the input shapes from the param (never from the .bin). */
export async function runnableModel(request: RunRequest, plugin = 'ncnn'): Promise<RunnableModel> {
  const files = request.modelFiles;
  const isBin = (f: { path: string; role?: string }) => f.role === 'weights' || (f.role !== 'param' && /\.bin$/i.test(f.path) && !/\.param\.bin$/i.test(f.path));
  const param = files.find((f) => f.role === 'param') ?? files.find((f) => !isBin(f));
  const bin = files.find((f) => f !== param && isBin(f));
  const where = { plugin, hook: 'measure', subject: param?.path };
  if (!param) throw new GaugeError('RUNNER_FAILED', 'The run request names no ncnn param file.', where);
  let bytes: Buffer;
  try {
    bytes = await readFile(param.path);
  } catch (e) {
    throw new GaugeError('RUNNER_FAILED', `Cannot read the ncnn param ${param.path}: ${(e as Error).message}.`, { ...where, cause: e });
  }
  const graph = parseNcnn({ param: bytes });
  if (bin) {
    // ncnn loads a .bin of the wrong model without complaint and then times garbage: check the pairing first.
    let weights: Buffer;
    try {
      weights = await readFile(bin.path);
    } catch (e) {
      throw new GaugeError('RUNNER_FAILED', `Cannot read the ncnn weights ${bin.path}: ${(e as Error).message}.`, { ...where, cause: e });
    }
    const read = weightBytesRead(readParam(bytes), weights);
    if (read !== weights.length) {
      throw new GaugeError('RUNNER_FAILED', `${bin.path} (${weights.length} bytes) is not the weights of ${param.path} (its layers read ${read ?? 'more than the file holds'}). Pair the .param with its own .bin.`, where);
    }
  }
  const inputs = graph.inputs.map((t) => ({ name: t.name, dims: t.shape.length === 4 && t.shape[0] === 1 ? t.shape.slice(1) : t.shape }));
  return { param: param.path, bin: bin?.path, binaryParam: isBinaryParam(bytes), inputs };
}
