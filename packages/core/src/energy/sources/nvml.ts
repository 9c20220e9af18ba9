/*
 * NVIDIA GPU power. NVML is a vendor library, so core does not link or import it: this source asks the driver's own
 * command-line front end (`nvidia-smi`, which calls NVML) over the device transport, the way a runner runs its tool,
 * and says "not available" with the reason when the driver is absent. Core thus depends on no vendor code; a device
 * without the NVIDIA driver simply has no `nvml` source.
 */
import { GaugeError } from '../../errors/gauge-error.js';
import type { Transport } from '../../device/types.js';
import { startPolledRecording } from '../polled-recording.js';
import type { EnergySource } from '../types.js';

/** Options of the `nvml` source. */
export interface NvmlOptions {
  /** GPU index (default 0). */
  gpu?: number;
  /** Poll interval in ms (default 100; NVML updates its power reading every 20-100 ms). */
  intervalMs?: number;
}

function unavailable(msg: string): GaugeError {
  return new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `NVML not available: ${msg}`);
}

async function query(t: Transport, gpu: number): Promise<{ name: string; powerW: number }> {
  const r = await t.exec('nvidia-smi', [`--id=${gpu}`, '--query-gpu=name,power.draw', '--format=csv,noheader,nounits'], { timeoutMs: 10_000 });
  if (r.exitCode === 127) throw unavailable('no NVIDIA driver here: nvidia-smi is not on PATH and NVML (libnvidia-ml.so.1) ships only with the driver. Install the NVIDIA driver, or use another energy source.');
  if (r.exitCode !== 0) throw unavailable(`nvidia-smi failed (exit ${r.exitCode}): ${(r.stdout + r.stderr).trim().split('\n')[0]}. Check the driver is loaded (nvidia-smi alone) and GPU ${gpu} exists.`);
  const line = r.stdout.trim().split('\n')[0] ?? '';
  const i = line.lastIndexOf(',');
  const name = line.slice(0, i).trim();
  const powerW = Number(line.slice(i + 1).trim());
  if (!Number.isFinite(powerW)) throw unavailable(`GPU ${gpu} (${name}) does not report its power draw ("${line.slice(i + 1).trim()}").`);
  return { name, powerW };
}

/** The `nvml` energy source: board power of one NVIDIA GPU. */
export async function nvmlSource(t: Transport, o: NvmlOptions = {}): Promise<EnergySource> {
  const gpu = o.gpu ?? 0;
  // /proc/driver/nvidia is the kernel module's own interface: its absence names the cause precisely.
  const driver = await t.readFile('/proc/driver/nvidia/version').then((b) => b.toString('utf8').split('\n')[0]!.trim(), () => undefined);
  let first: { name: string; powerW: number };
  try {
    first = await query(t, gpu);
  } catch (e) {
    if (!driver && e instanceof GaugeError) {
      throw unavailable(`no NVIDIA driver here: /proc/driver/nvidia/version does not exist and nvidia-smi could not be run, so there is no NVML (libnvidia-ml.so.1 ships with the driver). This machine has no NVIDIA GPU driver; use another energy source.`);
    }
    throw e;
  }
  const intervalMs = o.intervalMs ?? 100;
  return {
    name: 'nvml',
    coarse: false,
    nominalRateHz: 1000 / intervalMs,
    describe: () => `NVML power.draw of GPU ${gpu} (${first.name})`,
    start: () => startPolledRecording(async () => ({ powerW: (await query(t, gpu)).powerW }), { intervalMs, what: 'NVML' }),
  };
}
