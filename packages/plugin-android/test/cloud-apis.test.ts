/**
 * The cloud ML API catalogue, checked entry by entry against hand-made DEX files that reference each entry's
 * evidence the way an app calling the SDK would (a method id on the class), plus the catalogues of the other
 * plugins: well-formed, unique ids, and on-device APIs never counted as cloud.
 */
import { describe, expect, it } from 'vitest';
import { Gauge } from '@gaugenn/core';
import type { CodeFinding, CodeSignature, GaugeConfig, ScanSink } from '@gaugenn/core';
import tflitePlugin from '@gaugenn/plugin-tflite';
import formatsPlugin from '@gaugenn/plugin-formats';
import snpePlugin from '@gaugenn/plugin-snpe';
import androidPlugin from '../src/index.js';
import { Ajv } from 'ajv';
import { cloudApiSignatures, codeSignatureSchema } from '../src/cloud-apis.js';
import { SignatureIndex } from '../src/dex/signature-index.js';
import { dexScanner } from '../src/scan/dex-scanner.js';
import { APP_ACTIVITY, buildDex, desc } from './dex-builder.js';

async function appliedGauge(): Promise<Gauge> {
  const g = new Gauge({} as GaugeConfig);
  for (const p of [tflitePlugin, androidPlugin, formatsPlugin, snpePlugin]) await p.apply(g, {});
  return g;
}

async function findings(g: Gauge, dex: Buffer): Promise<CodeFinding[]> {
  const out: CodeFinding[] = [];
  const sink: ScanSink = { setMeta() {}, addFinding: (f) => out.push(f), addNativeLib() {}, addSuspect() {} };
  await dexScanner(g).scan(dex, 'classes.dex', sink);
  return out;
}

/** A DEX whose app code calls `method` on `javaClass` (a class under a package pattern gets a made-up name). */
function callingDex(javaClass: string, method = 'create'): Buffer {
  return buildDex({ classes: [APP_ACTIVITY], methods: [{ class: desc(javaClass), name: method }] });
}

/** The class and method an entry's first pattern stands for. */
function firstEvidence(sig: CodeSignature): { cls: string; method?: string; evidence: string } {
  const c = sig.classes?.[0];
  if (c) {
    const cls = c.endsWith('.*') ? c.slice(0, -1) + 'SomeClient' : c;
    return { cls, evidence: cls };
  }
  const m = sig.methods![0]!;
  const dot = m.lastIndexOf('.');
  return { cls: m.slice(0, dot), method: m.slice(dot + 1), evidence: m };
}

describe('cloud ML API catalogue', () => {
  it('is well formed: cloud kind, a service name, a cloud.* id, unique ids, patterns that can match', () => {
    expect(cloudApiSignatures.length).toBeGreaterThanOrEqual(30);
    const ids = cloudApiSignatures.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of cloudApiSignatures) {
      expect(s.kind, s.id).toBe('cloud');
      expect(s.id, s.id).toMatch(/^cloud\.[a-z]+\.[a-z0-9.-]+$|^cloud\.[a-z]+$/);
      expect(s.service, s.id).toBeTruthy();
      expect((s.classes?.length ?? 0) + (s.methods?.length ?? 0), s.id).toBeGreaterThan(0);
    }
    expect(new SignatureIndex(cloudApiSignatures).ignored).toEqual([]);
  });

  it('covers the services the study needs', () => {
    const services = cloudApiSignatures.map((s) => s.id).join(' ');
    for (const want of ['google.vision', 'google.speech', 'google.language', 'google.translate', 'firebase.mlvision', 'firebase.vertexai', 'google.gemini', 'google.vertexai', 'aws.rekognition', 'aws.polly', 'aws.transcribe', 'aws.comprehend', 'aws.translate', 'aws.textract', 'aws.lex', 'azure.speech', 'azure.projectoxford', 'azure.ai', 'ibm.watson', 'clarifai', 'baidu.ai', 'megvii.facepp', 'openai']) {
      expect(services).toContain(`cloud.${want}`);
    }
  });

  it('never claims an on-device API', () => {
    const onDevice = ['com.google.mlkit.', 'org.tensorflow.', 'com.google.mediapipe.', 'com.megvii.facepp.sdk.', 'com.google.android.gms.tflite.'];
    for (const s of cloudApiSignatures) for (const p of [...(s.classes ?? []), ...(s.methods ?? [])]) for (const bad of onDevice) expect(p.startsWith(bad), `${s.id}: ${p}`).toBe(false);
  });

  it.each(cloudApiSignatures.map((s) => [s.id, s] as const))('%s: a call into its SDK is found, with its evidence', async (id, sig) => {
    const g = await appliedGauge();
    const e = firstEvidence(sig);
    const got = await findings(g, callingDex(e.cls, e.method));
    expect(got.filter((f) => f.kind === 'cloud')).toEqual([{ id, kind: 'cloud', evidence: e.evidence, path: 'classes.dex', use: 'bundled' }]);
    expect(got.filter((f) => f.kind !== 'cloud')).toEqual([]);
  });

  it('Azure Speech counts only when bound to the cloud, not for embedded (on-device) speech', async () => {
    const g = await appliedGauge();
    const embedded = buildDex({ classes: [APP_ACTIVITY], methods: [{ class: desc('com.microsoft.cognitiveservices.speech.EmbeddedSpeechConfig'), name: 'fromPath' }, { class: desc('com.microsoft.cognitiveservices.speech.SpeechRecognizer'), name: 'recognizeOnceAsync' }] });
    expect(await findings(g, embedded)).toEqual([]);
  });

  it('ML Kit on-device is a framework, not a cloud API; Firebase ML cloud detectors are cloud', async () => {
    const g = await appliedGauge();
    const onDevice = buildDex({ classes: [APP_ACTIVITY], methods: [{ class: desc('com.google.mlkit.vision.text.TextRecognition'), name: 'getClient' }, { class: desc('com.google.mlkit.nl.translate.Translation'), name: 'getClient' }] });
    const got = await findings(g, onDevice);
    expect(got.map((f) => [f.id, f.kind, f.framework])).toEqual([
      ['mlkit.Vision', 'framework', 'mlkit'],
      ['mlkit.NaturalLanguage', 'framework', 'mlkit'],
    ]);
    const firebase = buildDex({ classes: [APP_ACTIVITY], methods: [{ class: desc('com.google.firebase.ml.vision.FirebaseVision'), name: 'getCloudTextRecognizer' }, { class: desc('com.google.firebase.ml.vision.FirebaseVision'), name: 'getOnDeviceTextRecognizer' }] });
    expect((await findings(g, firebase)).map((f) => [f.id, f.kind, f.evidence])).toEqual([
      ['cloud.firebase.mlvision', 'cloud', 'com.google.firebase.ml.vision.FirebaseVision.getCloudTextRecognizer'],
      ['mlkit.FirebaseOnDevice', 'framework', 'com.google.firebase.ml.vision.FirebaseVision.getOnDeviceTextRecognizer'],
    ]);
  });

  it("Megvii's on-device Face++ SDK is not its cloud API", async () => {
    const g = await appliedGauge();
    const got = await findings(g, callingDex('com.megvii.facepp.sdk.Facepp', 'init'));
    expect(got.map((f) => [f.id, f.kind])).toEqual([['megvii.FaceppSdk', 'framework']]);
  });

  it('config or another plugin can add a cloud API at any time before the scan', async () => {
    const g = await appliedGauge();
    const dex = callingDex('ai.example.cloud.VisionClient', 'annotate');
    expect(await findings(g, dex)).toEqual([]);
    g.addCodeSignatures([{ id: 'cloud.example.vision', kind: 'cloud', service: 'Example Vision', classes: ['ai.example.cloud.*'] }]);
    expect(await findings(g, dex)).toEqual([{ id: 'cloud.example.vision', kind: 'cloud', evidence: 'ai.example.cloud.VisionClient', path: 'classes.dex', use: 'bundled' }]);
  });
});

