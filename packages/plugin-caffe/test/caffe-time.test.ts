/**
 * `caffe time` output as real runs printed it. The lines are quoted from public issue threads:
 *  - per-layer lines: BVLC/caffe issue #7050 (https://github.com/BVLC/caffe/issues/7050), AlexNet on a GPU;
 *  - iteration lines with tab-separated per-layer lines: weiliu89/caffe issue #123 (SSD300 detection time);
 *  - the closing summary: NVIDIA/caffe issue #386 (https://github.com/NVIDIA/caffe/issues/386).
 */
import { describe, expect, it } from 'vitest';
import { parseCaffeTime } from '../src/index.js';

const BVLC_7050 = `I0312 15:29:30.427956  2367 caffe.cpp:406] Average time per layer:
I0312 15:29:30.427961  2367 caffe.cpp:409]       data   forward: 0.0018944 ms.
I0312 15:29:30.427969  2367 caffe.cpp:412]       data   backward: 0.0018848 ms.
I0312 15:29:30.427975  2367 caffe.cpp:409]      conv1   forward: 0.10807 ms.
I0312 15:29:30.427982  2367 caffe.cpp:412]      conv1   backward: 0.182646 ms.
I0312 15:29:30.427989  2367 caffe.cpp:409]      relu1   forward: 0.0140288 ms.
I0312 15:29:30.427994  2367 caffe.cpp:412]      relu1   backward: 0.0018432 ms.`;

const SSD_123 = `I1106 11:17:03.249493 31700 caffe.cpp:398] Iteration: 1 forward-backward time: 8281 ms.
I1106 11:17:11.043820 31700 caffe.cpp:398] Iteration: 2 forward-backward time: 7794 ms.
I1106 11:17:19.165422 31700 caffe.cpp:398] Iteration: 3 forward-backward time: 8121 ms.
I1106 11:18:16.014977 31700 caffe.cpp:401] Average time per layer: 
I1106 11:18:16.014982 31700 caffe.cpp:404]       data\tforward: 1.2343 ms.
I1106 11:18:16.014987 31700 caffe.cpp:407]       data\tbackward: 0.0008 ms.
I1106 11:18:16.014991 31700 caffe.cpp:404] data_data_0_split\tforward: 0.0015 ms.
I1106 11:18:16.014994 31700 caffe.cpp:407] data_data_0_split\tbackward: 0.001 ms.
I1106 11:18:16.014998 31700 caffe.cpp:404]    conv1_1\tforward: 385.633 ms.`;

const NVIDIA_386 = `I0808 10:10:09.394212 30966 caffe.cpp:409]      pool6\tforward: 0.0209395 ms.
I0808 10:10:09.394227 30966 caffe.cpp:412]      pool6\tbackward: 0.0022912 ms.
I0808 10:10:09.394263 30966 caffe.cpp:417] Average Forward pass: 90.6376 ms.
I0808 10:10:09.394282 30966 caffe.cpp:419] Average Backward pass: 141.318 ms.
I0808 10:10:09.394302 30966 caffe.cpp:421] Average Forward-Backward: 232.109 ms.
I0808 10:10:09.394321 30966 caffe.cpp:423] Total Time: 11605.5 ms.
I0808 10:10:09.394336 30966 caffe.cpp:424] *** Benchmark ends ***`;

describe('parseCaffeTime', () => {
  it('reads per-layer forward/backward averages (space-separated)', () => {
    const r = parseCaffeTime(BVLC_7050);
    expect(r.layers).toEqual([
      { name: 'data', forwardMs: 0.0018944, backwardMs: 0.0018848 },
      { name: 'conv1', forwardMs: 0.10807, backwardMs: 0.182646 },
      { name: 'relu1', forwardMs: 0.0140288, backwardMs: 0.0018432 },
    ]);
    expect(r.averageForwardMs).toBeUndefined();
  });

  it('reads iterations and tab-separated layer lines', () => {
    const r = parseCaffeTime(SSD_123);
    expect(r.iterationsMs).toEqual([8281, 7794, 8121]);
    expect(r.layers.map((l) => [l.name, l.forwardMs])).toEqual([['data', 1.2343], ['data_data_0_split', 0.0015], ['conv1_1', 385.633]]);
  });

  it('reads the summary (per-layer lines before "Average time per layer" are not layers)', () => {
    const r = parseCaffeTime(`I0808 10:10:09.394000 30966 caffe.cpp:406] Average time per layer:\n${NVIDIA_386}`);
    expect(r).toMatchObject({ averageForwardMs: 90.6376, averageBackwardMs: 141.318, averageForwardBackwardMs: 232.109, totalMs: 11605.5 });
    expect(r.layers).toEqual([{ name: 'pool6', forwardMs: 0.0209395, backwardMs: 0.0022912 }]);
    expect(parseCaffeTime(NVIDIA_386).layers).toEqual([]);
    expect(parseCaffeTime('garbage\n').averageForwardMs).toBeUndefined();
  });
});
