/**
 * A Monsoon DEVICE SIMULATOR: an object with the USB surface this plugin uses ({@link UsbDeviceLike}), answering
 * control transfers and producing bulk sample packets as the protocol facts describe (energy-facts.md §1), so the
 * plugin's start → stream → stop path and unplug handling run without a monitor. It is not a model of the analog
 * front end: the calibration readings it reports are chosen so that the calibration maths recovers its current.
 */
import {
  HEADER_BYTES, MAIN_VOLTAGE_SCALE, OP, PACKET_BYTES, RECORD_BYTES, REQ, SAMPLE_RATE_HZ, SAMPLE_TYPE, USB_VOLTAGE_SCALE, VOLTAGE_TO_INT,
  VOLTS_PER_LSB, MONSOON_PID, MONSOON_VID, type MonsoonModel,
} from '../protocol/constants.js';
import { FIELDS, HVPM_DEFAULT_SCALES, HVPM_DEFAULT_ZERO_OFFSETS, lvpmScales, type PerField } from '../protocol/status.js';
import type { UsbDeviceLike, UsbInResult, UsbOutResult, UsbSetup } from '../usb/usb-like.js';

export interface MonsoonSimulatorOptions {
  model?: MonsoonModel;
  /** Main-channel current in A at `tS` seconds after sampling started (default 0.2 A). */
  currentA?: (tS: number) => number;
  /** USB-channel current in A (default 0). */
  usbCurrentA?: number;
  /** The monitor "unplugs" this long after sampling starts: every transfer then fails as libusb's NO_DEVICE does. */
  unplugAfterMs?: number;
  /** Measurement queue of the device (16 on real monitors); samples the host does not fetch in time are dropped. */
  queue?: number;
  serial?: number;
}

const now = () => performance.now();
/** Calibration spans (ref − zero) the simulator reports per field; chosen so fine covers ~1 A and coarse ~10-20 A. */
const SPAN: Record<MonsoonModel, PerField> = {
  HVPM: { mainCoarse: 20000, mainFine: 2000, usbCoarse: 20000, usbFine: 2000, auxCoarse: 20000, auxFine: 2000 },
  LVPM: { mainCoarse: 10000, mainFine: 1000, usbCoarse: 10000, usbFine: 1000, auxCoarse: 10000, auxFine: 1000 },
};
const ZERO_RAW = 2000;
const LVPM_RESISTOR_OFFSETS: PerField = { mainFine: 10, mainCoarse: -5, usbFine: 0, usbCoarse: 3, auxFine: 0, auxCoarse: 0 };

export class MonsoonSimulator implements UsbDeviceLike {
  readonly vendorId = MONSOON_VID;
  readonly productId = MONSOON_PID;
  readonly model: MonsoonModel;
  readonly serialNumber: string;
  /** What the host did, for tests: every set value (opcode → value) and start/stop count. */
  readonly log = { sets: [] as { opcode: number; value: number }[], starts: 0, stops: 0 };
  vout = 0;
  opened = false;
  claimed = false;
  private sampling = false;
  private unplugged = false;
  private startedAt = 0;
  private emitted = 0;
  private dropped = 0;
  private seq = 0;
  private sent = 0;
  private calTimeMs = 1250;
  private readonly regs = new Map<number, number>();
  private readonly scales: PerField;
  private readonly zeroOffsets: PerField;

  constructor(readonly options: MonsoonSimulatorOptions = {}) {
    this.model = options.model ?? 'HVPM';
    this.serialNumber = String(options.serial ?? 20417);
    const r = this.regs;
    r.set(OP.hardwareModel, this.model === 'HVPM' ? 2 : 1);
    r.set(OP.getSerialNumber, options.serial ?? 20417);
    r.set(OP.firmwareVersion, 32);
    r.set(OP.protocolVersion, 25);
    r.set(OP.dacCalLow, 0xe000);
    r.set(OP.dacCalHigh, 0xc800);
    if (this.model === 'HVPM') {
      this.scales = HVPM_DEFAULT_SCALES;
      this.zeroOffsets = HVPM_DEFAULT_ZERO_OFFSETS;
      r.set(OP.mainFineScale, this.scales.mainFine); r.set(OP.mainCoarseScale, this.scales.mainCoarse);
      r.set(OP.usbFineScale, this.scales.usbFine); r.set(OP.usbCoarseScale, this.scales.usbCoarse);
      r.set(OP.auxFineScale, this.scales.auxFine); r.set(OP.auxCoarseScale, this.scales.auxCoarse);
      r.set(OP.mainFineZeroOffset, this.zeroOffsets.mainFine); r.set(OP.mainCoarseZeroOffset, this.zeroOffsets.mainCoarse);
      r.set(OP.usbFineZeroOffset, this.zeroOffsets.usbFine); r.set(OP.usbCoarseZeroOffset, this.zeroOffsets.usbCoarse);
    } else {
      const o = LVPM_RESISTOR_OFFSETS;
      this.scales = lvpmScales(o);
      this.zeroOffsets = { mainFine: 0, mainCoarse: 0, usbFine: 0, usbCoarse: 0, auxFine: 0, auxCoarse: 0 };
      r.set(OP.mainFineResistorOffset, o.mainFine & 0xff); r.set(OP.mainCoarseResistorOffset, o.mainCoarse & 0xff);
      r.set(OP.usbFineResistorOffset, o.usbFine & 0xff); r.set(OP.usbCoarseResistorOffset, o.usbCoarse & 0xff);
      r.set(OP.auxFineResistorOffset, o.auxFine & 0xff); r.set(OP.auxCoarseResistorOffset, o.auxCoarse & 0xff);
    }
  }

