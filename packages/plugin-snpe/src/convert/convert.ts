/**
 * Conversion of other frameworks' models to DLC through the SDK's own converters, so any app's model can be measured
 * on the DSP: `snpe-tflite-to-dlc`, `snpe-onnx-to-dlc`, `snpe-caffe-to-dlc`, `snpe-tensorflow-to-dlc`
 * (`--input_network`, `--output_path`; Caffe adds `--caffe_bin`, TensorFlow `--input_dim NAME DIMS` and
 * `--out_node`), then optionally `snpe-dlc-quantize --input_dlc --input_list --output_dlc` with an input list made
 * of the calibration folder's raw files. The converters are the SDK's x86-64 Linux tools (Python scripts that need
 * the SDK's `lib/python` on PYTHONPATH); their success line is "Conversion completed successfully".
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GaugeError } from '@gaugenn/core';
import { requireSdk, sdkTool, type SnpeSdk } from '../sdk/locate-sdk.js';

/** Source frameworks the SDK converts, and the converter of each. */
export const CONVERTERS = {
  tflite: 'snpe-tflite-to-dlc',
  onnx: 'snpe-onnx-to-dlc',
  caffe: 'snpe-caffe-to-dlc',
  tensorflow: 'snpe-tensorflow-to-dlc',
} as const;
export type ConvertibleFramework = keyof typeof CONVERTERS;

export interface ConvertRequest {
  input: string;
  framework: ConvertibleFramework;
  /** The caffemodel of a Caffe prototxt. */
  weights?: string;
  output: string;
  /** TensorFlow (and optional for the others): input names and dims (`1,224,224,3`). */
  inputDims?: { name: string; dims: string }[];
  /** TensorFlow: output node names. */
  outNodes?: string[];
  quantize?: boolean;
  /** Folder of raw float32 input files for quantization. */
  calibrationDir?: string;
  sdkRoot?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface ToolCall {
  command: string;
  args: string[];
}

export interface ConvertResult {
  /** The DLC written (the quantized one when quantizing). */
  output: string;
  /** The float DLC, when quantizing. */
  floatOutput?: string;
  calls: (ToolCall & { stdout: string })[];
  sdkRoot: string;
  sdkVersion?: string;
}

const where = (subject: string) => ({ plugin: 'snpe', hook: 'convert', subject });

/** The converter call for a request (pure, so tests can state it). */
export function converterCall(sdk: SnpeSdk, r: ConvertRequest, output: string): ToolCall {
  const tool = CONVERTERS[r.framework];
  const command = sdkTool(sdk, sdk.hostArch, tool);
  if (!command) throw new GaugeError('SNPE_SDK_MISSING', `The SDK at ${sdk.root} has no ${tool} for x86-64 Linux (bin/x86_64-linux-clang). Use a full QAIRT SDK.`, where(r.input));
  const args = ['--input_network', r.input];
  if (r.framework === 'caffe') {
    if (!r.weights) throw new GaugeError('INPUT_NOT_FOUND', 'A Caffe model needs its weights: give the caffemodel with --weights.', where(r.input));
    args.push('--caffe_bin', r.weights);
  }
  if (r.framework === 'tensorflow' && (!r.inputDims?.length || !r.outNodes?.length)) {
    throw new GaugeError('INPUT_NOT_FOUND', 'A TensorFlow graph needs its inputs and outputs named: give --input-dim NAME=1,224,224,3 and --out-node NAME.', where(r.input));
  }
  for (const d of r.inputDims ?? []) args.push('--input_dim', d.name, d.dims);
  for (const o of r.outNodes ?? []) args.push('--out_node', o);
  args.push('--output_path', output);
  return { command, args };
}

/** The quantizer call (snpe-dlc-quantize, or 2.x's snpe-dlc-quant where only that exists). */
export function quantizeCall(sdk: SnpeSdk, input: string, inputList: string, output: string): ToolCall {
  const command = sdkTool(sdk, sdk.hostArch, 'snpe-dlc-quantize') ?? sdkTool(sdk, sdk.hostArch, 'snpe-dlc-quant');
  if (!command) throw new GaugeError('SNPE_SDK_MISSING', `The SDK at ${sdk.root} has no snpe-dlc-quantize for x86-64 Linux. Use a full QAIRT SDK.`, where(input));
  return { command, args: ['--input_dlc', input, '--input_list', inputList, '--output_dlc', output] };
}

/** The calibration input list: every `.raw` file of the folder, sorted, one per line. */
export function calibrationList(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new GaugeError('INPUT_NOT_FOUND', `The calibration folder ${dir} does not exist.`, where(dir));
  const raws = readdirSync(dir).filter((f) => f.endsWith('.raw')).sort();
  if (raws.length === 0) throw new GaugeError('INPUT_NOT_FOUND', `${dir} holds no .raw files: quantization needs raw float32 inputs of the model's input shape (one file per sample).`, where(dir));
  return raws.map((f) => resolve(dir, f)).join('\n') + '\n';
}

function toolEnv(sdk: SnpeSdk, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const py = join(sdk.root, 'lib', 'python');
  const lib = join(sdk.root, 'lib', sdk.hostArch ?? 'x86_64-linux-clang');
  return {
    ...env,
    SNPE_ROOT: sdk.root,
    PYTHONPATH: env.PYTHONPATH ? `${py}:${env.PYTHONPATH}` : py,
    LD_LIBRARY_PATH: env.LD_LIBRARY_PATH ? `${lib}:${env.LD_LIBRARY_PATH}` : lib,
  };
}

function call(c: ToolCall, env: NodeJS.ProcessEnv, timeoutMs: number, subject: string): Promise<string> {
  return new Promise((res, rej) => {
    execFile(c.command, c.args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 ** 2 }, (err, stdout, stderr) => {
      if (err) {
        const out = `${stdout}\n${stderr}`.trim();
        const tail = out.length > 1200 ? `…${out.slice(-1200)}` : out;
        rej(new GaugeError('RUNNER_FAILED', `${c.command.split('/').pop()} failed (${(err as NodeJS.ErrnoException).code ?? err.message}): ${tail}`, { ...where(subject), cause: err }));
      } else res(`${stdout}${stderr}`);
    });
  });
}

