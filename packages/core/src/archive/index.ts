/**
 * Archive reading and writing, and the walker that turns an app into an ExtractedApp.
 * Core's public API re-exports this module.
 */
export { type ByteSource, FileByteSource, SubByteSource, BufferByteSource } from './byte-source.js';
export { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS, resolveLimits, ByteBudget } from './limits.js';
export { unsafeEntryName, decodeCp437 } from './entry-name.js';
export { zipLocalHeaders, storedBytes, type ZipLocalHeader } from './local-headers.js';
export {
  ZipReader,
  findEocd,
  ZIP_METHOD,
  type ZipEntry,
  type ZipReaderOptions,
  type ZipReadOptions,
  type ApkSigningBlockInfo,
} from './zip-reader.js';
export {
  ZipWriter,
  buildZip,
  writeZip,
  generatedData,
  type ZipWriteEntry,
  type ZipStreamEntry,
  type ZipWriteOptions,
} from './zip-writer.js';
export { extractApp, DEFAULT_SCAN_MAX_BYTES, NESTED_SEPARATOR, type ExtractOptions } from '../extract/walker.js';
export { cacheBlob, type CachedBlob } from '../extract/model-cache.js';
export { cacheBytes, uncacheBlob } from '../extract/model-cache.js';
export { WindowLocator, DEFAULT_LOCATE_OPTIONS, type LocateOptions, type FoundModel } from '../extract/locate-window.js';
export { KNOWN_MAGIC, knownMagic, type KnownMagic } from '../extract/known-magic.js';
export { SUSPECT_RULES, shannonEntropy, encryptedSuspect } from '../extract/encrypted-suspect.js';
