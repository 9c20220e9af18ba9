/** The DEX reader: id tables of `classes*.dex`, the classes and methods code references, signature matching. */
export { DexFile, hasDexMagic, type DexTable } from './dex-file.js';
export { DexCode } from './dex-code.js';
export { SignatureIndex, type SignatureMatch } from './signature-index.js';
export { descriptorToClassName, classNameToDescriptor } from './descriptor.js';
export { readMutf8, readUleb128 } from './mutf8.js';
export { dexMalformed } from './malformed.js';
