import type { CodeSignature } from '@gaugenn/core';

/**
 * Code evidence of ncnn. ncnn has no Java API of its own: Android apps call it through a small JNI class they
 * write, and very many copy the wrapper classes of the official examples (github.com/nihui/ncnn-android-*)
 * verbatim, package and all. Those class names are the evidence here; apps with their own wrapper are found by
 * their native library instead.
 */
export const codeSignatures: CodeSignature[] = [
  {
    id: 'ncnn.ExampleBinding',
    kind: 'framework',
    framework: 'ncnn',
    service: 'ncnn JNI wrapper from the official Android examples',
    classes: [
      'com.tencent.squeezencnn.SqueezeNcnn', // ncnn-android-squeezenet
      'com.tencent.yolov5ncnn.YoloV5Ncnn', // ncnn-android-yolov5
      'com.tencent.yolov8ncnn.Yolov8Ncnn', // ncnn-android-yolov8
      'com.tencent.yolov8ncnn.YOLOv8Ncnn', // ncnn-android-yolov8, later releases
      'com.tencent.nanodetncnn.NanoDetNcnn', // ncnn-android-nanodet
      'com.tencent.scrfdncnn.SCRFDNcnn', // ncnn-android-scrfd
      'com.tencent.mobilenetssdncnn.MobilenetSSDNcnn', // ncnn-android-mobilenetssd
      'com.tencent.mobilenetssdncnn.YoloV3Ncnn', // ncnn-android-yolov3 (shares the package)
    ],
  },
];
