/**
 * Parser for `benchncnn`'s text output. After a header of `key = value` lines (loop_count, num_threads,
 * powersave, gpu_device, cooling_down) and, with Vulkan, GPU capability lines in brackets, it prints one line
 * per model: `<name padded to 20>  min = %7.2f  max = %7.2f  avg = %7.2f` (milliseconds, on stderr).
 */

/** One model's aggregate timing as benchncnn reports it. */
export interface BenchncnnStat {
  model: string;
  minMs: number;
  maxMs: number;
  avgMs: number;
}

export interface BenchncnnOutput {
  stats: BenchncnnStat[];
  /** The header's settings (`loop_count`, `num_threads`, `powersave`, `gpu_device`, `cooling_down`). */
  settings: Record<string, number>;
  /** Bracketed GPU info lines (`[0 Adreno (TM) 640]  fp16p=1 …`). */
  gpuInfo: string[];
}

const STAT = /^\s*(.+?)\s+min\s*=\s*(-?[\d.]+)\s+max\s*=\s*(-?[\d.]+)\s+avg\s*=\s*(-?[\d.]+)\s*$/;
const SETTING = /^\s*(loop_count|num_threads|powersave|gpu_device|cooling_down)\s*=\s*(-?\d+)\s*$/;

/** Read every stat line and the header of benchncnn's output (stdout and stderr together). */
export function parseBenchncnnOutput(text: string): BenchncnnOutput {
  const stats: BenchncnnStat[] = [];
  const settings: Record<string, number> = {};
  const gpuInfo: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const s = STAT.exec(line);
    if (s) {
      const [minMs, maxMs, avgMs] = [Number(s[2]), Number(s[3]), Number(s[4])];
      if ([minMs, maxMs, avgMs].every(Number.isFinite)) stats.push({ model: s[1]!.trim(), minMs, maxMs, avgMs });
      continue;
    }
    const k = SETTING.exec(line);
    if (k) settings[k[1]!] = Number(k[2]);
    else if (/^\[\d+ /.test(line)) gpuInfo.push(line.trim());
  }
  return { stats, settings, gpuInfo };
}
