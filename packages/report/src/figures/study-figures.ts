/**
 * The study's figures beyond the per-model basics: composition per modality, compute distributions, latency
 * ECDFs, backend truth, energy, campaign replicability, snapshots and lineage. Pure functions of ReportData;
 * each returns an empty-state note instead of a spec when there is nothing to plot.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ReportData } from '../data/report-data.js';
import { summarise } from '@gaugenn/core';
import { CONFIG, type Figure } from './figures.js';
import { deviceLabels, modelLabels, shortenPath } from './labels.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const spec = (s: Record<string, unknown>): TopLevelSpec => ({ $schema: SCHEMA, config: CONFIG, ...s }) as unknown as TopLevelSpec;

/** Points of an empirical CDF: each value with the share of values at or below it. */
function ecdf(xs: number[]): { x: number; p: number }[] {
  const s = [...xs].sort((a, b) => a - b);
  return s.map((x, i) => ({ x, p: (i + 1) / s.length }));
}

/** Median latency of a done job: from its samples, or the runtime's own aggregate when it printed only that. */
function jobMedian(j: ReportData['measurements'][number]): number | undefined {
  if (j.status !== 'done') return undefined;
  if (j.samplesKind === 'aggregate') return j.aggregate?.median ?? undefined;
  const pos = j.samplesMs.filter((x) => Number.isFinite(x) && x > 0);
  return pos.length ? summarise(pos).median : undefined;
}

/** Figure 3: share of layers per category, per framework, one row per input modality. */
export function layerCompositionByModalityFigure(data: ReportData): Figure {
  const id = 'layer-composition-modality';
  const title = 'Layer composition per modality and framework';
  const caption = 'Share of layers by layer category over all analysed unique models, per framework (bars) and input modality (rows). Counts are layers, not MACs.';
  const sums = new Map<string, { modality: string; framework: string; category: string; layers: number }>();
  for (const m of data.models) {
    if (!m.analysed) continue;
    for (const [category, n] of Object.entries(m.categories)) {
      if (!(n > 0)) continue;
      const k = JSON.stringify([m.modality, m.framework, category]);
      const e = sums.get(k);
      if (e) e.layers += n;
      else sums.set(k, { modality: m.modality, framework: m.framework, category, layers: n });
    }
  }
  const values = [...sums.values()];
  if (!values.length) return { id, title, caption, emptyNote: 'No analysed models with layers yet.' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      facet: { row: { field: 'modality', type: 'nominal', title: 'Modality', header: { labelAngle: 0, labelAlign: 'left' } } },
      spec: {
        width: 480,
        height: { step: 22 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'framework', type: 'nominal', title: 'Framework' },
          x: { field: 'layers', type: 'quantitative', aggregate: 'sum', stack: 'normalize', axis: { format: '%', title: 'Share of layers, %' } },
          color: { field: 'category', type: 'nominal', title: 'Layer category', scale: { scheme: 'tableau20' } },
          order: { field: 'category' },
        },
      },
      resolve: { scale: { y: 'independent' } },
    }),
  };
}

/** MACs and parameter distributions: ECDF over unique models, per framework, log scale. */
export function macsParamsDistributionFigure(data: ReportData): Figure {
  const id = 'macs-params-distribution';
  const title = 'Distribution of compute and parameters';
  const caption = 'Empirical CDF over analysed unique models of MACs (multiply-accumulates per inference, log scale) and of parameters (elements of constant weight tensors, log scale), one line per framework.';
  const values: { measure: string; framework: string; value: number; share: number }[] = [];
  for (const [measure, get] of [['MACs (multiply-accumulates)', (m: ReportData['models'][number]) => m.macs], ['Parameters', (m: ReportData['models'][number]) => m.params]] as const) {
    const byFw = new Map<string, number[]>();
    for (const m of data.models) {
      const v = get(m);
      if (m.analysed && v > 0) byFw.set(m.framework, [...(byFw.get(m.framework) ?? []), v]);
    }
    for (const [framework, xs] of byFw) for (const p of ecdf(xs)) values.push({ measure, framework, value: p.x, share: p.p });
  }
  if (!values.length) return { id, title, caption, emptyNote: 'No analysed models with MACs or parameters yet.' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      facet: { column: { field: 'measure', type: 'nominal', title: null } },
      spec: {
        width: 300, height: 220,
        mark: { type: 'line', interpolate: 'step-after', point: true },
        encoding: {
          x: { field: 'value', type: 'quantitative', scale: { type: 'log' }, axis: { format: '~s', title: 'Value per model (log scale)' } },
          y: { field: 'share', type: 'quantitative', axis: { format: '%', title: 'Share of models at or below' } },
          color: { field: 'framework', type: 'nominal', title: 'Framework' },
        },
      },
      resolve: { scale: { x: 'independent' } },
    }),
  };
}

