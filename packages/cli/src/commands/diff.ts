import { Args } from '@oclif/core';
import { snapshotDiff } from '@gaugenn/core';
import { BaseCommand } from '../base-command.js';
import { table } from '../format.js';

export default class Diff extends BaseCommand<typeof Diff> {
  static override summary = 'Compare two snapshots: apps added, removed, updated (other models or version) and kept, matched by package.';
  static override description = `Snapshots come from \`gaugenn extract --snapshot NAME\` or \`snapshot\` on a source in the config.
--json gives { "apps": { "added": [], "removed": [], "updated": [ { "package", "modelsAdded", "modelsRemoved", "modelsKept" } ], "kept": [] }, "totals": {…} };
models are { "sha256", "path" }.`;
  static override examples = ['<%= config.bin %> diff 2024-06 2025-06', '<%= config.bin %> diff 2024-06 2025-06 --json'];
  static override args = {
    a: Args.string({ description: 'the earlier snapshot', required: true }),
    b: Args.string({ description: 'the later snapshot', required: true }),
  };

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    const store = this.openStore(gauge);
    const d = snapshotDiff(store, this.args.a, this.args.b);
    if (!this.jsonEnabled()) {
      const rows = [
        ...d.apps.added.map((p) => ['added', p, '', '', '']),
        ...d.apps.removed.map((p) => ['removed', p, '', '', '']),
        ...d.apps.updated.map((u) => ['updated', u.package, u.modelsAdded.length, u.modelsRemoved.length, u.modelsKept.length]),
        ...d.apps.kept.map((p) => ['kept', p, '', '', '']),
      ];
      this.log(table(['change', 'package', 'models +', 'models −', 'models kept'], rows));
      const t = d.totals;
      this.log(`\n${this.args.a}: ${t.appsA} apps, ${t.modelsA} unique models → ${this.args.b}: ${t.appsB} apps, ${t.modelsB} unique models`);
      this.log(`apps: +${t.added} −${t.removed} ~${t.updated} =${t.kept}; models: +${t.modelsAdded} −${t.modelsRemoved} =${t.modelsKept}`);
    }
    return d;
  }
}
