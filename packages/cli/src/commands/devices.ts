import { Flags } from '@oclif/core';
import { deviceSpecFromFlag, type Device, type DeviceSpec } from '@gaugenn/core';
import { BaseCommand } from '../base-command.js';
import { table } from '../format.js';

export default class Devices extends BaseCommand<typeof Devices> {
  static override summary = 'List the configured devices and what each one is, as read from the device itself.';
  static override description = `Each device spec may stand for several devices (an adb server with no serial: every online device on it).
With no device found (no adb server, nothing plugged in) it says why in one line and exits 0.`;
  static override examples = [
    '<%= config.bin %> devices',
    '<%= config.bin %> devices --json',
    '<%= config.bin %> devices --device adb',
    '<%= config.bin %> devices --device adb:R58N12ABCDE --device adb:192.168.1.20:5555',
  ];

  static override flags = {
    device: Flags.string({
      char: 'd',
      multiple: true,
      description: 'device to list instead of the config\'s devices: host, adb (every online device on the default adb server), adb:SERIAL (a serial, or HOST:PORT to adb connect)',
    }),
  };

  // Device notes are shown once, by this command, in its own words.
  protected override showWarnings = false;

  async run(): Promise<unknown> {
    const gauge = await this.gauge();
    const specs: DeviceSpec[] = this.flags.device?.length ? this.flags.device.map(deviceSpecFromFlag) : gauge.config.devices;
    // Device plugins say on the log hook why a spec found nothing (no adb server, device offline): show those lines.
    const notes: string[] = [];
    gauge.hooks.log.tap('devices', (level, message) => {
      if (level === 'warn' || level === 'error') notes.push(message);
    });
    const devices: Device[] = [];
    const out: unknown[] = [];
    try {
      for (const spec of specs) devices.push(...(await gauge.devices(spec)));
      for (const d of devices) {
        const backends: Record<string, string[]> = {};
        for (const p of gauge.plugins) for (const fw of p.frameworks) {
          const r = await gauge.runner(fw, d);
          if (r) backends[fw] = r.backends(d);
        }
        const battery = (await d.battery?.()) ?? null;
        const thermal = (await d.thermalZones?.()) ?? [];
        out.push({ id: d.id, kind: d.kind, info: d.info, temperatureC: (await d.temperature()) ?? null, battery, thermal, backends });
      }
    } finally {
      // STF reservations and the like end with the command.
      await Promise.all(devices.map((d) => d.release?.().catch(() => {})));
    }
    if (!out.length) {
      const line = notes.length ? notes.join(' ') : `No devices found for ${specs.map((s) => s.kind).join(', ')}.`;
      if (this.jsonEnabled()) this.note(line);
      else this.log(line);
      return out;
    }
    for (const n of notes) this.note(n);
    if (!this.jsonEnabled()) {
      this.log(table(['id', 'kind', 'model', 'soc', 'cores', 'max MHz', 'ram', 'os', 'abi', 'battery', 'temp °C', 'runners'], out.map((o: any) => [
        o.id, o.kind, o.info.model ?? '-', o.info.soc ?? o.info.cpu.name ?? '-', o.info.cpu.cores,
        o.info.cpu.clusters?.map((c: { maxFreqMHz: number }) => c.maxFreqMHz).join('/') ?? '-',
        o.info.ramBytes ? `${(o.info.ramBytes / 2 ** 30).toFixed(1)} GiB` : '-', o.info.os, o.info.abi,
        o.battery ? `${o.battery.levelPct ?? '?'}%${o.battery.usbPowered ? ' usb' : ''}` : '-',
        o.temperatureC ?? 'n/a', Object.entries(o.backends).map(([k, v]) => `${k}:${(v as string[]).join('/')}`).join(' ') || '-',
      ])));
    }
    return out;
  }

  /** A line on stderr, with --json too (oclif silences its own loggers then, and stdout must stay one document). */
  private note(line: string): void {
    process.stderr.write(`${line}\n`);
  }
}