  /** Pull the cable now. */
  unplug(): void {
    this.unplugged = true;
  }

  get isSampling(): boolean {
    return this.sampling;
  }

  private check(): void {
    if (!this.unplugged && this.options.unplugAfterMs !== undefined && this.sampling && now() - this.startedAt >= this.options.unplugAfterMs) this.unplugged = true;
    if (this.unplugged) throw new Error('LIBUSB_ERROR_NO_DEVICE: No such device (it may have been disconnected)');
  }

  async open(): Promise<void> { this.check(); this.opened = true; }
  async close(): Promise<void> { this.opened = false; this.claimed = false; }
  async selectConfiguration(): Promise<void> { this.check(); }
  async claimInterface(n: number): Promise<void> { this.check(); if (n !== 0) throw new Error('LIBUSB_ERROR_NOT_FOUND'); this.claimed = true; }
  async releaseInterface(): Promise<void> { this.claimed = false; }
  async detachKernelDriver(): Promise<void> { this.check(); }

  async controlTransferIn(setup: UsbSetup, length: number): Promise<UsbInResult> {
    this.check();
    if (setup.requestType !== 'vendor' || setup.request !== REQ.SET_GET_VALUE) return { status: 'stall' };
    const op = setup.index & 0xff;
    if (op === OP.getStartStatus) return { status: 'ok', data: this.le32(this.sampling ? 0x80 : 0, length) };
    const v = this.regs.get(op);
    if (v === undefined) return { status: 'stall' };
    return { status: 'ok', data: this.le32(v, length) };
  }

  private le32(v: number, length: number): DataView {
    const b = new Uint8Array(Math.max(4, length));
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return new DataView(b.buffer, 0, length);
  }