describe('the config schema for extra code signatures', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(codeSignatureSchema);
  it('accepts every catalogue entry gaugeNN ships', async () => {
    for (const s of (await appliedGauge()).codeSignatures) expect(validate(s), `${s.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });
  it.each([
    ['no kind', { id: 'cloud.x', classes: ['a.B'] }],
    ['an unknown kind', { id: 'cloud.x', kind: 'saas', classes: ['a.B'] }],
    ['a wildcard inside a class pattern', { id: 'cloud.x', kind: 'cloud', classes: ['a.*.B'] }],
    ['a method without a class', { id: 'cloud.x', kind: 'cloud', methods: ['predict'] }],
    ['an unknown field', { id: 'cloud.x', kind: 'cloud', strings: ['api.example.com'] }],
  ])('rejects %s', (_what, entry) => {
    expect(validate(entry)).toBe(false);
  });
});

describe('on-device catalogues of the framework plugins', () => {
  it('are well formed, with unique ids across plugins and no cloud entries', async () => {
    const g = await appliedGauge();
    const ids = g.codeSignatures.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new SignatureIndex(g.codeSignatures).ignored).toEqual([]);
    for (const s of g.codeSignatures) {
      if (s.id.startsWith('cloud.')) continue;
      expect(['framework', 'delegate'], s.id).toContain(s.kind);
      expect(s.framework, s.id).toBeTruthy();
    }
  });

  it.each([
    ['org.tensorflow.lite.HexagonDelegate', 'tflite.HexagonDelegate'],
    ['org.tensorflow.lite.experimental.HexagonDelegate', 'tflite.HexagonDelegate'],
    ['com.qualcomm.qti.QnnDelegate', 'tflite.QnnDelegate'],
    ['com.google.android.gms.tflite.java.TfLite', 'tflite.PlayServices'],
    ['org.tensorflow.lite.task.vision.detector.ObjectDetector', 'tflite.TaskLibrary'],
    ['ai.onnxruntime.OrtSession', 'onnxruntime.OrtSession'],
    ['org.pytorch.LiteModuleLoader', 'pytorch.Module'],
    ['org.pytorch.executorch.Module', 'executorch.Module'],
    ['com.qualcomm.qti.snpe.SNPE', 'snpe.NeuralNetwork'],
    ['com.taobao.android.mnn.MNNNetInstance', 'mnn.MNNNetInstance'],
    ['com.baidu.paddle.lite.PaddlePredictor', 'paddlelite.PaddlePredictor'],
    ['com.google.mediapipe.tasks.vision.handlandmarker.HandLandmarker', 'mediapipe.Tasks'],
    ['org.tensorflow.contrib.android.TensorFlowInferenceInterface', 'tensorflow.Mobile'],
  ])('%s → %s', async (cls, id) => {
    const got = await findings(await appliedGauge(), callingDex(cls));
    expect(got.map((f) => [f.id, f.evidence])).toEqual([[id, cls]]);
  });

  it('PyTorch Mobile and ExecuTorch stay apart', async () => {
    const got = await findings(await appliedGauge(), callingDex('org.pytorch.executorch.EValue', 'from'));
    expect(got.map((f) => f.id)).toEqual(['executorch.Module']);
  });
});
