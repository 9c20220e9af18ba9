import { GaugeError } from '@gaugenn/core';
import { LEGACY_LVPM_PID, LEGACY_LVPM_VID, MONSOON_PID, MONSOON_VID } from '../protocol/constants.js';
import type { UsbDeviceLike } from './usb-like.js';

const CHECK = 'Check: the monitor is switched on and its USB cable goes to this machine; on Linux your user may open it ' +
  '(udev rule: SUBSYSTEM=="usb", ATTR{idVendor}=="2ab9", ATTR{idProduct}=="0001", MODE="0660", GROUP="plugdev"); ' +
  'no other program (PowerTool, PyMonsoon) holds it.';

/** Find the Monsoon on USB (VID 0x2AB9, PID 0x0001, both models) through node-usb, or say what to check. */
export async function findMonitor(serial?: string): Promise<UsbDeviceLike> {
  let usb: typeof import('usb').usb;
  try {
    ({ usb } = await import('usb'));
  } catch (e) {
    throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `No Monsoon power monitor: the usb package could not load (${(e as Error).message}). Reinstall @gaugenn/plugin-energy-monsoon for this platform.`, { cause: e });
  }
  let found: unknown;
  let all: { vendorId: number; productId: number }[] = [];
  try {
    found = serial ? await usb.findDeviceBySerial(serial) : await usb.findDeviceByIds(MONSOON_VID, MONSOON_PID);
    if (!found) all = await usb.getDevices();
  } catch (e) {
    throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `No Monsoon power monitor found: USB devices cannot be listed here (${(e as Error).message}). ${CHECK}`, { cause: e });
  }
  if (!found) {
    if (all.some((d) => d.vendorId === LEGACY_LVPM_VID && d.productId === LEGACY_LVPM_PID)) {
      throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', 'A Monsoon LVPM with the legacy serial firmware (04D8:FE23) is attached; this plugin speaks the USB protocol of the current firmware. Reflash it with PyMonsoon\'s LVPM_RevE firmware (docs/Linux/reflashInstructions.txt).');
    }
    throw new GaugeError('ENERGY_SOURCE_UNAVAILABLE', `No Monsoon power monitor found on USB (${serial ? `serial ${serial}` : 'VID 0x2AB9, PID 0x0001'}; ${all.length} other USB device(s) seen). ${CHECK}`);
  }
  return found as UsbDeviceLike;
}
