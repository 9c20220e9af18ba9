/**
 * @gaugenn/plugin-snpe — Qualcomm SNPE / QAIRT DLC models for gaugeNN: a content sniffer for DLC containers, readers
 * of the DLC v2/v3/v4 records into the IR, a reader of the SDK's binary diagnostic log, parsers of the SDK tools'
 * console output, runners over `snpe-net-run` / `snpe-throughput-net-run` (Android over the device transport, and
 * x86-64 Linux hosts), and conversion of other models to DLC through the SDK's converters.
 */
import { definePlugin } from '@gaugenn/core';
import { parseDlcArtifact } from './parse/parse-dlc.js';
import { dlcSniffer } from './sniff/dlc-sniffer.js';
import { codeSignatures } from './signatures/code-signatures.js';
import { nativeLibSignatures } from './signatures/native-lib-signatures.js';

export { dlcSniffer, looksLikeDlcZip, looksLikeDlcMetadata, dlcRecordKind } from './sniff/dlc-sniffer.js';
export { parseDlcArtifact, parseDlcBytes, readDlcRecords } from './parse/parse-dlc.js';
export { readDlcMembers, MAX_RECORD_BYTES, type DlcMembers } from './parse/container.js';
export { parseDlcMetadata, releaseOf, sourceFrameworkOf, type DlcMetadata } from './parse/metadata.js';
export { recordHeader, type RecordHeader } from './parse/record-header.js';
export { buildGraph, formatVersionOf } from './parse/build-graph.js';
export { codeSignatures } from './signatures/code-signatures.js';
export { nativeLibSignatures } from './signatures/native-lib-signatures.js';
export type { DlcModel, DlcNode, DlcTensor, DlcWeight, DlcEncoding } from './parse/dlc-model.js';

/** Options under `plugins.snpe` in gaugenn.config. */
export interface SnpePluginOptions {
  /** Root of an unpacked SNPE / QAIRT SDK (`qairt/<version>`); else `SNPE_ROOT` or `QAIRT_SDK_ROOT`. */
  sdkRoot?: string;
}

export default definePlugin<SnpePluginOptions>({
  name: 'snpe',
  frameworks: ['snpe'],
  configSchema: {
    type: 'object',
    properties: { sdkRoot: { type: 'string' } },
    additionalProperties: false,
  },
  apply(gauge) {
    gauge.addSniffer(dlcSniffer);
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
    gauge.hooks.parse.for('snpe').tapPromise('snpe', (artifact) => parseDlcArtifact(artifact));
  },
});
export { readDiagLog, isDiagLog, DIAG_MAGIC, MAX_DIAG_BYTES, type DiagLog } from './diag/diag-log.js';
export { parseNetRunOutput, type NetRunOutput, type NetRunError } from './text/net-run-output.js';
export { parseDiagview, type DiagviewReport, type DiagviewLayer } from './text/diagview.js';
export { parsePlatformValidator, runtimeUsable, type PlatformValidatorReport, type RuntimeVerdict } from './text/platform-validator.js';
export { parseThroughputOutput, type ThroughputOutput } from './text/throughput-output.js';
