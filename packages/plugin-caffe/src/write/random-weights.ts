/** Random weights for a prototxt-only net, so a runtime that needs weights (OpenCV DNN, `caffe time`) can run it. */
import type { ModelGraph } from '@gaugenn/core';
import { seededFill, type LayerSpec } from './caffemodel-writer.js';

/**
 * Layers with the weight shapes the graph's layer parameters imply, filled with seeded pseudo-random values.
 * Only layers whose weights are not stored (bytes 0) are listed. BatchNorm statistics are kept positive so the
 * variance stays valid.
 */
export function randomWeightsFor(graph: ModelGraph, seed = 20240101): LayerSpec[] {
  const out: LayerSpec[] = [];
  graph.layers.forEach((l, li) => {
    if (l.weights.length === 0 || l.weights.some((w) => w.bytes > 0)) return;
    const positive = l.op === 'BatchNorm';
    out.push({
      name: l.name,
      type: l.op,
      blobs: l.weights.map((w, i) => {
        const base = seededFill(seed + li * 31 + i);
        return {
          shape: w.shape,
          fill: positive
            ? (off: number, v: Float32Array) => {
                base(off, v);
                for (let k = 0; k < v.length; k++) v[k] = Math.abs(v[k]!) + 0.5;
              }
            : base,
        };
      }),
    });
  });
  return out;
}
