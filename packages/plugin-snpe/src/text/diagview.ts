/**
 * snpe-diagview's text output (verified on SNPE 2.21.0 captures at profiling level basic): a header
 * (`Software library version:`), `Key: <value> <unit>` statistics (Load, Deserialize, Create, Init, De-Init,
 * Total Inference Time, …; `0 NONE` where not measured) and, at level detailed, a "Layer Times" section with lines
 * `<id>: <name> <time> <unit>[: <runtime>]` (that section's form comes from the SDK's snpebm parser as vendored in a
 * public repository; no verbatim capture was available, so it is read tolerantly).
 */

export interface DiagviewLayer {
  id: number;
  name: string;
  us: number;
  /** The runtime that ran the layer (`CPU`, `GPU`, `DSP`), where printed. */
  runtime?: string;
}

export interface DiagviewReport {
  sdkVersion?: string;
  /** Statistic name → value in µs (only measured ones; `0 NONE` is left out). */
  stats: Record<string, number>;
  layers: DiagviewLayer[];
}

const UNIT_US: Record<string, number> = { us: 1, ms: 1000, s: 1e6, ns: 1e-3 };

export function parseDiagview(text: string): DiagviewReport {
  const out: DiagviewReport = { stats: {}, layers: [] };
  let inLayers = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^Software library version:\s*(\S+)/.exec(line))) out.sdkVersion = m[1]!;
    else if (/^Layer Times/i.test(line)) inLayers = true;
    else if (/^(Convert Times|Average SNPE Statistics|Dnn Runtime)/i.test(line)) inLayers = false;
    else if (inLayers && (m = /^(\d+):\s*(.+?)\s+(\d+(?:\.\d+)?)\s*(us|ms|ns|s)\b(?:\s*:\s*(\S+))?/.exec(line))) {
      out.layers.push({ id: Number(m[1]), name: m[2]!.trim(), us: Number(m[3]) * UNIT_US[m[4]!]!, ...(m[5] ? { runtime: m[5] } : {}) });
    } else if (!inLayers && (m = /^([A-Za-z][A-Za-z ()/-]*?):\s*(\d+(?:\.\d+)?)\s*(us|ms|ns|s)$/.exec(line))) {
      out.stats[m[1]!.trim()] = Number(m[2]) * UNIT_US[m[3]!]!;
    }
  }
  return out;
}
