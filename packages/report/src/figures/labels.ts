/** Short, unambiguous names for models and devices in figures and tables. */
import type { ReportData, ReportDevice } from '../data/report-data.js';

/** Longest label a figure axis shows; model paths from APKs can be very long. */
const MAX_LABEL = 48;

/** Keep the end of a path (the file name is the informative part), marking the cut with an ellipsis. */
export function shortenPath(s: string, max = MAX_LABEL): string {
  const chars = [...s];
  return chars.length <= max ? s : '…' + chars.slice(chars.length - (max - 1)).join('');
}

/**
 * sha256 → display label. Two models with the same path in different apps are different models,
 * so a repeated name gets its hash prefix appended.
 */
export function modelLabels(data: Pick<ReportData, 'models' | 'measurements'>): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of data.models) names.set(m.sha256, m.name);
  // Measurements may name models the models list lacks (a partial store); fall back to their name.
  for (const j of data.measurements) if (!names.has(j.model)) names.set(j.model, j.modelName || j.model);
  const count = new Map<string, number>();
  for (const n of names.values()) {
    const s = shortenPath(n);
    count.set(s, (count.get(s) ?? 0) + 1);
  }
  const labels = new Map<string, string>();
  for (const [sha, n] of names) {
    const s = shortenPath(n);
    labels.set(sha, (count.get(s) ?? 0) > 1 ? `${s} [${sha.slice(0, 8)}]` : s);
  }
  return labels;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

/** `Pixel 7 (2A191FDH)` when the device reports a model name, else its id. */
export function deviceLabel(d: ReportDevice | undefined, id: string): string {
  const model = str(d?.info['model']);
  return model && model !== id ? `${model} (${id})` : id;
}

/** id → label for every device named by the data. */
export function deviceLabels(data: Pick<ReportData, 'devices' | 'measurements'>): Map<string, string> {
  const byId = new Map(data.devices.map((d) => [d.id, d] as const));
  const out = new Map<string, string>();
  for (const d of data.devices) out.set(d.id, deviceLabel(d, d.id));
  for (const j of data.measurements) if (!out.has(j.device)) out.set(j.device, deviceLabel(byId.get(j.device), j.device));
  return out;
}
