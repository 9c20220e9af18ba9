/**
 * @gaugenn/plugin-android — Android apps and devices for gaugeNN: app metadata from `AndroidManifest.xml` (binary
 * AXML, or text as in AARs), DEX and native-library scanners during the extract stage; ADB devices (through one or
 * more adb servers, with @devicefarmer/adbkit) and DeviceFarmer STF reservations as `adb` / `stf` device kinds.
 */
import { definePlugin, type CodeSignature } from '@gaugenn/core';
import { manifestScanner } from './scan/manifest-scanner.js';
import { dexScanner } from './scan/dex-scanner.js';
import { nativeLibScanner } from './scan/native-lib-scanner.js';
import { markNativeLibUse } from './scan/native-lib-use.js';
import { cloudApiSignatures, codeSignatureSchema } from './cloud-apis.js';
import { registerAndroidSources } from './source/android-sources.js';
import { registerAndroZoo } from './source/androzoo/androzoo-source.js';
import { registerApkeep } from './source/apkeep-source.js';
import { registerAndroidEnergy } from './energy/register-energy.js';
import { AdbServers, resolveAdbSpec } from './device/adb-devices.js';
import { StfReservations, resolveStfSpec } from './stf/stf-devices.js';

export { readAppMeta } from './manifest/app-meta.js';
export { writeManifest } from './manifest/binary-xml-writer.js';
export type { ManifestSpec, WriteManifestOptions } from './manifest/binary-xml-writer.js';
export { parseBinaryXml, findAttribute, isBinaryXml } from './manifest/binary-xml-reader.js';
export type { BinaryXmlDocument, XmlAttribute, XmlElement, XmlValue } from './manifest/binary-xml-reader.js';
export { readTextManifest, isTextXml } from './manifest/text-manifest.js';
export { ANDROID_NS, ATTR_ID } from './manifest/axml-format.js';
export { manifestScanner };
export * from './energy/index.js';
export { selectFromList, type AndroZooFilter, type AndroZooRow } from './source/androzoo/list-reader.js';
export { fetchAndroZoo, androZooApps, redactKey, ANDROZOO_URL, ANDROZOO_MAX_CONCURRENCY } from './source/androzoo/androzoo-source.js';
export { AdbTransport, DEVICE_ROOT, CACHE_ROOT } from './device/adb-transport.js';
export { openAdbDevice, waitForDevice } from './device/adb-device.js';
export type { AdbDevice, AdbDeviceOptions } from './device/adb-device.js';
export { AdbServer, DEFAULT_SERVER, defaultServer } from './device/adb-server.js';
export { AdbServers, resolveAdbSpec } from './device/adb-devices.js';
export { adbSpecSchema, stfSpecSchema } from './device/device-spec.js';
export type { AdbSpec, StfSpec } from './device/device-spec.js';
export { parseFacts, parseBattery, parseThermal, pickTemperature } from './device/device-facts.js';
export { quote, commandLine, shellPrefix } from './device/shell-quote.js';
export { StfApi } from './stf/stf-api.js';
export { StfReservations, resolveStfSpec } from './stf/stf-devices.js';

/** Options under `plugins.android` in the config. */
export interface AndroidPluginOptions {
  codeSignatures?: CodeSignature[];
  /** Start a local adb server when none answers, as the `adb` command does (default true). */
  startAdbServer?: boolean;
  /** The adb binary that starts it (default `adb` on PATH). */
  adbPath?: string;
}

/**
 * The Android plugin: the manifest, DEX and native-library scanners, the `android` source, and the `adb` and
 * `stf` device kinds (`devices: [{ kind: adb, serial?, server? }]`, `[{ kind: stf, url, token, serials? }]`).
 */
export default definePlugin({
  name: 'android',
  configSchema: {
    type: 'object',
    properties: {
      // Extends the code evidence catalogue from config (e.g. a cloud API the catalogue lacks).
      codeSignatures: { type: 'array', items: codeSignatureSchema },
      startAdbServer: { type: 'boolean' },
      adbPath: { type: 'string', minLength: 1 },
    },
    additionalProperties: false,
  },
  apply(gauge, options: AndroidPluginOptions) {
    gauge.addScanner(manifestScanner);
    gauge.addScanner(dexScanner(gauge));
    gauge.addScanner(nativeLibScanner(gauge));
    gauge.addCodeSignatures(cloudApiSignatures);
    gauge.addCodeSignatures(options?.codeSignatures ?? []);
    registerAndroidSources(gauge);
    registerAndroZoo(gauge);
    registerApkeep(gauge);
    registerAndroidEnergy(gauge);
    const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => gauge.log(level, message);
    const servers = new AdbServers({ startServer: options?.startAdbServer, adbPath: options?.adbPath, log });
    const reservations = new StfReservations();
    gauge.hooks.device.for('adb').tapPromise('android', (spec) => resolveAdbSpec(spec, servers, log));
    gauge.hooks.device.for('stf').tapPromise('android', (spec) => resolveStfSpec(spec, servers, reservations, log));
    // After the whole app is walked: which native libraries the app's own code loads.
    gauge.hooks.extract.tap('android', (app) => markNativeLibUse(app));
  },
});
export { AdbDeviceSimulator, SM8450_PHONE, SM7125_PHONE, SIM_PROFILES } from './simulator/index.js';
export type { AdbSimulatorOptions, SimBatteryUpdate, SimCurrentProfile, SimThermalProfile, SimToolCall, SimReplay, SimCommand, SimDeviceProfile, SimCpuCluster, SimThermalZone, SimBattery } from './simulator/index.js';
