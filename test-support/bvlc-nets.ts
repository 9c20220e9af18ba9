/**
 * BVLC's CaffeNet and GoogLeNet deploy nets (batch 10), written from their published layer definitions
 * (BVLC models/bvlc_reference_caffenet and models/bvlc_googlenet deploy.prototxt: the same layers, kernels,
 * strides, pads, groups and outputs). Published per-inference MACs: 724 M and 1.58 G.
 */
type Conv = { name: string; bottom: string; top?: string; out: number; k: number; s?: number; p?: number; g?: number };
const conv = (c: Conv) =>
  `layer { name: "${c.name}" type: "Convolution" bottom: "${c.bottom}" top: "${c.top ?? c.name}"
  convolution_param { num_output: ${c.out} kernel_size: ${c.k} stride: ${c.s ?? 1} pad: ${c.p ?? 0}${c.g ? ` group: ${c.g}` : ''} } }
layer { name: "relu_${c.name}" type: "ReLU" bottom: "${c.top ?? c.name}" top: "${c.top ?? c.name}" }\n`;
const pool = (name: string, bottom: string, k: number, s: number, p = 0, kind = 'MAX') =>
  `layer { name: "${name}" type: "Pooling" bottom: "${bottom}" top: "${name}" pooling_param { pool: ${kind} kernel_size: ${k} stride: ${s} pad: ${p} } }\n`;
const lrn = (name: string, bottom: string) =>
  `layer { name: "${name}" type: "LRN" bottom: "${bottom}" top: "${name}" lrn_param { local_size: 5 alpha: 0.0001 beta: 0.75 } }\n`;
const fc = (name: string, bottom: string, out: number, relu = true) =>
  `layer { name: "${name}" type: "InnerProduct" bottom: "${bottom}" top: "${name}" inner_product_param { num_output: ${out} } }\n` +
  (relu ? `layer { name: "relu_${name}" type: "ReLU" bottom: "${name}" top: "${name}" }\nlayer { name: "drop_${name}" type: "Dropout" bottom: "${name}" top: "${name}" dropout_param { dropout_ratio: 0.5 } }\n` : '');
const input = (h: number) => `layer { name: "data" type: "Input" top: "data" input_param { shape: { dim: 10 dim: 3 dim: ${h} dim: ${h} } } }\n`;

/** BVLC reference CaffeNet deploy: AlexNet with pooling before normalisation. */
export const caffenet =
  'name: "CaffeNet"\n' +
  input(227) +
  conv({ name: 'conv1', bottom: 'data', out: 96, k: 11, s: 4 }) +
  pool('pool1', 'conv1', 3, 2) +
  lrn('norm1', 'pool1') +
  conv({ name: 'conv2', bottom: 'norm1', out: 256, k: 5, p: 2, g: 2 }) +
  pool('pool2', 'conv2', 3, 2) +
  lrn('norm2', 'pool2') +
  conv({ name: 'conv3', bottom: 'norm2', out: 384, k: 3, p: 1 }) +
  conv({ name: 'conv4', bottom: 'conv3', out: 384, k: 3, p: 1, g: 2 }) +
  conv({ name: 'conv5', bottom: 'conv4', out: 256, k: 3, p: 1, g: 2 }) +
  pool('pool5', 'conv5', 3, 2) +
  fc('fc6', 'pool5', 4096) +
  fc('fc7', 'fc6', 4096) +
  fc('fc8', 'fc7', 1000, false) +
  'layer { name: "prob" type: "Softmax" bottom: "fc8" top: "prob" }\n';

/** One GoogLeNet inception module: 1×1 | 1×1→3×3 | 1×1→5×5 | 3×3 max pool→1×1, concatenated. */
function inception(n: string, bottom: string, [o1, r3, o3, r5, o5, pp]: number[]): string {
  const p = `inception_${n}`;
  return (
    conv({ name: `${p}/1x1`, bottom, out: o1!, k: 1 }) +
    conv({ name: `${p}/3x3_reduce`, bottom, out: r3!, k: 1 }) +
    conv({ name: `${p}/3x3`, bottom: `${p}/3x3_reduce`, out: o3!, k: 3, p: 1 }) +
    conv({ name: `${p}/5x5_reduce`, bottom, out: r5!, k: 1 }) +
    conv({ name: `${p}/5x5`, bottom: `${p}/5x5_reduce`, out: o5!, k: 5, p: 2 }) +
    pool(`${p}/pool`, bottom, 3, 1, 1) +
    conv({ name: `${p}/pool_proj`, bottom: `${p}/pool`, out: pp!, k: 1 }) +
    `layer { name: "${p}/output" type: "Concat" bottom: "${p}/1x1" bottom: "${p}/3x3" bottom: "${p}/5x5" bottom: "${p}/pool_proj" top: "${p}/output" }\n`
  );
}

/** BVLC GoogLeNet deploy (the inference path; the auxiliary classifiers are training-only and not in it). */
export const googlenet =
  'name: "GoogleNet"\n' +
  input(224) +
  conv({ name: 'conv1/7x7_s2', bottom: 'data', out: 64, k: 7, s: 2, p: 3 }) +
  pool('pool1/3x3_s2', 'conv1/7x7_s2', 3, 2) +
  lrn('pool1/norm1', 'pool1/3x3_s2') +
  conv({ name: 'conv2/3x3_reduce', bottom: 'pool1/norm1', out: 64, k: 1 }) +
  conv({ name: 'conv2/3x3', bottom: 'conv2/3x3_reduce', out: 192, k: 3, p: 1 }) +
  lrn('conv2/norm2', 'conv2/3x3') +
  pool('pool2/3x3_s2', 'conv2/norm2', 3, 2) +
  inception('3a', 'pool2/3x3_s2', [64, 96, 128, 16, 32, 32]) +
  inception('3b', 'inception_3a/output', [128, 128, 192, 32, 96, 64]) +
  pool('pool3/3x3_s2', 'inception_3b/output', 3, 2) +
  inception('4a', 'pool3/3x3_s2', [192, 96, 208, 16, 48, 64]) +
  inception('4b', 'inception_4a/output', [160, 112, 224, 24, 64, 64]) +
  inception('4c', 'inception_4b/output', [128, 128, 256, 24, 64, 64]) +
  inception('4d', 'inception_4c/output', [112, 144, 288, 32, 64, 64]) +
  inception('4e', 'inception_4d/output', [256, 160, 320, 32, 128, 128]) +
  pool('pool4/3x3_s2', 'inception_4e/output', 3, 2) +
  inception('5a', 'pool4/3x3_s2', [256, 160, 320, 32, 128, 128]) +
  inception('5b', 'inception_5a/output', [384, 192, 384, 48, 128, 128]) +
  pool('pool5/7x7_s1', 'inception_5b/output', 7, 1, 0, 'AVE') +
  fc('loss3/classifier', 'pool5/7x7_s1', 1000, false) +
  'layer { name: "prob" type: "Softmax" bottom: "loss3/classifier" top: "prob" }\n';

