import type { CodeSignature } from '@gaugenn/core';

/** Code evidence of Caffe models run on Android. */
export const codeSignatures: CodeSignature[] = [
  // sh1r0/caffe-android-lib: the Caffe port for Android and its JNI class.
  { id: 'caffe.CaffeAndroidLib', kind: 'framework', framework: 'caffe', service: 'caffe-android-lib', classes: ['com.sh1r0.caffe_android_lib.*'] },
  // OpenCV's Java API (org.opencv:opencv): the DNN module loading a Caffe model.
  {
    id: 'caffe.OpenCvDnn',
    kind: 'framework',
    framework: 'caffe',
    service: 'OpenCV DNN (Caffe importer)',
    methods: ['org.opencv.dnn.Dnn.readNetFromCaffe'],
  },
];
