/**
 * The `benchmark_model` output reader on the 20 real outputs in ../shared/fixtures/android/benchmark_model_outputs:
 * one test per file, asserting the numbers printed in it, and the backend truth (delegation, warnings) they give.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, missing } from '../../../test-support/fixtures.js';
import { aggregateOf, backendTruth, parseBenchmarkModelOutput, parseStatLine, splitBenchmarkRuns, type BenchmarkModelOutput } from '../src/index.js';

const DIR = fixture('android/benchmark_model_outputs');

/**
 * The runs in a fixture file. Lines starting with `# ` are the researcher's annotations, not tool output; a
 * `# command`/`# second run`/`# third run` annotation separates runs, and so does the tool's own `STARTING!`.
 */
function runs(name: string): BenchmarkModelOutput[] {
  const file = readdirSync(DIR).find((f) => f.startsWith(name));
  if (!file) throw new Error(`no fixture ${name}*`);
  const parts: string[][] = [[]];
  for (const line of readFileSync(join(DIR, file), 'utf8').split('\n')) {
    if (line.startsWith('# ')) {
      if (/^# (command|second|third)/.test(line) && parts.at(-1)!.some((l) => l.trim())) parts.push([]);
      continue;
    }
    parts.at(-1)!.push(line);
  }
  return parts.flatMap((p) => splitBenchmarkRuns(p.join('\n'))).map(parseBenchmarkModelOutput);
}

const absent = missing(DIR);
const t = (name: string, fn: (r: BenchmarkModelOutput[]) => void) => it.skipIf(absent)(name, () => fn(runs(name.slice(0, 2))));

describe('parseStatLine', () => {
  it('reads every form of the tsl::Stat line', () => {
    expect(parseStatLine('count=50 first=249042 curr=250889 min=247067 max=254474 avg=249684 std=1442')).toMatchObject({ count: 50, avg: 249684, std: 1442, p5: null });
    expect(parseStatLine('count=1 curr=3512391')).toMatchObject({ count: 1, min: 3512391, max: 3512391, avg: 3512391, std: 0 });
    expect(parseStatLine('count=5 curr=42 (all same)')).toMatchObject({ count: 5, avg: 42, median: 42, std: 0, allSame: true });
    expect(parseStatLine('count=0')).toMatchObject({ count: 0, avg: null, std: null });
    expect(parseStatLine('count=50 first=2990275 curr=2913402 min=2727568 max=3189954 avg=2.95034e+06 std=109798')!.avg).toBe(2950340);
    expect(parseStatLine('Timings (microseconds): count=1')).toBeUndefined();
  });
});

describe('wordings the fixtures lack, from the format strings of the current source (facts note §1.4, §2)', () => {
  it('reads the 2026 partition wording, periodic peak memory, memory status and an unsupported delegate', () => {
    const r = parseBenchmarkModelOutput(
      [
        'INFO: STARTING!',
        'VERBOSE: Replacing 10 out of 12 node(s) with delegate (TfLiteGpuDelegateV2) node, yielding 2 partitions for subgraph 1 (decoder).',
        'WARN: NNAPI acceleration is unsupported on this platform.',
        'INFO: count=5 curr=1000 (all same)',
        'INFO: Overall peak memory footprint (MB) via periodic monitoring: 61.25',
        'INFO: Memory status at the end of exeution:',
        'INFO: - VmRSS              : 58 MB',
        'INFO: + RssAnnon           : 40 MB',
        'INFO: + RssFile + RssShmem : 18 MB',
      ].join('\n'),
    );
    expect(r.format).toBe('info-prefix');
    expect(r.delegates.TfLiteGpuDelegateV2).toMatchObject({ nodesDelegated: 10, nodesTotal: 12, partitions: 2, subgraph: 1, subgraphName: 'decoder' });
    expect(r.runs).toMatchObject({ count: 5, avg: 1000, median: 1000, std: 0, allSame: true });
    expect(r.peakMB).toBe(61.25);
    expect(r.memoryStatusMB).toEqual({ VmRSS: 58, RssAnnon: 40, 'RssFile + RssShmem': 18 });
    expect(r.unsupported).toEqual(['NNAPI']);
    expect(backendTruth(r, 'nnapi').warnings[0]!.message).toContain('NNAPI acceleration is unsupported on this platform.');
    expect(backendTruth(r, 'gpu').warnings[0]).toEqual({ code: 'DELEGATE_PARTIAL', message: 'The GPU delegate (TfLiteGpuDelegateV2) took 10 of 12 nodes in 2 partitions; the other 2 ran on the CPU.' });
  });

  it('reads the GPU report that sends everything to the CPU, and the older "Next operations" wording', () => {
    const none = parseBenchmarkModelOutput(['ERROR: Following operations are not supported by GPU delegate:', 'ERROR: LSTM: Operation is not supported.', 'ERROR: No operations will run on the GPU, and all 12 operations will run on the CPU.'].join('\n'));
    expect(none.gpuUnsupported).toEqual({ ops: [{ op: 'LSTM', reason: 'Operation is not supported.' }], onGpu: 0, onCpu: 12 });
    expect(backendTruth(none, 'gpu').delegation).toMatchObject({ applied: false, nodesDelegated: 0, nodesTotal: 12 });
    const old = parseBenchmarkModelOutput(['Next operations are not supported by GPU delegate:', 'UNPACK: Operation is not supported.', 'First 0 operations will run on the GPU, and the remaining 65 on the CPU.'].join('\n'));
    expect(old.gpuUnsupported).toEqual({ ops: [{ op: 'UNPACK', reason: 'Operation is not supported.' }], onGpu: 0, onCpu: 65 });
  });
});

describe('benchmark_model outputs, one test per fixture file', () => {
  it.skipIf(absent)('the fixture folder has the 20 files these tests cover', () => {
    expect(existsSync(DIR) && readdirSync(DIR).filter((f) => f.endsWith('.txt')).length).toBe(20);
  });

  t('01 TF 2.4 CPU tail: regular stat, summary in µs, TF 2.4 peak memory', ([r]) => {
    expect(r!.format).toBe('plain');
    expect(r!.runs).toMatchObject({ count: 50, first: 249042, curr: 250889, min: 247067, max: 254474, avg: 249684, std: 1442 });
    expect(r!.warmup).toBeNull();
    expect(r!.summary).toEqual({ initUs: 16242, firstInferenceUs: 360262, warmupAvgUs: 304586, inferenceAvgUs: 249684 });
    expect(r!.memory).toEqual({ kind: 'peak', initMB: 4.92969, overallMB: 138.809 });
    expect(aggregateOf(r!.runs!)).toEqual({ count: 50, mean: 249.684, std: 1.442, min: 247.067, max: 254.474, median: null, p5: null, p95: null });
    expect(backendTruth(r!, 'cpu')).toEqual({ delegation: null, warnings: [] });
  });

  t('02 NNAPI qti-gpu with op profiling: per-node-type summaries, partial delegation from the profile', ([r]) => {
    const [init, regular] = r!.profile;
    expect(init).toMatchObject({ phase: 'init', nodesExecuted: 2, nodesObserved: 2, timings: { count: 1, curr: 729391, avg: 729391 } });
    expect(init!.byNodeType).toEqual([
      { nodeType: 'ModifyGraphWithDelegate', count: 1, avgMs: 413.346, pct: 56.67, timesCalled: 1 },
      { nodeType: 'AllocateTensors', count: 1, avgMs: 316.045, pct: 43.33, timesCalled: 2 },
    ]);
    expect(regular).toMatchObject({ phase: 'regular', nodesExecuted: 11, nodesObserved: 11, derivedFromRunOrder: false });
    expect(regular!.timings).toMatchObject({ count: 50, first: 164033, min: 146535, max: 166638, avg: 158715, std: 2931 });
    expect(regular!.byNodeType.map((n) => [n.nodeType, n.count, n.avgMs])).toEqual([
      ['TfLiteNnapiDelegate', 3, 149.483],
      ['STRIDED_SLICE', 6, 8.347],
      ['RESIZE_NEAREST_NEIGHBOR', 2, 0.879],
    ]);
    // The profile's timings are per-op sums, not the tool's inference stat: no aggregate is made from them.
    expect(r!.runs).toBeNull();
    const truth = backendTruth(r!, 'nnapi');
    expect(truth.delegation).toMatchObject({ delegate: 'TfLiteNnapiDelegate', applied: true, partitions: 3 });
    expect(truth.warnings).toEqual([{ code: 'DELEGATE_PARTIAL', message: expect.stringContaining('3 delegate kernels in the op profile, beside 8 nodes on the CPU') }]);
  });

  t('03 NNAPI delegate application fails twice: errors, "Failed to apply", "Benchmarking failed."', (rs) => {
    expect(rs).toHaveLength(2);
    const [a, b] = rs;
    expect(a!.params['NNAPI accelerator name']).toBe('qti-default');
    expect(b!.params['NNAPI accelerator name']).toBe('qti-dsp');
    for (const r of rs) {
      expect(r.failed).toBe(true);
      expect(r.failedToApply).toEqual(['NNAPI']);
      expect(r.created).toContain('NNAPI');
      expect(r.nnapiAccelerators).toEqual(['qti-default', 'qti-dsp', 'qti-gpu', 'nnapi-reference']);
      expect(r.params['Num threads']).toBe('4');
      expect(r.runs).toBeNull();
    }
    expect(a!.errors).toContain('Node number 248 (TfLiteNnapiDelegate) failed to prepare.');
    expect(b!.errors[0]).toBe('NN API returned error ANEURALNETWORKS_BAD_DATA at line 1068 while adding operation.');
    expect(backendTruth(a!, 'nnapi').delegation).toMatchObject({ applied: false, nodesDelegated: 0 });
  });

  t('04 2021 nightly: memory footprint delta, CPU and NNAPI runs', ([cpu, nnapi]) => {
    expect(cpu!.runs).toMatchObject({ count: 50, first: 207897, avg: 220000, std: 6795 });
    expect(cpu!.summary).toEqual({ initUs: 1430, firstInferenceUs: 247583, warmupAvgUs: 222136, inferenceAvgUs: 220000 });
    expect(cpu!.memory).toEqual({ kind: 'delta', initMB: 5.66016, overallMB: 140.508 });
    expect(nnapi!.runs).toMatchObject({ count: 50, min: 96919, max: 103964, avg: 99646.2, std: 1369 });
    expect(nnapi!.summary!.initUs).toBe(449051);
    expect(nnapi!.memory).toEqual({ kind: 'delta', initMB: 8.23828, overallMB: 62.3242 });
  });

  t('05 GPU (OpenCL) fully delegated: verdict "completely", 1 kernel, warm-up and regular stats', ([r]) => {
    expect(r!.params).toMatchObject({ 'Min num runs': '50', 'Num threads': '4', 'Use gpu': '1', 'Enable op profiling': '1' });
    expect(r!.initSessionMs).toBe(870.557);
    expect(r!.modelSizeMB).toBe(7.07479);
    expect(r!.phases).toEqual([{ minRuns: 1, minSecs: 0.5, maxSecs: 150 }, { minRuns: 50, minSecs: 1, maxSecs: 150 }]);
    expect(r!.warmup).toMatchObject({ count: 4, first: 130565, avg: 122373, std: 4930 });
    expect(r!.runs).toMatchObject({ count: 50, first: 119212, curr: 118055, min: 113737, max: 124776, avg: 119375, std: 1948 });
    expect(r!.gpuKernels).toBe(1);
    expect(r!.verdicts).toEqual([{ delegate: 'GPU', kind: 'complete', kernels: null, line: 'Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate.' }]);
    expect(backendTruth(r!, 'gpu')).toEqual({
      delegation: { delegate: 'GPU', applied: true, nodesDelegated: null, nodesTotal: null, partitions: null, verdict: r!.verdicts[0]!.line },
      warnings: [],
    });
  });

  t('06 oldest partition wording "Replacing 293 node(s)…" (no total), cut-off verdict', ([r]) => {
    expect(r!.partitionLines).toHaveLength(1);
    expect(r!.delegates.TfLiteGpuDelegateV2).toMatchObject({ nodesDelegated: 293, nodesTotal: null, partitions: 1, subgraph: null });
    expect(r!.created).toEqual(['GPU']);
    expect(r!.verdicts[0]).toMatchObject({ delegate: 'GPU', kind: 'complete' });
    expect(backendTruth(r!, 'gpu')).toMatchObject({ delegation: { delegate: 'TfLiteGpuDelegateV2', applied: true, nodesDelegated: 293, partitions: 1 }, warnings: [] });
  });

  t('07 APK through adb logcat: NNAPI partially applied w/ 44 kernels → DELEGATE_PARTIAL', ([r]) => {
    expect(r!.format).toBe('logcat');
    expect(r!.initSessionMs).toBe(126.059);
    expect(r!.warmup).toMatchObject({ count: 40, first: 32942, avg: 12581.9, std: 3331 });
    expect(r!.runs).toMatchObject({ count: 75, first: 12840, min: 11787, max: 13649, avg: 12167.6, std: 325 });
    expect(r!.summary).toEqual({ initUs: 126059, firstInferenceUs: 32942, warmupAvgUs: 12581.9, inferenceAvgUs: 12167.6 });
    expect(r!.verdicts).toEqual([expect.objectContaining({ delegate: 'NNAPI', kind: 'partial', kernels: 44 })]);
    const truth = backendTruth(r!, 'nnapi');
    expect(truth.delegation).toMatchObject({ delegate: 'NNAPI', applied: true });
    expect(truth.warnings).toEqual([{ code: 'DELEGATE_PARTIAL', message: expect.stringContaining('44 delegate kernels') }]);
  });

  t('08 NNAPI created but not executed: the silent CPU fallback of tensorflow#56301 → DELEGATE_NOT_APPLIED', ([r]) => {
    expect(r!.format).toBe('logcat');
    expect(r!.nnapiAccelerators).toEqual(['ipuadaptor', 'nnapi-reference']);
    expect(r!.params).toMatchObject({ 'Use NNAPI': '1', 'Use xnnpack': '0', 'Min num runs': '50' });
    expect(r!.created).toEqual(['NNAPI']);
    expect(r!.verdicts[0]).toMatchObject({ delegate: 'NNAPI', kind: 'none', kernels: 0 });
    const truth = backendTruth(r!, 'nnapi');
    expect(truth.delegation).toMatchObject({ delegate: 'NNAPI', applied: false, nodesDelegated: 0, verdict: 'Though NNAPI delegate is explicitly applied, the model graph will not be executed by the delegate' });
    expect(truth.warnings.map((w) => w.code)).toEqual(['DELEGATE_NOT_APPLIED']);
  });

  t('09 GPU unsupported-op report at error level, 294 ops on the GPU → partial', ([r]) => {
    expect(r!.gpuUnsupported).toEqual({ ops: [{ op: 'UNPACK', reason: 'Operation is not supported.' }], onGpu: 294, onCpu: null });
    expect(r!.errors[0]).toBe('Following operations are not supported by GPU delegate:');
    const truth = backendTruth(r!, 'gpu');
    expect(truth.delegation).toMatchObject({ applied: true, nodesDelegated: 294, nodesTotal: null });
    expect(truth.warnings).toEqual([{ code: 'DELEGATE_PARTIAL', message: expect.stringContaining('UNPACK') }]);
  });

  t('10 2019 parameter echo style and the "Average inference timings … no stats" summary', ([params, summary]) => {
    expect(params!.params).toMatchObject({ 'Use nnapi': '0', 'Use legacy nnapi': '0', 'Use gpu': '1', 'Allow fp16': '0', 'Num threads': '1', 'Min runs duration (seconds)': '1' });
    expect(params!.model).toBe('/sdcard/Android/data/com.mozilla.speechmodule/files/models/eng/output_graph.tflite');
    expect(summary!.format).toBe('average-timings');
    expect(summary!.summary).toEqual({ initUs: 21528106, firstInferenceUs: null, warmupAvgUs: 27917.4, inferenceAvgUs: 23313.5 });
    // Only a space-aligned Run Order table: the per-node-type summary is summed from its rows.
    expect(summary!.profile[0]).toMatchObject({ derivedFromRunOrder: true });
    expect(summary!.profile[0]!.byNodeType.map((n) => [n.nodeType, n.avgMs])).toEqual([['DELEGATE', 21.287], ['SPLIT', 0.013], ['ADD', 0.022]]);
    expect(backendTruth(summary!, 'gpu').delegation).toMatchObject({ applied: true, partitions: 1 });
  });

  t('11 2018: no "terminate" clause, Average inference timings, a cut-off stat line', ([first, second]) => {
    expect(first!.format).toBe('average-timings');
    expect(first!.initSessionMs).toBe(9.933);
    expect(first!.phases).toEqual([{ minRuns: 4, minSecs: 0.5, maxSecs: null }, { minRuns: 10, minSecs: 1, maxSecs: null }]);
    expect(first!.warmup).toMatchObject({ count: 7, first: 127425, min: 66709, max: 127425, avg: 76605.9, std: 20944 });
    expect(first!.runs).toMatchObject({ count: 15, first: 66753, avg: 66767.6, std: 39 });
    expect(first!.summary).toEqual({ initUs: 9933, firstInferenceUs: null, warmupAvgUs: 76605.9, inferenceAvgUs: 66767.6 });
    expect(second!.params['Num threads']).toBe('2');
    expect(second!.errors).toEqual(['nnapi error: unable to open library libneuralnetworks.so']);
    expect(second!.warmup).toMatchObject({ count: 13, avg: 37625.7, std: 453 });
    // "count=25 first=37601 curr=37528 min=37413 max=3760" is cut off: what is missing stays null.
    expect(second!.runs).toMatchObject({ count: 25, first: 37601, curr: 37528, min: 37413, max: 3760, avg: null, std: null });
  });

  t('12 2021 CPU run pinned with taskset, single thread', ([r]) => {
    expect(r!.format).toBe('plain');
    expect(r!.params['Num threads']).toBe('1');
    expect(r!.modelSizeMB).toBe(11.983);
    expect(r!.initSessionMs).toBe(20.283);
    expect(r!.warmup).toMatchObject({ count: 2, first: 339304, avg: 302814, std: 36489 });
    expect(r!.runs).toMatchObject({ count: 50, min: 265837, max: 268116, avg: 266473, std: 419 });
  });

  t('13 2025 INFO: prefix, p5/median/p95, XNNPACK partitions "for subgraph 0", a failing run, count above num_runs', ([f32, int8, int4]) => {
    expect(f32!.format).toBe('info-prefix');
    expect(f32!.runs).toEqual({ count: 1000, first: 52162, curr: 49785, min: 49088, max: 686105, avg: 63743.2, std: 60716, p5: 49620, median: 51891, p95: 68628, allSame: false });
    expect(aggregateOf(f32!.runs!)).toEqual({ count: 1000, mean: 63.7432, std: 60.716, min: 49.088, max: 686.105, median: 51.891, p5: 49.62, p95: 68.628 });
    expect(f32!.warmup).toMatchObject({ count: 9, p5: 51629, median: 51962, p95: 87112 });
    expect(f32!.memory).toEqual({ kind: 'delta', initMB: 55.4961, overallMB: 55.4961 });
    expect(f32!.delegates.TfLiteXNNPackDelegate).toMatchObject({ nodesDelegated: 2168, nodesTotal: 2168, partitions: 1, subgraph: 0 });
    expect(backendTruth(f32!, 'xnnpack').warnings).toEqual([]);
    expect(int8!.failed).toBe(true);
    expect(int8!.errors).toContain('Node number 57 (BATCH_MATMUL) failed to prepare.');
    expect(int8!.delegates.TfLiteXNNPackDelegate).toMatchObject({ nodesDelegated: 2136, nodesTotal: 2168, partitions: 65 });
    expect(int4!.params['Min num runs']).toBe('5');
    expect(int4!.runs).toMatchObject({ count: 24, avg: 42394.8, std: 188, p5: 42133, median: 42419, p95: 42671 });
    const partial = backendTruth(int4!, 'xnnpack');
    expect(partial.delegation).toMatchObject({ delegate: 'TfLiteXNNPackDelegate', applied: true, nodesDelegated: 2136, nodesTotal: 2168, partitions: 65 });
    expect(partial.warnings).toEqual([{ code: 'DELEGATE_PARTIAL', message: 'The XNNPACK delegate (TfLiteXNNPackDelegate) took 2136 of 2168 nodes in 65 partitions; the other 32 ran on the CPU.' }]);
  });

  t('14 count=1 curr=N and scientific notation; op profile after the summary', (rs) => {
    const r = rs[0]!;
    expect(rs).toHaveLength(1);
    expect(r.warmup).toMatchObject({ count: 1, curr: 3512391, avg: 3512391, min: 3512391, std: 0 });
    expect(r.runs).toMatchObject({ count: 50, avg: 2950340, std: 109798 });
    expect(r.summary).toEqual({ initUs: 17187, firstInferenceUs: 3512391, warmupAvgUs: 3512390, inferenceAvgUs: 2950340 });
    expect(r.memory).toEqual({ kind: 'delta', initMB: 4.21094, overallMB: 46.0859 });
    const regular = r.profile.find((b) => b.phase === 'regular')!;
    expect(regular.byNodeType[0]).toEqual({ nodeType: 'CONV_2D', count: 15, avgMs: 2651.853, pct: 89.897, timesCalled: 15 });
    expect(regular.byNodeType).toHaveLength(5);
    expect(regular.nodesExecuted).toBe(31);
    expect(regular.timings).toMatchObject({ count: 50, avg: 2949900 });
  });

  t('15 TF ~2.3 CPU: "Duplicate flags", peak memory init=0', ([r]) => {
    expect(r!.memory).toEqual({ kind: 'peak', initMB: 0, overallMB: 12.8672 });
    expect(r!.initSessionMs).toBe(0.855);
    expect(r!.modelSizeMB).toBe(0.004448);
    expect(r!.warmup).toMatchObject({ count: 15, avg: 34825.1 });
    expect(r!.runs).toMatchObject({ count: 50, first: 32891, min: 32641, max: 34005, avg: 33209.4, std: 450 });
    expect(r!.profile[0]!.phase).toBe('init');
  });

  t('16 XNNPACK, then GPU on part of the graph, then XNNPACK again: the LAST line per delegate', ([r]) => {
    expect(r!.partitionLines.map((p) => [p.delegate, p.nodesDelegated, p.nodesTotal, p.partitions])).toEqual([
      ['TfLiteXNNPackDelegate', 52, 65, 6],
      ['TfLiteGpuDelegateV2', 29, 65, 3],
      ['TfLiteXNNPackDelegate', 25, 37, 2],
    ]);
    expect(r!.delegates.TfLiteXNNPackDelegate).toMatchObject({ nodesDelegated: 25, nodesTotal: 37 });
    const truth = backendTruth(r!, 'gpu');
    expect(truth.delegation).toMatchObject({ delegate: 'TfLiteGpuDelegateV2', applied: true, nodesDelegated: 29, nodesTotal: 65, partitions: 3 });
    expect(truth.warnings).toEqual([{ code: 'DELEGATE_PARTIAL', message: 'The GPU delegate (TfLiteGpuDelegateV2) took 29 of 65 nodes in 3 partitions; the other 36 ran on the CPU.' }]);
  });

  t('17 Android Studio logcat layout: NNAPI parameters and accelerators', ([r]) => {
    expect(r!.format).toBe('android-studio');
    expect(r!.nnapiAccelerators).toEqual(['qti-default', 'qti-dsp', 'qti-gpu', 'google-edgetpu', 'nnapi-reference']);
    expect(r!.params).toMatchObject({ 'Disable NNAPI cpu': '0', 'Allow fp16 in NNAPI': '0', 'Use burst mode in NNAPI': '0', 'Use xnnpack': '0' });
    expect(r!.model).toBe('/data/local/model/lstm_w_emb_and_dense_3.8b.tflite');
  });

  t('18 2024 logcat: "Replacing 290 out of 290 node(s)" → fully delegated, no warning', ([r]) => {
    expect(r!.format).toBe('logcat');
    expect(r!.params).toMatchObject({ 'GPU backend': 'cl', 'Num threads': '1', 'Min num runs': '100' });
    expect(r!.delegates.TfLiteGpuDelegateV2).toMatchObject({ nodesDelegated: 290, nodesTotal: 290, partitions: 1 });
    expect(backendTruth(r!, 'gpu')).toMatchObject({ delegation: { applied: true, nodesDelegated: 290, nodesTotal: 290, partitions: 1 }, warnings: [] });
  });

  t('19 "Created 0 GPU delegate kernels" + "Though GPU delegate is explicitly applied" (tensorflow#49012)', ([r]) => {
    expect(r!.gpuKernels).toBe(0);
    expect(r!.errors).toContain("Couldn't get node and registration info for op: -1793924896");
    const truth = backendTruth(r!, 'gpu');
    expect(truth.delegation).toMatchObject({ delegate: 'GPU', applied: false, nodesDelegated: 0 });
    expect(truth.warnings).toEqual([{ code: 'DELEGATE_NOT_APPLIED', message: expect.stringContaining('Though GPU delegate is explicitly applied') }]);
  });

  t('20 2024 CLI with INFO: prefix on tool lines; an opening with no results', ([r]) => {
    expect(r!.format).toBe('info-prefix');
    expect(r!.runs).toBeNull();
    expect(r!.summary).toBeNull();
    expect(backendTruth(r!, 'gpu').warnings.map((w) => w.code)).toEqual(['DELEGATE_NOT_APPLIED']);
  });
});

describe('the reader on damaged output (fast-check)', () => {
  const lines = absent ? ['count=1 curr=2'] : readdirSync(DIR).flatMap((f) => readFileSync(join(DIR, f), 'utf8').split('\n'));
  it.skipIf(absent)('never throws on shuffled, cut and mixed fixture lines, and what it reads is well-formed', () => {
    const line = fc.oneof(fc.constantFrom(...lines), fc.tuple(fc.constantFrom(...lines), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))), fc.string());
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (ls) => {
        const out = parseBenchmarkModelOutput(ls.join('\n'));
        expect(['average-timings', 'plain', 'info-prefix', 'logcat', 'android-studio']).toContain(out.format);
        for (const st of [out.runs, out.warmup]) if (st) expect(Number.isInteger(st.count) && st.count >= 0).toBe(true);
        for (const p of out.partitionLines) expect(p.nodesDelegated).toBeGreaterThanOrEqual(0);
        for (const b of ['cpu', 'gpu', 'nnapi', 'hexagon']) {
          const t = backendTruth(out, b);
          if (t.delegation && !t.delegation.applied) expect(t.warnings.map((w) => w.code)).toEqual(['DELEGATE_NOT_APPLIED']);
        }
      }),
      { numRuns: 300 },
    );
  });
});