/** Figure 5: ECDF of per-model median latency, one panel per device, one line per backend. */
export function latencyEcdfFigure(data: ReportData): Figure {
  const id = 'latency-ecdf';
  const title = 'Latency ECDF per device and backend';
  const caption = 'Empirical CDF of the median latency of one inference (ms, log scale) over the models measured, one panel per device, one line per backend and thread count. Aggregate-only jobs enter with the median the runtime printed.';
  const devs = deviceLabels(data);
  const groups = new Map<string, { device: string; config: string; xs: number[] }>();
  for (const j of data.measurements) {
    const med = jobMedian(j);
    if (med === undefined || !(med > 0)) continue;
    const device = devs.get(j.device) ?? j.device;
    const config = `${j.backend} · ${j.threads}t`;
    const k = JSON.stringify([device, config]);
    const g = groups.get(k) ?? { device, config, xs: [] };
    g.xs.push(med);
    groups.set(k, g);
  }
  const values = [...groups.values()].flatMap((g) => ecdf(g.xs).map((p) => ({ device: g.device, backend: g.config, median_ms: p.x, share: p.p })));
  if (!values.length) return { id, title, caption, emptyNote: 'No measurements yet: no done job with a median latency.' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      facet: { field: 'device', type: 'nominal', title: 'Device' },
      columns: 2,
      spec: {
        width: 320, height: 220,
        mark: { type: 'line', interpolate: 'step-after', point: true },
        encoding: {
          x: { field: 'median_ms', type: 'quantitative', scale: { type: 'log' }, axis: { title: 'Median latency (ms, log scale)' } },
          y: { field: 'share', type: 'quantitative', axis: { format: '%', title: 'Share of models at or below' } },
          color: { field: 'backend', type: 'nominal', title: 'Backend · threads' },
        },
      },
    }),
  };
}

/** Figure 6: kernel density of energy per inference, power and efficiency, per device. */
export function energyFigure(data: ReportData): Figure {
  const id = 'energy';
  const title = 'Energy, power and efficiency per device';
  const caption = 'Kernel density over jobs of energy per inference (J, idle baseline subtracted), average power during inference (W) and efficiency (MACs per joule), one curve per device.';
  const devs = deviceLabels(data);
  const values: { device: string; measure: string; value: number }[] = [];
  for (const e of data.energy ?? []) {
    const device = devs.get(e.device) ?? e.device;
    if (e.perInferenceJ !== undefined && e.perInferenceJ > 0) values.push({ device, measure: 'Energy per inference (J)', value: e.perInferenceJ });
    if (e.powerW !== undefined && e.powerW > 0) values.push({ device, measure: 'Power (W)', value: e.powerW });
    if (e.macsPerJ !== undefined && e.macsPerJ > 0) values.push({ device, measure: 'Efficiency (MACs (multiply-accumulates) per J)', value: e.macsPerJ });
  }
  if (!values.length) return { id, title, caption, emptyNote: 'Energy was not measured: the store holds no energy rows (run bench with an energy source).' };
  // One panel per measure, each with its own density: a shared extent would squash joules beside MACs per joule.
  const panel = (measure: string, format: string) => ({
    width: 260, height: 200,
    title: { text: measure, fontSize: 12 },
    transform: [{ filter: { field: 'measure', equal: measure } }, { density: 'value', groupby: ['device'], as: ['value', 'density'] }],
    mark: { type: 'area', opacity: 0.5, line: true },
    encoding: {
      x: { field: 'value', type: 'quantitative', axis: { format, title: measure } },
      y: { field: 'density', type: 'quantitative', title: 'Density', axis: { format: '~g' } },
      color: { field: 'device', type: 'nominal', title: 'Device' },
    },
  });
  const panels = ([['Energy per inference (J)', '~g'], ['Power (W)', '~g'], ['Efficiency (MACs (multiply-accumulates) per J)', '~s']] as const)
    .filter(([m]) => values.some((v) => v.measure === m))
    .map(([m, f]) => panel(m, f));
  return { id, title, caption, spec: spec({ data: { values }, hconcat: panels }) };
}

