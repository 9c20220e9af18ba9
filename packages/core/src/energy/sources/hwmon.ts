/*
 * hwmon power rails and RAPL live in core because they are kernel ABIs (Documentation/ABI/testing/sysfs-class-hwmon,
 * Documentation/power/powercap), read as plain files through the device's transport the same way the host device
 * reads its thermal zones: every Linux device (the host, a board over ssh) has them, and no vendor code is involved.
 */
import { GaugeError } from '../../errors/gauge-error.js';
import type { Transport } from '../../device/types.js';
import { startPolledRecording } from '../polled-recording.js';
import type { EnergySource } from '../types.js';

/** One power rail read from hwmon. */
export interface PowerRail {
  /** `in{n}_label` (INA3221: `VDD_IN`, `VDD_SOC`, …), `power{n}_label`, or `<chip name>/ch{n}`. */
  label: string;
  /** The hwmon folder it was read from. */
  dir: string;
  channel: number;
  /** `ina` rails pair `in{n}_input` (mV) with `curr{n}_input` (mA); `power` rails read `power{n}_input` (µW). */
  kind: 'ina' | 'power';
  voltageV: number | null;
  currentA: number | null;
  powerW: number;
}

async function text(t: Transport, p: string): Promise<string | undefined> {
  try {
    return (await t.readFile(p)).toString('utf8').trim();
  } catch {
    return undefined;
  }
}

async function num(t: Transport, p: string): Promise<number | undefined> {
  const s = await text(t, p);
  if (s === undefined || s === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Files of the hwmon folders under `root`, grouped by folder (`find -L`, since /sys/class/hwmon holds links). */
async function hwmonFiles(t: Transport, root: string, depth: number): Promise<Map<string, string[]>> {
  const r = await t.exec('find', ['-L', root, '-maxdepth', String(depth), '(', '-name', 'curr*_input', '-o', '-name', 'power*_input', '-o', '-name', 'in*_input', '-o', '-name', '*_label', ')']);
  const byDir = new Map<string, string[]>();
  for (const line of r.stdout.split('\n')) {
    const p = line.trim();
    if (!p) continue;
    const i = p.lastIndexOf('/');
    const dir = p.slice(0, i);
    byDir.set(dir, [...(byDir.get(dir) ?? []), p.slice(i + 1)]);
  }
  if (r.exitCode !== 0 && byDir.size === 0) {
    if (/permission denied/i.test(r.stderr)) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `hwmon: no permission to read ${root} (${r.stderr.trim().split('\n')[0]}). Run as a user that can read it.`);
    if (/no such file/i.test(r.stderr) || r.exitCode === 1) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `hwmon: ${root} does not exist on this device (no hwmon drivers loaded). Point \`path\` at the hwmon folder of the power monitor chip.`);
  }
  return byDir;
}

/**
 * Read every power rail under `root` once: INA3221-style channels (`in{n}_input` mV × `curr{n}_input` mA, with
 * `in{n}_label`; the INA3221's channels 4-7 are shunt voltages and sums, which are not rails) and
 * `power{n}_input` µW channels. Channels labelled `NC` (not connected) or with empty readings are left out.
 */
