import { GaugeError, startPolledRecording, type EnergySource, type Transport } from '@gaugenn/core';
import { detectFuelGaugeScale, type FuelGaugeScale } from './fuel-gauge-units.js';

/** Options of the `android-battery` energy source (`energy: [{ source: 'android-battery', intervalMs: 100 }]`). */
export interface AndroidBatteryOptions {
  /** power_supply folder (default: the first supply of type Battery under /sys/class/power_supply). */
  supply?: string;
  /** Poll interval in ms (default 100; each poll is one shell round trip over the device's transport). */
  intervalMs?: number;
}

const ROOT = '/sys/class/power_supply';

async function cat(t: Transport, paths: string[]): Promise<string[]> {
  const r = await t.exec('cat', paths, { timeoutMs: 10_000 });
  if (r.exitCode !== 0) throw new Error(`cat ${paths.join(' ')}: ${(r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.exitCode}`}`);
  return r.stdout.split('\n').map((s) => s.trim()).filter((s) => s !== '');
}

/** The battery's power_supply folder: `battery` where it exists, else the first supply whose `type` is Battery. */
export async function findBatterySupply(t: Transport): Promise<string> {
  const ls = await t.exec('ls', [ROOT], { timeoutMs: 10_000 });
  const names = ls.exitCode === 0 ? ls.stdout.split(/\s+/).filter(Boolean) : [];
  const ordered = [...names.filter((n) => n === 'battery'), ...names.filter((n) => n !== 'battery')];
  for (const n of ordered) {
    const type = await cat(t, [`${ROOT}/${n}/type`]).then((l) => l[0], () => undefined);
    if (type === 'Battery' || (type === undefined && n === 'battery')) return `${ROOT}/${n}`;
  }
  throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `android-battery: no battery under ${ROOT} on this device (${names.length ? `supplies: ${names.join(', ')}` : 'the folder cannot be listed'}). Set \`supply\` to the fuel gauge's power_supply folder.`);
}

/** Read current_now and voltage_now once, raw. */
async function readRaw(t: Transport, dir: string): Promise<[number, number]> {
  const [i, v] = await cat(t, [`${dir}/current_now`, `${dir}/voltage_now`]);
  const ci = Number(i);
  const vv = Number(v);
  if (i === undefined || v === undefined || !Number.isFinite(ci) || !Number.isFinite(vv)) throw new Error(`${dir}/current_now or voltage_now is not a number ("${i}", "${v}")`);
  return [ci, vv];
}

/**
 * The phone's own fuel gauge as an energy source: `current_now` × `voltage_now`, polled over the device transport
 * (adb shell) during the window. Units and sign are detected from idle readings taken just before each recording
 * (see fuel-gauge-units.ts). Marked `coarse`: fuel gauges update slowly and filter, and AOSP warns their absolute
 * accuracy is not guaranteed; compare like with like.
 */
export async function androidBatterySource(t: Transport, o: AndroidBatteryOptions = {}): Promise<EnergySource & { scale(): FuelGaugeScale | undefined }> {
  const dir = o.supply ?? (await findBatterySupply(t));
  try {
    await readRaw(t, dir);
  } catch (e) {
    throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `android-battery: cannot read the fuel gauge in ${dir} (${(e as Error).message}). This device does not expose current_now/voltage_now to the shell user; use a Monsoon.`, { cause: e });
  }
  const intervalMs = o.intervalMs ?? 100;
  let scale: FuelGaugeScale | undefined;
  return {
    name: 'android-battery',
    coarse: true,
    nominalRateHz: 1000 / intervalMs,
    scale: () => scale,
    describe: () => `fuel gauge ${dir} (current_now × voltage_now${scale ? `, ${scale.currentUnit}/${scale.voltageUnit}, discharge ${scale.discharge}` : ''})`,
    async start() {
      const cs: number[] = [];
      const vs: number[] = [];
      for (let k = 0; k < 3; k++) {
        const [c, v] = await readRaw(t, dir);
        cs.push(c);
        vs.push(v);
      }
      const s = (scale = detectFuelGaugeScale(cs, vs));
      return startPolledRecording(async () => {
        const [c, v] = await readRaw(t, dir);
        return { powerW: c * s.currentToA * (v * s.voltageToV) };
      }, { intervalMs, what: `android-battery (${dir})` });
    },
  };
}
