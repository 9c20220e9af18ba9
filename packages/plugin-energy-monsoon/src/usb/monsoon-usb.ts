import { GaugeError } from '@gaugenn/core';
import {
  BULK_IN_ENDPOINT, DEFAULT_CAL_TIME_MS, HARDWARE_MODEL, OP, PACKET_BYTES, REQ, SAMPLE_COUNT_INFINITE, VOLTAGE_TO_INT, VOUT_RANGE,
  type MonsoonModel,
} from '../protocol/constants.js';
import { lvpmScales, type MonsoonStatus, type PerField } from '../protocol/status.js';
import type { UsbDeviceLike, UsbSetup } from './usb-like.js';

const vendor = (request: number, value: number, index: number): UsbSetup => ({ requestType: 'vendor', recipient: 'device', request, value, index });

/**
 * A Monsoon HVPM or LVPM over USB: the control operations of the protocol (get/set value, start/stop sampling)
 * and the bulk sample stream, over any {@link UsbDeviceLike}.
 */
export class MonsoonUsb {
  model?: MonsoonModel;
  private sampling = false;

  constructor(readonly usb: UsbDeviceLike) {}

  /** Open the device and claim interface 0, detaching the kernel driver on Linux first (as PyMonsoon does). */
  async open(): Promise<void> {
    await this.usb.open();
    await this.usb.detachKernelDriver?.(0).catch(() => undefined);
    await this.usb.selectConfiguration(1).catch(() => undefined);
    await this.usb.claimInterface(0);
  }

  async close(): Promise<void> {
    if (this.sampling) await this.stopSampling().catch(() => undefined);
    await this.usb.releaseInterface(0).catch(() => undefined);
    await this.usb.close().catch(() => undefined);
  }

  /** Get a value: IN transfer (0xC0), bRequest 0x01, wValue 0, wIndex = opcode, 4 bytes little-endian back. */
  async getValue(opcode: number, bytes: 1 | 2 | 4, signed = false): Promise<number> {
    const r = await this.usb.controlTransferIn(vendor(REQ.SET_GET_VALUE, 0, opcode), 4, 5000);
    if (r.status !== 'ok' || !r.data || r.data.byteLength < bytes) throw new Error(`get value 0x${opcode.toString(16)}: ${r.status}`);
    const d = r.data;
    if (bytes === 1) return signed ? d.getInt8(0) : d.getUint8(0);
    if (bytes === 2) return signed ? d.getInt16(0, true) : d.getUint16(0, true);
    return signed ? d.getInt32(0, true) : d.getUint32(0, true);
  }

