import type { CodeSignature } from '@gaugenn/core';

/**
 * Code evidence of on-device ML runtimes that have no parser plugin of their own yet. Each entry names the
 * public Java/Kotlin API of the SDK in its comment. All run on the device: cloud APIs live in plugin-android's
 * cloud catalogue.
 */
export const codeSignatures: CodeSignature[] = [
  // com.microsoft.onnxruntime:onnxruntime-android / -mobile.
  { id: 'onnxruntime.OrtSession', kind: 'framework', framework: 'onnxruntime', service: 'ONNX Runtime', classes: ['ai.onnxruntime.OrtEnvironment', 'ai.onnxruntime.OrtSession', 'ai.onnxruntime.*'] },
  // SessionOptions.addNnapi / addQnn / addXnnpack: ONNX Runtime execution providers chosen by the app.
  { id: 'onnxruntime.NnapiEP', kind: 'delegate', framework: 'onnxruntime', service: 'ONNX Runtime NNAPI execution provider', methods: ['ai.onnxruntime.OrtSession$SessionOptions.addNnapi'] },
  { id: 'onnxruntime.QnnEP', kind: 'delegate', framework: 'onnxruntime', service: 'ONNX Runtime QNN execution provider', methods: ['ai.onnxruntime.OrtSession$SessionOptions.addQnn'] },
  { id: 'onnxruntime.XnnpackEP', kind: 'delegate', framework: 'onnxruntime', service: 'ONNX Runtime XNNPACK execution provider', methods: ['ai.onnxruntime.OrtSession$SessionOptions.addXnnpack'] },
  // org.pytorch:pytorch_android(_lite): PyTorch Mobile. Exact classes, so ExecuTorch (org.pytorch.executorch) stays apart.
  {
    id: 'pytorch.Module',
    kind: 'framework',
    framework: 'pytorch',
    service: 'PyTorch Mobile',
    classes: ['org.pytorch.Module', 'org.pytorch.LiteModuleLoader', 'org.pytorch.PyTorchAndroid', 'org.pytorch.IValue', 'org.pytorch.Tensor', 'org.pytorch.NativePeer', 'org.pytorch.LiteNativePeer'],
  },
  // org.pytorch:executorch-android.
  { id: 'executorch.Module', kind: 'framework', framework: 'executorch', service: 'ExecuTorch', classes: ['org.pytorch.executorch.*'] },
  // Alibaba MNN: the Java wrapper of MNN's Android demo (com.taobao.android.mnn), copied into apps.
  { id: 'mnn.MNNNetInstance', kind: 'framework', framework: 'mnn', service: 'Alibaba MNN', classes: ['com.taobao.android.mnn.MNNNetInstance', 'com.taobao.android.mnn.*', 'com.alibaba.android.mnn.*'] },
  // Paddle-Lite Java API (PaddlePredictor, MobileConfig) and FastDeploy's Android SDK.
  { id: 'paddlelite.PaddlePredictor', kind: 'framework', framework: 'paddle-lite', service: 'Paddle Lite', classes: ['com.baidu.paddle.lite.PaddlePredictor', 'com.baidu.paddle.lite.*', 'com.baidu.paddle.fastdeploy.*'] },
  // MindSpore Lite Java API (com.mindspore.lite: old LiteSession; com.mindspore.Model / config.MSContext: 1.6+).
  { id: 'mindspore.Lite', kind: 'framework', framework: 'mindspore-lite', service: 'MindSpore Lite', classes: ['com.mindspore.lite.*', 'com.mindspore.Model', 'com.mindspore.config.MSContext'] },
  // Tencent TNN Android demo wrapper.
  { id: 'tnn.TNNLib', kind: 'framework', framework: 'tnn', service: 'Tencent TNN', classes: ['com.tencent.tnn.*'] },
  // com.google.mediapipe:tasks-vision / -text / -audio / -genai (Tasks API) and the legacy solutions/framework.
  { id: 'mediapipe.Tasks', kind: 'framework', framework: 'mediapipe', service: 'MediaPipe Tasks', classes: ['com.google.mediapipe.tasks.*'] },
  { id: 'mediapipe.Framework', kind: 'framework', framework: 'mediapipe', service: 'MediaPipe framework / solutions', classes: ['com.google.mediapipe.framework.*', 'com.google.mediapipe.solutions.*', 'com.google.mediapipe.solutioncore.*'] },
  // ML Kit on-device APIs (com.google.mlkit:*): vision and natural language run on the device, not in a cloud.
  { id: 'mlkit.Vision', kind: 'framework', framework: 'mlkit', service: 'ML Kit on-device vision', classes: ['com.google.mlkit.vision.*'] },
  { id: 'mlkit.NaturalLanguage', kind: 'framework', framework: 'mlkit', service: 'ML Kit on-device natural language', classes: ['com.google.mlkit.nl.*'] },
  // ML Kit GenAI APIs: Gemini Nano on the device through AICore.
  { id: 'mlkit.GenAI', kind: 'framework', framework: 'mlkit', service: 'ML Kit GenAI (Gemini Nano)', classes: ['com.google.mlkit.genai.*', 'com.google.ai.edge.aicore.*'] },
  // ML Kit for Firebase (firebase-ml-vision), on-device detectors only: its cloud detectors are in the cloud catalogue.
  {
    id: 'mlkit.FirebaseOnDevice',
    kind: 'framework',
    framework: 'mlkit',
    service: 'ML Kit for Firebase on-device',
    methods: [
      'com.google.firebase.ml.vision.FirebaseVision.getOnDeviceTextRecognizer',
      'com.google.firebase.ml.vision.FirebaseVision.getOnDeviceImageLabeler',
      'com.google.firebase.ml.vision.FirebaseVision.getVisionFaceDetector',
      'com.google.firebase.ml.vision.FirebaseVision.getVisionBarcodeDetector',
      'com.google.firebase.ml.vision.FirebaseVision.getOnDeviceObjectDetector',
      'com.google.firebase.ml.vision.FirebaseVision.getOnDeviceAutoMLImageLabeler',
    ],
    classes: ['com.google.firebase.ml.naturallanguage.*'],
  },
  // TensorFlow Mobile (org.tensorflow:tensorflow-android), the pre-TFLite runtime.
  {
    id: 'tensorflow.Mobile',
    kind: 'framework',
    framework: 'tensorflow',
    service: 'TensorFlow Mobile',
    classes: ['org.tensorflow.contrib.android.TensorFlowInferenceInterface', 'org.tensorflow.Session', 'org.tensorflow.Graph'],
  },
  // OpenCV's Java DNN module (org.opencv:opencv) running a network of any importer.
  { id: 'opencv.Dnn', kind: 'framework', framework: 'opencv-dnn', service: 'OpenCV DNN', classes: ['org.opencv.dnn.Net', 'org.opencv.dnn.Dnn'] },
  // Megvii Face++ mobile SDK: on-device face detection and landmarks (its cloud API is in the cloud catalogue).
  { id: 'megvii.FaceppSdk', kind: 'framework', framework: 'megvii-facepp', service: 'Megvii Face++ on-device SDK', classes: ['com.megvii.facepp.sdk.*'] },
];
