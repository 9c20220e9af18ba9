import { describe, expect, it } from 'vitest';
import { MonsoonDecoder, currentMa, lvpmScales, packetHeader, rawRecord, HVPM_DEFAULT_SCALES, HVPM_DEFAULT_ZERO_OFFSETS, type MonsoonStatus } from '../src/index.js';
import { all, packet } from './packets.js';

const hvpm: MonsoonStatus = { model: 'HVPM', scales: HVPM_DEFAULT_SCALES, zeroOffsets: HVPM_DEFAULT_ZERO_OFFSETS };
const ZERO = 0x10;
const REF = 0x30;
const MEAS = 0x00;

/** Calibrate an HVPM decoder: zero-cal raw 985 + EEPROM zero offset 15 (mainFine/mainCoarse defaults) = zero 1000. */
function calibratedHvpm(): MonsoonDecoder {
  const d = new MonsoonDecoder(hvpm);
  // ref − zero chosen so slope = scale / (ref − zero) = 10 for main fine (36500/3650) and main coarse (6400/640).
  const zeroRec = { f: [985, 985, 1000, 1000, 1000, 1000, 0, 0], type: ZERO };
  const refRec = { f: [1640, 4650, 2000, 2000, 2000, 2000, 0, 0], type: REF };
  for (let i = 0; i < 5; i++) d.push(packet([zeroRec, refRec]));
  return d;
}

describe('Monsoon packet layout (facts §1.3)', () => {
  it('reads the header: dropped count little-endian, sequence and flags bits, record count', () => {
    const h = packetHeader(packet([{ f: all(0), type: MEAS }, { f: all(0), type: MEAS }], 0x1234, 0x25));
    expect(h).toEqual({ dropped: 0x1234, sequence: 5, overCurrent: false, mainAtVoltage: true, records: 2 });
    expect(packetHeader(packet([{ f: all(0), type: MEAS }], 0, 0x1f)).overCurrent).toBe(true); // bit 4
  });

  it('reads records big-endian at offsets 4, 22, 40; HVPM unsigned, LVPM currents signed; type from byte 17 & 0x30', () => {
    const p = packet([{ f: all(1), type: MEAS }, { f: all(2), type: REF }, { f: [0xfffe, 0x0102, 3, 4, 5, 6, 0xfffe, 0x8000], type: ZERO }]);
    expect(rawRecord(p, 0, 'HVPM').fields).toEqual(all(1));
    expect(rawRecord(p, 1, 'HVPM').sampleType).toBe(REF);
    const h = rawRecord(p, 2, 'HVPM');
    expect(h.fields).toEqual([65534, 258, 3, 4, 5, 6, 65534, 32768]);
    expect(h.sampleType).toBe(ZERO);
    // LVPM: the six currents are int16, the two voltages stay unsigned.
    expect(rawRecord(p, 2, 'LVPM').fields).toEqual([-2, 258, 3, 4, 5, 6, 65534, 32768]);
  });
});

