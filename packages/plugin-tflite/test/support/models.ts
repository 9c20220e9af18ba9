/** Where the TFLite test models are: shared fixtures and the `.tflite` files the @mediapipe npm packages ship. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, packageDir } from '../../../../test-support/fixtures.js';

export const tfliteFixture = (name: string) => fixture(`tflite/${name}.tflite`);

export const FIXTURE_NAMES = [
  'mobilenet_v1_0.25_128_quant',
  'mobilenet_v1_0.5_160_quant',
  'mobilenet_v2_1.0_224_quant',
  'deeplabv3_mnv2_dm05_pascal_quant',
  'keras_lstm_mnist_ptq',
  'split_concat',
  'mobilenet_v1_0.25_128_quant_edgetpu',
  'model_invoking_error',
];

/** Every model in the shared tflite fixtures folder, or the known list (so absent ones skip by name). */
export function fixtureNames(): string[] {
  const dir = fixture('tflite');
  if (!existsSync(dir)) return FIXTURE_NAMES;
  const found = readdirSync(dir).filter((f) => f.endsWith('.tflite')).map((f) => f.slice(0, -'.tflite'.length));
  return [...new Set([...FIXTURE_NAMES, ...found])].sort();
}

export const MEDIAPIPE_PACKAGES = [
  '@mediapipe/face_detection',
  '@mediapipe/hands',
  '@mediapipe/pose',
  '@mediapipe/holistic',
  '@mediapipe/selfie_segmentation',
  '@mediapipe/objectron',
  '@mediapipe/face_mesh',
];

/** Every `.tflite` file in the installed @mediapipe packages (absolute paths). */
export function mediapipeModels(): string[] {
  const out: string[] = [];
  for (const name of MEDIAPIPE_PACKAGES) {
    const dir = packageDir(name);
    if (!dir) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.tflite')) out.push(join(dir, f));
  }
  return out.sort();
}
