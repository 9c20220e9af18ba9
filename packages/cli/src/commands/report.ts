import { Flags } from '@oclif/core';
import { readReportData, renderReport } from '@gaugenn/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../base-command.js';

export default class Report extends BaseCommand<typeof Report> {
  static override summary = 'Write the HTML report (one self-contained file) and CSV exports from the store.';
  static override description = 'Reports are pure functions of the store: re-render at any time without measuring again.';
  static override examples = ['<%= config.bin %> report', '<%= config.bin %> report --out paper-figures/'];
  static override flags = {
    out: Flags.string({ char: 'o', description: 'output directory (default: ./gaugenn-report, or `reportDir` in the config)' }),
    title: Flags.string({ description: 'report title', default: 'gaugeNN report' }),
  };

  async run(): Promise<unknown> {
    const gauge = await this.gauge({ reportDir: this.flags.out ? resolve(this.flags.out) : undefined });
    const store = this.openStore(gauge);
    const data = await readReportData(gauge, store, gauge.config.reportDir, this.flags.title);
    const r = await renderReport(data, gauge.config.reportDir);
    if (!this.jsonEnabled()) {
      this.log(`Report: ${r.htmlPath}`);
      for (const c of r.csvPaths) this.log(`CSV:    ${c}`);
    }
    return { html: r.htmlPath, csv: r.csvPaths, store: store.path };
  }
}
