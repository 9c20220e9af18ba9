/**
 * Reader for the text TFLite's `benchmark_model` prints, in every generation seen in the wild: the 2018
 * "Average inference timings" summary, plain tool lines (2019–2023), `INFO:`-prefixed lines (2024+), the
 * benchmark APK's output through `adb logcat` and through Android Studio's Logcat window. It also reads the
 * runtime's own lines (tag `tflite`: delegate creation, partitioning, GPU op reports) that any TFLite process
 * logs, so gaugeNN's own runner's logcat goes through the same reader.
 *
 * Written by hand: no library reads this format. Every value stays as printed (µs for timings); nothing is
 * invented where the tool printed nothing (null).
 */

/** One `count=… first=… curr=… min=… max=… avg=… std=…` line (tsl::Stat), in microseconds as printed. */
export interface BenchmarkStat {
  count: number;
  first: number | null;
  curr: number | null;
  min: number | null;
  max: number | null;
  avg: number | null;
  std: number | null;
  p5: number | null;
  median: number | null;
  p95: number | null;
  /** The line ended in `(all same)`: every sample equals `curr`. */
  allSame: boolean;
}

/** The generation of output, told apart by its markers. */
export type BenchmarkFormat = 'average-timings' | 'plain' | 'info-prefix' | 'logcat' | 'android-studio';

/** One `Replacing A out of B node(s) with delegate (NAME) node, yielding P partitions…` line. */
export interface PartitionLine {
  delegate: string;
  nodesDelegated: number;
  /** Null in the oldest wording, which printed no total. */
  nodesTotal: number | null;
  partitions: number;
  /** `for subgraph N` (LiteRT ≥ Dec 2024); null for "the whole graph" and the older wordings. */
  subgraph: number | null;
  /** `for subgraph N (NAME)` (LiteRT ≥ Jul 2026). */
  subgraphName: string | null;
  line: string;
}

/** The tool's verdict after applying a delegate. */
export interface DelegateVerdict {
  /** As the tool names it: GPU, NNAPI, XNNPACK, Hexagon, … */
  delegate: string;
  kind: 'complete' | 'partial' | 'none' | 'unknown';
  /** `w/ N delegate kernels` of a partial verdict. */
  kernels: number | null;
  line: string;
}

/** The GPU delegate's report of the ops it cannot take. */
export interface GpuUnsupportedReport {
  ops: { op: string; reason: string }[];
  onGpu: number | null;
  onCpu: number | null;
}

/** One row of an op-profiling "Summary by node type" table. */
export interface NodeTypeSummary {
  nodeType: string;
  count: number;
  avgMs: number;
  pct: number;
  timesCalled: number;
}

/** One op-profiling block ("Profiling Info for Benchmark Initialization", "Operator-wise … Regular Benchmark Runs"). */
export interface ProfileBlock {
  phase: 'init' | 'regular' | 'unlabelled';
  /** From the "Summary by node type" table; when only a "Run Order" table was printed, summed from its rows. */
  byNodeType: NodeTypeSummary[];
  /** True when `byNodeType` was summed from Run Order rows (no summary table printed). */
  derivedFromRunOrder: boolean;
  nodesExecuted: number | null;
  nodesObserved: number | null;
  /** The block's `Timings (microseconds): count=…` line. */
  timings: BenchmarkStat | null;
}

