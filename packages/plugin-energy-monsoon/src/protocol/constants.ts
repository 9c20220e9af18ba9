/**
 * Monsoon USB protocol constants (PyMonsoon's `USB_protocol`, the one Monsoon calls "currently the only officially
 * supported protocol"; see ../../shared/notes/energy-facts.md §1). Facts, not code, were taken from there.
 */

/** Both HVPM and LVPM enumerate with these ids on current firmware; the HardwareModel opcode tells them apart. */
export const MONSOON_VID = 0x2ab9;
export const MONSOON_PID = 0x0001;
/** Legacy LVPM "Prot17" firmware (a CDC serial device this plugin does not speak). */
export const LEGACY_LVPM_VID = 0x04d8;
export const LEGACY_LVPM_PID = 0xfe23;

/** bRequest values of the vendor control transfers. */
export const REQ = { SET_GET_VALUE: 0x01, START: 0x02, STOP: 0x03, RESET_TO_BOOTLOADER: 0xff } as const;

/** Opcodes (wIndex low byte) for get/set value. */
export const OP = {
  // LVPM resistor offsets (signed int8; ohms = 0.05 + 0.0001·offset, aux 0.10 + 0.0001·offset)
  mainFineResistorOffset: 0x02,
  mainCoarseResistorOffset: 0x11,
  usbFineResistorOffset: 0x0d,
  usbCoarseResistorOffset: 0x12,
  auxFineResistorOffset: 0x0e,
  auxCoarseResistorOffset: 0x13,
  calibrateMainVoltage: 0x03,
  setPowerupTime: 0x0c,
  setUsbPassthroughMode: 0x10,
  // HVPM scales
  mainFineScale: 0x1a,
  mainCoarseScale: 0x1b,
  usbFineScale: 0x1c,
  usbCoarseScale: 0x1d,
  auxFineScale: 0x1e,
  auxCoarseScale: 0x1f,
  setVoltageChannel: 0x23,
  // HVPM zero offsets (signed 16-bit)
  mainFineZeroOffset: 0x25,
  mainCoarseZeroOffset: 0x26,
  usbFineZeroOffset: 0x27,
  usbCoarseZeroOffset: 0x28,
  setMainVoltage: 0x41,
  getSerialNumber: 0x42,
  setPowerUpCurrentLimit: 0x43,
  setRunCurrentLimit: 0x44,
  hardwareModel: 0x45,
  dacCalLow: 0x88,
  dacCalHigh: 0x89,
  firmwareVersion: 0xc0,
  protocolVersion: 0xc1,
  getStartStatus: 0xc4,
} as const;

/** setMainVoltage takes volts × 2^20 (`FLOAT_TO_INT`). */
export const VOLTAGE_TO_INT = 1048576;

/** HardwareModel replies. */
export type MonsoonModel = 'LVPM' | 'HVPM';
export const HARDWARE_MODEL: Record<number, MonsoonModel | undefined> = { 1: 'LVPM', 2: 'HVPM' };

/** Output voltage each model can set (0 turns the output off). */
export const VOUT_RANGE: Record<MonsoonModel, [number, number]> = { LVPM: [2.01, 4.55], HVPM: [0.8, 13.5] };

/** The device samples every 200 µs. */
export const SAMPLE_RATE_HZ = 5000;
/** Bulk IN endpoint 0x81 is endpoint number 1; every read is one 64-byte packet. */
export const BULK_IN_ENDPOINT = 1;
export const PACKET_BYTES = 64;
/** Each packet holds a 4-byte header and up to three 18-byte measurement records. */
export const HEADER_BYTES = 4;
export const RECORD_BYTES = 18;
export const MAX_RECORDS = 3;

/** Sample type = byte 17 of a record & 0x30. */
export const SAMPLE_TYPE = { MEASUREMENT: 0x00, ZERO_CAL: 0x10, INVALID: 0x20, REF_CAL: 0x30 } as const;

/** Fine range is used while the fine reading is under this; aux always uses 30000. */
export const FINE_THRESHOLD: Record<MonsoonModel, number> = { HVPM: 64000, LVPM: 30000 };
export const AUX_FINE_THRESHOLD = 30000;
/** Volts per ADC step before the channel scale. */
export const VOLTS_PER_LSB = 62.5e-6;
/** Main-voltage scale (ADC divider compensation): HVPM 4, LVPM 2; USB voltage 2 on both. */
export const MAIN_VOLTAGE_SCALE: Record<MonsoonModel, number> = { HVPM: 4, LVPM: 2 };
export const USB_VOLTAGE_SCALE = 2;
/** Calibration values are rolling means of the last N non-zero readings. */
export const CALS_TO_KEEP = 5;
/** Start sampling: ms between calibration samples (wValue) and "sample until stopped" (data). */
export const DEFAULT_CAL_TIME_MS = 1250;
export const SAMPLE_COUNT_INFINITE = 0xffffffff;
