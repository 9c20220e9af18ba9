/**
 * @gaugenn/plugin-snpe — Qualcomm SNPE / QAIRT DLC models for gaugeNN: a content sniffer for DLC containers, readers
 * of the DLC v2/v3/v4 records into the IR, a reader of the SDK's binary diagnostic log, parsers of the SDK tools'
 * console output, runners over `snpe-net-run` / `snpe-throughput-net-run` (Android over the device transport, and
 * x86-64 Linux hosts), and conversion of other models to DLC through the SDK's converters.
 */
import { definePlugin } from '@gaugenn/core';
import { parseDlcArtifact } from './parse/parse-dlc.js';
import { PERF_PROFILES, PROFILING_LEVELS } from './runner/command.js';
import { SnpeRunner, type SnpeRunnerOptions } from './runner/snpe-runner.js';
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

/** Options under `plugins.snpe` in gaugenn.config (see {@link SnpeRunnerOptions} for each). */
export type SnpePluginOptions = Omit<SnpeRunnerOptions, 'env'>;

export default definePlugin<SnpePluginOptions>({
  name: 'snpe',
  frameworks: ['snpe'],
  configSchema: {
    type: 'object',
    properties: {
      sdkRoot: { type: 'string', description: 'Root of an unpacked SNPE / QAIRT SDK (qairt/<version>); else SNPE_ROOT or QAIRT_SDK_ROOT' },
      perfProfile: { type: 'string', enum: [...PERF_PROFILES] },
      profilingLevel: { type: 'string', enum: [...PROFILING_LEVELS] },
      tool: { type: 'string', enum: ['net-run', 'throughput'] },
      durationS: { type: 'number', exclusiveMinimum: 0 },
      cpuFallback: { type: 'boolean' },
      platformValidator: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  apply(gauge, options) {
    gauge.addSniffer(dlcSniffer);
    gauge.addCodeSignatures(codeSignatures);
    gauge.addNativeLibSignatures(nativeLibSignatures);
    gauge.hooks.parse.for('snpe').tapPromise('snpe', (artifact) => parseDlcArtifact(artifact));
    // Offered even without the SDK, so a DLC job fails with SNPE_SDK_MISSING (and says what to do) instead of vanishing.
    gauge.hooks.deploy.for('snpe').tapPromise('snpe', async (device) => (device.kind === 'adb' || device.kind === 'host' ? new SnpeRunner(options ?? {}) : undefined));
  },
});
export { readDiagLog, isDiagLog, DIAG_MAGIC, MAX_DIAG_BYTES, type DiagLog } from './diag/diag-log.js';
export { parseNetRunOutput, type NetRunOutput, type NetRunError } from './text/net-run-output.js';
export { parseDiagview, type DiagviewReport, type DiagviewLayer } from './text/diagview.js';
export { parsePlatformValidator, runtimeUsable, type PlatformValidatorReport, type RuntimeVerdict } from './text/platform-validator.js';
export { parseThroughputOutput, type ThroughputOutput } from './text/throughput-output.js';
export { SnpeRunner, type SnpeRunnerOptions } from './runner/snpe-runner.js';
export { netRunArgs, throughputArgs, netRunBackendFlags, throughputBackendFlag, runEnv, SNPE_BACKENDS, PERF_PROFILES, PROFILING_LEVELS, ADSP_SYSTEM_DIRS, type SnpeBackend } from './runner/command.js';
export { rawInputs, inputList, MAX_INPUT_BYTES } from './runner/inputs.js';
export { locateSdk, requireSdk, readSdk, sdkTool, SDK_HELP, type SnpeSdk } from './sdk/locate-sdk.js';
export { convertToDlc, converterCall, quantizeCall, calibrationList, CONVERTERS, type ConvertRequest, type ConvertResult, type ConvertibleFramework, type ToolCall } from './convert/convert.js';
export { fuzzTargets, runFuzzTarget, type FuzzTarget } from './fuzz-targets.js';