/** Everything read from one `benchmark_model` output (one run). */
export interface BenchmarkModelOutput {
  format: BenchmarkFormat;
  /** Parameter echo lines (`Num threads: [4]`, `Use gpu : [1]`), name → value as printed. */
  params: Record<string, string>;
  model: string | null;
  modelSizeMB: number | null;
  /** `Initialized session in Xms.` */
  initSessionMs: number | null;
  /** Summary line values in µs as printed (`Inference timings in us: …` or the 2018 `Average inference timings`). */
  summary: { initUs: number | null; firstInferenceUs: number | null; warmupAvgUs: number | null; inferenceAvgUs: number | null } | null;
  /** `Running benchmark for at least N iterations and at least S seconds [but terminate if exceeding M seconds]`. */
  phases: { minRuns: number; minSecs: number; maxSecs: number | null }[];
  warmup: BenchmarkStat | null;
  runs: BenchmarkStat | null;
  memory: {
    /** `Peak memory footprint (MB)` (TF 2.4) or `Memory footprint delta from the start of the tool (MB)` (2021+). */
    kind: 'peak' | 'delta';
    initMB: number;
    overallMB: number;
  } | null;
  /** `Overall peak memory footprint (MB) via periodic monitoring: X`. */
  peakMB: number | null;
  /** `- VmRSS : N MB` and `+ RssAnnon : …` lines after "Memory status at the end of exeution:". */
  memoryStatusMB: Record<string, number>;
  /** Every partition line, in order. */
  partitionLines: PartitionLine[];
  /** The LAST partition line of each delegate (a delegate re-applied later replaces its earlier partitioning). */
  delegates: Record<string, PartitionLine>;
  /** Delegates the runtime created (`Created TensorFlow Lite delegate for GPU.` → GPU) or the tool did (`GPU delegate created.`). */
  created: string[];
  /** Delegates whose provider said it cannot work here (`GPU acceleration is unsupported on this platform.`). */
  unsupported: string[];
  /** `Created N GPU delegate kernels.` (the last one). */
  gpuKernels: number | null;
  gpuUnsupported: GpuUnsupportedReport | null;
  verdicts: DelegateVerdict[];
  /** `Failed to apply X delegate.` */
  failedToApply: string[];
  nnapiAccelerators: string[] | null;
  profile: ProfileBlock[];
  /** Lines at error level (`ERROR:` prefix, logcat `E`, `nnapi error:`), without the prefix. */
  errors: string[];
  /** `Benchmarking failed.` was printed. */
  failed: boolean;
}

type Level = 'V' | 'D' | 'I' | 'W' | 'E' | 'F' | null;
interface Line {
  text: string;
  level: Level;
  /** The `INFO:`-style prefix was present (tells the 2024+ generation apart). */
  prefixed: boolean;
  logcat: 'logcat' | 'android-studio' | null;
}

// `05-30 15:16:44.857  3380  3380 I tflite  : message` (adb logcat, threadtime).
const LOGCAT = /^\d\d-\d\d \d\d:\d\d:\d\d\.\d+\s+\d+\s+\d+\s+([VDIWEF])\s+(\S[^:]*?)\s*: ?(.*)$/;
// `2023-04-04 17:24:18.480 19036-19036 tflite   pid-19036   I  message` (Android Studio's Logcat window).
const STUDIO = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\s+\d+-\d+\s+(\S+)\s+(\S+)\s+([VDIWEF])\s+(.*)$/;
// `I/tflite  ( 1234): message` (logcat brief).
const BRIEF = /^([VDIWEF])\/(\S[^(]*?)\s*\(\s*\d+\):\s?(.*)$/;
const SEVERITY = /^(VERBOSE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL): ?(.*)$/;
const SEVERITY_LEVEL: Record<string, Level> = { VERBOSE: 'V', DEBUG: 'D', INFO: 'I', WARN: 'W', WARNING: 'W', ERROR: 'E', FATAL: 'F' };

function splitLine(raw: string): Line | undefined {
  let s = raw.replace(/\r$/, '').trimEnd();
  let level: Level = null;
  let logcat: Line['logcat'] = null;
  let m = LOGCAT.exec(s);
  if (m) {
    level = m[1] as Level;
    s = m[3]!;
    logcat = 'logcat';
  } else if ((m = STUDIO.exec(s))) {
    level = m[3] as Level;
    s = m[4]!;
    logcat = 'android-studio';
  } else if ((m = BRIEF.exec(s))) {
    level = m[1] as Level;
    s = m[3]!;
    logcat = 'logcat';
  } else if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\s+\d+-\d+\s/.test(s)) {
    return undefined; // an Android Studio line cut off before its message
  }
  let prefixed = false;
  const sev = SEVERITY.exec(s);
  if (sev) {
    level = SEVERITY_LEVEL[sev[1]!] ?? level;
    s = sev[2]!;
    prefixed = true;
  }
  return { text: s.trim(), level, prefixed, logcat };
}

const NUM = '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?';
const num = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s));

