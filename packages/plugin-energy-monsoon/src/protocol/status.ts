import type { MonsoonModel } from './constants.js';

/** The six current fields of a record, in packet order. */
export const FIELDS = ['mainCoarse', 'mainFine', 'usbCoarse', 'usbFine', 'auxCoarse', 'auxFine'] as const;
export type Field = (typeof FIELDS)[number];
export type PerField = Record<Field, number>;

/** What the calibration maths needs from the monitor: its model, the per-range scales and EEPROM zero offsets. */
export interface MonsoonStatus {
  model: MonsoonModel;
  serial?: number;
  firmwareVersion?: number;
  protocolVersion?: number;
  /** Scale of each channel and range (HVPM: read from the device; LVPM: computed from the resistor offsets). */
  scales: PerField;
  /** EEPROM zero offsets added to the measured zero (HVPM main and USB; 0 for aux and for every LVPM channel). */
  zeroOffsets: PerField;
}

/** HVPM factory-default scales and zero offsets (`setDefaultScaleValues()`), for simulators and tests. */
export const HVPM_DEFAULT_SCALES: PerField = { mainFine: 36500, mainCoarse: 6400, usbFine: 14000, usbCoarse: 600, auxFine: 3100, auxCoarse: 250 };
export const HVPM_DEFAULT_ZERO_OFFSETS: PerField = { mainFine: 15, mainCoarse: 15, usbFine: 0, usbCoarse: 0, auxFine: 0, auxCoarse: 0 };

/**
 * LVPM scales from its resistor offsets (signed int8): R = 0.050 + 0.0001·offset (aux: 0.1 + 0.0001·offset);
 * main/USB fine 35946.0·(0.05/R), coarse 3103.4·(0.05/R); aux fine 0.05049·(0.1/R), aux coarse 1.289·(0.1/R).
 */
export function lvpmScales(offsets: PerField): PerField {
  const r = (o: number) => 0.05 + 0.0001 * o;
  const ra = (o: number) => 0.1 + 0.0001 * o;
  return {
    mainFine: 35946.0 * (0.05 / r(offsets.mainFine)),
    mainCoarse: 3103.4 * (0.05 / r(offsets.mainCoarse)),
    usbFine: 35946.0 * (0.05 / r(offsets.usbFine)),
    usbCoarse: 3103.4 * (0.05 / r(offsets.usbCoarse)),
    auxFine: 0.05049 * (0.1 / ra(offsets.auxFine)),
    auxCoarse: 1.289 * (0.1 / ra(offsets.auxCoarse)),
  };
}

export const ZERO_FIELDS: PerField = { mainCoarse: 0, mainFine: 0, usbCoarse: 0, usbFine: 0, auxCoarse: 0, auxFine: 0 };
