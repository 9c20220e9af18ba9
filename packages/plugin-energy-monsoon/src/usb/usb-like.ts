/**
 * The part of node-usb 3.x's device object (its WebUSB-style API) this plugin uses. The real device from
 * `usb.findDeviceByIds()` has this surface, and so does {@link MonsoonSimulator}, which stands in for a monitor.
 */
export interface UsbSetup {
  requestType: 'standard' | 'class' | 'vendor';
  recipient: 'device' | 'interface' | 'endpoint' | 'other';
  request: number;
  value: number;
  index: number;
}

export interface UsbInResult {
  data?: DataView;
  status: 'ok' | 'stall' | 'babble';
}

export interface UsbOutResult {
  bytesWritten: number;
  status: 'ok' | 'stall';
}

export interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  readonly serialNumber?: string | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  /** Linux only in node-usb. */
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
  controlTransferIn(setup: UsbSetup, length: number, timeout?: number): Promise<UsbInResult>;
  controlTransferOut(setup: UsbSetup, data?: Uint8Array, timeout?: number): Promise<UsbOutResult>;
  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<UsbInResult>;
}
