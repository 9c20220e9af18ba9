import { BaseCommand } from '../base-command.js';
import { table } from '../format.js';

export default class Devices extends BaseCommand<typeof Devices> {
  static override summary = 'List the configured devices and what each one is, as read from the device itself.';
  static override examples = ['<%= config.bin %> devices', '<%= config.bin %> devices --json'];

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    const out: unknown[] = [];
    for (const spec of gauge.config.devices) for (const d of await gauge.devices(spec)) {
      const backends: Record<string, string[]> = {};
      for (const p of gauge.plugins) for (const fw of p.frameworks) {
        const r = await gauge.runner(fw, d);
        if (r) backends[fw] = r.backends(d);
      }
      out.push({ id: d.id, kind: d.kind, info: d.info, temperatureC: (await d.temperature()) ?? null, backends });
    }
    if (!this.jsonEnabled()) {
      this.log(table(['id', 'kind', 'cpu', 'cores', 'ram', 'os', 'abi', 'temp °C', 'runners'], out.map((o: any) => [
        o.id, o.kind, o.info.cpu.name ?? o.info.soc ?? '-', o.info.cpu.cores, o.info.ramBytes ? `${(o.info.ramBytes / 2 ** 30).toFixed(1)} GiB` : '-', o.info.os, o.info.abi,
        o.temperatureC ?? 'n/a', Object.entries(o.backends).map(([k, v]) => `${k}:${(v as string[]).join('/')}`).join(' ') || '-',
      ])));
    }
    return out;
  }
}
