/** Runner tests' device: the shared one in test-support (core's host transport, any device kind). */
export { localDevice, localTransport } from '../../../../test-support/local-device.js';
