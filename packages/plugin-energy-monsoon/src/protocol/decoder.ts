import {
  AUX_FINE_THRESHOLD, CALS_TO_KEEP, FINE_THRESHOLD, HEADER_BYTES, MAIN_VOLTAGE_SCALE, MAX_RECORDS, RECORD_BYTES, SAMPLE_TYPE,
  USB_VOLTAGE_SCALE, VOLTS_PER_LSB,
} from './constants.js';
import { FIELDS, type MonsoonStatus } from './status.js';

/** Decoded samples, one column per quantity, grown as packets arrive. */
export class SampleColumns {
  length = 0;
  mainA = new Float32Array(4096);
  usbA = new Float32Array(4096);
  auxA = new Float32Array(4096);
  mainV = new Float32Array(4096);
  usbV = new Float32Array(4096);

  /** Make room for n more samples (doubling, so growth costs O(1) per sample). */
  reserve(n: number): void {
    if (this.length + n <= this.mainA.length) return;
    let cap = this.mainA.length * 2;
    while (cap < this.length + n) cap *= 2;
    const grow = (a: Float32Array) => { const b = new Float32Array(cap); b.set(a.subarray(0, this.length)); return b; };
    this.mainA = grow(this.mainA); this.usbA = grow(this.usbA); this.auxA = grow(this.auxA); this.mainV = grow(this.mainV); this.usbV = grow(this.usbV);
  }

  /** Main-channel power (W) of every sample. */
  mainPowerW(): Float32Array {
    const p = new Float32Array(this.length);
    for (let i = 0; i < this.length; i++) p[i] = this.mainA[i]! * this.mainV[i]!;
    return p;
  }
}

/** Calibration-corrected current in mA (PyMonsoon's formula): coarse (raw − zero)·slope, fine the same / 1000. */
export function currentMa(raw: number, zero: number, ref: number, scale: number, fine: boolean): number {
  const slope = scale / (ref - zero);
  return fine ? ((raw - zero) * slope) / 1000 : (raw - zero) * slope;
}

/**
 * The Monsoon sample decoder: 64-byte bulk packets in, calibrated main/USB/aux current (A) and main/USB voltage (V)
 * out, one sample per 200 µs slot. Written by hand because no library decodes this protocol in JS; it is a pure
 * function of the packets (tests feed it byte streams; the USB layer only moves bytes).
 *
 * - Zero-cal and ref-cal records update rolling means of the last {@link CALS_TO_KEEP} non-zero readings per
 *   channel and range; zero = EEPROM zero offset + that mean; slope = scale / (ref − zero).
 * - Nothing is emitted until every channel and range has that many of both (as PyMonsoon does); from then on a
 *   calibration or invalid record holds the previous sample, so the output stays one sample per slot.
 * - Dropped samples (the header counter; API.pdf calls it samples dropped) are filled by holding the previous
 *   sample, for the same reason. A counter stepping away from 0xFFFF in the first second is the start-up
 *   artefact ACTS works around, and is not counted.
 */
export class MonsoonDecoder {
  readonly out = new SampleColumns();
  /** Slots seen since the start (records of every type plus dropped samples). */
  slot = 0;
  /** Slot of the first emitted sample (−1 until calibrated). */
  firstSlot = -1;
  /** Samples the monitor reported dropped (after the first second). */
  dropped = 0;
  private prevDropped = -1;
  private readonly signed: boolean;
  private readonly fineThreshold: number;
  private readonly mainVScale: number;
  private readonly zeroRing = new Float64Array(6 * CALS_TO_KEEP);
  private readonly refRing = new Float64Array(6 * CALS_TO_KEEP);
  private readonly zeroN = new Int32Array(6);
  private readonly refN = new Int32Array(6);
  private readonly zero = new Float64Array(6);
  private readonly slope = new Float64Array(6);
  private readonly scales: Float64Array;
  private readonly zeroOffsets: Float64Array;
  private ready = false;
  private last = [0, 0, 0, 0, 0];

  constructor(readonly status: MonsoonStatus) {
    this.signed = status.model === 'LVPM';
    this.fineThreshold = FINE_THRESHOLD[status.model];
    this.mainVScale = MAIN_VOLTAGE_SCALE[status.model] * VOLTS_PER_LSB;
    this.scales = Float64Array.from(FIELDS.map((f) => status.scales[f]));
    this.zeroOffsets = Float64Array.from(FIELDS.map((f) => status.zeroOffsets[f]));
  }

  /** Whether enough calibration records arrived for samples to be emitted. */
  get calibrated(): boolean {
    return this.ready;
  }

