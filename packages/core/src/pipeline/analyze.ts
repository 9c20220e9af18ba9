import { GaugeError } from '../errors/gauge-error.js';
import type { Gauge } from '../gauge.js';
import type { ModelGraph } from '../ir/model-graph.js';
import type { Store, StoredModel } from '../store/store.js';

/** Outcome of analysing one model: its graph, or the typed error that stopped it. */
export type AnalyzeOutcome = { model: StoredModel; graph: ModelGraph; error?: undefined } | { model: StoredModel; graph?: undefined; error: GaugeError };

/** Parse one stored model with its framework's plugin and record the result (or the failure) in the store. */
export async function analyzeStoredModel(gauge: Gauge, store: Store, model: StoredModel): Promise<AnalyzeOutcome> {
  try {
    const graph = await gauge.parse({ framework: model.framework, files: model.files });
    store.saveAnalysis(model.sha256, graph);
    return { model, graph };
  } catch (e) {
    const error = GaugeError.from(e, 'MODEL_MALFORMED', { hook: `parse:${model.framework}`, subject: model.firstPath });
    store.saveAnalysisError(model.sha256, error.toJSON());
    return { model, error };
  }
}

/** The JSON contract of `gaugenn analyze --json`: one object per model. */
export function modelGraphJSON(file: string, sha256: string, g: ModelGraph) {
  const categories: Record<string, number> = {};
  for (const l of g.layers) categories[l.category] = (categories[l.category] ?? 0) + 1;
  return {
    file,
    framework: g.framework,
    formatVersion: g.formatVersion ?? null,
    sha256,
    inputs: g.inputs,
    outputs: g.outputs,
    macs: g.totals.macs,
    flops: g.totals.flops,
    params: g.totals.params,
    weightBytes: g.totals.weightBytes,
    layerCount: g.layers.length,
    categories,
    quantization: g.quantization.scheme,
    quantizationDetail: g.quantization,
    modality: g.modality,
    metadata: g.metadata,
    notes: g.notes ?? [],
    layers: g.layers.map((l) => ({
      index: l.index, name: l.name, op: l.op, category: l.category, inputShapes: l.inputShapes, outputShapes: l.outputShapes,
      macs: l.macs, flops: l.flops, params: l.params,
      weights: l.weights.map((w) => ({ shape: w.shape, dtype: w.dtype, bytes: w.bytes, digest: w.digest ?? null, trivial: Boolean(w.trivial) })),
      ...(l.attrs ? { attrs: l.attrs } : {}),
    })),
  };
}
