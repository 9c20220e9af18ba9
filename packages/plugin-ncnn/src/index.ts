import { definePlugin } from '@gaugenn/core';
import { codeSignatures, nativeLibSignatures } from './signatures.js';

export default definePlugin({
  name: 'ncnn',
  frameworks: [],
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  apply(gauge) {
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
  },
});
