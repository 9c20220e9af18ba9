import type { NativeLibSignature } from '@gaugenn/core';

/** A catalogue entry; `kind` tells the native-library scanner a delegate from the runtime itself. */
type Signature = NativeLibSignature & { kind: 'framework' | 'delegate' };

/**
 * Native-library fingerprints of TensorFlow Lite / LiteRT and its delegates. Names are the libraries the
 * Maven artifacts ship (`org.tensorflow:tensorflow-lite*`, `com.google.ai.edge.litert:*`); symbols are the
 * C API (`tensorflow/lite/c/c_api.h`, the delegates' `*_delegate.h`), the JNI entry points of the Java API
 * and the `tflite::` C++ namespace; strings are source paths and RTTI names that statically linked copies
 * keep even when their symbols are hidden.
 */
const signatures: Signature[] = [
  {
    id: 'tflite.runtime',
    kind: 'framework',
    framework: 'tflite',
    // tensorflow-lite (jni), the C API library, Play services' client, the select-TF-ops (flex) runtime.
    names: ['^libtensorflowlite(_jni|_c|_jni_gms_client|_flex_jni|_flex)?\\.so$'],
    symbols: ['TfLiteInterpreterCreate', 'TfLiteModelCreate', 'TfLiteInterpreterInvoke', 'Java_org_tensorflow_lite_', '_ZN6tflite'],
    strings: ['tensorflow/lite/core/', 'N6tflite13ErrorReporterE'],
  },
  {
    // LiteRT-LM, the LLM engine over LiteRT (com.google.ai.edge.litertlm).
    id: 'tflite.litert-lm',
    kind: 'framework',
    framework: 'tflite',
    names: ['^liblitertlm_jni\\.so$'],
  },
  {
    id: 'tflite.gpu-delegate',
    kind: 'delegate',
    framework: 'tflite',
    // tensorflow-lite-gpu ships libtensorflowlite_gpu_jni.so; Bazel builds name the delegate itself _gpu_delegate / _gpu_gl.
    names: ['^libtensorflowlite_gpu(_jni|_delegate|_gl)?\\.so$'],
    symbols: ['TfLiteGpuDelegateV2Create', 'Java_org_tensorflow_lite_gpu_', '_ZN6tflite3gpu'],
    strings: ['tensorflow/lite/delegates/gpu/'],
  },
  {
    id: 'tflite.hexagon-delegate',
    kind: 'delegate',
    framework: 'tflite',
    // tensorflow-lite-hexagon: the JNI delegate, Qualcomm's interface library and the DSP-side skeletons (v60/v65/v66).
    names: ['^libtensorflowlite_hexagon_jni\\.so$', '^libhexagon_interface\\.so$', '^libhexagon_nn_skel(_v\\d+)?\\.so$'],
    symbols: ['TfLiteHexagonDelegateCreate', 'TfLiteHexagonInit', 'Java_org_tensorflow_lite_HexagonDelegate_'],
    strings: ['tensorflow/lite/delegates/hexagon/'],
  },
  {
    id: 'tflite.nnapi-delegate',
    kind: 'delegate',
    framework: 'tflite',
    // The NNAPI delegate is built into the runtime; it loads libneuralnetworks.so with dlopen, so its traces are
    // the Java binding's JNI entry points and the delegate's own source path.
    symbols: ['Java_org_tensorflow_lite_nnapi_NnApiDelegate_'],
    strings: ['tensorflow/lite/delegates/nnapi/'],
  },
  {
    id: 'tflite.xnnpack-delegate',
    kind: 'delegate',
    framework: 'tflite',
    symbols: ['TfLiteXNNPackDelegateCreate'],
    strings: ['tensorflow/lite/delegates/xnnpack/'],
  },
];

/** Native-library fingerprints of this plugin's runtime(s). */
export const nativeLibSignatures: NativeLibSignature[] = signatures;