/** Parse one stat line (`count=…`), or undefined when the text is not one. */
export function parseStatLine(text: string): BenchmarkStat | undefined {
  const m = /^count=(\d+)((?:\s+\w+=\S+)*)\s*(\(all same\))?$/.exec(text.trim());
  if (!m) return undefined;
  const kv: Record<string, number> = {};
  for (const p of (m[2] ?? '').trim().split(/\s+/).filter(Boolean)) {
    const [k, v] = p.split('=') as [string, string];
    if (new RegExp(`^${NUM}$`).test(v)) kv[k] = Number(v);
  }
  const count = Number(m[1]);
  const curr = kv.curr ?? null;
  // tsl::Stat prints only `count=N curr=X` when every sample is equal (and `(all same)` when N > 1): then the
  // one value is every statistic, and the spread is 0. That is what the tool said, not a guess.
  const keys = Object.keys(kv);
  const same = m[3] !== undefined || (count >= 1 && curr !== null && keys.length === 1);
  const pick = (k: string): number | null => kv[k] ?? (same && curr !== null ? curr : null);
  return {
    count,
    first: pick('first'),
    curr,
    min: pick('min'),
    max: pick('max'),
    avg: pick('avg'),
    std: kv.std ?? (same && count >= 1 ? 0 : null),
    p5: pick('p5'),
    median: pick('median'),
    p95: pick('p95'),
    allSame: m[3] !== undefined,
  };
}

const PARTITION = new RegExp(
  // (a) `Replacing N node(s) with delegate (X) node, yielding P partitions.`
  // (b) `Replacing N out of M node(s) … for the whole graph.` (c) `… for subgraph S.` (d) `… for subgraph S (NAME).`
  '^Replacing (\\d+)(?: out of (\\d+))? node\\(s\\) with delegate \\(([^)]+)\\) node, yielding (\\d+) partitions?' +
    '(?: for (?:the whole graph|subgraph (\\d+)(?: \\((.*)\\))?))?\\.?$',
);

const TOOL_MARKER = /^(STARTING!|Log parameter values|Loaded model|Running benchmark|count=|Inference timings in us|The input model file size|Initialized session|Min num runs|Num threads|Graph: )/;

/** Canonical delegate names from `Created TensorFlow Lite delegate for X.` and friends. */
function createdName(text: string): string | undefined {
  let m = /^Created TensorFlow Lite (XNNPACK) delegate for CPU\.?$/.exec(text);
  if (m) return 'XNNPACK';
  m = /^Created TensorFlow Lite delegate for (.+?)\.?$/.exec(text);
  if (m) return m[1]!;
  m = /^(\S+) delegate created\.?$/.exec(text);
  return m?.[1];
}

function parseProfileRow(text: string): string[] {
  return text.trim().split(/\t+|\s{2,}/).map((c) => c.trim()).filter(Boolean);
}

/**
 * Split a text that holds several runs (a logcat dump, a script's log) at each run's `STARTING!` line. Text
 * before the first `STARTING!` (a tail of an earlier run) is a run of its own.
 */
export function splitBenchmarkRuns(text: string): string[] {
  const runs: string[][] = [[]];
  for (const raw of text.split('\n')) {
    if (splitLine(raw)?.text === 'STARTING!' && runs.at(-1)!.some((l) => l.trim() !== '')) runs.push([]);
    runs.at(-1)!.push(raw);
  }
  // A lead-in without any tool line (the shell prompt and command) belongs to the run it starts.
  const toolLine = (l: string) => {
    const t = splitLine(l)?.text ?? '';
    return TOOL_MARKER.test(t) || /^(Average inference timings|Replacing \d)/.test(t);
  };
  const merged: string[][] = [];
  let lead: string[] = [];
  for (const r of runs) {
    if (!r.some(toolLine) && merged.length === 0) lead = [...lead, ...r];
    else {
      merged.push([...lead, ...r]);
      lead = [];
    }
  }
  if (lead.length) merged.push(lead);
  return merged.map((r) => r.join('\n')).filter((r) => r.trim() !== '');
}

