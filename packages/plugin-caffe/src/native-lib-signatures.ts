import type { NativeLibSignature } from '@gaugenn/core';

/**
 * Native-library fingerprints of BVLC Caffe on Android (`libcaffe.so`, and `libcaffe_jni.so` of the common
 * caffe-android-lib port). Statically linked copies keep the `caffe::` namespace and the embedded
 * `caffe.proto` descriptor: its serialized header (field 1 `caffe.proto`, field 2 package `caffe`) is exact,
 * so OpenCV's private copy (`opencv-caffe.proto`, package `opencv_caffe`) does not match it.
 */
export const nativeLibSignatures: NativeLibSignature[] = [
  {
    id: 'caffe.runtime',
    framework: 'caffe',
    names: ['^libcaffe(_jni)?\\.so$'],
    symbols: ['_ZN5caffe3Net', '_ZN5caffe'],
    strings: ['\n\u000bcaffe.proto\u0012\u0005caffe', 'N5caffe5LayerIfEE'],
  },
];