export async function readPowerRails(t: Transport, root = '/sys/class/hwmon', depth = root === '/sys/class/hwmon' ? 2 : 10): Promise<PowerRail[]> {
  const rails: PowerRail[] = [];
  for (const [dir, files] of [...(await hwmonFiles(t, root, depth))].sort(([a], [b]) => a.localeCompare(b))) {
    const has = new Set(files);
    const labelled = files.some((f) => /^(in|curr)\d+_label$/.test(f));
    const chip = (await text(t, `${dir}/name`)) ?? dir.split('/').pop()!;
    for (const f of files.sort()) {
      let m = /^curr(\d+)_input$/.exec(f);
      if (m && has.has(`in${m[1]}_input`)) {
        const n = Number(m[1]);
        // Where the chip labels its channels (INA3221 labels bus channels 1-3), an unlabelled in/curr pair is not a
        // rail: INA3221's in4-in6 are shunt voltages (µV) and curr4 the summed current.
        if (labelled && !has.has(`in${n}_label`) && !has.has(`curr${n}_label`)) continue;
        const label = (await text(t, `${dir}/in${n}_label`)) ?? (await text(t, `${dir}/curr${n}_label`)) ?? `${chip}/ch${n}`;
        if (label === 'NC') continue;
        const mV = await num(t, `${dir}/in${n}_input`);
        const mA = await num(t, `${dir}/curr${n}_input`);
        if (mV === undefined || mA === undefined) continue;
        rails.push({ label, dir, channel: n, kind: 'ina', voltageV: mV / 1000, currentA: mA / 1000, powerW: (mV * mA) / 1e6 });
        continue;
      }
      m = /^power(\d+)_input$/.exec(f);
      if (m) {
        const n = Number(m[1]);
        const label = (await text(t, `${dir}/power${n}_label`)) ?? `${chip}/ch${n}`;
        const uW = await num(t, `${dir}/${f}`);
        if (uW === undefined || label === 'NC') continue;
        rails.push({ label, dir, channel: n, kind: 'power', voltageV: null, currentA: null, powerW: uW / 1e6 });
      }
    }
  }
  return rails;
}

async function railPower(t: Transport, r: PowerRail): Promise<number> {
  if (r.kind === 'power') {
    const uW = await num(t, `${r.dir}/power${r.channel}_input`);
    if (uW === undefined) throw new Error(`${r.dir}/power${r.channel}_input could not be read`);
    return uW / 1e6;
  }
  const [mV, mA] = await Promise.all([num(t, `${r.dir}/in${r.channel}_input`), num(t, `${r.dir}/curr${r.channel}_input`)]);
  if (mV === undefined || mA === undefined) throw new Error(`${r.dir}/in${r.channel}_input or curr${r.channel}_input could not be read`);
  return (mV * mA) / 1e6;
}

/** Options of the `hwmon` source. */
export interface HwmonOptions {
  /** Folder to search for hwmon chips (default `/sys/class/hwmon`). */
  path?: string;
  /** Rail labels to sum. Default: `VDD_IN` (a Jetson's whole-board input) where present, else every rail. */
  rails?: string[];
  /** Poll interval in ms (default 50). */
  intervalMs?: number;
}

/** The `hwmon` energy source: power rails of a Linux device (INA3221 on Jetson boards, `power*_input` chips). */
export async function hwmonSource(t: Transport, o: HwmonOptions = {}): Promise<EnergySource> {
  const root = o.path ?? '/sys/class/hwmon';
  const all = await readPowerRails(t, root);
  if (all.length === 0) {
    throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `hwmon: no power rails under ${root} (no INA3221-style in*/curr* pairs and no power*_input). This device's hwmon chips do not measure power; use another energy source.`);
  }
  let rails: PowerRail[];
  if (o.rails?.length) {
    rails = all.filter((r) => o.rails!.includes(r.label));
    const missing = o.rails.filter((l) => !all.some((r) => r.label === l));
    if (missing.length) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `hwmon: no rail labelled ${missing.join(', ')} under ${root}; rails there: ${all.map((r) => r.label).join(', ')}.`);
  } else {
    const vin = all.filter((r) => r.label === 'VDD_IN');
    rails = vin.length ? vin : all;
  }
  const intervalMs = o.intervalMs ?? 50;
  return {
    name: 'hwmon',
    coarse: false,
    nominalRateHz: 1000 / intervalMs,
    describe: () => `hwmon rails ${rails.map((r) => r.label).join(' + ')}`,
    start: () => startPolledRecording(async () => ({ powerW: (await Promise.all(rails.map((r) => railPower(t, r)))).reduce((a, b) => a + b, 0) }), { intervalMs, what: 'hwmon' }),
  };
}
