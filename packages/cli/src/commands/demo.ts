import { Flags } from '@oclif/core';
import { GaugeError, hostPython, pythonHas, setupHostPython } from '@gaugenn/core';
import { join, resolve } from 'node:path';
import { BaseCommand } from '../base-command.js';
import { buildDemoCorpus, demoSources, DEMO_PACKAGES } from '../demo/corpus.js';
import { runPipeline } from '../pipeline.js';

export default class Demo extends BaseCommand<typeof Demo> {
  static override summary = 'Build a demo corpus of real APKs with real TFLite models in two snapshots, then extract, analyze, bench (host, cpu) and report.';
  static override description = `The corpus is built from the production models that the @mediapipe/* npm packages ship, packed
as APKs with binary manifests, plus a real no-ML APK as a control, in two snapshots (2025-06, 2026-06: apps added,
removed, updated with a fine-tuned model, and kept). Everything lands in --dir: apps/, gaugenn.db, report/.
If the host lacks the runtimes (LiteRT, ncnn, OpenCV), gaugeNN's venv is made first (\`gaugenn setup\`).`;
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --dir /tmp/demo --runs 50'];
  static override flags = {
    dir: Flags.string({ description: 'where the corpus, store and report go', default: 'gaugenn-demo' }),
    runs: Flags.integer({ description: 'timed runs per model', default: 10, min: 1 }),
    warmup: Flags.integer({ description: 'warm-up runs per model', default: 2, min: 0 }),
    threads: Flags.integer({ description: 'CPU threads', default: 1, min: 1 }),
    setup: Flags.boolean({ description: 'install the host runtime if missing', default: true, allowNo: true }),
  };

  async run(): Promise<unknown> {
    const dir = resolve(this.flags.dir);
    const gauge = await this.gauge({ store: join(dir, 'gaugenn.db'), reportDir: join(dir, 'report') });
    gauge.config.devices = [{ kind: 'host' }];
    Object.assign(gauge.config.bench, { backends: ['cpu'], threads: [this.flags.threads], runs: this.flags.runs, warmup: this.flags.warmup });
    gauge.config.modelCache = join(dir, 'models');

    const apps = await buildDemoCorpus(join(dir, 'apps'));
    if (!apps.some((a) => a.models.length)) {
      throw new GaugeError('INPUT_NOT_FOUND', `None of ${DEMO_PACKAGES.join(', ')} is installed. Run \`npm ci\` in the gaugeNN repository (they are its dev dependencies).`);
    }
    // The host runtimes the demo's apps need: LiteRT, ncnn, OpenCV DNN (for the Caffe app).
    if (this.flags.setup && !(await pythonHas(['ai_edge_litert', 'ncnn', 'cv2']))) {
      const reqs = gauge.plugins.flatMap((p) => p.hostRequirements);
      if (!this.jsonEnabled()) this.log(`Host runtimes missing for ${hostPython()}: installing ${reqs.join(' ')} into gaugeNN's venv (once).`);
      await setupHostPython(reqs, (l) => !this.jsonEnabled() && this.log(l));
    }
    // A fresh store each time: the demo shows the whole pipeline, not a resumed one.
    const { rm } = await import('node:fs/promises');
    for (const f of ['gaugenn.db', 'gaugenn.db-wal', 'gaugenn.db-shm']) await rm(join(dir, f), { force: true });
    const store = this.openStore(gauge);
    // Two snapshots a year apart: most package files are in both (one extraction, an app of each snapshot).
    const byFile = new Map(apps.map((a) => [a.file, a]));
    const refs = [];
    for (const s of demoSources(join(dir, 'apps'))) {
      for (const r of await gauge.source(s)) refs.push({ ...r, category: byFile.get(r.files[0]!)?.category });
    }
    const summary = await runPipeline(gauge, store, refs, this.quiet, 'gaugeNN demo: MediaPipe models on the host');
    if (!this.jsonEnabled()) {
      this.log(`\n${summary.apps} apps, ${summary.models} unique models, ${summary.analysed} analysed, ${summary.jobs.done} measured, ${summary.jobs.failed} failed.`);
      this.log(`Store:  ${summary.store}`);
      this.log(`Report: ${summary.report}`);
    }
    return { corpus: join(dir, 'apps'), ...summary };
  }
}
