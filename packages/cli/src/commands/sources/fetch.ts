import { GaugeError, withProgress, type FetchReport } from '@gaugenn/core';
import { BaseCommand } from '../../base-command.js';
import { fetchSources, fetchedJSON } from '../../fetch-sources.js';
import { table } from '../../format.js';

export default class SourcesFetch extends BaseCommand<typeof SourcesFetch> {
  static override summary = 'Download the apps of the config\'s downloading sources (androzoo, list URLs, apkeep), verified.';
  static override description = `Each file is hashed while it downloads and kept only when its sha256 matches the list; a partial file
resumes where it stopped on the next fetch; a second fetch downloads nothing new. A failed app never stops the others
(it is listed under "failed" with its code). A refused API key stops the fetch with SOURCE_AUTH (exit 2).`;
  static override examples = ['<%= config.bin %> sources fetch', '<%= config.bin %> sources fetch --config study.yaml --json'];

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    const specs = gauge.config.sources.filter((s) => gauge.fetches(s.type));
    if (!specs.length) {
      throw new GaugeError('CONFIG_INVALID', 'No source in the config downloads apps. Add e.g. `{ type: androzoo, packages: [...], snapshot: 2026-12, dest: ./apks }` to `sources`.');
    }
    const ac = new AbortController();
    const stop = () => ac.abort(new Error('interrupted'));
    process.once('SIGINT', stop);
    const reports: FetchReport[] = [];
    try {
      await withProgress(specs.map((spec) => ({
        title: `Fetch ${spec.type}`,
        task: async (_c: object, task: { output: string; title: string }) => {
          const started = Date.now();
          const [r] = await fetchSources(gauge, [spec], 'fetch', ac.signal, (p) => {
            const s = (Date.now() - started) / 1000;
            const rate = p.bytesDone / Math.max(s, 0.001);
            const eta = p.bytesTotal && rate > 0 ? ` ETA ${Math.max(0, (p.bytesTotal - p.bytesDone) / rate).toFixed(0)} s` : '';
            task.output = `${p.filesDone}/${p.filesTotal} files, ${(p.bytesDone / 2 ** 20).toFixed(1)} MiB, ${(rate / 2 ** 20).toFixed(1)} MiB/s${eta}${p.current ? ` (${p.current})` : ''}`;
          });
          reports.push(r!);
          task.title = `Fetch ${spec.type}: ${r!.fetched.length} fetched, ${r!.skipped.length} already there, ${r!.failed.length} failed`;
        },
      })), this.quiet, {});
    } finally {
      process.off('SIGINT', stop);
    }
    const json = fetchedJSON(reports);
    if (!this.jsonEnabled()) {
      for (const f of json.failed) this.warn(`${f.package ?? f.sha256}: ${f.code}: ${f.message}`);
      this.log(table(['source', 'listed', 'fetched', 'already there', 'failed'], reports.map((r) => [r.label ? `${r.source} (${r.label})` : r.source, r.listed, r.fetched.length, r.skipped.length, r.failed.length])));
    }
    return json;
  }
}