  /**
   * Set a value: OUT transfer (0x40), bRequest 0x01, wValue = value bytes 0-1, wIndex = opcode | value byte 2 << 8,
   * and the value as 4 little-endian bytes in the data stage.
   */
  async setValue(opcode: number, value: number): Promise<void> {
    if (this.sampling) throw new Error('the monitor takes no commands while it samples');
    const v = value >>> 0;
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, v, true);
    const r = await this.usb.controlTransferOut(vendor(REQ.SET_GET_VALUE, v & 0xffff, opcode | (((v >>> 16) & 0xff) << 8)), data, 5000);
    if (r.status !== 'ok') throw new Error(`set value 0x${opcode.toString(16)}: ${r.status}`);
  }

  /** HardwareModel (0x45): 1 LVPM, 2 HVPM. */
  async identify(): Promise<MonsoonModel> {
    const code = await this.getValue(OP.hardwareModel, 1);
    const model = HARDWARE_MODEL[code];
    if (!model) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `The Monsoon at ${this.usb.vendorId.toString(16)}:${this.usb.productId.toString(16)} reports hardware model ${code}, neither LVPM (1) nor HVPM (2). Update its firmware with PyMonsoon's reflash tool.`);
    this.model = model;
    return model;
  }

  /** Read what the calibration maths needs: HVPM scales and zero offsets, or LVPM resistor offsets → scales. */
  async readStatus(): Promise<MonsoonStatus> {
    const model = this.model ?? (await this.identify());
    const serial = await this.getValue(OP.getSerialNumber, 2).catch(() => undefined);
    const firmwareVersion = await this.getValue(OP.firmwareVersion, 1).catch(() => undefined);
    const protocolVersion = await this.getValue(OP.protocolVersion, 1).catch(() => undefined);
    let scales: PerField;
    let zeroOffsets: PerField;
    if (model === 'HVPM') {
      scales = {
        mainFine: await this.getValue(OP.mainFineScale, 2), mainCoarse: await this.getValue(OP.mainCoarseScale, 2),
        usbFine: await this.getValue(OP.usbFineScale, 2), usbCoarse: await this.getValue(OP.usbCoarseScale, 2),
        auxFine: await this.getValue(OP.auxFineScale, 2), auxCoarse: await this.getValue(OP.auxCoarseScale, 2),
      };
      zeroOffsets = {
        mainFine: await this.getValue(OP.mainFineZeroOffset, 2, true), mainCoarse: await this.getValue(OP.mainCoarseZeroOffset, 2, true),
        usbFine: await this.getValue(OP.usbFineZeroOffset, 2, true), usbCoarse: await this.getValue(OP.usbCoarseZeroOffset, 2, true),
        auxFine: 0, auxCoarse: 0,
      };
    } else {
      scales = lvpmScales({
        mainFine: await this.getValue(OP.mainFineResistorOffset, 1, true), mainCoarse: await this.getValue(OP.mainCoarseResistorOffset, 1, true),
        usbFine: await this.getValue(OP.usbFineResistorOffset, 1, true), usbCoarse: await this.getValue(OP.usbCoarseResistorOffset, 1, true),
        auxFine: await this.getValue(OP.auxFineResistorOffset, 1, true), auxCoarse: await this.getValue(OP.auxCoarseResistorOffset, 1, true),
      });
      zeroOffsets = { mainFine: 0, mainCoarse: 0, usbFine: 0, usbCoarse: 0, auxFine: 0, auxCoarse: 0 };
    }
    return { model, serial, firmwareVersion, protocolVersion, scales, zeroOffsets };
  }

  /**
   * Set the main output voltage, refusing anything above `maxVoltage` or outside the model's range (0 = off).
   * On an HVPM, the DAC calibration is checked first for the known factory fault, as PyMonsoon does.
   */
  async setVout(volts: number, maxVoltage: number): Promise<void> {
    const model = this.model ?? (await this.identify());
    if (volts > maxVoltage) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `Monsoon: the configured voltage ${volts} V is above the configured maximum ${maxVoltage} V; not set. Lower \`voltage\` or raise \`maxVoltage\` if the device really takes it.`);
    const [lo, hi] = VOUT_RANGE[model];
    if (volts !== 0 && (volts < lo || volts > hi)) throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `Monsoon ${model}: ${volts} V is outside its output range ${lo}-${hi} V.`);
    if (model === 'HVPM') {
      const calLow = await this.getValue(OP.dacCalLow, 2);
      const calHigh = await this.getValue(OP.dacCalHigh, 2);
      if (!(calHigh > 0xc000 && calHigh < 0xd000 && calLow > 0xd000 && calLow < 0xf000)) {
        throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `Monsoon HVPM: its voltage DAC calibration looks wrong (low 0x${calLow.toString(16)}, high 0x${calHigh.toString(16)}); run PyMonsoon's calibrateVoltage() (firmware 32) before setting a voltage.`);
      }
    }
    await this.setValue(OP.setMainVoltage, Math.round(volts * VOLTAGE_TO_INT));
  }

  /** USB passthrough: 0 off (measure without USB current bypassing Main), 1 on, 2 auto. */
  async setUsbPassthrough(mode: 0 | 1 | 2): Promise<void> {
    await this.setValue(OP.setUsbPassthroughMode, mode);
  }

  /** Start sampling: OUT bRequest 0x02, wValue = calTime, data = max samples as uint32 LE (0xFFFFFFFF: until stopped). */
  async startSampling(calTimeMs = DEFAULT_CAL_TIME_MS, maxSamples = SAMPLE_COUNT_INFINITE): Promise<void> {
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint32(0, maxSamples >>> 0, true);
    const r = await this.usb.controlTransferOut(vendor(REQ.START, calTimeMs & 0xffff, 0), data, 1000);
    if (r.status !== 'ok') throw new Error(`start sampling: ${r.status}`);
    this.sampling = true;
  }

  /** Stop sampling: OUT bRequest 0x03, no data. */
  async stopSampling(): Promise<void> {
    this.sampling = false;
    await this.usb.controlTransferOut(vendor(REQ.STOP, 0, 0), undefined, 5000);
  }

  /** One 64-byte packet from bulk IN endpoint 0x81; undefined on a timeout with no data. */
  async readPacket(timeoutMs = 1000): Promise<Uint8Array | undefined> {
    const r = await this.usb.transferIn(BULK_IN_ENDPOINT, PACKET_BYTES, timeoutMs);
    if (!r.data || r.data.byteLength < 4) return undefined;
    return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  }
}
