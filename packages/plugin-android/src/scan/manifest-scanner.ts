import { GaugeError } from '@gaugenn/core';
import type { AppMeta, Scanner } from '@gaugenn/core';
import { readAppMeta } from '../manifest/app-meta.js';

/** The manifest is small: real ones are tens of KiB; anything past this is not a manifest worth reading whole. */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/**
 * Scanner `android-manifest`: reads the app's top-level `AndroidManifest.xml` (binary, or text as in an AAR)
 * and reports package, versions, SDK levels and label through `sink.setMeta`.
 *
 * Only the top-level entry is wanted. Manifests of nested archives (`x.apk!/AndroidManifest.xml`) are not read:
 * for a split set the base APK's manifest would be the right one, but telling the base from a split needs the
 * source to say which file is the base, so that is left for when split sources land.
 */
export const manifestScanner: Scanner = {
  name: 'android-manifest',
  maxBytes: MAX_MANIFEST_BYTES,
  wants(path) {
    return path === 'AndroidManifest.xml';
  },
  scan(data, path, sink) {
    let meta: AppMeta;
    try {
      meta = readAppMeta(data);
    } catch (e) {
      throw GaugeError.from(e, 'MANIFEST_INVALID', { plugin: 'android', subject: path });
    }
    // Only defined fields, so a sink that merges never overwrites what it knows with undefined.
    const clean = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as AppMeta;
    sink.setMeta(clean);
  },
};