describe('Monsoon calibration maths (facts §1.4)', () => {
  it('currentMa: coarse (raw − zero)·scale/(ref − zero), fine the same / 1000', () => {
    expect(currentMa(1300, 1000, 1640, 6400, false)).toBeCloseTo(3000, 9);
    expect(currentMa(51000, 1000, 4650, 36500, true)).toBeCloseTo(500, 9);
  });

  it('emits nothing until 5 zero-cal and 5 ref-cal readings exist for every channel and range', () => {
    const d = new MonsoonDecoder(hvpm);
    const meas = { f: [1300, 51000, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS };
    for (let i = 0; i < 4; i++) d.push(packet([{ f: [985, 985, 1000, 1000, 1000, 1000, 0, 0], type: ZERO }, { f: [1640, 4650, 2000, 2000, 2000, 2000, 0, 0], type: REF }]));
    d.push(packet([meas]));
    expect(d.out.length).toBe(0);
    expect(d.calibrated).toBe(false);
    d.push(packet([{ f: [985, 985, 1000, 1000, 1000, 1000, 0, 0], type: ZERO }, { f: [1640, 4650, 2000, 2000, 2000, 2000, 0, 0], type: REF }]));
    expect(d.calibrated).toBe(true);
    d.push(packet([meas]));
    expect(d.out.length).toBe(1);
    expect(d.firstSlot).toBe(11); // 10 calibration slots + the uncalibrated measurement before it
  });

  it('HVPM: fine below 64000, coarse at or above it; zero includes the EEPROM offset; voltages × 62.5 µV × 4 (main) / × 2 (USB)', () => {
    const d = calibratedHvpm();
    d.push(packet([
      { f: [1300, 51000, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS }, // fine 51000 < 64000 → (51000−1000)·10/1000 = 500 mA
      { f: [1300, 63999, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS }, // still fine: (63999−1000)·10/1000 = 629.99 mA
      { f: [1300, 64000, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS }, // coarse: (1300−1000)·10 = 3000 mA
    ]));
    const o = d.out;
    expect(o.mainA[0]).toBeCloseTo(0.5, 6);
    expect(o.mainA[1]).toBeCloseTo(0.62999, 5);
    expect(o.mainA[2]).toBeCloseTo(3.0, 5);
    expect(o.mainV[0]).toBeCloseTo(16800 * 62.5e-6 * 4, 5); // 4.2 V
    expect(o.usbV[0]).toBeCloseTo(20000 * 62.5e-6 * 2, 5); // 2.5 V
    // USB: zero offset 0, zero 1000, ref 2000: fine slope 14000/1000 = 14 → raw 1000 is 0 A.
    expect(o.usbA[0]).toBeCloseTo(0, 9);
  });

  it('calibration is a rolling mean of the last 5 non-zero readings', () => {
    const d = calibratedHvpm();
    // A zero reading is ignored; a sixth zero-cal of 1085 replaces the oldest 985: mean 1005 → zero 1020.
    d.push(packet([{ f: [0, 0, 0, 0, 0, 0, 0, 0], type: ZERO }]));
    d.push(packet([{ f: [1300, 51000, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS }]));
    expect(d.out.mainA[d.out.length - 1]).toBeCloseTo(0.5, 6);
    d.push(packet([{ f: [1085, 1085, 1000, 1000, 1000, 1000, 0, 0], type: ZERO }]));
    d.push(packet([{ f: [1300, 51000, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS }]));
    expect(d.out.mainA[d.out.length - 1]).toBeCloseTo(currentMa(51000, 1020, 4650, 36500, true) / 1000, 6);
  });

  it('LVPM: scales from resistor offsets, signed currents, fine below 30000, main voltage × 62.5 µV × 2', () => {
    // offset 0 → R = 0.05 Ω → mainFine scale 35946.0, mainCoarse 3103.4 (facts §1.4).
    const scales = lvpmScales({ mainFine: 0, mainCoarse: 0, usbFine: 0, usbCoarse: 0, auxFine: 0, auxCoarse: 0 });
    expect(scales.mainFine).toBeCloseTo(35946.0, 6);
    expect(scales.mainCoarse).toBeCloseTo(3103.4, 6);
    expect(lvpmScales({ mainFine: 100, mainCoarse: 0, usbFine: 0, usbCoarse: 0, auxFine: 0, auxCoarse: 0 }).mainFine).toBeCloseTo(35946.0 * (0.05 / 0.06), 6);
    const d = new MonsoonDecoder({ model: 'LVPM', scales, zeroOffsets: { mainFine: 0, mainCoarse: 0, usbFine: 0, usbCoarse: 0, auxFine: 0, auxCoarse: 0 } });
    // Five ref readings averaging 3694.6 → ref − zero = 3594.6 → main fine slope exactly 10.
    for (const ref of [3694, 3695, 3694, 3695, 3695]) d.push(packet([{ f: [100, 100, 100, 100, 100, 100, 0, 0], type: ZERO }, { f: [ref, ref, ref, ref, ref, ref, 0, 0], type: REF }]));
    d.push(packet([
      { f: [100, -900, 100, 100, 100, 100, 33600, 0], type: MEAS }, // (−900 − 100)·10/1000 = −10 mA: LVPM currents are signed
      { f: [200, 30000, 100, 100, 100, 100, 33600, 0], type: MEAS }, // fine 30000 is not < 30000 → coarse: (200−100)·3103.4/3594.6 mA
    ]));
    expect(d.out.mainA[0]).toBeCloseTo(-0.01, 6);
    expect(d.out.mainA[1]).toBeCloseTo((100 * 3103.4) / 3594.6 / 1000, 6);
    expect(d.out.mainV[0]).toBeCloseTo(33600 * 62.5e-6 * 2, 5); // 4.2 V
  });

  it('calibration and invalid records hold the previous sample; dropped samples after the first second are filled', () => {
    const d = calibratedHvpm();
    d.push(packet([{ f: [1300, 51000, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS }, { f: all(5), type: 0x20 }]));
    expect(d.out.length).toBe(2);
    expect(d.out.mainA[1]).toBeCloseTo(0.5, 6);
    // In the first second, a counter that read 0xFFFF (the start-up artefact) stepping to 0 is not drops.
    const m = { f: [1300, 51000, 1000, 1000, 1000, 1000, 16800, 20000], type: MEAS };
    d.push(packet([m], 0xffff));
    d.push(packet([m], 0));
    expect(d.dropped).toBe(0);
    // Real drops are filled by holding the last sample: counter 0 → 2 means two samples missing.
    let before = d.out.length;
    d.push(packet([m], 2));
    expect(d.dropped).toBe(2);
    expect(d.out.length).toBe(before + 3);
    // After the first second the counter wraps at 2^16: 0xFFFF → 3 is 4 dropped.
    while (d.slot < 5000) d.push(packet([m, m, m], 2));
    d.push(packet([m], 0x7fff)); // + 0x7FFD
    d.push(packet([m], 0xfffe)); // + 0x7FFF
    const sofar = d.dropped;
    before = d.out.length;
    d.push(packet([m], 3)); // wraps: 0xFFFE → 3 is 5 dropped
    expect(sofar).toBe(2 + 0x7ffd + 0x7fff);
    expect(d.dropped - sofar).toBe(5);
    expect(d.out.length).toBe(before + 6);
  });
});
