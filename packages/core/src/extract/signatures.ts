/**
 * Catalogues of evidence that scanners look for. Core only keeps the lists: each plugin contributes what it knows
 * (plugin-tflite the TFLite classes and libraries, plugin-android the cloud ML APIs, …) and config can add more,
 * so no scanner hard-codes a framework.
 */

/** Evidence in app code (DEX) that an app uses an API. */
export interface CodeSignature {
  /** Stable id, e.g. `tflite.GpuDelegate`, `cloud.google.vision`. */
  id: string;
  kind: 'framework' | 'delegate' | 'cloud' | 'other';
  /** Framework it belongs to (`tflite`, `ncnn`, …), where it belongs to one. */
  framework?: string;
  /** Human name of the service or API (`Google Cloud Vision`). */
  service?: string;
  /**
   * Classes whose use proves it, in Java form (`org.tensorflow.lite.gpu.GpuDelegate`). A trailing `.*` matches a
   * whole package (`com.google.cloud.vision.v1.*`). A class counts only when code references it (type or method
   * references), never when its name merely appears in a string.
   */
  classes?: string[];
  /** Methods whose call proves it: `Class.method` (`com.clarifai.ClarifaiClient.predict`). */
  methods?: string[];
}

/** Evidence in a native library that it is (or embeds) an ML runtime. */
export interface NativeLibSignature {
  /** Stable id, e.g. `tflite.gpu-delegate`. */
  id: string;
  framework: string;
  /** Whether the library is the runtime itself or a delegate/accelerator for it. Default: framework. */
  kind?: 'framework' | 'delegate';
  /** Library file names (regular expressions, matched against the base name, e.g. `^libtensorflowlite(_jni)?\\.so$`). */
  names?: string[];
  /** Exported or imported dynamic symbols (prefix match) that prove it, e.g. `TfLiteInterpreterCreate`. */
  symbols?: string[];
  /** Strings in read-only data that prove it (exact substrings). */
  strings?: string[];
}
