/* RAPL through powercap: a kernel ABI read as files over the device transport (see hwmon.ts for why in core). */
import { GaugeError } from '../../errors/gauge-error.js';
import type { Transport } from '../../device/types.js';
import { startPolledRecording } from '../polled-recording.js';
import type { EnergySource } from '../types.js';

/** One RAPL zone: its folder, name (`package-0`, `psys`, `dram`) and counter range. */
export interface RaplZone {
  dir: string;
  name: string;
  maxEnergyRangeUj: number;
}

/** Options of the `rapl` source. */
export interface RaplOptions {
  /** powercap root (default `/sys/class/powercap`). */
  path?: string;
  /** Zone names to sum. Default: every top-level zone but `psys` (psys covers the packages, so it would count them twice). */
  zones?: string[];
  /** Poll interval in ms (default 100; must be shorter than a counter wrap, which takes minutes at full power). */
  intervalMs?: number;
}

/**
 * Counter delta with wrap-around: powercap's `energy_uj` is the 32-bit RAPL MSR field in µJ and wraps at
 * `max_energy_range_uj`, so a reading below the previous one means one wrap.
 */
export function counterDeltaUj(prev: number, next: number, maxRangeUj: number): number {
  return next >= prev ? next - prev : next + maxRangeUj - prev;
}

function unavailable(msg: string): GaugeError {
  return new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `RAPL not available: ${msg}`);
}

/** Find the RAPL zones and check their counters can be read; throws ENERGY_SOURCE_UNAVAILABLE saying why not. */
export async function raplZones(t: Transport, o: RaplOptions = {}): Promise<RaplZone[]> {
  const root = o.path ?? '/sys/class/powercap';
  const ls = await t.exec('ls', ['-1', root]);
  if (ls.exitCode !== 0) {
    throw unavailable(`no powercap: ${root} does not exist (kernel without CONFIG_POWERCAP/CONFIG_INTEL_RAPL, intel_rapl_msr not loaded — \`modprobe intel_rapl_msr\` — or a VM or container that does not expose it).`);
  }
  const names = ls.stdout.split('\n').map((s) => s.trim()).filter((s) => /^intel-rapl:\d+$/.test(s)).sort();
  if (names.length === 0) throw unavailable(`${root} has no RAPL zones (intel-rapl:N). Load the driver with \`modprobe intel_rapl_msr\`; CPUs without RAPL (and most VMs) have none.`);
  const zones: RaplZone[] = [];
  for (const n of names) {
    const dir = `${root}/${n}`;
    const name = (await t.readFile(`${dir}/name`).catch(() => Buffer.from(n))).toString('utf8').trim();
    const range = Number((await t.readFile(`${dir}/max_energy_range_uj`).catch(() => Buffer.from('0'))).toString('utf8').trim());
    zones.push({ dir, name, maxEnergyRangeUj: range });
  }
  let chosen: RaplZone[];
  if (o.zones?.length) {
    chosen = zones.filter((z) => o.zones!.includes(z.name));
    if (chosen.length !== o.zones.length) throw unavailable(`no zone named ${o.zones.filter((z) => !zones.some((x) => x.name === z)).join(', ')}; zones here: ${zones.map((z) => z.name).join(', ')}.`);
  } else {
    chosen = zones.filter((z) => z.name !== 'psys');
    if (chosen.length === 0) chosen = zones;
  }
  for (const z of chosen) {
    try {
      await t.readFile(`${z.dir}/energy_uj`);
    } catch (e) {
      const m = (e as Error).message;
      if (/EACCES|EPERM|permission/i.test(m)) {
        throw unavailable(`no permission to read ${z.dir}/energy_uj: it is readable by root only since Linux 5.10 (CVE-2020-8694). Run as root, or let a group read it with a udev rule (SUBSYSTEM=="powercap", RUN+="/bin/chmod g+r /sys/%p/energy_uj").`);
      }
      throw unavailable(`${z.dir}/energy_uj cannot be read (${m}).`);
    }
  }
  return chosen;
}

/** The `rapl` energy source: CPU package (and DRAM) energy of a Linux x86 host from powercap counters. */
export async function raplSource(t: Transport, o: RaplOptions = {}): Promise<EnergySource> {
  const zones = await raplZones(t, o);
  const intervalMs = o.intervalMs ?? 100;
  return {
    name: 'rapl',
    coarse: false,
    nominalRateHz: 1000 / intervalMs,
    describe: () => `RAPL ${zones.map((z) => z.name).join(' + ')}`,
    async start() {
      const last: (number | undefined)[] = zones.map(() => undefined);
      let totalUj = 0;
      return startPolledRecording(async () => {
        const now = await Promise.all(zones.map(async (z) => {
          const s = (await t.readFile(`${z.dir}/energy_uj`)).toString('utf8').trim();
          return s === '' ? NaN : Number(s);
        }));
        now.forEach((v, i) => {
          if (!Number.isFinite(v)) throw new Error(`${zones[i]!.dir}/energy_uj is not a number`);
          if (last[i] !== undefined) totalUj += counterDeltaUj(last[i]!, v, zones[i]!.maxEnergyRangeUj);
          last[i] = v;
        });
        return { energyJ: totalUj / 1e6 };
      }, { intervalMs, what: 'RAPL' });
    },
  };
}
