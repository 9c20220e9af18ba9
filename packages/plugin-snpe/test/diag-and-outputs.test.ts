/**
 * The binary SNPEDiag logs and the SDK tools' console output, all real captures from ../shared/fixtures/snpe/outputs.
 *
 * Expected figures and where they come from, independently of these readers:
 * - the diagview text capture of the same runs (snpe-diagview_text_v2.21.0_basic.txt, the CPU/Run1 block of the
 *   2024-05-15 run and the block of the 2024-05-02 run): Load, Deserialize, Create, Init, De-Init in µs, the SDK
 *   version, the epoch timestamp, and "Total Inference Time" = the average over the inferences, rounded to 1 µs;
 * - the inference counts (599 and 50) follow from the file sizes: the 104-byte header, the 360-byte create/init
 *   record and the 128-byte de-init record leave (161140 − 4 − 4·3 − 104 − 360 − 128) / (264 + 4) = 599 and
 *   (14008 − 4 − 12 − 592) / 268 = 50 inference records of 264 bytes (record sizes as in SNPEDiag_log_binary_headers.txt).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GaugeError } from '@gaugenn/core';
import { missing } from '../../../test-support/fixtures.js';
import { parseDiagview, parseNetRunOutput, parsePlatformValidator, parseThroughputOutput, readDiagLog, runtimeUsable } from '../src/index.js';
import { snpeOutput } from './support/fixtures.js';

const LOG_NEW = snpeOutput('diaglogs/ISL_2.21.0_CPU_SNPEDiag_0.log');
const LOG_OLD = snpeOutput('diaglogs/ISL_2024-05-02_CPU_SNPEDiag_0.log');
const DIAGVIEW = snpeOutput('snpe-diagview_text_v2.21.0_basic.txt');

/** The `## …` blocks of a capture file, by heading. */
function blocks(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  let key = '';
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('## ')) key = line.slice(3).trim();
    else if (key) out[key] = (out[key] ?? '') + line + '\n';
  }
  return out;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('SNPEDiag binary log', () => {
  const cases = [
    { log: LOG_NEW, block: 'Benchmarking_script/Results/2024-05-15_15:40:09/timing/CPU/Run1/diaglog_out.txt', inferences: 599 },
    { log: LOG_OLD, block: 'Benchmarking_script/results/2024-05-02_16:42:16/timing/CPU/Run1/diaglog_out.txt (older run, different model)', inferences: 50 },
  ];
  for (const c of cases) {
    it.skipIf(missing(c.log, DIAGVIEW))(`${c.log.split('/').pop()}: ${c.inferences} inferences, totals and statistics agree with snpe-diagview`, () => {
      const d = readDiagLog(readFileSync(c.log));
      const view = parseDiagview(blocks(DIAGVIEW)[c.block]!);
      expect(d.records).toBe(c.inferences + 3);
      expect(d.inferencesUs).toHaveLength(c.inferences);
      expect(d.sdkVersion).toBe(view.sdkVersion);
      expect(d.sdkVersion).toBe('2.21.0.240401120655_85612');
      expect(d.timeScale).toBe(1e-6);
      for (const [k, v] of [['loadUs', 'Load'], ['deserializeUs', 'Deserialize'], ['createUs', 'Create'], ['initUs', 'Init'], ['deInitUs', 'De-Init']] as const) {
        expect(Math.round(d[k]!), k).toBe(view.stats[v]);
      }
      expect(Math.round(mean(d.inferencesUs))).toBe(view.stats['Total Inference Time']);
      expect(d.inferencesUs.every((t) => t > 50_000 && t < 200_000)).toBe(true);
      // Profiling level basic: no per-layer records in the log, and diagview printed no Layer Times for it.
      expect(d.layersUs.every((l) => l.length === 0)).toBe(true);
      expect(view.layers).toEqual([]);
      expect(d.unknownRecords).toBe(0);
      expect(d.unreadFields).toEqual({});
    });
  }

  it.skipIf(missing(LOG_OLD))('the first inferences of the 2024-05-02 log, read by hand from its hex (end − start stamps)', () => {
    const d = readDiagLog(readFileSync(LOG_OLD));
    // Record 2: start 0x363CD1A18 (14559287832), end 0x363CF99AF (14559451567) → 163735 µs; record 3: 112203 µs.
    expect(d.inferencesUs.slice(0, 2)).toEqual([163_735, 112_203]);
    expect(d.epochUs).toBe(1713214489479178);
  });

  it.skipIf(missing(LOG_OLD))('truncated, wrong-magic and absurd-size logs are typed errors', () => {
    const b = readFileSync(LOG_OLD);
    for (const bad of [b.subarray(0, 1000), Buffer.concat([Buffer.from('PK\x03\x04'), b.subarray(4)]), (() => { const x = Buffer.from(b); x.writeUInt32LE(0x7fffffff, 4); return x; })(), b.subarray(0, 4)]) {
      const e = (() => { try { readDiagLog(bad); return undefined; } catch (err) { return err; } })();
      expect(e).toBeInstanceOf(GaugeError);
      expect((e as GaugeError).code).toBe('RUNNER_OUTPUT');
    }
  });
});

