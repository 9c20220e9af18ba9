import {
  analyzeStoredModel, benchJSON, extractApps, planBench, runBench, withProgress, writeReport,
  type AppRef, type BenchPlan, type Gauge, type Store,
} from '@gaugenn/core';

/** What one whole-pipeline run did, for the command's summary and `--json`. */
export interface PipelineSummary {
  apps: number;
  models: number;
  analysed: number;
  analysisFailures: number;
  jobs: { done: number; failed: number; pending: number };
  store: string;
  report: string;
  csv: string[];
}

/**
 * source → extract → analyze → bench → report, each stage a listr2 task. Every stage records into the store
 * as it goes, so an interrupted run picks up where it stopped (extract re-scans apps; analyze and bench skip
 * what is done).
 */
export async function runPipeline(gauge: Gauge, store: Store, apps: AppRef[], quiet: boolean, title: string): Promise<PipelineSummary> {
  const ctx = { plan: undefined as BenchPlan | undefined, report: { html: '', csv: [] as string[] }, analysed: 0, failed: 0 };
  await withProgress(
    [
      { title: `Extract: ${apps.length} app(s)`, task: async (_c, task) => {
        const xs = await extractApps(gauge, store, apps, (x, i) => { task.output = `${i + 1}/${apps.length} ${x.app.files[0]}`; });
        task.title = `Extract: ${xs.length} app(s), ${xs.reduce((s, x) => s + x.models.length, 0)} model occurrence(s)`;
      } },
      { title: 'Analyze', task: async (c, task) => {
        const pending = store.models({ pending: true });
        for (const [i, m] of pending.entries()) {
          task.output = `${i + 1}/${pending.length} ${m.firstPath}`;
          const o = await analyzeStoredModel(gauge, store, m);
          if (o.graph) c.analysed++; else c.failed++;
        }
        task.title = `Analyze: ${c.analysed} model(s) analysed${c.failed ? `, ${c.failed} failed (recorded)` : ''}`;
      } },
      { title: 'Bench', task: async (c, task) => {
        c.plan = await planBench(gauge, store);
        await runBench(gauge, store, c.plan, (j, i, n) => { task.output = `${i + 1}/${n} ${j.model.slice(0, 12)} ${j.backend} x${j.threads}: ${j.status}`; });
        task.title = `Bench: ${c.plan.pending.length} job(s) on ${c.plan.devices.map((d) => d.id).join(', ')}`;
      } },
      { title: 'Report', task: async (c) => {
        const r = await writeReport(gauge, store, gauge.config.reportDir, title);
        c.report = { html: r.html ?? '', csv: r.outputs.filter((o) => o.kind === 'csv').map((o) => o.path) };
      } },
    ],
    quiet,
    ctx,
  );
  const jobs = benchJSON(store).jobs;
  return {
    apps: store.apps().length,
    models: store.models().length,
    analysed: store.models({ analysed: true }).length,
    analysisFailures: store.models().filter((m) => m.analysisError).length,
    jobs: { done: jobs.filter((j) => j.status === 'done').length, failed: jobs.filter((j) => j.status === 'failed').length, pending: jobs.filter((j) => j.status === 'pending').length },
    store: store.path,
    report: ctx.report.html,
    csv: ctx.report.csv,
  };
}
