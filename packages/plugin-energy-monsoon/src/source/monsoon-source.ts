import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { GaugeError, hostNowMs, type EnergyMarker, type EnergyRecording, type EnergySource, type PowerTrace } from '@gaugenn/core';
import { SAMPLE_RATE_HZ } from '../protocol/constants.js';
import { MonsoonDecoder } from '../protocol/decoder.js';
import type { MonsoonStatus } from '../protocol/status.js';
import { MonsoonUsb } from '../usb/monsoon-usb.js';
import type { UsbDeviceLike } from '../usb/usb-like.js';

/** Options of the `monsoon` energy source (`energy: [{ source: 'monsoon', voltage: 4.2, maxVoltage: 4.4 }]`). */
export interface MonsoonOptions {
  /** Output voltage to set (V). Unset: the output is left as it is. */
  voltage?: number;
  /** Never set a voltage above this (default 4.4 V, a Li-ion cell's full charge). */
  maxVoltage?: number;
  /** USB passthrough while measuring (default `off`, so USB current does not bypass the Main channel). */
  usbPassthrough?: 'off' | 'on' | 'auto';
  /** Serial number of the monitor to use when several are attached. */
  serial?: string;
  /** Folder the decoded trace is streamed to while measuring (default: none). */
  traceDir?: string;
  /** Bulk transfers kept in flight (default 8: the device's queue holds only 3.2 ms of samples). */
  inFlight?: number;
  /** Milliseconds without a packet after which the monitor counts as lost (default 1000). */
  stallMs?: number;
}

/** Energy entries are validated by their source (core only knows the protocol's keys): say which key is wrong. */
function checkOptions(o: MonsoonOptions): void {
  const bad = (key: string, want: string) => new GaugeError('CONFIG_INVALID', `energy source monsoon: \`${key}\` must be ${want} (it is ${JSON.stringify((o as Record<string, unknown>)[key])}).`);
  for (const k of ['voltage', 'maxVoltage', 'inFlight', 'stallMs'] as const) {
    if (o[k] !== undefined && (typeof o[k] !== 'number' || !Number.isFinite(o[k]) || o[k]! < 0)) throw bad(k, 'a non-negative number');
  }
  if (o.usbPassthrough !== undefined && !['off', 'on', 'auto'].includes(o.usbPassthrough)) throw bad('usbPassthrough', 'off, on or auto (quote "off" and "on" in YAML)');
  if (o.traceDir !== undefined && typeof o.traceDir !== 'string') throw bad('traceDir', 'a folder path');
}

/** Columns of a streamed trace file: little-endian float32, interleaved, one row per 200 µs sample. */
export const TRACE_COLUMNS = ['main_a', 'usb_a', 'aux_a', 'main_v', 'usb_v'] as const;

/**
 * Open a monitor and prepare it: identify the model, read its calibration, set the voltage (never above the
 * maximum) and the USB passthrough. Returns the source whose recordings stream 5 kHz samples.
 */
export async function monsoonSource(device: UsbDeviceLike, o: MonsoonOptions = {}): Promise<EnergySource & { status: MonsoonStatus; monitor: MonsoonUsb }> {
  checkOptions(o);
  const m = new MonsoonUsb(device);
  let status: MonsoonStatus;
  try {
    await m.open();
    await m.identify();
    status = await m.readStatus();
    if (o.voltage !== undefined) await m.setVout(o.voltage, o.maxVoltage ?? 4.4);
    await m.setUsbPassthrough(({ off: 0, on: 1, auto: 2 } as const)[o.usbPassthrough ?? 'off']);
  } catch (e) {
    await m.close().catch(() => undefined);
    if (e instanceof GaugeError) throw e;
    throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `Monsoon: could not set up the monitor (${(e as Error).message}). Check it is switched on and its USB cable is seated, then try again.`, { cause: e });
  }
  const desc = `Monsoon ${status.model} #${status.serial ?? '?'} Main channel${o.voltage !== undefined ? ` at ${o.voltage} V` : ''}`;
  return {
    name: 'monsoon',
    coarse: false,
    nominalRateHz: SAMPLE_RATE_HZ,
    status,
    monitor: m,
    describe: () => desc,
    close: () => m.close(),
    start: () => startMonsoonRecording(m, status, o),
  };
}

