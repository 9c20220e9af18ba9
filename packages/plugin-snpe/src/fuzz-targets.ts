/**
 * The readers of this package that take untrusted bytes, for fuzzing: a harness feeds each target mutated inputs
 * and requires that it returns, or throws a GaugeError with one of `codes` — never another exception, never a hang.
 * `seeds` name the shared fixtures (under ../shared/fixtures) worth mutating.
 */
import { isGaugeError, type GaugeErrorCode } from '@gaugenn/core';
import { readDiagLog } from './diag/diag-log.js';
import { parseDlcBytes, readDlcRecords } from './parse/parse-dlc.js';
import { dlcSniffer } from './sniff/dlc-sniffer.js';

export interface FuzzTarget {
  name: string;
  /** Run the reader on some bytes; a returned value is fine, so is a GaugeError with one of `codes`. */
  run(bytes: Buffer): unknown;
  codes: readonly GaugeErrorCode[];
  /** Fixture paths (relative to the shared fixtures folder) to mutate. */
  seeds: readonly string[];
}

const DLC_CODES = ['MODEL_MALFORMED', 'MODEL_UNSUPPORTED', 'LIMIT_EXCEEDED', 'ARCHIVE_BOMB'] as const;
const DLC_SEEDS = [
  'snpe/hsp-aidemo_det_500m_quantized.dlc',
  'snpe/mlcommons_v0_7_deeplabv3_quantized_hta_enabled.dlc',
  'snpe/sensifai_Enhancement_SNPE.dlc',
  'snpe/nemo_public_EDSR_transpose_B4_F32_S4.dlc',
];

export const fuzzTargets: readonly FuzzTarget[] = [
  { name: 'snpe/dlc-container', run: (b) => parseDlcBytes(b), codes: DLC_CODES, seeds: DLC_SEEDS },
  // The `model` record alone (a harness can extract it from the seeds, or mutate any DLC record it has).
  { name: 'snpe/dlc-model-record', run: (b) => readDlcRecords(b, undefined), codes: DLC_CODES, seeds: [] },
  { name: 'snpe/diag-log', run: (b) => readDiagLog(b), codes: ['RUNNER_OUTPUT'], seeds: ['snpe/outputs/diaglogs/ISL_2024-05-02_CPU_SNPEDiag_0.log', 'snpe/outputs/diaglogs/ISL_2.21.0_CPU_SNPEDiag_0.log'] },
  { name: 'snpe/dlc-sniffer', run: (b) => dlcSniffer.sniff({ path: 'x!/model', size: b.length, head: b.subarray(0, 4096) }), codes: [], seeds: DLC_SEEDS },
];

/** Run one target on one input: resolves to 'ok' or the accepted error's code; rejects on anything else. */
export async function runFuzzTarget(t: FuzzTarget, bytes: Buffer): Promise<string> {
  try {
    await t.run(bytes);
    return 'ok';
  } catch (e) {
    if (isGaugeError(e) && t.codes.includes(e.code)) return e.code;
    throw e;
  }
}
