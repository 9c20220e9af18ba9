import { Args, Flags } from '@oclif/core';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { GaugeError, SNIFF_HEAD_BYTES, sha256 } from '@gaugenn/core';
import { CONVERTERS, convertToDlc, type ConvertibleFramework } from '@gaugenn/plugin-snpe';
import { BaseCommand } from '../base-command.js';

function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(SNIFF_HEAD_BYTES);
    return b.subarray(0, readSync(fd, b, 0, b.length, 0));
  } finally {
    closeSync(fd);
  }
}

export default class Convert extends BaseCommand<typeof Convert> {
  static override summary = 'Convert a TFLite, ONNX, Caffe or TensorFlow model to another format with that format\'s SDK (today: SNPE DLC).';
  static override description = `--to dlc runs the Qualcomm SNPE/QAIRT SDK's converter for the model's framework (found from the file's content:
snpe-tflite-to-dlc, snpe-onnx-to-dlc, snpe-caffe-to-dlc, snpe-tensorflow-to-dlc) and, with --quantize, snpe-dlc-quantize over
the raw input files in --calibration DIR, so the model can be measured on the DSP. The SDK comes from plugins.snpe.sdkRoot
in the config, or SNPE_ROOT / QAIRT_SDK_ROOT; without it the command fails with SNPE_SDK_MISSING.`;
  static override examples = [
    '<%= config.bin %> convert model.tflite --to dlc',
    '<%= config.bin %> convert model.onnx --to dlc --quantize --calibration ./raw --out model_q.dlc',
    '<%= config.bin %> convert frozen.pb --to dlc --input-dim input=1,224,224,3 --out-node MobilenetV2/Predictions/Reshape_1',
    '<%= config.bin %> convert deploy.prototxt --weights net.caffemodel --to dlc',
  ];
  static override args = { model: Args.string({ description: 'the model file to convert', required: true }) };
  static override flags = {
    to: Flags.string({ description: 'target format', options: ['dlc'], required: true }),
    out: Flags.string({ description: 'output file (default: the model\'s name with .dlc)' }),
    weights: Flags.string({ description: 'the weights file of a two-file model (Caffe: the caffemodel)' }),
    quantize: Flags.boolean({ description: 'quantize the DLC (needs --calibration)' }),
    calibration: Flags.string({ description: 'folder of raw float32 input files for quantization' }),
    'input-dim': Flags.string({ description: 'NAME=DIMS of an input, e.g. input=1,224,224,3 (TensorFlow needs it; repeat for several)', multiple: true }),
    'out-node': Flags.string({ description: 'an output node name (TensorFlow needs it; repeat for several)', multiple: true }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Convert);
    const input = resolve(args.model);
    if (!existsSync(input) || !statSync(input).isFile()) throw new GaugeError('INPUT_NOT_FOUND', `${args.model} is not a file.`, { subject: args.model });
    const gauge = await this.gauge();
    const h = head(input);
    const hit = gauge.sniffers.map((s) => s.sniff({ path: basename(input), size: statSync(input).size, head: h })).find((x) => x !== undefined);
    const framework = hit?.framework;
    if (!framework || !(framework in CONVERTERS)) {
      throw new GaugeError('MODEL_UNSUPPORTED', `${args.model} is ${framework ? `a ${framework} model` : 'no model any loaded plugin recognises'}; the SDK converts ${Object.keys(CONVERTERS).join(', ')} models.`, { subject: args.model });
    }
    const dims = (flags['input-dim'] ?? []).map((d) => {
      const i = d.lastIndexOf('=');
      if (i <= 0) throw new GaugeError('CONFIG_INVALID', `--input-dim ${d}: write NAME=DIMS, e.g. input=1,224,224,3.`);
      return { name: d.slice(0, i), dims: d.slice(i + 1) };
    });
    const output = resolve(flags.out ?? input.replace(/\.[^./]*$/, '') + (flags.quantize ? '_quantized.dlc' : '.dlc'));
    const options = (gauge.config.plugins?.snpe ?? {}) as { sdkRoot?: string };
    const r = await convertToDlc({
      input,
      framework: framework as ConvertibleFramework,
      ...(flags.weights ? { weights: resolve(flags.weights) } : {}),
      output,
      inputDims: dims,
      outNodes: flags['out-node'] ?? [],
      quantize: flags.quantize,
      ...(flags.calibration ? { calibrationDir: resolve(flags.calibration) } : {}),
      ...(options.sdkRoot ? { sdkRoot: options.sdkRoot } : {}),
    });
    const bytes = readFileSync(r.output);
    const graph = await gauge.parse({ framework: 'snpe', files: [{ path: r.output, sha256: sha256(bytes), bytes: bytes.length }] });
    const out = {
      input,
      framework,
      converter: CONVERTERS[framework as ConvertibleFramework],
      output: r.output,
      floatOutput: r.floatOutput ?? null,
      quantized: Boolean(flags.quantize),
      sdkRoot: r.sdkRoot,
      commands: r.calls.map((c) => [c.command, ...c.args]),
      formatVersion: graph.formatVersion ?? null,
      layerCount: graph.layers.length,
      macs: graph.totals.macs,
      params: graph.totals.params,
      quantization: graph.quantization.scheme,
    };
    if (!this.jsonEnabled()) this.log(`${args.model} (${framework}) → ${r.output}: ${out.formatVersion}, ${out.layerCount} layers, ${out.quantization}`);
    return out;
  }
}