  private field(p: Uint8Array, o: number, signed: boolean): number {
    const v = (p[o]! << 8) | p[o + 1]!;
    return signed && v & 0x8000 ? v - 0x10000 : v;
  }

  private calibrate(p: Uint8Array, o: number, ring: Float64Array, n: Int32Array): void {
    for (let f = 0; f < 6; f++) {
      const raw = this.field(p, o + 2 * f, this.signed);
      if (raw === 0) continue;
      ring[f * CALS_TO_KEEP + (n[f]! % CALS_TO_KEEP)] = raw;
      n[f]!++;
    }
    let ready = true;
    for (let f = 0; f < 6; f++) {
      const zn = Math.min(this.zeroN[f]!, CALS_TO_KEEP);
      const rn = Math.min(this.refN[f]!, CALS_TO_KEEP);
      if (zn < CALS_TO_KEEP || rn < CALS_TO_KEEP) ready = false;
      if (zn === 0 || rn === 0) continue;
      let zs = 0;
      let rs = 0;
      for (let i = 0; i < zn; i++) zs += this.zeroRing[f * CALS_TO_KEEP + i]!;
      for (let i = 0; i < rn; i++) rs += this.refRing[f * CALS_TO_KEEP + i]!;
      const zero = this.zeroOffsets[f]! + zs / zn;
      this.zero[f] = zero;
      this.slope[f] = this.scales[f]! / (rs / rn - zero);
    }
    this.ready = ready;
  }

  private emit(a: number, b: number, c: number, d: number, e: number): void {
    const o = this.out;
    const i = o.length++;
    o.mainA[i] = a; o.usbA[i] = b; o.auxA[i] = c; o.mainV[i] = d; o.usbV[i] = e;
  }

  private hold(n: number): void {
    if (!this.ready || this.firstSlot < 0) return;
    this.out.reserve(n);
    const [a, b, c, d, e] = this.last as [number, number, number, number, number];
    for (let i = 0; i < n; i++) this.emit(a, b, c, d, e);
  }

  private current(p: Uint8Array, o: number, ch: number, threshold: number): number {
    const fine = this.field(p, o + 4 * ch + 2, this.signed);
    if (fine < threshold) return ((fine - this.zero[2 * ch + 1]!) * this.slope[2 * ch + 1]!) / 1e6;
    return ((this.field(p, o + 4 * ch, this.signed) - this.zero[2 * ch]!) * this.slope[2 * ch]!) / 1000;
  }

  /** Decode one packet; returns the number of slots it covered (records, plus dropped samples it reported). */
  push(p: Uint8Array): number {
    const dropped = p[0]! | (p[1]! << 8);
    let slots = 0;
    // The counter often reads 0xFFFF at start (ACTS ignores it for the first second): a step away from 0xFFFF, or
    // a backwards-looking jump, in the first second is that artefact, not drops.
    if (this.prevDropped >= 0 && !(this.slot < 5000 && (this.prevDropped === 0xffff || ((dropped - this.prevDropped) & 0xffff) >= 0x8000))) {
      const d = (dropped - this.prevDropped) & 0xffff;
      if (d > 0 && d < 0x8000) {
        this.dropped += d;
        this.hold(d);
        this.slot += d;
        slots += d;
      }
    }
    this.prevDropped = dropped;
    const n = Math.min(p[3]!, MAX_RECORDS);
    this.out.reserve(n);
    for (let k = 0; k < n; k++) {
      const o = HEADER_BYTES + RECORD_BYTES * k;
      const type = p[o + 17]! & 0x30;
      this.slot++;
      slots++;
      if (type === SAMPLE_TYPE.ZERO_CAL) { this.calibrate(p, o, this.zeroRing, this.zeroN); this.hold(1); continue; }
      if (type === SAMPLE_TYPE.REF_CAL) { this.calibrate(p, o, this.refRing, this.refN); this.hold(1); continue; }
      if (type !== SAMPLE_TYPE.MEASUREMENT || !this.ready) { this.hold(1); continue; }
      if (this.firstSlot < 0) this.firstSlot = this.slot - 1;
      const a = this.current(p, o, 0, this.fineThreshold);
      const b = this.current(p, o, 1, this.fineThreshold);
      const c = this.current(p, o, 2, AUX_FINE_THRESHOLD);
      const d = this.field(p, o + 12, false) * this.mainVScale;
      const e = this.field(p, o + 14, false) * USB_VOLTAGE_SCALE * VOLTS_PER_LSB;
      this.last[0] = a; this.last[1] = b; this.last[2] = c; this.last[3] = d; this.last[4] = e;
      this.emit(a, b, c, d, e);
    }
    return slots;
  }
}
