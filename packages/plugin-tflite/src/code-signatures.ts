import type { CodeSignature } from '@gaugenn/core';

/**
 * Code evidence (DEX classes and methods) of TensorFlow Lite / LiteRT and its delegates. Class names are the
 * public Java API of the Maven artifacts named in each comment; they survive R8 because the JNI side looks
 * them up by name (the artifacts ship keep rules).
 */
export const codeSignatures: CodeSignature[] = [
  // org.tensorflow:tensorflow-lite(-api) and com.google.ai.edge.litert:litert(-api): the Java interpreter.
  {
    id: 'tflite.Interpreter',
    kind: 'framework',
    framework: 'tflite',
    service: 'TensorFlow Lite Interpreter',
    classes: ['org.tensorflow.lite.Interpreter', 'org.tensorflow.lite.InterpreterApi', 'org.tensorflow.lite.NativeInterpreterWrapper'],
  },
  // com.google.ai.edge.litert:litert (LiteRT "Next" Kotlin API: CompiledModel, Accelerator).
  { id: 'tflite.LiteRT', kind: 'framework', framework: 'tflite', service: 'LiteRT CompiledModel API', classes: ['com.google.ai.edge.litert.*'] },
  // com.google.android.gms:play-services-tflite-java / -support / -gpu: TFLite in Google Play services.
  { id: 'tflite.PlayServices', kind: 'framework', framework: 'tflite', service: 'TensorFlow Lite in Google Play services', classes: ['com.google.android.gms.tflite.*'] },
  // org.tensorflow:tensorflow-lite-task-vision / -text / -audio: the Task Library.
  { id: 'tflite.TaskLibrary', kind: 'framework', framework: 'tflite', service: 'TensorFlow Lite Task Library', classes: ['org.tensorflow.lite.task.*'] },
  // org.tensorflow:tensorflow-lite-support (and -metadata): the Support Library.
  { id: 'tflite.SupportLibrary', kind: 'framework', framework: 'tflite', service: 'TensorFlow Lite Support Library', classes: ['org.tensorflow.lite.support.*'] },
  // com.google.firebase:firebase-ml-model-interpreter: ML Kit for Firebase custom models, which run on TFLite.
  {
    id: 'tflite.FirebaseModelInterpreter',
    kind: 'framework',
    framework: 'tflite',
    service: 'ML Kit for Firebase custom model (TFLite)',
    classes: ['com.google.firebase.ml.custom.FirebaseModelInterpreter'],
  },
  // org.tensorflow:tensorflow-lite-gpu (and -gpu-api / -gpu-delegate-plugin); Play services' GPU delegate.
  {
    id: 'tflite.GpuDelegate',
    kind: 'delegate',
    framework: 'tflite',
    service: 'TFLite GPU delegate',
    classes: ['org.tensorflow.lite.gpu.GpuDelegate', 'org.tensorflow.lite.gpu.GpuDelegateFactory', 'com.google.android.gms.tflite.gpu.GpuDelegate'],
  },
  // org.tensorflow:tensorflow-lite (the NNAPI delegate ships in the main artifact); Interpreter.Options.setUseNNAPI.
  {
    id: 'tflite.NnApiDelegate',
    kind: 'delegate',
    framework: 'tflite',
    service: 'TFLite NNAPI delegate',
    classes: ['org.tensorflow.lite.nnapi.NnApiDelegate'],
    methods: ['org.tensorflow.lite.Interpreter$Options.setUseNNAPI', 'org.tensorflow.lite.InterpreterApi$Options.setUseNNAPI'],
  },
  // org.tensorflow:tensorflow-lite-hexagon (HexagonDelegate lived in org.tensorflow.lite, earlier in .experimental).
  {
    id: 'tflite.HexagonDelegate',
    kind: 'delegate',
    framework: 'tflite',
    service: 'TFLite Hexagon delegate',
    classes: ['org.tensorflow.lite.HexagonDelegate', 'org.tensorflow.lite.experimental.HexagonDelegate'],
  },
  // Interpreter.Options.setUseXNNPACK: the XNNPACK CPU delegate chosen explicitly (it is on by default since 2.3).
  {
    id: 'tflite.XnnpackOptions',
    kind: 'delegate',
    framework: 'tflite',
    service: 'TFLite XNNPACK delegate option',
    methods: ['org.tensorflow.lite.Interpreter$Options.setUseXNNPACK', 'org.tensorflow.lite.InterpreterApi$Options.setUseXNNPACK'],
  },
  // org.tensorflow:tensorflow-lite-select-tf-ops: the Flex delegate (TensorFlow ops inside TFLite).
  { id: 'tflite.FlexDelegate', kind: 'delegate', framework: 'tflite', service: 'TFLite Flex (Select TF ops) delegate', classes: ['org.tensorflow.lite.flex.FlexDelegate'] },
  // Qualcomm AI Engine Direct (QNN) TFLite delegate AAR: com.qualcomm.qti.QnnDelegate.
  { id: 'tflite.QnnDelegate', kind: 'delegate', framework: 'tflite', service: 'Qualcomm QNN TFLite delegate', classes: ['com.qualcomm.qti.QnnDelegate'] },
];
