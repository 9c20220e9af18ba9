/**
 * Encrypted or obfuscated model suspects: entries no sniffer claims, with no known file signature, whose first
 * bytes look random, and that sit where models sit or weigh what models weigh. Apps that encrypt their models
 * (to protect them, or to load them through their own native code) leave exactly this trace. A suspect is
 * reported with the rules that fired, and never counted as a model. No format knowledge here: only names,
 * sizes and byte statistics.
 */
import type { EncryptedSuspect } from './types.js';
import { knownMagic } from './known-magic.js';

/** The rules, as data. */
export const SUSPECT_RULES = {
  /** Bits per byte at or above which the head counts as random. */
  minEntropy: 7.5,
  /** Heads shorter than this say too little about their entropy. */
  minHeadBytes: 512,
  /** Size range of real mobile models. */
  modelSize: { min: 100 * 1024, max: 500 * 1024 * 1024 },
  /** Folders apps keep models in. */
  modelDirs: /(^|\/|!\/)(assets|res\/raw)\//,
  /** Names and extensions models go by. */
  modelName: /(model|net|weight|detect|face|landmark|classif|segment|recogn|ocr|pose|tflite|onnx|ncnn|caffe|mnn|paddle|dnn|neural|infer)/i,
  modelExt: /\.(tflite|lite|tfl|pb|pth|pt|ptl|onnx|ort|mnn|param|bin|nb|model|mdl|dat|enc|weights|caffemodel|prototxt|dlc|bmodel|rknn|om|tnnmodel|tnnproto|mlmodel|engine|plan|xmodel)$/i,
} as const;

/** Shannon entropy of `data` in bits per byte. */
export function shannonEntropy(data: Uint8Array): number {
  if (data.length === 0) return 0;
  const counts = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) counts[data[i]!]!++;
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / data.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** The suspect record for an unclaimed entry, or undefined when it does not look like a hidden model. */
export function encryptedSuspect(path: string, size: number, head: Uint8Array): EncryptedSuspect | undefined {
  const r = SUSPECT_RULES;
  if (head.length < Math.min(r.minHeadBytes, size) || size < 64) return undefined;
  if (knownMagic(head)) return undefined;
  const entropy = shannonEntropy(head);
  if (entropy < r.minEntropy) return undefined;
  const base = path.slice(path.lastIndexOf('/') + 1);
  const why: string[] = [];
  if (r.modelExt.test(base) || r.modelName.test(base)) why.push('named like a model, no known magic');
  if (r.modelDirs.test(path)) why.push('in a model folder (assets/ or res/raw/)');
  if (size >= r.modelSize.min && size <= r.modelSize.max) why.push(`model-like size (${size} bytes)`);
  if (why.length === 0) return undefined;
  why.push(`high entropy (${entropy.toFixed(2)} bits/byte)`);
  return { path, bytes: size, entropy: Math.round(entropy * 1000) / 1000, reason: why.join('; ') };
}
