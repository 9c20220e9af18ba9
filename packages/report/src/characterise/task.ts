/**
 * Modality and task of a model, each with the evidence that decided it: pure functions of what the store holds
 * (input and output signatures, metadata, label files found beside the model). Rules are ordered from the most
 * direct evidence (the publisher's metadata, a label file) to shapes alone.
 */

/** A graph input or output as stored. */
export interface Signature {
  name: string;
  shape: number[];
  dtype: string;
}

/** A label file found in the same folder as the model. */
export interface LabelFile {
  path: string;
  count: number;
}

/** What a rule decided and why. */
export interface Verdict {
  value: string;
  evidence: string[];
}

const sig = (t: Signature) => `${t.name} ${t.shape.join('x')} ${t.dtype}`;

/** Spatial size (h, w) of an image-like 4-D tensor, NHWC or NCHW, else undefined. */
function spatial(s: number[]): [number, number, number] | undefined {
  if (s.length !== 4) return undefined;
  const [, a, b, c] = s as [number, number, number, number];
  if (c <= 4 && a >= 8 && b >= 8) return [a, b, c];
  if (a <= 4 && b >= 8 && c >= 8) return [b, c, a];
  return undefined;
}

/** Why the stored modality holds: the input signature and metadata that make it so. */
export function modalityEvidence(modality: string, inputs: Signature[], metadata: Record<string, unknown> = {}): Verdict {
  const ev: string[] = [];
  const first = inputs[0];
  const desc = typeof metadata['description'] === 'string' ? (metadata['description'] as string) : undefined;
  if (metadata['inputModality']) ev.push(`metadata states the input is ${String(metadata['inputModality'])}`);
  if (!first) return { value: modality, evidence: [...ev, 'the model declares no input'] };
  const s = first.shape;
  const sp = spatial(s);
  if (modality === 'image' && sp) ev.push(`input ${sig(first)}: ${sp[0]}×${sp[1]} pixels, ${sp[2]} channel(s)`);
  else if (modality === 'video') ev.push(`input ${sig(first)}: a stack of frames`);
  else if (modality === 'text') ev.push(`input ${sig(first)}: integer token ids`);
  else if (modality === 'audio') ev.push(`input ${sig(first)}: a long 1-D signal (waveform samples)`);
  else if (modality === 'sensor') ev.push(`input ${sig(first)}: a short window of a few channels (time series)`);
  else ev.push(`input ${sig(first)}: no rule recognises this shape`);
  if (inputs.length > 1) ev.push(`${inputs.length - 1} more input(s): ${inputs.slice(1).map(sig).join('; ')}`);
  if (desc) ev.push(`metadata description: "${desc.slice(0, 120)}"`);
  return { value: modality, evidence: ev };
}

const NAME_RULES: [RegExp, string][] = [
  [/box|regress|anchor|detect|bbox|loc(ation)?s?\b/i, 'detection'],
  [/segment|mask|matting|alpha/i, 'segmentation'],
  [/landmark|keypoint|mesh|pose|joint|iris|heatmap/i, 'landmarks'],
  [/ctc|ocr|char(acter)?s?\b|recogni[sz]ed_text/i, 'ocr'],
  [/embed|feature|descriptor|vector/i, 'embedding'],
  [/transcri|phoneme|speech|asr/i, 'speech'],
  [/prob|softmax|logits|classif|class|score|predictions/i, 'classification'],
];

/**
 * Task hint from what the model gives out. Order: TFLite-style metadata text, label files beside the model,
 * output names, then output shapes against the input.
 */
