export * from './fuel-gauge-units.js';
export * from './android-battery-source.js';
export * from './register-energy.js';
