import type { NativeLibSignature } from '@gaugenn/core';

/**
 * Native-library fingerprints of ncnn (Tencent/ncnn). Apps ship it as `libncnn.so` or link it statically into
 * their own JNI library, so the `ncnn::` namespace (`_ZN4ncnn`, `ncnn::Net` first) and the loader's own error
 * messages (net.cpp) identify it either way.
 */
export const nativeLibSignatures: NativeLibSignature[] = [
  {
    id: 'ncnn.runtime',
    framework: 'ncnn',
    names: ['^libncnn\\.so$'],
    symbols: ['_ZN4ncnn3Net', '_ZN4ncnn'],
    strings: ['param is too old, please regenerate', 'layer %s not exists or registered', 'N4ncnn5LayerE'],
  },
];
