import { Args } from '@oclif/core';
import { extractApps, extractedAppJSON, withProgress, type ExtractedApp } from '@gaugenn/core';
import { BaseCommand } from '../base-command.js';
import { table } from '../format.js';

export default class Extract extends BaseCommand<typeof Extract> {
  static override summary = 'Find the models, ML frameworks and cloud ML APIs inside app packages, and record them in the store.';
  static override description = `Each file is one app: an APK (or other zip), or a loose model file. Directories are walked.
Nested archives are searched too; a model's path names the entry inside the app, nested archives joined with "!/".
A broken archive is recorded with typed errors and the other apps go on.`;
  static override examples = ['<%= config.bin %> extract apps/', '<%= config.bin %> extract app.apk --json'];
  static override strict = false;
  static override args = { paths: Args.string({ description: 'app packages or directories of them', required: true }) };

  async run(): Promise<unknown> {
    const { argv } = await this.parse(Extract);
    const gauge = await this.gauge();
    const store = this.openStore(gauge);
    const apps = await gauge.source({ type: 'files', paths: argv as string[] });
    const ctx = { done: [] as ExtractedApp[] };
    await withProgress(
      [{ title: `Extracting ${apps.length} app(s)`, task: async (c, task) => {
        c.done = await extractApps(gauge, store, apps, (x, i) => { task.output = `${i + 1}/${apps.length} ${x.app.files[0]}`; });
      } }],
      this.quiet,
      ctx,
    );
    const json = ctx.done.map(extractedAppJSON);
    if (!this.jsonEnabled()) {
      this.log(table(['app', 'package', 'models', 'frameworks', 'errors'], json.map((a) => [a.file, a.package ?? '-', a.models.length, a.frameworks.join(',') || '-', a.errors.map((e) => e.code).join(',') || '-'])));
      this.log(`\nStore: ${store.path}`);
    }
    return json;
  }
}
