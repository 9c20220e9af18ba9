import { GaugeError, type AppRef } from '@gaugenn/core';
import { BaseCommand } from '../base-command.js';
import { runPipeline } from '../pipeline.js';
import { fetchSources } from '../fetch-sources.js';

export default class Run extends BaseCommand<typeof Run> {
  static override summary = 'Run the whole pipeline from the config: sources → extract → analyze → bench → report.';
  static override description = `Downloading sources (androzoo, list URLs, apkeep) are fetched first. Reads \`sources\`, \`devices\` and \`bench\` from gaugenn.config.* (see README).
Interrupted, it resumes: analysed models and measured jobs are not done again.`;
  static override examples = ['<%= config.bin %> run', '<%= config.bin %> run --config study.config.yaml --json'];

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    if (gauge.config.sources.length === 0) {
      throw new GaugeError('CONFIG_INVALID', 'The config names no `sources`. Add e.g. `sources: [{ type: dir, path: ./apps }]` to gaugenn.config.yaml, or use `gaugenn extract PATH` and `gaugenn bench`.');
    }
    const store = this.openStore(gauge);
    // Downloading sources fetch first (verified; a failed app is skipped, a refused key stops the run).
    const fetched = await fetchSources(gauge, gauge.config.sources, 'fetch');
    for (const r of fetched) for (const f of r.failed) this.warn(`${r.source}: ${f.package ?? f.sha256}: ${f.code}: ${f.message}`);
    const apps: AppRef[] = [];
    for (const s of gauge.config.sources) apps.push(...(await gauge.source(s)));
    const summary = await runPipeline(gauge, store, apps, this.quiet, 'gaugeNN report');
    if (!this.jsonEnabled()) this.log(`\nStore:  ${summary.store}\nReport: ${summary.report}`);
    return summary;
  }
}
