import { Flags } from '@oclif/core';
import { writeReport } from '@gaugenn/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../base-command.js';

export default class Report extends BaseCommand<typeof Report> {
  static override summary = 'Write the study report (one self-contained HTML file), its figures\' data and every table as CSV and JSON, from the store.';
  static override description = `Reports are pure functions of the store: re-render at any time without measuring again.
The built-in @gaugenn/report plugin draws it; other report plugins may add sections.`;
  static override examples = ['<%= config.bin %> report', '<%= config.bin %> report --store study.db --out paper-figures/'];
  static override flags = {
    out: Flags.string({ char: 'o', description: 'output directory (default: ./gaugenn-report, or `reportDir` in the config)' }),
    title: Flags.string({ description: 'report title', default: 'gaugeNN report' }),
  };

  async run(): Promise<unknown> {
    const gauge = await this.gauge({ reportDir: this.flags.out ? resolve(this.flags.out) : undefined });
    const store = this.openStore(gauge);
    const r = await writeReport(gauge, store, gauge.config.reportDir, this.flags.title);
    const of = (k: string) => r.outputs.filter((o) => o.kind === k).map((o) => o.path);
    if (!this.jsonEnabled()) {
      this.log(`Report: ${r.html ?? r.outDir}`);
      this.log(`Tables: ${of('csv').length} CSV + ${of('json').length} JSON in ${r.outDir}`);
      this.log(`Figures: ${of('svg').length} SVG, ${of('figure-csv').length} data CSV in ${resolve(r.outDir, 'figures')}`);
    }
    return { html: r.html ?? null, csv: of('csv'), json: of('json'), figures: [...of('svg'), ...of('figure-csv')], store: store.path };
  }
}
