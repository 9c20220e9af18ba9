import type { CodeSignature } from '@gaugenn/core';

/** Code evidence of SNPE in an app: the Java API of the SDK's Android AAR (`snpe-release.aar`) and its platform validator. */
export const codeSignatures: CodeSignature[] = [
  { id: 'snpe.NeuralNetwork', kind: 'framework', framework: 'snpe', service: 'Qualcomm SNPE', classes: ['com.qualcomm.qti.snpe.SNPE', 'com.qualcomm.qti.snpe.NeuralNetwork', 'com.qualcomm.qti.snpe.*'] },
  { id: 'snpe.PlatformValidator', kind: 'framework', framework: 'snpe', service: 'Qualcomm SNPE platform validator', classes: ['com.qualcomm.qti.platformvalidator.*'] },
];
