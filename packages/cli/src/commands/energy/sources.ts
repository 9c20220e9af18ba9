import { Flags } from '@oclif/core';
import { GaugeError, deviceSpecFromFlag, type Device, type DeviceSpec, type EnergySourceSpec } from '@gaugenn/core';
import { BaseCommand } from '../../base-command.js';
import { table } from '../../format.js';

export default class EnergySources extends BaseCommand<typeof EnergySources> {
  static override summary = 'Check the energy sources for each device before a campaign: available (and what they measure), or why not.';
  static override description = `Opens every configured energy source (\`energy\` in the config) for every configured device, as a
campaign would, and reports what each would measure or why it cannot (no monitor found, no powercap, no
permission, no driver). --source checks sources by name instead of the config's (e.g. --source rapl --source nvml).
Opening a Monsoon sets its configured voltage.`;
  static override examples = ['<%= config.bin %> energy sources', '<%= config.bin %> energy sources --source rapl --source nvml --source hwmon --json'];
  static override flags = {
    source: Flags.string({ char: 's', multiple: true, description: 'energy source to check instead of the config\'s: monsoon, android-battery, hwmon, rapl, nvml' }),
    device: Flags.string({ char: 'd', multiple: true, description: 'device instead of the config\'s: host, adb, adb:SERIAL' }),
  };

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    const specs: EnergySourceSpec[] = this.flags.source?.length ? this.flags.source.map((source) => ({ source })) : gauge.config.energy;
    const deviceSpecs: DeviceSpec[] = this.flags.device?.length ? this.flags.device.map(deviceSpecFromFlag) : gauge.config.devices;
    const devices: Device[] = [];
    const rows: { device: string; source: string; available: boolean; coarse: boolean | null; description: string | null; error: { code: string; message: string } | null }[] = [];
    try {
      for (const s of deviceSpecs) devices.push(...(await gauge.devices(s)));
      for (const d of devices) {
        for (const spec of specs) {
          if (spec.devices?.length && !spec.devices.includes(d.id) && !spec.devices.includes(d.kind)) continue;
          try {
            const src = await gauge.energySource(spec, d);
            rows.push({ device: d.id, source: spec.source, available: true, coarse: src.coarse, description: src.describe(), error: null });
            await src.close?.();
          } catch (e) {
            const err = GaugeError.from(e, 'ENERGY_SOURCE_UNAVAILABLE');
            rows.push({ device: d.id, source: spec.source, available: false, coarse: null, description: null, error: { code: err.code, message: err.message } });
          }
        }
      }
    } finally {
      await Promise.all(devices.map((d) => d.release?.().catch(() => {})));
    }
    if (!this.jsonEnabled()) {
      if (!specs.length) this.log('No energy sources configured (`energy: [{ source: … }]` in the config, or --source).');
      else this.log(table(['device', 'source', 'available', 'measures / why not'], rows.map((r) => [r.device, r.source, r.available ? 'yes' : 'no', r.available ? `${r.description}${r.coarse ? ' (coarse)' : ''}` : r.error!.message])));
    }
    return { sources: rows };
  }
}
