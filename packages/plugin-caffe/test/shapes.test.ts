/**
 * Shape inference and arithmetic on small hand-written prototxts. Each stands for a construct real apps' nets
 * use (SSD heads, depthwise MobileNet blocks, BN+Scale, legacy V1 nets); the expected figures are worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { GaugeError } from '@gaugenn/core';
import { parsePrototxtGraph } from '../src/index.js';

const net = (body: string, input = 'input: "data" input_shape { dim: 1 dim: 3 dim: 32 dim: 32 }') => parsePrototxtGraph(`name: "t"\n${input}\n${body}`);
const layer = (g: ReturnType<typeof net>, name: string) => g.layers.find((l) => l.name === name)!;

describe('convolution spellings', () => {
  it('pad_h/pad_w, kernel_h/kernel_w, stride_h/stride_w and dilation', () => {
    const g = net(`layer { name: "c" type: "Convolution" bottom: "data" top: "c"
      convolution_param { num_output: 8 kernel_h: 3 kernel_w: 5 pad_h: 1 pad_w: 2 stride_h: 2 stride_w: 1 bias_term: false } }
      layer { name: "d" type: "Convolution" bottom: "c" top: "d" convolution_param { num_output: 8 kernel_size: 3 dilation: 2 pad: 2 } }`);
    // H: (32+2-3)/2+1 = 16; W: (32+4-5)/1+1 = 32.
    expect(layer(g, 'c').outputShapes).toEqual([[1, 8, 16, 32]]);
    expect(layer(g, 'c').macs).toBe(8 * 16 * 32 * 3 * 15);
    expect(layer(g, 'c').params).toBe(8 * 3 * 15);
    // Dilation 2 widens the 3-tap kernel to 5: (16+4-5)+1 = 16.
    expect(layer(g, 'd').outputShapes).toEqual([[1, 8, 16, 32]]);
  });

  it('kernel_size given per axis as a repeated field', () => {
    const g = net('layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 1 kernel_size: 3 } }');
    expect(layer(g, 'c').outputShapes).toEqual([[1, 4, 32, 30]]);
  });

  it('depthwise (group = channels) is depthwise_conv; grouped deconvolution counts per input pixel', () => {
    const g = net(`layer { name: "dw" type: "Convolution" bottom: "data" top: "dw" convolution_param { num_output: 3 group: 3 kernel_size: 3 pad: 1 } }
      layer { name: "up" type: "Deconvolution" bottom: "dw" top: "up" convolution_param { num_output: 6 group: 3 kernel_size: 4 stride: 2 pad: 1 } }`);
    expect(layer(g, 'dw').category).toBe('depthwise_conv');
    expect(layer(g, 'dw').macs).toBe(3 * 32 * 32 * 9);
    // 2·(32-1) + 4 - 2 = 64; MACs = Cin·H·W·(Cout/g)·k² = 3·32·32·2·16.
    expect(layer(g, 'up').outputShapes).toEqual([[1, 6, 64, 64]]);
    expect(layer(g, 'up').category).toBe('transposed_conv');
    expect(layer(g, 'up').macs).toBe(3 * 32 * 32 * 2 * 16);
    expect(layer(g, 'up').weights[0]!.shape).toEqual([3, 2, 4, 4]);
  });
});

describe('pooling', () => {
  it('rounds up like Caffe, and drops a last window that would start in the padding', () => {
    const g = net(`layer { name: "p" type: "Pooling" bottom: "data" top: "p" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
      layer { name: "q" type: "Pooling" bottom: "data" top: "q" pooling_param { pool: AVE kernel_size: 2 stride: 2 pad: 1 } }
      layer { name: "g" type: "Pooling" bottom: "data" top: "g" pooling_param { pool: AVE global_pooling: true } }
      layer { name: "f" type: "Pooling" bottom: "data" top: "f" pooling_param { kernel_size: 3 stride: 2 round_mode: FLOOR } }`);
    expect(layer(g, 'p').outputShapes).toEqual([[1, 3, 16, 16]]); // ceil(29/2)+1 = 16
    expect(layer(g, 'q').outputShapes).toEqual([[1, 3, 17, 17]]); // ceil(32/2)+1 = 17; (17-1)·2 = 32 < 33 keeps it
    expect(layer(g, 'g').outputShapes).toEqual([[1, 3, 1, 1]]);
    expect(layer(g, 'f').outputShapes).toEqual([[1, 3, 15, 15]]);
    expect(layer(g, 'p').flops).toBe(3 * 16 * 16);
  });
});

describe('data movement and normalisation', () => {
  it('Concat, Slice, Eltwise, Flatten, Reshape, Permute, BatchNorm, Scale, PReLU, Dropout, Softmax, LRN', () => {
    const g = net(`
      layer { name: "s" type: "Slice" bottom: "data" top: "a" top: "b" slice_param { axis: 1 slice_point: 1 } }
      layer { name: "cat" type: "Concat" bottom: "b" bottom: "a" bottom: "data" top: "cat" }
      layer { name: "bn" type: "BatchNorm" bottom: "cat" top: "cat" }
      layer { name: "sc" type: "Scale" bottom: "cat" top: "cat" scale_param { bias_term: true } }
      layer { name: "pr" type: "PReLU" bottom: "cat" top: "cat" }
      layer { name: "lrn" type: "LRN" bottom: "cat" top: "lrn" lrn_param { local_size: 5 } }
      layer { name: "sum" type: "Eltwise" bottom: "cat" bottom: "lrn" top: "sum" eltwise_param { operation: SUM } }
      layer { name: "perm" type: "Permute" bottom: "sum" top: "perm" permute_param { order: 0 order: 2 order: 3 order: 1 } }
      layer { name: "fl" type: "Flatten" bottom: "perm" top: "fl" }
      layer { name: "rs" type: "Reshape" bottom: "fl" top: "rs" reshape_param { shape { dim: 0 dim: -1 dim: 6 } } }
      layer { name: "drop" type: "Dropout" bottom: "rs" top: "rs" }
      layer { name: "sm" type: "Softmax" bottom: "rs" top: "sm" softmax_param { axis: 2 } }`);
    expect(layer(g, 's').outputShapes).toEqual([[1, 1, 32, 32], [1, 2, 32, 32]]);
    expect(layer(g, 'cat').outputShapes).toEqual([[1, 6, 32, 32]]);
    expect(layer(g, 'bn').params).toBe(6 + 6 + 1);
    expect(layer(g, 'sc').params).toBe(12);
    expect(layer(g, 'pr').params).toBe(6);
    expect(layer(g, 'perm').outputShapes).toEqual([[1, 32, 32, 6]]);
    expect(layer(g, 'fl').outputShapes).toEqual([[1, 6144]]);
    expect(layer(g, 'rs').outputShapes).toEqual([[1, 1024, 6]]);
    expect(layer(g, 'sm').outputShapes).toEqual([[1, 1024, 6]]);
    expect(layer(g, 'drop').flops).toBe(0);
    expect(layer(g, 'bn').category).toBe('normalization');
    expect(g.outputs.map((o) => o.name)).toEqual(['sm']);
  });

  it('SSD head: Normalize, PriorBox, DetectionOutput', () => {
    const g = net(
      `layer { name: "norm" type: "Normalize" bottom: "data" top: "norm" norm_param { across_spatial: false channel_shared: false } }
       layer { name: "prior" type: "PriorBox" bottom: "norm" bottom: "image" top: "prior"
         prior_box_param { min_size: 30 max_size: 60 aspect_ratio: 2 aspect_ratio: 3 flip: true variance: 0.1 } }
       layer { name: "det" type: "DetectionOutput" bottom: "norm" bottom: "norm" bottom: "prior" top: "det"
         detection_output_param { num_classes: 21 nms_param { nms_threshold: 0.45 top_k: 400 } code_type: CENTER_SIZE keep_top_k: 200 } }`,
      'input: "data" input_shape { dim: 1 dim: 3 dim: 19 dim: 19 } input: "image" input_shape { dim: 1 dim: 3 dim: 300 dim: 300 }',
    );
    expect(layer(g, 'norm').params).toBe(3);
    // Ratios 1, 2, 1/2, 3, 1/3 × one min size + one max size = 6 priors per cell.
    expect(layer(g, 'prior').outputShapes).toEqual([[1, 2, 19 * 19 * 6 * 4]]);
    expect(layer(g, 'det').outputShapes).toEqual([[1, 1, -1, 7]]);
    expect(layer(g, 'det').attrs).toMatchObject({ numClasses: 21, keepTopK: 200 });
  });

  it('legacy V1 `layers` with enum types and input_dim', () => {
    const g = parsePrototxtGraph(`name: "old" input: "data" input_dim: 1 input_dim: 1 input_dim: 8 input_dim: 8
      layers { name: "conv" type: CONVOLUTION bottom: "data" top: "conv" blobs_lr: 1 convolution_param { num_output: 2 kernel_size: 3 } }
      layers { name: "relu" type: RELU bottom: "conv" top: "conv" }
      layers { name: "fc" type: INNER_PRODUCT bottom: "conv" top: "fc" inner_product_param { num_output: 3 } }`);
    expect(g.formatVersion).toBe('V1');
    expect(g.layers.map((l) => l.op)).toEqual(['Convolution', 'ReLU', 'InnerProduct']);
    expect(g.layers[0]!.macs).toBe(2 * 6 * 6 * 9);
    expect(g.layers[2]!.macs).toBe(72 * 3);
  });

  it('TRAIN-only layers are left out; unknown layer types are custom with a note', () => {
    const g = net(`layer { name: "t" type: "Dropout" bottom: "data" top: "data" include { phase: TRAIN } }
      layer { name: "x" type: "MyFancyOp" bottom: "data" top: "x" }
      layer { name: "y" type: "ReLU" bottom: "x" top: "y" }`);
    expect(g.layers.map((l) => l.name)).toEqual(['x', 'y']);
    expect(layer(g, 'x').category).toBe('custom');
    expect(layer(g, 'y').outputShapes).toEqual([[]]);
    expect(g.notes!.join(' ')).toMatch(/MyFancyOp/);
  });

  it('absurd dims are a MODEL_MALFORMED GaugeError, an absurd element count LIMIT_EXCEEDED', () => {
    expect(() => net('', 'input: "data" input_shape { dim: 1 dim: 3 dim: 99999999999 dim: 3 }')).toThrow(GaugeError);
    try {
      net('', 'input: "data" input_shape { dim: 100000 dim: 100000 dim: 100000 dim: 100000 }');
      expect.unreachable();
    } catch (e) {
      expect((e as GaugeError).code).toBe('LIMIT_EXCEEDED');
      expect((e as GaugeError).message).toMatch(/absurd/);
    }
  });
});