/** Convert a model to DLC (and quantize it) with the SDK on this machine. */
export async function convertToDlc(r: ConvertRequest): Promise<ConvertResult> {
  const env = r.env ?? process.env;
  const sdk = requireSdk(r.sdkRoot, `${CONVERTERS[r.framework]} (model conversion)`, env, where(r.input));
  if (r.quantize && !r.calibrationDir) throw new GaugeError('INPUT_NOT_FOUND', 'Quantizing needs calibration inputs: give --calibration DIR (a folder of raw float32 input files).', where(r.input));
  const timeoutMs = r.timeoutMs ?? 30 * 60_000;
  const e = toolEnv(sdk, env);
  const calls: ConvertResult['calls'] = [];
  const floatOut = r.quantize ? r.output.replace(/(\.dlc)?$/, '_float.dlc') : r.output;
  const conv = converterCall(sdk, r, floatOut);
  calls.push({ ...conv, stdout: await call(conv, e, timeoutMs, r.input) });
  if (!existsSync(floatOut)) throw new GaugeError('RUNNER_FAILED', `${CONVERTERS[r.framework]} finished but wrote no ${floatOut}: ${calls[0]!.stdout.slice(-800)}`, where(r.input));
  if (!r.quantize) return { output: floatOut, calls, sdkRoot: sdk.root, ...(sdk.version ? { sdkVersion: sdk.version } : {}) };
  const dir = await mkdtemp(join(tmpdir(), 'gaugenn-calib-'));
  const list = join(dir, 'input_list.txt');
  await writeFile(list, calibrationList(r.calibrationDir!));
  const q = quantizeCall(sdk, floatOut, list, r.output);
  calls.push({ ...q, stdout: await call(q, e, timeoutMs, r.input) });
  if (!existsSync(r.output)) throw new GaugeError('RUNNER_FAILED', `The quantizer finished but wrote no ${r.output}: ${calls[1]!.stdout.slice(-800)}`, where(r.input));
  return { output: r.output, floatOutput: floatOut, calls, sdkRoot: sdk.root, ...(sdk.version ? { sdkVersion: sdk.version } : {}) };
}