/** Figure 7: apps that call cloud ML APIs, per app category. */
export function cloudApisByCategoryFigure(data: ReportData): Figure {
  const id = 'cloud-apis-by-category';
  const title = 'Apps calling cloud ML APIs per category';
  const caption = 'Apps (one per package and snapshot) per app category, split by whether their code calls a cloud ML API (evidence in the apps table).';
  const counts = new Map<string, { category: string; cloud: string; apps: number }>();
  for (const a of data.apps) {
    const category = a.category ?? 'uncategorised';
    const cloud = (a.cloudApis ?? []).length ? 'calls cloud ML APIs' : 'no cloud ML API';
    const k = `${category}\u0000${cloud}`;
    const e = counts.get(k) ?? { category, cloud, apps: 0 };
    e.apps++;
    counts.set(k, e);
  }
  const values = [...counts.values()];
  if (!values.length) return { id, title, caption, emptyNote: 'No apps in the store yet.' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      width: 480, height: { step: 22 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'category', type: 'nominal', title: 'App category', sort: '-x' },
        x: { field: 'apps', type: 'quantitative', aggregate: 'sum', title: 'Apps (count)', axis: { tickMinStep: 1, format: 'd' } },
        color: { field: 'cloud', type: 'nominal', title: null, scale: { domain: ['calls cloud ML APIs', 'no cloud ML API'], range: ['#d62728', '#c7c7c7'] } },
      },
    }),
  };
}

/** Frameworks and delegates found in apps, and backends measured. */
export function foundInAppsFigure(data: ReportData): Figure {
  const id = 'frameworks-delegates-backends';
  const title = 'Frameworks, delegates and backends';
  const caption = 'Apps in which each ML framework (models, code or native libraries) and each delegate (code evidence) was found; and measurement jobs per backend.';
  const values: { kind: string; name: string; count: number }[] = [];
  const add = (kind: string, name: string) => {
    const e = values.find((v) => v.kind === kind && v.name === name);
    if (e) e.count++;
    else values.push({ kind, name, count: 1 });
  };
  for (const a of data.apps) {
    for (const f of new Set(a.frameworks)) add('Framework (apps)', f);
    for (const d of new Set(a.delegates ?? [])) add('Delegate (apps)', d);
  }
  for (const j of data.measurements) add('Backend (jobs)', j.backend);
  if (!values.length) return { id, title, caption, emptyNote: 'No frameworks, delegates or measurements found yet.' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      facet: { row: { field: 'kind', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } } },
      spec: {
        width: 420, height: { step: 20 },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'name', type: 'nominal', title: null, sort: '-x' },
          x: { field: 'count', type: 'quantitative', title: 'Count', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'kind', type: 'nominal', legend: null },
        },
      },
      resolve: { scale: { y: 'independent', x: 'independent' } },
    }),
  };
}

/** Backend truth: how much of each model the delegate really ran, per device and backend. */
export function backendTruthFigure(data: ReportData): Figure {
  const id = 'backend-truth';
  const title = 'Backend truth: what the delegate really ran';
  const caption = 'Jobs per device · backend by what the runtime reported: fully delegated, partly delegated (nodes fell back to the CPU) or delegate not applied. The measurements table lists nodes delegated and warnings per job.';
  const devs = deviceLabels(data);
  const values: { config: string; verdict: string; jobs: number; share: number | null }[] = [];
  for (const j of data.measurements) {
    const d = j.delegation;
    if (!d) continue;
    const share = d.nodesDelegated != null && d.nodesTotal ? d.nodesDelegated / d.nodesTotal : null;
    const verdict = !d.applied ? 'not applied' : share !== null && share < 1 ? 'partial (fallback)' : 'fully delegated';
    values.push({ config: `${devs.get(j.device) ?? j.device} · ${j.backend}`, verdict, jobs: 1, share });
  }
  if (!values.length) return { id, title, caption, emptyNote: 'No delegate was asked for: no job records what a delegate did (CPU-only runs have no backend truth).' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      width: 480, height: { step: 22 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'config', type: 'nominal', title: 'Device · backend' },
        x: { field: 'jobs', type: 'quantitative', aggregate: 'sum', title: 'Jobs (count)', axis: { tickMinStep: 1, format: 'd' } },
        color: { field: 'verdict', type: 'nominal', title: 'Delegation', scale: { domain: ['fully delegated', 'partial (fallback)', 'not applied'], range: ['#2ca02c', '#ff7f0e', '#d62728'] } },
      },
    }),
  };
}

