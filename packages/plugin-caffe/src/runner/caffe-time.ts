/**
 * Parser of `caffe time` output (glog lines on stderr): per-iteration forward-backward times, per-layer
 * forward/backward averages, and the closing "Average Forward pass: X ms." summary.
 */

/** What one `caffe time` run reported. */
export interface CaffeTimeReport {
  /** "Iteration: i forward-backward time: X ms." values, in order. */
  iterationsMs: number[];
  /** Per-layer averages, in net order. */
  layers: { name: string; forwardMs: number; backwardMs?: number }[];
  averageForwardMs?: number;
  averageBackwardMs?: number;
  averageForwardBackwardMs?: number;
  totalMs?: number;
}

const NUM = '([-+]?\\d*\\.?\\d+(?:[eE][-+]?\\d+)?)';
/** glog's prefix: `I0312 15:29:30.427956  2367 caffe.cpp:409] `. */
const GLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\]]+\] ?/;
const ITER = new RegExp(`^Iteration: (\\d+) forward-backward time: ${NUM} ms`);
const LAYER = new RegExp(`^\\s*(.+?)\\s+(forward|backward): ${NUM} ms\\.?\\s*$`);
const SUMMARY: [RegExp, keyof CaffeTimeReport][] = [
  [new RegExp(`^Average Forward pass: ${NUM} ms`), 'averageForwardMs'],
  [new RegExp(`^Average Backward pass: ${NUM} ms`), 'averageBackwardMs'],
  [new RegExp(`^Average Forward-Backward: ${NUM} ms`), 'averageForwardBackwardMs'],
  [new RegExp(`^Total Time: ${NUM} ms`), 'totalMs'],
];

/** Parse `caffe time` output; lines it does not know are ignored. Wrapped lines (a forwarded log) are rejoined. */
export function parseCaffeTime(text: string): CaffeTimeReport {
  const report: CaffeTimeReport = { iterationsMs: [], layers: [] };
  const byName = new Map<string, CaffeTimeReport['layers'][number]>();
  let perLayer = false;
  const lines = text.split(/\r?\n/).slice(0, 1_000_000);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(GLOG, '');
    // Some terminals wrap "…forward-backward\ntime: X ms."; join it back.
    if (/forward-backward$/.test(line) && i + 1 < lines.length && /^time:/.test(lines[i + 1]!)) line = `${line} ${lines[++i]}`;
    const it = ITER.exec(line);
    if (it) {
      report.iterationsMs.push(Number(it[2]));
      continue;
    }
    if (/^Average time per layer:?/.test(line)) {
      perLayer = true;
      continue;
    }
    const sum = SUMMARY.find(([re]) => re.test(line));
    if (sum) {
      perLayer = false;
      (report as unknown as Record<string, number>)[sum[1]] = Number(sum[0].exec(line)![1]);
      continue;
    }
    if (!perLayer) continue;
    const m = LAYER.exec(line);
    if (!m) continue;
    const name = m[1]!.trim();
    let entry = byName.get(name);
    if (!entry) {
      entry = { name, forwardMs: 0 };
      byName.set(name, entry);
      report.layers.push(entry);
    }
    if (m[2] === 'forward') entry.forwardMs = Number(m[3]);
    else entry.backwardMs = Number(m[3]);
  }
  return report;
}