/** Read one run's output (stdout and stderr together, or a logcat dump). */
export function parseBenchmarkModelOutput(text: string): BenchmarkModelOutput {
  const out: BenchmarkModelOutput = {
    format: 'plain',
    params: {},
    model: null,
    modelSizeMB: null,
    initSessionMs: null,
    summary: null,
    phases: [],
    warmup: null,
    runs: null,
    memory: null,
    peakMB: null,
    memoryStatusMB: {},
    partitionLines: [],
    delegates: {},
    created: [],
    unsupported: [],
    gpuKernels: null,
    gpuUnsupported: null,
    verdicts: [],
    failedToApply: [],
    nnapiAccelerators: null,
    profile: [],
    errors: [],
    failed: false,
  };
  const lines = text.split('\n').map(splitLine).filter((l): l is Line => l !== undefined);
  let logcatLines = 0;
  let studioLines = 0;
  let prefixedTool = 0;
  let plainTool = 0;
  let averageFormat = false;
  // Stats in order, with the phase they follow (0 = before any "Running benchmark" line).
  const stats: { stat: BenchmarkStat; phase: number }[] = [];
  let gpuReport: GpuUnsupportedReport | null = null;
  let block: ProfileBlock | null = null;
  let table: 'run-order' | 'top' | 'summary' | null = null;
  const runOrder = new Map<string, NodeTypeSummary>();
  const closeBlock = () => {
    if (block && block.byNodeType.length === 0 && runOrder.size > 0) {
      block.byNodeType = [...runOrder.values()];
      block.derivedFromRunOrder = true;
    }
    runOrder.clear();
    block = null;
    table = null;
  };
  const openBlock = (phase: ProfileBlock['phase']) => {
    closeBlock();
    block = { phase, byNodeType: [], derivedFromRunOrder: false, nodesExecuted: null, nodesObserved: null, timings: null };
    out.profile.push(block);
  };

  for (const l of lines) {
    const t = l.text;
    if (l.logcat === 'logcat') logcatLines++;
    if (l.logcat === 'android-studio') studioLines++;
    if (TOOL_MARKER.test(t)) {
      if (l.prefixed) prefixedTool++;
      else if (!l.logcat) plainTool++;
    }
    if (t === '') {
      table = null;
      continue;
    }
    if (l.level === 'E' || l.level === 'F') out.errors.push(t);
    else if (/^nnapi error:/i.test(t)) out.errors.push(t);

    // Op-profiling blocks and their tables.
    if (/^Profiling Info for Benchmark Initialization:?$/.test(t)) {
      openBlock('init');
      continue;
    }
    if (/^Operator-wise Profiling Info for Regular Benchmark Runs:?$/.test(t)) {
      openBlock('regular');
      continue;
    }
    const header = /^=+ (Run Order|Top by Computation Time|Summary by node type) =+$/.exec(t);
    if (header) {
      if (!block) openBlock('unlabelled');
      table = header[1] === 'Run Order' ? 'run-order' : header[1] === 'Summary by node type' ? 'summary' : 'top';
      continue;
    }
    if (block) {
      const b: ProfileBlock = block;
      let m: RegExpExecArray | null;
      if ((m = /^Number of nodes executed: (\d+)$/.exec(t))) {
        b.nodesExecuted = Number(m[1]);
        table = null;
        continue;
      }
      if ((m = /^Timings \(microseconds\): (count=.*)$/.exec(t))) {
        b.timings = parseStatLine(m[1]!) ?? null;
        table = null;
        continue;
      }
      if (/^Memory \(bytes\):/.test(t)) continue;
      if ((m = /^(\d+) nodes observed$/.exec(t))) {
        b.nodesObserved = Number(m[1]);
        closeBlock();
        continue;
      }
      if (table && /^\[node type\]/i.test(t)) continue;
      if (table === 'summary') {
        const c = parseProfileRow(t);
        if (c.length >= 7 && /^\d+$/.test(c[1]!)) {
          b.byNodeType.push({ nodeType: c[0]!, count: Number(c[1]), avgMs: Number(c[2]), pct: parseFloat(c[3]!), timesCalled: Number(c[6]) });
          continue;
        }
      }
      if (table === 'run-order') {
        const c = parseProfileRow(t);
        if (c.length >= 8 && /^[\d.]+$/.test(c[1]!)) {
          const row = runOrder.get(c[0]!) ?? { nodeType: c[0]!, count: 0, avgMs: 0, pct: 0, timesCalled: 0 };
          row.count += 1;
          row.avgMs = Math.round((row.avgMs + Number(c[3])) * 1e6) / 1e6;
          row.pct = Math.round((row.pct + parseFloat(c[4]!)) * 1e6) / 1e6;
          row.timesCalled += Number(c[7]);
          runOrder.set(c[0]!, row);
          continue;
        }
      }
      if (table === 'top') continue;
    }

    // GPU unsupported-op report: a header, `OP: reason` lines, then the GPU/CPU split.
    if (/^(Following|Next) operations are not supported by GPU delegate:?$/.test(t)) {
      gpuReport = { ops: [], onGpu: null, onCpu: null };
      out.gpuUnsupported = gpuReport;
      continue;
    }
    if (gpuReport) {
      let m = /^(\d+) operations will run on (.*)$/.exec(t);
      if (m) {
        const rest = m[2]!;
        // The excerpt may be cut mid-sentence ("294 operations will run on th"); the sentence names the GPU first.
        if (rest.startsWith('the GPU') || 'the GPU'.startsWith(rest)) gpuReport.onGpu = Number(m[1]);
        const cpu = /remaining (\d+) operations will run on the CPU/.exec(rest);
        if (cpu) gpuReport.onCpu = Number(cpu[1]);
        gpuReport = null;
        continue;
      }
      if ((m = /^No operations will run on the GPU, and all (\d+) operations will run on the CPU\.?$/.exec(t))) {
        gpuReport.onGpu = 0;
        gpuReport.onCpu = Number(m[1]);
        gpuReport = null;
        continue;
      }
      if ((m = /^First (\d+) operations will run on the GPU, and the remaining (\d+) on the CPU\.?$/.exec(t))) {
        gpuReport.onGpu = Number(m[1]);
        gpuReport.onCpu = Number(m[2]);
        gpuReport = null;
        continue;
      }
      if ((m = /^([A-Z][A-Z0-9_]*): (.+)$/.exec(t))) {
        gpuReport.ops.push({ op: m[1]!, reason: m[2]! });
        continue;
      }
      gpuReport = null;
    }

    let m: RegExpExecArray | null;
    if ((m = /^count=/.exec(t))) {
      const stat = parseStatLine(t);
      if (stat) stats.push({ stat, phase: out.phases.length });
      continue;
    }
    if ((m = /^Running benchmark for at least (\d+) iterations and at least (\S+) seconds(?: but terminate if exceeding (\S+?) seconds)?\.?$/.exec(t))) {
      out.phases.push({ minRuns: Number(m[1]), minSecs: Number(m[2]), maxSecs: num(m[3]) });
      continue;
    }
    if ((m = /^Inference timings in us: (.*)$/.exec(t))) {
      const f = (name: string) => num(new RegExp(`${name}: (${NUM})`).exec(m![1]!)?.[1]);
      out.summary = { initUs: f('Init'), firstInferenceUs: f('First inference'), warmupAvgUs: f('Warmup \\(avg\\)'), inferenceAvgUs: f('Inference \\(avg\\)') };
      continue;
    }
    if ((m = /^Average inference timings in us: (.*)$/.exec(t))) {
      averageFormat = true;
      const f = (name: string) => num(new RegExp(`${name}: (${NUM})`).exec(m![1]!)?.[1]);
      out.summary = { initUs: f('Init'), firstInferenceUs: null, warmupAvgUs: f('Warmup'), inferenceAvgUs: f('(?:no stats|Inference)') };
      continue;
    }
    if ((m = new RegExp(`^Initialized session in (${NUM}) ?ms\\.?$`).exec(t))) {
      out.initSessionMs = Number(m[1]);
      continue;
    }
    if ((m = new RegExp(`^The input model file size \\(MB\\): (${NUM})$`).exec(t))) {
      out.modelSizeMB = Number(m[1]);
      continue;
    }
    if ((m = /^Loaded model (.+)$/.exec(t))) {
      out.model = m[1]!;
      continue;
    }
    if ((m = new RegExp(`^(Peak memory footprint|Memory footprint delta from the start of the tool) \\(MB\\): init=(${NUM}) overall=(${NUM})$`).exec(t))) {
      out.memory = { kind: m[1] === 'Peak memory footprint' ? 'peak' : 'delta', initMB: Number(m[2]), overallMB: Number(m[3]) };
      continue;
    }
    if ((m = new RegExp(`^Overall peak memory footprint \\(MB\\) via periodic monitoring: (${NUM})`).exec(t))) {
      out.peakMB = Number(m[1]);
      continue;
    }
    if ((m = new RegExp(`^[-+] (.+?)\\s+: (${NUM}) MB$`).exec(t))) {
      out.memoryStatusMB[m[1]!] = Number(m[2]);
      continue;
    }
    if ((m = PARTITION.exec(t))) {
      const p: PartitionLine = {
        delegate: m[3]!,
        nodesDelegated: Number(m[1]),
        nodesTotal: num(m[2]),
        partitions: Number(m[4]),
        subgraph: num(m[5]),
        subgraphName: m[6] ?? null,
        line: t,
      };
      out.partitionLines.push(p);
      out.delegates[p.delegate] = p;
      continue;
    }
    if ((m = /^Created (\d+) GPU delegate kernels\.?$/.exec(t))) {
      out.gpuKernels = Number(m[1]);
      continue;
    }
    const created = createdName(t);
    if (created) {
      if (!out.created.includes(created)) out.created.push(created);
      continue;
    }
    if ((m = /^(\S+) acceleration is unsupported on this platform\.?$/.exec(t))) {
      out.unsupported.push(m[1]!);
      continue;
    }
    if ((m = /^Explicitly applied (\S+) delegate, and the model graph will be (\w*)(.*)$/.exec(t))) {
      const word = m[2]!;
      const kind = word && 'completely'.startsWith(word) ? 'complete' : word && 'partially'.startsWith(word) ? 'partial' : 'unknown';
      out.verdicts.push({ delegate: m[1]!, kind, kernels: num(/w\/ (\d+) delegate kernels/.exec(m[3]!)?.[1]), line: t });
      continue;
    }
    if ((m = /^Though (\S+) delegate is explicitly applied/.exec(t))) {
      out.verdicts.push({ delegate: m[1]!, kind: 'none', kernels: 0, line: t });
      continue;
    }
    if ((m = /^Failed to apply (\S+) delegate\.?$/.exec(t))) {
      out.failedToApply.push(m[1]!);
      continue;
    }
    if (/^Benchmarking failed\.?$/.test(t)) {
      out.failed = true;
      continue;
    }
    if ((m = /^NNAPI accelerators available: \[(.*)\]$/.exec(t))) {
      out.nnapiAccelerators = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
      out.params['NNAPI accelerators available'] = m[1]!;
      continue;
    }
    if ((m = /^([A-Za-z#][^:[\]]*?)\s*:\s*\[(.*)\]$/.exec(t))) {
      out.params[m[1]!] = m[2]!;
      continue;
    }
  }
  closeBlock();

  // Warm-up and regular stats: by the "Running benchmark" phase they follow (1st = warm-up, 2nd = regular runs);
  // a tail without phase lines has them in the same order, regular last.
  const byPhase = (n: number) => stats.filter((s) => s.phase === n).at(-1)?.stat ?? null;
  if (out.phases.length >= 2) {
    out.warmup = byPhase(1);
    out.runs = byPhase(out.phases.length);
  } else if (out.phases.length === 1 && stats.every((s) => s.phase === 1)) {
    // Only the warm-up phase started (failure before the runs).
    out.warmup = byPhase(1);
  } else {
    out.runs = stats.at(-1)?.stat ?? null;
    out.warmup = stats.length >= 2 ? stats.at(-2)!.stat : null;
  }

  out.format = averageFormat
    ? 'average-timings'
    : studioLines > logcatLines && studioLines > 0
      ? 'android-studio'
      : logcatLines > 0
        ? 'logcat'
        : prefixedTool > plainTool
          ? 'info-prefix'
          : 'plain';
  return out;
}
