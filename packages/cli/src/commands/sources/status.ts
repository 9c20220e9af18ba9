import { GaugeError } from '@gaugenn/core';
import { BaseCommand } from '../../base-command.js';
import { fetchSources } from '../../fetch-sources.js';
import { table } from '../../format.js';

export default class SourcesStatus extends BaseCommand<typeof SourcesStatus> {
  static override summary = 'Show, per source, how many apps are listed, fetched and verified, missing, and failed.';
  static override examples = ['<%= config.bin %> sources status', '<%= config.bin %> sources status --json'];

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    if (!gauge.config.sources.length) throw new GaugeError('CONFIG_INVALID', 'The config names no `sources`.');
    const out: { source: string; label: string | null; listed: number; fetched: number; verified: number; missing: number; failed: { sha256: string; package?: string | null; code: string; message: string }[] }[] = [];
    for (const spec of gauge.config.sources) {
      if (gauge.fetches(spec.type)) {
        const [r] = await fetchSources(gauge, [spec], 'status');
        // Files are renamed into place only once verified, so every file present is a verified one.
        out.push({ source: spec.type, label: r!.label ?? null, listed: r!.listed, fetched: r!.skipped.length, verified: r!.skipped.length, missing: r!.missing ?? 0, failed: r!.failed });
      } else {
        const apps = await gauge.source(spec);
        out.push({ source: spec.type, label: String(spec.path ?? ''), listed: apps.length, fetched: apps.length, verified: apps.length, missing: 0, failed: [] });
      }
    }
    if (!this.jsonEnabled()) {
      this.log(table(['source', 'listed', 'fetched', 'verified', 'missing', 'failed'], out.map((o) => [o.label ? `${o.source} (${o.label})` : o.source, o.listed, o.fetched, o.verified, o.missing, o.failed.length])));
    }
    return { sources: out };
  }
}
