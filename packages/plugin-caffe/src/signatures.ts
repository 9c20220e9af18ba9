/** Evidence catalogues this plugin contributes to the extract stage's scanners. */
export { codeSignatures } from './code-signatures.js';
export { nativeLibSignatures } from './native-lib-signatures.js';