/** Replicability: the median of the same (device, model, backend, threads) in each campaign. */
export function campaignSpreadFigure(data: ReportData): Figure {
  const id = 'campaign-spread';
  const title = 'Replicability across campaigns';
  const caption = 'Median latency (ms, log scale) of the same model × device × backend × threads in each campaign that measured it; the spread of the points is the run-to-run variation between campaigns.';
  const rows = campaignSpread(data);
  const values = rows.flatMap((r) => r.medians.map((m) => ({ key: r.key, campaign: m.campaign, median_ms: m.median })));
  if (!values.length) return { id, title, caption, emptyNote: 'No configuration was measured in two or more campaigns yet.' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      width: 480, height: { step: 20 },
      layer: [
        { mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'key', type: 'nominal', title: null, axis: { labelLimit: 360 } }, x: { field: 'median_ms', aggregate: 'min', type: 'quantitative' }, x2: { field: 'median_ms', aggregate: 'max' } } },
        { mark: { type: 'point', filled: true, size: 60 }, encoding: { y: { field: 'key', type: 'nominal' }, x: { field: 'median_ms', type: 'quantitative', scale: { type: 'log' }, axis: { title: 'Median latency (ms, log scale)' } }, color: { field: 'campaign', type: 'nominal', title: 'Campaign' } } },
      ],
    }),
  };
}

/** Per (device, model, backend, threads) measured in ≥ 2 campaigns: each campaign's median and their spread. */
export function campaignSpread(data: ReportData): { key: string; medians: { campaign: string; median: number }[]; spreadPct: number }[] {
  const labels = modelLabels(data);
  const devs = deviceLabels(data);
  const groups = new Map<string, Map<string, number>>();
  for (const j of data.measurements) {
    const med = jobMedian(j);
    if (med === undefined) continue;
    const key = `${labels.get(j.model) ?? j.modelName} · ${devs.get(j.device) ?? j.device} · ${j.backend} · ${j.threads}t`;
    const g = groups.get(key) ?? new Map<string, number>();
    g.set(j.campaign ?? 'default', med);
    groups.set(key, g);
  }
  return [...groups.entries()]
    .filter(([, g]) => g.size >= 2)
    .map(([key, g]) => {
      const medians = [...g.entries()].map(([campaign, median]) => ({ campaign, median }));
      const xs = medians.map((m) => m.median);
      const mid = summarise(xs).median;
      return { key, medians, spreadPct: mid > 0 ? ((Math.max(...xs) - Math.min(...xs)) / mid) * 100 : 0 };
    })
    .sort((a, b) => b.spreadPct - a.spreadPct);
}

/** Apps and unique models per snapshot. */
export function modelsPerSnapshotFigure(data: ReportData): Figure {
  const id = 'models-per-snapshot';
  const title = 'Models per snapshot';
  const caption = 'Apps and unique models (by content) in each snapshot.';
  const values = (data.snapshots ?? []).flatMap((s) => [
    { snapshot: s.name, what: 'apps', count: s.apps },
    { snapshot: s.name, what: 'unique models', count: s.models },
  ]);
  if (!values.length) return { id, title, caption, emptyNote: 'No snapshots recorded: extract with `gaugenn extract --snapshot NAME` (or `snapshot` on a source).' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      width: { step: 28 }, height: 220,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'snapshot', type: 'nominal', title: 'Snapshot', sort: (data.snapshots ?? []).map((s) => s.name) },
        xOffset: { field: 'what' },
        y: { field: 'count', type: 'quantitative', title: 'Count', axis: { tickMinStep: 1, format: 'd' } },
        color: { field: 'what', type: 'nominal', title: null },
      },
    }),
  };
}

/** How apps moved between consecutive snapshots. */
export function snapshotDiffFigure(data: ReportData): Figure {
  const id = 'snapshot-diff';
  const title = 'Snapshot diff';
  const caption = 'Apps (matched by package) added, removed, updated (other models or version) and kept between consecutive snapshots.';
  const values = (data.diffs ?? []).flatMap((d) => (['added', 'removed', 'updated', 'kept'] as const).map((k) => ({ diff: `${d.a} → ${d.b}`, change: k, apps: d.apps[k].length })));
  if (!values.some((v) => v.apps > 0)) return { id, title, caption, emptyNote: 'Fewer than two snapshots: nothing to compare.' };
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      width: 480, height: { step: 26 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'diff', type: 'nominal', title: null },
        x: { field: 'apps', type: 'quantitative', title: 'Apps (count)', axis: { tickMinStep: 1, format: 'd' } },
        color: { field: 'change', type: 'nominal', title: 'Change', scale: { domain: ['added', 'removed', 'updated', 'kept'], range: ['#2ca02c', '#d62728', '#ff7f0e', '#c7c7c7'] } },
        order: { field: 'change' },
      },
    }),
  };
}

