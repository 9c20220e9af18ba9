import { Args, Flags } from '@oclif/core';
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
  static override flags = {
    snapshot: Flags.string({ char: 's', description: 'snapshot these apps belong to (e.g. 2025-06); an app seen in two snapshots is an app of each' }),
    category: Flags.string({ description: 'app category for these apps (e.g. photography)' }),
    'dir-as-app': Flags.boolean({ description: 'treat each directory argument as ONE app whose files are its entries (an unpacked app, a folder of model files, an npm package)' }),
  };

  async run(): Promise<unknown> {
    const { argv } = await this.parse(Extract);
    const gauge = await this.gauge();
    const store = this.openStore(gauge);
    const paths = argv as string[];
    const { statSync } = await import('node:fs');
    const isDir = (p: string) => { try { return statSync(p).isDirectory(); } catch { return false; } };
    const listed = this.flags['dir-as-app']
      ? [
          ...(paths.some(isDir) ? await gauge.source({ type: 'pkgdir', paths: paths.filter(isDir) }) : []),
          ...(paths.some((p) => !isDir(p)) ? await gauge.source({ type: 'files', paths: paths.filter((p) => !isDir(p)) }) : []),
        ]
      : await gauge.source({ type: 'files', paths });
    const { snapshot, category } = this.flags;
    const apps = listed.map((a) => ({ ...a, ...(snapshot ? { snapshot } : {}), ...(category ? { category } : {}) }));
    const ctx = { done: [] as ExtractedApp[] };
    await withProgress(
      [{ title: `Extracting ${apps.length} app(s)`, task: async (c, task) => {
        c.done = await extractApps(gauge, store, apps, (x, i) => { task.output = `${i + 1}/${apps.length} ${x.app.files[0]}`; });
      } }],
      this.quiet,
      ctx,
    );
    const given = this.asGiven(paths);
    const json = ctx.done.map((x) => ({ ...extractedAppJSON(x), file: given(x.app.files[0] ?? x.app.id) }));
    if (!this.jsonEnabled()) {
      this.log(table(['app', 'package', 'snapshot', 'models', 'frameworks', 'errors'], json.map((a) => [a.file, a.package ?? '-', a.snapshot ?? '-', a.models.length, a.frameworks.join(',') || '-', a.errors.map((e) => e.code).join(',') || '-'])));
      this.log(`\nStore: ${store.path}`);
    }
    return json;
  }
}
