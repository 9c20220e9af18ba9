import type { NativeLibSignature } from '@gaugenn/core';

/** A catalogue entry; `kind` tells the native-library scanner a delegate from a runtime. */
type Signature = NativeLibSignature & { kind: 'framework' | 'delegate' };

/**
 * Native-library fingerprints of the ML runtimes gaugeNN detects but does not parse models of. Each entry
 * names the libraries the vendor's Android package ships, the public C/JNI entry points, and the C++
 * namespace (`_ZN<len><name>`), so both the vendor library and an app's own library that links the runtime
 * statically are recognised.
 */
const signatures: Signature[] = [
  {
    // Qualcomm AI Engine Direct (QNN): one library per backend (libQnnHtp.so, libQnnCpu.so, libQnnGpu.so,
    // libQnnDsp.so), libQnnSystem.so, HTP stubs/skels, and the QNN TFLite delegate; every backend exports
    // QnnInterface_getProviders.
    id: 'qnn.runtime',
    kind: 'framework',
    framework: 'qnn',
    names: ['^libQnn[A-Za-z0-9_]*\\.so$'],
    symbols: ['QnnInterface_getProviders', 'QnnSystemInterface_getProviders'],
  },
  {
    // ONNX Runtime (com.microsoft.onnxruntime:onnxruntime-android): the runtime and its Java binding.
    id: 'onnxruntime.runtime',
    kind: 'framework',
    framework: 'onnxruntime',
    names: ['^libonnxruntime(4j_jni)?\\.so$'],
    symbols: ['OrtGetApiBase', 'Java_ai_onnxruntime_', '_ZN11onnxruntime'],
    strings: ['N11onnxruntime'],
  },
  {
    // PyTorch Mobile (org.pytorch:pytorch_android(_lite), pytorch_android_torchvision) and LibTorch builds.
    // libfbjni.so is left out on purpose: React Native ships it too.
    id: 'pytorch.runtime',
    kind: 'framework',
    framework: 'pytorch',
    names: ['^libpytorch_jni(_lite)?\\.so$', '^libpytorch_vision_jni\\.so$', '^libtorch(_cpu|_global_deps)?\\.so$', '^libc10\\.so$'],
    symbols: ['_ZN5torch3jit', '_ZN3c10'],
  },
  {
    // ExecuTorch (org.pytorch:executorch-android): namespace executorch, formerly torch::executor.
    id: 'executorch.runtime',
    kind: 'framework',
    framework: 'executorch',
    names: ['^libexecutorch(_jni)?\\.so$'],
    symbols: ['_ZN10executorch', '_ZN5torch8executor'],
  },
  {
    // Alibaba MNN: libMNN.so and its backend/express libraries (libMNN_CL.so, libMNN_Vulkan.so, libMNN_Express.so, …).
    id: 'mnn.runtime',
    kind: 'framework',
    framework: 'mnn',
    names: ['^libMNN(_[A-Za-z0-9]+)?\\.so$'],
    symbols: ['_ZN3MNN'],
  },
  {
    // Paddle-Lite: the Java binding and the light/full C++ API libraries of the Android prebuilts.
    id: 'paddle-lite.runtime',
    kind: 'framework',
    framework: 'paddle-lite',
    names: ['^libpaddle_lite_jni\\.so$', '^libpaddle_light_api_shared\\.so$', '^libpaddle_full_api_shared\\.so$'],
    symbols: ['_ZN6paddle4lite', '_ZN6paddle8lite_api', 'Java_com_baidu_paddle_lite_'],
  },
  {
    // MediaPipe (legacy solutions and com.google.mediapipe:tasks-*; tasks-genai's LLM engine).
    // It embeds TFLite, which the TFLite signature reports as well.
    id: 'mediapipe.runtime',
    kind: 'framework',
    framework: 'mediapipe',
    names: ['^libmediapipe(_tasks_[a-z]+)?_jni\\.so$', '^libllm_inference_engine_jni\\.so$'],
    symbols: ['Java_com_google_mediapipe_', '_ZN9mediapipe'],
    strings: ['mediapipe/framework/'],
  },
  {
    // TensorFlow Mobile (the deprecated org.tensorflow:tensorflow-android) and TensorFlow for Java.
    id: 'tensorflow.runtime',
    kind: 'framework',
    framework: 'tensorflow',
    names: ['^libtensorflow_inference\\.so$', '^libtensorflow_jni\\.so$'],
    symbols: ['Java_org_tensorflow_contrib_android_', 'TF_NewSession', 'TF_SessionRun'],
  },
  {
    // OpenCV's DNN module: libopencv_dnn.so, or cv::dnn inside the monolithic libopencv_java4.so of the
    // OpenCV Android SDK (which includes dnn by default: the runtime is present, whether or not the app calls it).
    id: 'opencv-dnn.runtime',
    kind: 'framework',
    framework: 'opencv-dnn',
    names: ['^libopencv_dnn\\.so$'],
    symbols: ['_ZN2cv3dnn', 'Java_org_opencv_dnn_'],
  },
  {
    // Google ML Kit bundled models: text recognition (libmlkit_google_ocr_pipeline.so) and barcode scanning
    // (libbarhopper_v3.so). They run TFLite inside.
    id: 'mlkit.runtime',
    kind: 'framework',
    framework: 'mlkit',
    names: ['^libmlkit_google_ocr_pipeline\\.so$', '^libbarhopper_v3\\.so$'],
  },
  {
    // Android NNAPI used directly: calls into libneuralnetworks.so. It is evidence of the accelerator path, not
    // a runtime: a library that merely imports it gets no framework from it.
    id: 'nnapi.delegate',
    kind: 'delegate',
    framework: 'nnapi',
    symbols: ['ANeuralNetworksModel_create', 'ANeuralNetworksCompilation_create', 'ANeuralNetworksExecution_create'],
  },
  {
    // XNNPACK (google/XNNPACK), the CPU kernel library under TFLite, PyTorch, ONNX Runtime and MediaPipe.
    // Inside those runtimes it is their delegate; alone, it is XNNPACK.
    id: 'xnnpack.delegate',
    kind: 'delegate',
    framework: 'xnnpack',
    symbols: ['xnn_initialize', 'xnn_create_runtime'],
  },
];

/** Native-library fingerprints of this plugin's runtime(s). */
export const nativeLibSignatures: NativeLibSignature[] = signatures;
