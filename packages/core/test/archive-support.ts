/** Shared helpers for the archive and extract tests. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sniffer } from '../src/extract/types.js';
import { fixture } from '../../../test-support/fixtures.js';

export const MODEL = fixture('tflite/mobilenet_v1_0.25_128_quant.tflite');

/** A private temp folder for one test. */
export const tmp = (tag: string): Promise<string> => mkdtemp(join(tmpdir(), `gaugenn-${tag}-`));

/**
 * A toy sniffer standing in for a framework sniffer (plugin-tflite's): TFLite flatbuffers carry the file
 * identifier `TFL3` at bytes 4..8. Core must find models without knowing any format, so tests use this.
 */
export const toyTfliteSniffer: Sniffer = {
  name: 'toy-tflite',
  sniff: ({ head }) =>
    head.length >= 8 && Buffer.from(head.subarray(4, 8)).toString('latin1') === 'TFL3' ? { framework: 'tflite', kind: 'model' } : undefined,
};

/**
 * A toy two-file format standing in for ncnn (`.param` graph + `.bin` weights): the graph starts with
 * `7767517`, the weights are claimed by name, both grouped by the path without extension.
 */
export const toyPairSniffer: Sniffer = {
  name: 'toy-pair',
  sniff: ({ path, head }) => {
    const group = path.replace(/\.[^./]*$/, '');
    if (Buffer.from(head.subarray(0, 7)).toString('latin1') === '7767517') return { framework: 'toypair', kind: 'model', role: 'graph', group };
    if (path.endsWith('.bin')) return { framework: 'toypair', kind: 'weights', role: 'weights', group };
    return undefined;
  },
};
