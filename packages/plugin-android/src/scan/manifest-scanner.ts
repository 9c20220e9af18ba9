import { GaugeError } from '@gaugenn/core';
import type { AppMeta, Scanner } from '@gaugenn/core';
import { readAppMeta } from '../manifest/app-meta.js';
import { findAttribute, isBinaryXml, parseBinaryXml } from '../manifest/binary-xml-reader.js';
import { isTextXml } from '../manifest/text-manifest.js';

/** The manifest is small: real ones are tens of KiB; anything past this is not a manifest worth reading whole. */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

/** The app's own manifest, or the manifest of an APK one level down (split sets: `base.apk!/…`, `splits/base-master.apk!/…`). */
const WANTED = /^(?:[^!]+\.apk!\/)?AndroidManifest\.xml$/;

/**
 * Scanner `android-manifest`: reads the app's `AndroidManifest.xml` (binary, or text as in an AAR) and reports
 * package, versions, SDK levels and label through `sink.setMeta`.
 *
 * Split APK sets (`.apks`, `.xapk`, `.apkm`, base + splits pulled with adb) hold one manifest per APK. Config
 * splits and asset packs declare a `split` attribute on `<manifest>`; the base does not. So manifests of APKs one
 * level down are read too, and those with a `split` attribute are skipped: only the base sets the app's meta.
 * The walker ranks what it is told by depth (a top-level manifest beats one in a nested APK), so an APK that
 * carries another APK in its assets still reports its own package.
 */
export const manifestScanner: Scanner = {
  name: 'android-manifest',
  maxBytes: MAX_MANIFEST_BYTES,
  wants(path) {
    return WANTED.test(path);
  },
  scan(data, path, sink) {
    let meta: AppMeta;
    try {
      if (path !== 'AndroidManifest.xml' && splitName(data) !== undefined) return;
      meta = readAppMeta(data);
    } catch (e) {
      throw GaugeError.from(e, 'MANIFEST_INVALID', { plugin: 'android', subject: path });
    }
    // Only defined fields, so a sink that merges never overwrites what it knows with undefined.
    const clean = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as AppMeta;
    sink.setMeta(clean);
  },
};

/** The `split` attribute of `<manifest>` (`config.arm64_v8a`, an asset pack's name), or undefined for a base APK. */
export function splitName(data: Uint8Array): string | undefined {
  if (isBinaryXml(data)) {
    const { root } = parseBinaryXml(data);
    const a = findAttribute(root, { name: 'split', ns: null }) ?? findAttribute(root, { name: 'split' });
    return a && typeof a.value === 'string' && a.value !== '' ? a.value : undefined;
  }
  if (isTextXml(data)) {
    const text = new TextDecoder('utf-8').decode(data.subarray(0, 64 * 1024)).replace(/<!--[\s\S]*?-->/g, '');
    const tag = /<manifest(\s[^>]*)?>/.exec(text)?.[1] ?? '';
    const m = /(?:^|\s)split\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
    const v = m ? (m[1] ?? m[2]) : undefined;
    return v ? v : undefined;
  }
  return undefined;
}