  async controlTransferOut(setup: UsbSetup, data?: Uint8Array): Promise<UsbOutResult> {
    this.check();
    if (setup.requestType !== 'vendor') return { bytesWritten: 0, status: 'stall' };
    if (setup.request === REQ.SET_GET_VALUE) {
      if (this.sampling) return { bytesWritten: 0, status: 'stall' };
      const op = setup.index & 0xff;
      const value = setup.value | (((setup.index >> 8) & 0xff) << 16);
      // The data stage carries the same value as 4 little-endian bytes.
      if (!data || data.length !== 4 || new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true) !== value >>> 0) return { bytesWritten: 0, status: 'stall' };
      this.log.sets.push({ opcode: op, value });
      if (op === OP.setMainVoltage) this.vout = value / VOLTAGE_TO_INT;
      else this.regs.set(op, value);
      return { bytesWritten: 4, status: 'ok' };
    }
    if (setup.request === REQ.START) {
      this.calTimeMs = setup.value || 1250;
      this.sampling = true;
      this.startedAt = now();
      this.emitted = 0;
      this.sent = 0;
      this.dropped = 0;
      this.log.starts++;
      return { bytesWritten: data?.length ?? 0, status: 'ok' };
    }
    if (setup.request === REQ.STOP) {
      this.sampling = false;
      this.log.stops++;
      return { bytesWritten: 0, status: 'ok' };
    }
    return { bytesWritten: 0, status: 'stall' };
  }

  /**
   * What slot s is: the first ten records sent alternate zero/ref calibration (a simulator choice: the protocol
   * facts only say the host needs five of each before data), then one calibration every calTime.
   */
  private slotType(s: number): number {
    if (this.sent < 10) return this.sent % 2 === 0 ? SAMPLE_TYPE.ZERO_CAL : SAMPLE_TYPE.REF_CAL;
    const every = Math.max(1, Math.round((this.calTimeMs / 1000) * SAMPLE_RATE_HZ));
    if (s % every === 0) return (s / every) % 2 === 0 ? SAMPLE_TYPE.ZERO_CAL : SAMPLE_TYPE.REF_CAL;
    return SAMPLE_TYPE.MEASUREMENT;
  }

  private writeRecord(p: Uint8Array, o: number, s: number): void {
    const dv = new DataView(p.buffer, p.byteOffset);
    const type = this.slotType(s);
    const put = (f: number, raw: number) => dv.setUint16(o + 2 * f, Math.max(this.model === 'LVPM' ? -32768 : 0, Math.min(this.model === 'LVPM' ? 32767 : 65535, Math.round(raw))) & 0xffff, false);
    const span = SPAN[this.model];
    if (type === SAMPLE_TYPE.ZERO_CAL) FIELDS.forEach((_, f) => put(f, ZERO_RAW));
    else if (type === SAMPLE_TYPE.REF_CAL) FIELDS.forEach((name, f) => put(f, ZERO_RAW + this.zeroOffsets[name] + span[name]));
    else {
      const on = this.vout > 0;
      const mainMa = on ? (this.options.currentA?.(s / SAMPLE_RATE_HZ) ?? 0.2) * 1000 : 0;
      const usbMa = (this.options.usbCurrentA ?? 0) * 1000;
      const mA = [mainMa, mainMa, usbMa, usbMa, 0, 0];
      FIELDS.forEach((name, f) => {
        const zero = ZERO_RAW + this.zeroOffsets[name];
        // Inverse of the decoder's maths: fine mA = (raw − zero)·scale/span/1000, coarse mA = (raw − zero)·scale/span.
        const perLsb = name.endsWith('Fine') ? this.scales[name] / span[name] / 1000 : this.scales[name] / span[name];
        put(f, zero + mA[f]! / perLsb);
      });
      put(6, this.vout / (VOLTS_PER_LSB * MAIN_VOLTAGE_SCALE[this.model]));
      put(7, on ? 5 / (VOLTS_PER_LSB * USB_VOLTAGE_SCALE) : 0);
    }
    p[o + 16] = 0;
    p[o + 17] = type;
  }

  /** Bulk IN transfers waiting for data, served in the order they were submitted (as the host controller does). */
  private readonly waiting: { length: number; began: number; timeout: number; resolve: (r: UsbInResult) => void; reject: (e: Error) => void }[] = [];
  private pump?: ReturnType<typeof setInterval>;

  async transferIn(endpointNumber: number, length: number, timeout = 1000): Promise<UsbInResult> {
    this.check();
    if (endpointNumber !== 1) return { status: 'stall' };
    return new Promise((resolve, reject) => {
      this.waiting.push({ length, began: now(), timeout, resolve, reject });
      this.serve();
      this.pump ??= setInterval(() => this.serve(), 1);
    });
  }

  /** Fill waiting transfers, oldest first, with the samples now due; fail them on unplug or timeout. */
  private serve(): void {
    try {
      this.check();
    } catch (e) {
      for (const w of this.waiting.splice(0)) w.reject(e as Error);
    }
    while (this.waiting.length) {
      const w = this.waiting[0]!;
      const p = this.sampling ? this.nextPacket(w.length) : undefined;
      if (p) {
        this.waiting.shift();
        w.resolve({ status: 'ok', data: new DataView(p.buffer, 0, w.length) });
        continue;
      }
      if (w.timeout > 0 && now() - w.began >= w.timeout) {
        this.waiting.shift();
        w.reject(new Error(`LIBUSB_ERROR_TIMEOUT (simulator ${this.sampling ? 'sampling' : 'not sampling'}, waited ${Math.round(now() - w.began)} ms)`));
        continue;
      }
      break;
    }
    if (this.waiting.length === 0 && this.pump) {
      clearInterval(this.pump);
      this.pump = undefined;
    }
  }

  /** The next packet of up to three due samples, or undefined when none is due yet. */
  private nextPacket(length: number): Uint8Array | undefined {
    const due = Math.floor(((now() - this.startedAt) / 1000) * SAMPLE_RATE_HZ);
    const queue = this.options.queue ?? 16;
    if (due - this.emitted > queue) {
      this.dropped += due - this.emitted - queue;
      this.emitted = due - queue;
    }
    const n = Math.min(3, due - this.emitted);
    if (n <= 0) return undefined;
    const p = new Uint8Array(Math.max(length, PACKET_BYTES));
    p[0] = this.dropped & 0xff;
    p[1] = (this.dropped >> 8) & 0xff;
    p[2] = (this.seq++ & 0x0f) | (this.vout > 0 ? 0x20 : 0);
    p[3] = n;
    for (let k = 0; k < n; k++, this.sent++) this.writeRecord(p, HEADER_BYTES + RECORD_BYTES * k, this.emitted + k);
    this.emitted += n;
    return p;
  }
}
