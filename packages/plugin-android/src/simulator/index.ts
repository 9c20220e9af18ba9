/** The ADB device simulator (a loopback adbd for tests and demos); see simulator.ts. */
export { AdbDeviceSimulator } from './simulator.js';
export type { AdbSimulatorOptions, SimBatteryUpdate, SimCurrentProfile, SimThermalProfile, SimToolCall, SimReplay } from './simulator.js';
export type { SimCommand } from './shell-service.js';
export { SM8450_PHONE, SM7125_PHONE, SIM_PROFILES, coreCount } from './profiles.js';
export type { SimDeviceProfile, SimCpuCluster, SimThermalZone, SimBattery } from './profiles.js';