/** Start sampling and stream until stopped (or SIGINT, which stops the monitor cleanly before the process goes). */
export async function startMonsoonRecording(m: MonsoonUsb, status: MonsoonStatus, o: MonsoonOptions = {}): Promise<EnergyRecording & { markers: EnergyMarker[]; decoder: MonsoonDecoder; tracePath?: string }> {
  const decoder = new MonsoonDecoder(status);
  const markers: EnergyMarker[] = [];
  let lost: unknown;
  let stopping = false;
  let lastPacket = hostNowMs();
  let file: WriteStream | undefined;
  let tracePath: string | undefined;
  let written = 0;
  if (o.traceDir) {
    mkdirSync(o.traceDir, { recursive: true });
    tracePath = join(o.traceDir, `monsoon-${status.serial ?? 'x'}-${Date.now()}.f32`);
    file = createWriteStream(tracePath);
  }
  const flush = () => {
    const out = decoder.out;
    if (!file || written >= out.length) return;
    const n = out.length - written;
    const buf = new Float32Array(n * 5);
    for (let i = 0; i < n; i++) {
      const j = written + i;
      buf[5 * i] = out.mainA[j]!; buf[5 * i + 1] = out.usbA[j]!; buf[5 * i + 2] = out.auxA[j]!; buf[5 * i + 3] = out.mainV[j]!; buf[5 * i + 4] = out.usbV[j]!;
    }
    file.write(Buffer.from(buf.buffer));
    written = out.length;
  };

  const t0 = hostNowMs();
  await m.startSampling();
  const reader = async () => {
    while (!stopping && lost === undefined) {
      try {
        const p = await m.readPacket(o.stallMs ?? 1000);
        if (p) {
          decoder.push(p);
          lastPacket = hostNowMs();
        } else if (!stopping && hostNowMs() - lastPacket > (o.stallMs ?? 1000)) {
          throw new Error(`no sample packet for ${Math.round(hostNowMs() - lastPacket)} ms`);
        }
      } catch (e) {
        if (!stopping) lost = e;
      }
    }
  };
  const readers = Array.from({ length: o.inFlight ?? 8 }, reader);
  const flusher = setInterval(flush, 100);

  let finished: Promise<void> | undefined;
  // Idempotent: SIGINT and stop() may both end the recording.
  const finish = () => (finished ??= finishOnce());
  const finishOnce = async () => {
    stopping = true;
    clearInterval(flusher);
    await Promise.all(readers);
    await m.stopSampling().catch(() => undefined);
    flush();
    if (file) {
      await new Promise<void>((r) => file!.end(r));
      writeFileSync(`${tracePath}.json`, JSON.stringify({ columns: TRACE_COLUMNS, dtype: 'float32le', rateHz: SAMPLE_RATE_HZ, t0Ms: t0 + (decoder.firstSlot / SAMPLE_RATE_HZ) * 1000, status, markers, droppedSamples: decoder.dropped }, null, 1));
    }
  };
  // SIGINT while sampling: stop the monitor so it is not left streaming; then let the default action happen
  // when nobody else handles the signal (a listener suppresses Node's default exit).
  const onSigint = () => {
    void finish().finally(() => {
      if (process.listenerCount('SIGINT') === 0) process.kill(process.pid, 'SIGINT');
    });
  };
  process.once('SIGINT', onSigint);

  return {
    markers,
    decoder,
    tracePath,
    mark(label: string) {
      markers.push({ label, tMs: hostNowMs() });
    },
    async stop(): Promise<PowerTrace> {
      process.off('SIGINT', onSigint);
      await finish();
      if (lost !== undefined) {
        throw new GaugeError('ENERGY_SOURCE_LOST', `Monsoon stopped delivering samples during the window (${(lost as Error).message ?? lost}). Check its USB cable and power; this job's energy is not measured, its latency is.`, { cause: lost });
      }
      if (decoder.out.length < 2) throw new GaugeError('ENERGY_SOURCE_LOST', 'Monsoon delivered no calibrated samples during the window. Check the monitor streams (PowerTool shows it) and lengthen the baseline.');
      const firstSlot = decoder.firstSlot;
      return { t0Ms: t0 + (firstSlot / SAMPLE_RATE_HZ) * 1000, rateHz: SAMPLE_RATE_HZ, powerW: decoder.out.mainPowerW() };
    },
  };
}
