/**
 * A real-architecture Caffe model for the demo corpus: MTCNN's P-Net (the first stage of the face detector many
 * apps ship), written here as prototxt, with a caffemodel of deterministic pseudo-random weights.
 */
import { encodeCaffemodel } from '../write/caffemodel-writer.js';
import { randomWeightsFor } from '../write/random-weights.js';
import { parsePrototxtGraph } from '../parse/parse-caffe.js';

/** Files of the demo model, ready to put in an app. */
export interface DemoCaffeModel {
  files: { name: string; data: Buffer }[];
  description: string;
}

const conv = (name: string, bottom: string, out: number, k: number) => `layer {
  name: "${name}" type: "Convolution" bottom: "${bottom}" top: "${name}"
  convolution_param { num_output: ${out} kernel_size: ${k} stride: 1 }
}`;
const prelu = (name: string, blob: string) => `layer { name: "${name}" type: "PReLU" bottom: "${blob}" top: "${blob}" }`;

/** The P-Net prototxt, input 1×3×48×48 (a fixed-size crop of the image pyramid). */
export const PNET_PROTOTXT = [
  'name: "PNet"',
  'input: "data"',
  'input_shape { dim: 1 dim: 3 dim: 48 dim: 48 }',
  conv('conv1', 'data', 10, 3),
  prelu('PReLU1', 'conv1'),
  'layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }',
  conv('conv2', 'pool1', 16, 3),
  prelu('PReLU2', 'conv2'),
  conv('conv3', 'conv2', 32, 3),
  prelu('PReLU3', 'conv3'),
  conv('conv4-1', 'conv3', 2, 1),
  conv('conv4-2', 'conv3', 4, 1),
  'layer { name: "prob1" type: "Softmax" bottom: "conv4-1" top: "prob1" }',
  '',
].join('\n');

/** Build the demo model: `pnet.prototxt` + `pnet.caffemodel` (same bytes on every run). */
export async function buildDemoCaffeModel(): Promise<DemoCaffeModel> {
  const graph = parsePrototxtGraph(PNET_PROTOTXT, 'pnet.prototxt');
  const caffemodel = encodeCaffemodel({ name: 'PNet', layers: randomWeightsFor(graph, 1234) });
  return {
    files: [
      { name: 'pnet.prototxt', data: Buffer.from(PNET_PROTOTXT, 'utf8') },
      { name: 'pnet.caffemodel', data: caffemodel },
    ],
    description: 'MTCNN P-Net face-detector stage (Caffe prototxt + caffemodel with deterministic pseudo-random weights)',
  };
}