export function taskOf(modality: string, inputs: Signature[], outputs: Signature[], metadata: Record<string, unknown> = {}, labels: LabelFile[] = []): Verdict {
  const text = ['name', 'description', 'graphName', 'converter'].map((k) => metadata[k]).filter((v): v is string => typeof v === 'string').join(' ');
  const inSp = inputs[0] ? spatial(inputs[0].shape) : undefined;
  // Batch and open dimensions (1, -1) do not count: a [-1, 18] output is 18 values per input.
  const dims = (o: Signature) => o.shape.filter((d) => d !== 1 && d !== -1);
  // Flat: one dimension that counts, and it is the last ([1, 195], [1, 1, 1, 1404]); [1, 2304, 1] is per-anchor scores.
  const flat = outputs.filter((o) => dims(o).length === 1 && o.shape[o.shape.length - 1] === dims(o)[0]);
  const size = (o: Signature) => dims(o)[0] ?? 1;
  const maps = outputs.filter((o) => {
    const sp = spatial(o.shape);
    return inSp && sp && sp[0] === inSp[0] && sp[1] === inSp[1] && sp[2] <= 4 && !/heatmap/i.test(o.name);
  });
  // 1. An image out, larger than the image in with the same channels.
  for (const o of outputs) {
    const sp = spatial(o.shape);
    if (inSp && sp && sp[0] > inSp[0] && sp[1] > inSp[1] && sp[2] === inSp[2]) {
      return { value: 'super-resolution', evidence: [`output ${sig(o)} is ${sp[0] / inSp[0]}× the input's ${inSp[0]}×${inSp[1]} with the same channels`] };
    }
  }
  // 2. A label file beside the model whose size matches an output: a classifier (or a detector's classes).
  for (const l of labels) {
    const o = outputs.find((t) => t.shape.length >= 1 && t.shape[t.shape.length - 1] === l.count);
    if (o) {
      const boxes = outputs.some((t) => t.shape.length === 3 && t.shape[2] === 4);
      return { value: boxes ? 'detection' : 'classification', evidence: [`label file ${l.path} (${l.count} labels) matches output ${sig(o)}`, ...(boxes ? ['another output holds 4 box coordinates per anchor'] : [])] };
    }
  }
  // 3. What the publisher or converter named the model.
  for (const [re, task] of NAME_RULES) {
    if (re.test(text)) return { value: task, evidence: [`metadata says "${text.slice(0, 100)}"`] };
  }
  // 4. Anchor-based detectors: [1, N, 4+] regressors beside [1, N, k] scores.
  const anchors = outputs.filter((o) => o.shape.length === 3 && o.shape[1]! >= 100);
  if (anchors.length >= 2 && anchors.some((o) => o.shape[2]! >= 4)) {
    return { value: 'detection', evidence: [`outputs ${anchors.map(sig).join('; ')}: per-anchor boxes and scores`] };
  }
  // 5. Several outputs, one a flat run of coordinates (21 hand points × 3, 39 pose points × 5): landmarks.
  const coords = flat.find((o) => { const n = size(o); return n >= 15 && n < 5000 && n !== 1000 && n !== 1001 && (n % 3 === 0 || n % 2 === 0); });
  if (coords && outputs.length >= 2) {
    const n = size(coords);
    const per = n % 3 === 0 ? 3 : 2;
    return { value: 'landmarks', evidence: [`output ${sig(coords)}: ${n} values, a multiple of ${per} (point coordinates)`, ...maps.map((m) => `also a per-pixel map ${sig(m)}`)] };
  }
  // 6. A per-pixel map as large as the input image.
  if (maps.length) return { value: 'segmentation', evidence: [`output ${sig(maps[0]!)} is a per-pixel map of the input's ${inSp![0]}×${inSp![1]}`] };
  // 7. Dense detectors (MTCNN): a 4-channel box map beside a score map on the same grid.
  const grids = outputs.filter((o) => o.shape.length === 4);
  const box = grids.find((o) => o.shape[1] === 4 || o.shape[3] === 4);
  if (box && grids.some((o) => o !== box && o.shape.slice(2).join() === box.shape.slice(2).join())) {
    return { value: 'detection', evidence: [`output ${sig(box)} holds 4 box offsets per cell, beside a score map on the same grid`] };
  }
  // 8. Output names.
  for (const [re, task] of NAME_RULES) {
    const o = outputs.find((t) => re.test(t.name));
    if (o) return { value: task, evidence: [`output name ${sig(o)}`] };
  }
  if (modality === 'audio') return { value: 'speech', evidence: ['audio input (no output rule matched)'] };
  // 9. One flat output: a box, class scores or a feature vector.
  if (outputs.length === 1 && flat.length === 1) {
    const n = size(flat[0]!);
    if (n === 4) return { value: 'detection', evidence: [`single output ${sig(flat[0]!)}: one box (4 coordinates)`] };
    if (n === 1000 || n === 1001 || (n >= 2 && n < 64)) return { value: 'classification', evidence: [`single output ${sig(flat[0]!)}: one score per class`] };
    if (n >= 64 && n <= 4096) return { value: 'embedding', evidence: [`single output ${sig(flat[0]!)}: a feature vector`] };
  }
  return { value: 'unknown', evidence: [outputs.length ? `no rule matched outputs ${outputs.map(sig).join('; ')}` : 'the model declares no output'] };
}