/**
 * The lineage graph: models on a circle, one edge per pair, coloured by relation. Vega-Lite has no graph
 * layout; a circle needs none and keeps every edge visible, which is all a pair list needs.
 */
export function lineageGraphFigure(data: ReportData): Figure {
  const id = 'lineage-graph';
  const title = 'Lineage graph';
  const caption = 'Models (one node per content hash, named by one occurrence app!/path) joined when they are identical copies, fine-tuned variants (all but a few weight tensors shared, the differing ones at the head) or related (a shared backbone). Trivial tensors never join models.';
  const pairs = data.lineage ?? [];
  if (!pairs.length) return { id, title, caption, emptyNote: 'No two models are identical or share weight tensors.' };
  // A node per (occurrence name, content): identical copies in other apps are nodes of their own, and two
  // versions of a model at the same app!/path (an update) are told apart by their hash prefix.
  const key = (m: { name: string; sha256: string }) => `${m.name}#${m.sha256}`;
  const shas = new Map<string, Set<string>>();
  for (const m of pairs.flatMap((p) => [p.a, p.b])) shas.set(m.name, (shas.get(m.name) ?? new Set()).add(m.sha256));
  const labelOf = (k: string) => {
    const [name, sha] = [k.slice(0, k.lastIndexOf('#')), k.slice(k.lastIndexOf('#') + 1)];
    return (shas.get(name)?.size ?? 0) > 1 ? `${shortenPath(name, 40)} [${sha.slice(0, 8)}]` : shortenPath(name, 40);
  };
  const names = [...new Set(pairs.flatMap((p) => [key(p.a), key(p.b)]))].sort();
  const pos = new Map(names.map((n, i) => {
    const t = (2 * Math.PI * i) / names.length;
    return [n, { x: Math.cos(t), y: Math.sin(t) }] as const;
  }));
  const values = [
    ...pairs.map((p) => ({ type: 'edge', relation: p.relation, x: pos.get(key(p.a))!.x, y: pos.get(key(p.a))!.y, x2: pos.get(key(p.b))!.x, y2: pos.get(key(p.b))!.y, label: `${p.a.name} — ${p.b.name}`, shared: p.sharedTensors })),
    ...names.map((n) => ({ type: 'node', relation: null, x: pos.get(n)!.x, y: pos.get(n)!.y, x2: null, y2: null, label: labelOf(n), shared: null })),
  ];
  const xs = { scale: { domain: [-2.6, 2.6] }, axis: null };
  const ys = { scale: { domain: [-1.25, 1.25] }, axis: null };
  const at = { x: { field: 'x', type: 'quantitative', ...xs }, y: { field: 'y', type: 'quantitative', ...ys } };
  // Labels point away from the circle: right of nodes on the right half, left of nodes on the left half.
  const label = (side: 'left' | 'right') => ({
    transform: [{ filter: `datum.type === 'node' && datum.x ${side === 'right' ? '>=' : '<'} 0` }],
    mark: { type: 'text', align: side === 'right' ? 'left' : 'right', dx: side === 'right' ? 7 : -7, fontSize: 10 },
    encoding: { ...at, text: { field: 'label' } },
  });
  return {
    id, title, caption,
    spec: spec({
      data: { values },
      width: 820, height: Math.max(360, names.length * 18),
      layer: [
        { transform: [{ filter: "datum.type === 'edge'" }], mark: { type: 'rule', strokeWidth: 2, opacity: 0.8 }, encoding: { ...at, x2: { field: 'x2' }, y2: { field: 'y2' }, color: { field: 'relation', type: 'nominal', title: 'Relation', scale: { domain: ['identical', 'fine-tuned', 'related'], range: ['#1f77b4', '#ff7f0e', '#9467bd'] } } } },
        { transform: [{ filter: "datum.type === 'node'" }], mark: { type: 'circle', size: 80, color: '#333' }, encoding: at },
        label('right'),
        label('left'),
      ],
    }),
  };
}
