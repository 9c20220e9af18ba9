/**
 * @gaugenn/plugin-android — Android apps for gaugeNN. This part reads app metadata from `AndroidManifest.xml`
 * (binary AXML, or text as in AARs) during the extract stage.
 */
import { definePlugin, type CodeSignature } from '@gaugenn/core';
import { manifestScanner } from './scan/manifest-scanner.js';
import { dexScanner } from './scan/dex-scanner.js';
import { nativeLibScanner } from './scan/native-lib-scanner.js';
import { markNativeLibUse } from './scan/native-lib-use.js';
import { cloudApiSignatures, codeSignatureSchema } from './cloud-apis.js';
import { registerAndroidSources } from './source/android-sources.js';

export { readAppMeta } from './manifest/app-meta.js';
export { writeManifest } from './manifest/binary-xml-writer.js';
export type { ManifestSpec, WriteManifestOptions } from './manifest/binary-xml-writer.js';
export { parseBinaryXml, findAttribute, isBinaryXml } from './manifest/binary-xml-reader.js';
export type { BinaryXmlDocument, XmlAttribute, XmlElement, XmlValue } from './manifest/binary-xml-reader.js';
export { readTextManifest, isTextXml } from './manifest/text-manifest.js';
export { ANDROID_NS, ATTR_ID } from './manifest/axml-format.js';
export { manifestScanner };

/** The Android plugin: registers the `android-manifest` scanner. It takes no options yet. */
export default definePlugin({
  name: 'android',
  // `codeSignatures` extends the code evidence catalogue from config (e.g. a cloud API the catalogue lacks).
  configSchema: { type: 'object', properties: { codeSignatures: { type: 'array', items: codeSignatureSchema } }, additionalProperties: false },
  apply(gauge, options: { codeSignatures?: CodeSignature[] }) {
    gauge.addScanner(manifestScanner);
    gauge.addScanner(dexScanner(gauge));
    gauge.addScanner(nativeLibScanner(gauge));
    gauge.addCodeSignatures(cloudApiSignatures);
    gauge.addCodeSignatures(options?.codeSignatures ?? []);
    registerAndroidSources(gauge);
    // After the whole app is walked: which native libraries the app's own code loads.
    gauge.hooks.extract.tap('android', (app) => markNativeLibUse(app));
  },
});