describe('console output of the SDK tools', () => {
  const NET_RUN = snpeOutput('snpe-net-run_console_v2.14.2_host_and_android.txt');
  const NET_RUN_222 = snpeOutput('snpe-net-run_console_v2.22.6_host.txt');
  const ERRORS = snpeOutput('snpe_runtime_error_messages_from_issues.txt');
  const PV_OK = snpeOutput('snpe-platform-validator_v2.14.2_gpu_dsp_sm8450.txt');
  const PV_FAIL = snpeOutput('snpe-platform-validator_dsp_FAIL_qrb5165.txt');

  it.skipIf(missing(NET_RUN, NET_RUN_222))('snpe-net-run: version, inputs processed, success (2.14 host and Android, 2.22 host with graph name)', () => {
    const b = blocks(NET_RUN);
    const host = parseNetRunOutput(b['Host: snpe-net-run --container .../inception_v3_quantized.dlc --input_list .../raw_list.txt']!);
    expect(host).toEqual({ sdkVersion: '2.14.2.230905160328_61726', inputsProcessed: 4, success: true, errors: [] });
    const android = parseNetRunOutput(Object.entries(b).find(([k]) => k.startsWith('Device'))![1]);
    expect(android).toMatchObject({ sdkVersion: '2.14.2.230905160328_61726', inputsProcessed: 4, success: true });
    const r = parseNetRunOutput(readFileSync(NET_RUN_222, 'utf8'));
    expect(r).toMatchObject({ sdkVersion: '2.22.6.240515184619_92920', graph: 'depth_anything_vits_op16', inputsProcessed: 2, success: true });
  });

  it.skipIf(missing(ERRORS))('snpe-net-run errors: code, message, component', () => {
    const b = blocks(ERRORS);
    const bad = parseNetRunOutput(b['https://github.com/qualcomm/qidk/issues/74 (2025-09-18, SNPE 2.x, --use_dsp)']!);
    expect(bad.success).toBe(false);
    expect(bad.errors).toEqual([{ code: 311, message: 'Dlc container is bad. Incomplete DLC is missing mandatory record: model', component: 'Dl Container' }]);
    const op = parseNetRunOutput(Object.entries(b).find(([k]) => k.includes('issues/36'))![1]);
    expect(op.errors[0]).toMatchObject({ code: 1002, component: 'Model Validation' });
    expect(op.errors[0]!.message).toContain('No backend could validate Op=/model.22/Sigmoid_1');
  });

  it.skipIf(missing(PV_OK, PV_FAIL))('snpe-platform-validator: GPU and DSP pass on SM8450; DSP fails on QRB5165', () => {
    const ok = blocks(PV_OK);
    const gpu = parsePlatformValidator(ok['--runtime gpu']!);
    expect(gpu.runtimes.GPU).toEqual({ runtime: 'GPU', unitTest: 'passed', supported: true, prerequisites: true, libVersion: 'OpenCL 3.0', coreVersion: 'Adreno(TM) 730' });
    const dsp = parsePlatformValidator(ok['--runtime dsp']!);
    expect(dsp.runtimes.DSP).toMatchObject({ unitTest: 'passed', supported: true, prerequisites: true, coreVersion: 'Hexagon Architecture V69' });
    expect(runtimeUsable(dsp.runtimes.DSP)).toBe(true);
    const fail = parsePlatformValidator(readFileSync(PV_FAIL, 'utf8').split('## Success form')[0]!);
    expect(fail.runtimes.DSP).toMatchObject({ unitTest: 'failed', supported: false });
    expect(runtimeUsable(fail.runtimes.DSP)).toBe(false);
    expect(fail.errors).toContain('Also make sure ADSP_LIBRARY_PATH points to directory containing skels.');
    const fixed = parsePlatformValidator(Object.entries(blocks(PV_FAIL)).find(([k]) => k.startsWith('Success form'))![1]);
    expect(fixed.runtimes.DSP).toEqual({ runtime: 'DSP', prerequisites: true });
    expect(runtimeUsable(fixed.runtimes.DSP)).toBe(true);
  });

  it('throughput summary: the one documented figure, or nothing', () => {
    expect(parseThroughputOutput('…\nTotal throughput: 123.45 infs/sec\n')).toEqual({ totalThroughput: 123.45 });
    expect(parseThroughputOutput('Segmentation fault')).toEqual({});
  });
});
