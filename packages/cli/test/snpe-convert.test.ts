/**
 * `gaugenn convert MODEL --to dlc` against a STAND-IN SDK: the SDK's folder layout with shell scripts in place of
 * Qualcomm's converters (no registry carries them). Each stand-in records its arguments and environment and writes
 * a real DLC: the TensorFlow stand-in writes the EDSR DLC that SNPE 1.23.1 really made from the EDSR .pb fixture
 * (same commit and folder in nemo_public), the others a copy of their input's stand-in output. What is tested is the
 * command line gaugeNN builds, the calibration input list, the environment, and that the result is analysed.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const PB = fixture('snpe/nemo_public_EDSR_transpose_B4_F32_S4_final_240_426_3.pb');
const EDSR_DLC = fixture('snpe/nemo_public_EDSR_transpose_B4_F32_S4.dlc');
const V4_DLC = fixture('snpe/hsp-aidemo_det_500m_quantized.dlc');
const TFLITE = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');
const PROTO = fixture('caffe/mtcnn_det1.prototxt');
const CAFFEMODEL = fixture('caffe/mtcnn_det1.caffemodel');

function standinSdk(): { root: string; calls: string } {
  const root = mkdtempSync(join(tmpdir(), 'gaugenn-standin-qairt-'));
  const calls = join(root, 'calls');
  const bin = join(root, 'bin', 'x86_64-linux-clang');
  mkdirSync(calls);
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(root, 'lib', 'x86_64-linux-clang'), { recursive: true });
  mkdirSync(join(root, 'lib', 'python'), { recursive: true });
  const tool = (name: string, dlc: string, outFlag: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh
# STAND-IN for the SDK's ${name}, written by gaugeNN's tests; not Qualcomm's tool.
printf '%s\\n' "$@" > '${calls}/${name}.args'
echo "PYTHONPATH=$PYTHONPATH" > '${calls}/${name}.env'
out=''; list=''
while [ $# -gt 0 ]; do case "$1" in ${outFlag}) out="$2"; shift;; --input_list) list="$2"; shift;; esac; shift; done
[ -n "$list" ] && cp "$list" '${calls}/input_list.txt'
cp '${dlc}' "$out"
echo 'INFO_CONVERSION_SUCCESS: Conversion completed successfully'
`);
    chmodSync(join(bin, name), 0o755);
  };
  tool('snpe-tensorflow-to-dlc', EDSR_DLC, '--output_path');
  tool('snpe-tflite-to-dlc', V4_DLC, '--output_path');
  tool('snpe-caffe-to-dlc', V4_DLC, '--output_path');
  tool('snpe-onnx-to-dlc', V4_DLC, '--output_path');
  tool('snpe-dlc-quantize', V4_DLC, '--output_dlc');
  return { root, calls };
}
const args = (calls: string, tool: string) => readFileSync(join(calls, `${tool}.args`), 'utf8').split('\n').slice(0, -1);

describe('gaugenn convert --to dlc', () => {
  it.skipIf(missing(PB, EDSR_DLC, V4_DLC))('a TensorFlow graph: snpe-tensorflow-to-dlc with the input dims and output node; the DLC is analysed', async () => {
    const sdk = standinSdk();
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-convert-'));
    const out = join(cwd, 'edsr.dlc');
    const r = await gaugenn(['convert', PB, '--to', 'dlc', '--input-dim', 'input_1=1,240,426,3', '--out-node', 'conv2d_transpose/BiasAdd', '--out', out, '--json'], { cwd, env: { SNPE_ROOT: sdk.root } });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // The same arguments SNPE 1.23.1 recorded in that DLC's converter-command (input_dim, out_node).
    expect(args(sdk.calls, 'snpe-tensorflow-to-dlc')).toEqual(['--input_network', PB, '--input_dim', 'input_1', '1,240,426,3', '--out_node', 'conv2d_transpose/BiasAdd', '--output_path', out]);
    expect(readFileSync(join(sdk.calls, 'snpe-tensorflow-to-dlc.env'), 'utf8')).toMatch(new RegExp(`^PYTHONPATH=${join(sdk.root, 'lib', 'python')}`));
    expect(j).toMatchObject({ framework: 'tensorflow', converter: 'snpe-tensorflow-to-dlc', output: out, quantized: false, formatVersion: 'DLC v2, SNPE 1.23.1', layerCount: 21, macs: 8_813_905_920 });
    expect(j.commands[0][0]).toBe(join(sdk.root, 'bin', 'x86_64-linux-clang', 'snpe-tensorflow-to-dlc'));
  });

  it.skipIf(missing(TFLITE, V4_DLC))('a TFLite model with --quantize: converter, then snpe-dlc-quantize over the calibration raw files', async () => {
    const sdk = standinSdk();
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-convert-'));
    const calib = join(cwd, 'calib');
    mkdirSync(calib);
    for (const n of ['b.raw', 'a.raw', 'notes.txt']) writeFileSync(join(calib, n), Buffer.alloc(128 * 128 * 3 * 4));
    const r = await gaugenn(['convert', TFLITE, '--to', 'dlc', '--quantize', '--calibration', calib, '--out', join(cwd, 'm_q.dlc'), '--json'], { cwd, env: { QAIRT_SDK_ROOT: sdk.root, SNPE_ROOT: '' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(args(sdk.calls, 'snpe-tflite-to-dlc')).toEqual(['--input_network', TFLITE, '--output_path', join(cwd, 'm_q_float.dlc')]);
    const q = args(sdk.calls, 'snpe-dlc-quantize');
    expect(q).toEqual(['--input_dlc', join(cwd, 'm_q_float.dlc'), '--input_list', q[3], '--output_dlc', join(cwd, 'm_q.dlc')]);
    expect(readFileSync(join(sdk.calls, 'input_list.txt'), 'utf8')).toBe(`${join(calib, 'a.raw')}\n${join(calib, 'b.raw')}\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ framework: 'tflite', quantized: true, floatOutput: join(cwd, 'm_q_float.dlc') });
  });

  it.skipIf(missing(PROTO, CAFFEMODEL, V4_DLC))('a Caffe prototxt with its caffemodel: snpe-caffe-to-dlc --caffe_bin', async () => {
    const sdk = standinSdk();
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-convert-'));
    const r = await gaugenn(['convert', PROTO, '--weights', CAFFEMODEL, '--to', 'dlc', '--out', join(cwd, 'det1.dlc'), '--json'], { cwd, env: { SNPE_ROOT: sdk.root } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(args(sdk.calls, 'snpe-caffe-to-dlc')).toEqual(['--input_network', PROTO, '--caffe_bin', CAFFEMODEL, '--output_path', join(cwd, 'det1.dlc')]);
  });

  it.skipIf(missing(TFLITE))('without the SDK: SNPE_SDK_MISSING naming the setting, non-zero exit, one JSON document', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-convert-'));
    const r = await gaugenn(['convert', TFLITE, '--to', 'dlc', '--json'], { cwd, env: { SNPE_ROOT: '', QAIRT_SDK_ROOT: '' } });
    expect(r.exitCode).not.toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.error.code).toBe('SNPE_SDK_MISSING');
    expect(j.error.message).toMatch(/plugins\.snpe\.sdkRoot/);
    const q = await gaugenn(['convert', TFLITE, '--to', 'dlc', '--quantize'], { cwd, env: { SNPE_ROOT: '', QAIRT_SDK_ROOT: '' } });
    expect(q.exitCode).not.toBe(0);
    expect(q.stderr).toMatch(/SNPE/);
  });
});
