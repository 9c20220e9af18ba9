import type { CodeSignature, Gauge, Scanner } from '@gaugenn/core';
import { DexCode } from '../dex/dex-code.js';
import { hasDexMagic } from '../dex/dex-file.js';
import { dexMalformed } from '../dex/malformed.js';
import { SignatureIndex } from '../dex/signature-index.js';

/**
 * `classes.dex`, `classes2.dex`, … at the root of the app or of a nested archive (`split.apk!/classes2.dex`,
 * `assets/plugin.jar!/classes.dex`): the code Android loads.
 */
const CLASSES_DEX = /(?:^|!\/)classes\d*\.dex$/;

/**
 * `*.dex` under `assets/`: code an app loads itself (DexClassLoader, plugin frameworks). Often encrypted by
 * packers, so one that is not a DEX is skipped quietly rather than reported as damage.
 */
const ASSET_DEX = /(?:^|!\/)assets\/.+\.dex$/;

/** Real DEX files stay under about 100 MB (64 Ki method refs per file); past this is not worth reading whole. */
const MAX_DEX_BYTES = 128 * 1024 * 1024;

/**
 * DEX scanner `android-dex`: reads the type, proto, field, method and class tables of each `classes*.dex` (and
 * `assets/**.dex`) and reports every entry of `gauge.codeSignatures` that the code references: framework APIs,
 * delegates, cloud ML APIs. One finding per signature id per DEX entry, whose `evidence` is the class or
 * `Class.method` that proves it. The catalogue is read at scan time, so plugins and config may extend it.
 * A malformed DEX becomes an `ARCHIVE_CORRUPT` error for that entry; the walk goes on.
 */
export function dexScanner(gauge: Gauge): Scanner {
  let compiled: { from: readonly CodeSignature[]; count: number; index: SignatureIndex } | undefined;
  const index = (): SignatureIndex => {
    const sigs = gauge.codeSignatures;
    // The catalogue only grows (addCodeSignatures appends), so its length tells whether to recompile.
    if (!compiled || compiled.from !== sigs || compiled.count !== sigs.length) {
      compiled = { from: sigs, count: sigs.length, index: new SignatureIndex(sigs) };
    }
    return compiled.index;
  };
  return {
    name: 'android-dex',
    maxBytes: MAX_DEX_BYTES,
    wants(path) {
      return path.endsWith('.dex') && (CLASSES_DEX.test(path) || ASSET_DEX.test(path));
    },
    scan(data, path, sink) {
      if (!hasDexMagic(data)) {
        if (CLASSES_DEX.test(path)) throw dexMalformed(path, 'it does not start with the DEX magic "dex\\n0NN\\0"');
        return;
      }
      const code = DexCode.read(data, path);
      for (const { signature: s, evidence } of index().match(code)) {
        sink.addFinding({ id: s.id, kind: s.kind, evidence, path, ...(s.framework ? { framework: s.framework } : {}) });
      }
    },
  };
}
