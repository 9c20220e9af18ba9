import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise } from '@gaugenn/core';
import { buildFigures, renderReport, renderSvg, toCsv, type ReportData } from '../src/index.js';
import { BROKEN, V1_025, V1_05, V2_10, campaign, csvRecords, emptyData, parseCsv, studyCampaign } from './report-fixture.js';

const made: string[] = [];
async function tmp(tag: string): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), `gaugenn-report-${tag}-`));
  made.push(d);
  return d;
}
afterAll(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

/** Strip the two namespace declarations Vega's SVG carries; anything else that looks like a URL is a leak. */
function urlsOutsideXmlns(html: string): string[] {
  const stripped = html
    .replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')
    .replace(/xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink"/g, '');
  return stripped.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
}

describe('summarise', () => {
  it('matches numpy (linear interpolation, sample std)', () => {
    // numpy: median([1,2,3,4]) = 2.5, percentile(…, 90) = 3.7, percentile(…, 10) = 1.3, std(ddof=1) = 1.2909944487358056
    const s = summarise([4, 1, 3, 2]);
    expect(s).toMatchObject({ n: 4, median: 2.5, min: 1, max: 4, mean: 2.5 });
    expect(s.p90).toBeCloseTo(3.7, 12);
    expect(s.p10).toBeCloseTo(1.3, 12);
    expect(s.std).toBeCloseTo(1.2909944487358056, 12);
  });
  it('handles one sample, no samples and non-finite values', () => {
    expect(summarise([7])).toMatchObject({ n: 1, median: 7, p90: 7, std: 0 });
    expect(summarise([]).n).toBe(0);
    expect(Number.isNaN(summarise([]).median)).toBe(true);
    expect(summarise([1, Number.NaN, 3, Infinity])).toMatchObject({ n: 2, median: 2 });
  });
});

describe('figures', () => {
  it('label compute as MACs (multiply-accumulates) and never mention FLOPs', () => {
    for (const f of buildFigures(studyCampaign())) {
      const json = JSON.stringify(f.spec);
      expect(json).not.toMatch(/FLOP/i);
      if (/macs/i.test(json)) expect(json).toContain('MACs (multiply-accumulates');
    }
  });
  it('plot one latency point per (model, device, backend, threads), medians from the samples', () => {
    const data = campaign();
    const fig = buildFigures(data).find((f) => f.id === 'latency-vs-macs')!;
    const values = (fig.spec as unknown as { data: { values: { median: number; macs: number }[] } }).data.values;
    expect(values).toHaveLength(12); // 12 done jobs, all distinct keys; failed and pending jobs are left out
    const j = data.measurements[0]!;
    expect(values.some((v) => v.median === summarise(j.samplesMs).median && v.macs === 14_000_000)).toBe(true);
  });
  it('render to SVG with marks, offline', async () => {
    const fig = buildFigures(campaign()).find((f) => f.id === 'latency-vs-macs')!;
    const svg = await renderSvg(fig.spec!, 'x');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('mark-symbol');
    expect(svg).toContain('MACs (multiply-accumulates, log scale)');
    expect(svg).toContain('Median latency (ms, log scale)');
  });
  it('do not truncate labels that fit (text measured per glyph, not 0.8 em per character)', async () => {
    const fig = buildFigures(campaign()).find((f) => f.id === 'layer-composition')!;
    const svg = await renderSvg(fig.spec!);
    expect(svg).toContain(`${V2_10.name} (300M)`);
    expect(svg).not.toContain('…');
  });
});

describe('renderReport', () => {
  it('writes a self-contained HTML report and CSVs for a small campaign', async () => {
    const data = campaign();
    const out = await tmp('campaign');
    const { htmlPath, csvPaths } = await renderReport(data, out);
    expect(htmlPath).toBe(join(out, 'index.html'));
    const tables = ['apps', 'campaigns', 'devices', 'diff', 'energy', 'lineage', 'measurements', 'models', 'samples', 'snapshots'];
    expect(csvPaths.map((p) => p.slice(out.length + 1)).sort()).toEqual(tables.map((t) => `${t}.csv`));
    for (const t of tables) expect(JSON.parse(await readFile(join(out, `${t}.json`), 'utf8'))).toBeDefined();
    for (const p of [htmlPath, ...csvPaths]) expect((await stat(p)).size).toBeGreaterThan(0);
    expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic writes left nothing behind

    const html = await readFile(htmlPath, 'utf8');
    for (const m of data.models) expect(html).toContain(m.name);
    // Every figure with data is an inline SVG with drawn marks (points, bars, boxes); the others say why not.
    const drawn = buildFigures(data).filter((f) => f.spec).length;
    expect(drawn).toBeGreaterThanOrEqual(9);
    expect(html.match(/<svg/g)?.length).toBe(drawn);
    expect(html.match(/data-state="empty"/g)?.length).toBe(buildFigures(data).length - drawn);
    for (const f of buildFigures(data)) expect(existsSync(join(out, 'figures', `${f.id}.csv`))).toBe(true);
    expect(html).toContain('mark-symbol');
    expect(html).toContain('mark-rect');
    expect(html).not.toContain('No measurements yet');
    // Self-contained: no script at all, no external URL outside the SVG namespace declarations.
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(urlsOutsideXmlns(html)).toEqual([]);
    // SVG ids are unique across figures once inlined.
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // Tables and sections.
    expect(html).toContain('Google Tensor G2');
    expect(html).toContain('arm64-v8a');
    expect(html).toContain('E_ZIP_ENTRY ×2');
    expect(html).toContain('NNAPI delegate failed to prepare');
    expect(html).toContain('<p class="plugin-note">Energy was not measured in this campaign.</p>');
    expect(html).toContain('Definitions');
    expect(html).toContain('MACs (M)');
    expect(html).toContain('300.0'); // MobileNetV2 MACs in millions
  });

  it('CSV exports parse back to the same numbers', async () => {
    const data = campaign();
    const out = await tmp('csv');
    await renderReport(data, out);

    const jobs = csvRecords(await readFile(join(out, 'measurements.csv'), 'utf8'));
    expect(jobs).toHaveLength(data.measurements.length);
    for (const m of data.measurements) {
      const row = jobs.find((r) => Number(r['job_id']) === m.jobId)!;
      const s = summarise(m.samplesMs);
      expect(Number(row['n'])).toBe(m.samplesMs.length);
      expect(row['status']).toBe(m.status);
      if (s.n > 0) {
        expect(Number(row['median_ms'])).toBe(s.median);
        expect(Number(row['p90_ms'])).toBe(s.p90);
        expect(Number(row['mean_ms'])).toBe(s.mean);
        expect(Number(row['std_ms'])).toBe(s.std);
        expect(row['samples_ms']!.split(';').map(Number)).toEqual(m.samplesMs);
      } else {
        expect(row['median_ms']).toBe('');
        expect(row['samples_ms']).toBe('');
      }
    }

    const samples = csvRecords(await readFile(join(out, 'samples.csv'), 'utf8'));
    expect(samples).toHaveLength(data.measurements.reduce((n, m) => n + m.samplesMs.length, 0));
    const job3 = data.measurements[2]!;
    const rows3 = samples.filter((r) => Number(r['job_id']) === 3);
    expect(rows3.map((r) => Number(r['ms']))).toEqual(job3.samplesMs);
    expect(rows3.map((r) => Number(r['index']))).toEqual(job3.samplesMs.map((_, i) => i));
    expect(rows3[0]).toMatchObject({ model: job3.model, device: 'pixel7', backend: 'gpu', threads: '1' });

    const models = csvRecords(await readFile(join(out, 'models.csv'), 'utf8'));
    for (const m of [V1_025, V1_05, V2_10, BROKEN]) {
      const row = models.find((r) => r['sha256'] === m.sha256)!;
      expect(row['name']).toBe(m.name);
      expect(Number(row['macs'])).toBe(m.macs);
      expect(Number(row['flops'])).toBe(m.flops);
      expect(Number(row['params'])).toBe(m.params);
      expect(Number(row['macs_conv'])).toBe(m.categoryMacs['conv'] ?? 0);
      expect(Number(row['layers_depthwise_conv'])).toBe(m.categories['depthwise_conv'] ?? 0);
      expect(row['analysed']).toBe(String(m.analysed));
    }

    const apps = csvRecords(await readFile(join(out, 'apps.csv'), 'utf8'));
    expect(apps.find((a) => a['package'] === 'org.photo.magic')).toMatchObject({
      frameworks: 'tflite;ncnn', models: '3', errors: '3', error_codes: 'E_PARSE_NCNN;E_ZIP_ENTRY;E_ZIP_ENTRY',
    });
  });

  it('escapes hostile names in HTML and SVG, and round-trips them through CSV', async () => {
    const data = campaign();
    const evil = 'assets/<script>alert(1)</script>, "quoted"\nline2 & <b>bold</b>.tflite';
    const evilPkg = 'com.evil"><img src=x onerror=alert(1)>';
    data.models[0]!.name = evil;
    for (const j of data.measurements) if (j.model === data.models[0]!.sha256) j.modelName = evil;
    data.apps[0]!.package = evilPkg;
    data.apps[0]!.errors.push({ code: 'E_<x>', message: '</td></tr></table><script>alert(2)</script>' });
    data.devices[0]!.info['soc'] = '<svg onload=alert(3)>';
    const out = await tmp('evil');
    await renderReport(data, out);
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('com.evil&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // Still one SVG root per drawn figure: the name did not open an element inside a figure label either.
    expect(html.match(/<svg/g)?.length).toBe(buildFigures(data).filter((f) => f.spec).length);

    const models = csvRecords(await readFile(join(out, 'models.csv'), 'utf8'));
    expect(models.find((r) => r['sha256'] === data.models[0]!.sha256)!['name']).toBe(evil);
    const samples = csvRecords(await readFile(join(out, 'samples.csv'), 'utf8'));
    expect(samples.filter((r) => r['model_name'] === evil).length).toBeGreaterThan(0);
    const apps = csvRecords(await readFile(join(out, 'apps.csv'), 'utf8'));
    expect(apps[0]!['package']).toBe(evilPkg);
  });

  it('quotes CSV per RFC 4180', () => {
    const text = toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['line\r\nbreak', 3.14], [null, Number.NaN]]);
    expect(text).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\r\nbreak",3.14\r\n,\r\n');
    expect(parseCsv(text)).toEqual([['a', 'b'], ['x,y', 'say "hi"'], ['line\r\nbreak', '3.14'], ['', '']]);
  });

  it('renders an empty store with "no measurements yet" notes instead of figures', async () => {
    const out = await tmp('empty');
    const { htmlPath, csvPaths } = await renderReport(emptyData(), out);
    const html = await readFile(htmlPath, 'utf8');
    expect(html).toContain('No measurements yet');
    expect(html).toContain('No models found yet');
    expect(html).not.toContain('<svg');
    expect(urlsOutsideXmlns(html)).toEqual([]);
    for (const p of csvPaths) expect(parseCsv(await readFile(p, 'utf8'))).toHaveLength(1); // header only
  });

  it('renders measurements without models (failed jobs only) without error', async () => {
    const data: ReportData = { ...campaign(), models: [] };
    data.measurements = data.measurements.filter((m) => m.status !== 'done');
    const out = await tmp('failed-only');
    const html = await readFile((await renderReport(data, out)).htmlPath, 'utf8');
    expect(html).toContain('No measurements yet');
    expect(html).toContain('NNAPI delegate failed');
  });
});

describe('study figures', () => {
  it('escape hostile lineage names, snapshot names, warnings and task evidence', async () => {
    const data = studyCampaign();
    const evil = '<img src=x onerror=alert(1)>';
    data.lineage![0]!.a.name = `com.evil!/${evil}.tflite`;
    data.snapshots![0]!.name = `2024<script>alert(2)</script>`;
    data.diffs![0]!.apps.added = [`com.${evil}`];
    data.measurements[2]!.warnings = [{ code: 'DELEGATE_PARTIAL', message: `</td>${evil}` }];
    data.models[0]!.taskEvidence = [`label file assets/${evil}.txt (3 labels)`];
    data.models[0]!.task = 'classification';
    const out = await tmp('evil-study');
    const html = await readFile((await renderReport(data, out)).htmlPath, 'utf8');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script\b/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.match(/<svg/g)?.length).toBe(buildFigures(data).filter((f) => f.spec).length);
  });

  it('draw every figure when the store has every kind of data', () => {
    const figs = buildFigures(studyCampaign());
    expect(figs.filter((f) => !f.spec).map((f) => f.id)).toEqual([]);
  });
  it('plot aggregate jobs at their median, never as samples', () => {
    const data = studyCampaign();
    const figs = buildFigures(data);
    const pts = (figs.find((f) => f.id === 'latency-vs-macs')!.spec as unknown as { data: { values: { kind: string; median: number; n: number }[] } }).data.values;
    expect(pts.filter((p) => p.kind === 'aggregate')).toEqual([expect.objectContaining({ median: 20.2, n: 50 })]);
    const box = (figs.find((f) => f.id === 'latency-distribution')!.spec as unknown as { data: { values: { config: string }[] } }).data.values;
    expect(box.some((v) => v.config.includes('2t'))).toBe(false);
  });
  it('show backend truth and job warnings in the measurements table, and the campaign spread', async () => {
    const out = await tmp('study');
    const html = await readFile((await renderReport(studyCampaign(), out)).htmlPath, 'utf8');
    expect(html).toContain('DELEGATE_PARTIAL');
    expect(html).toContain('58/64 nodes');
    expect(html).toContain('agg 50');
    expect(html).toMatch(/spring: [\d.]+<br>autumn: [\d.]+/);
    const spread = csvRecords(await readFile(join(out, 'campaigns.csv'), 'utf8'));
    expect(Number(spread[0]!['spread_pct'])).toBeCloseTo(4, 0);
    const lineage = JSON.parse(await readFile(join(out, 'lineage.json'), 'utf8'));
    expect(lineage.pairs.map((p: { relation: string }) => p.relation)).toEqual(['identical', 'fine-tuned', 'related']);
  });
  it('say why energy is missing instead of drawing an empty figure', async () => {
    const data = studyCampaign();
    data.energy = [];
    const f = buildFigures(data).find((x) => x.id === 'energy')!;
    expect(f.spec).toBeUndefined();
    expect(f.emptyNote).toMatch(/no energy rows/);
  });
});
