/**
 * Test helpers for the adb device tests. The private real adb server per test file comes from the shared
 * `test-support/adb-server.ts`; this adds a Gauge with this plugin applied and its log lines collected.
 */
export { freePort, startAdbServer, type PrivateAdbServer } from '../../../../test-support/adb-server.js';

/** A Gauge with this plugin applied (it must not start adb servers of its own), its log lines collected. */
export async function gaugeWithAndroid(): Promise<{ gauge: import('@gaugenn/core').Gauge; logs: string[] }> {
  const { Gauge, defaultConfig } = await import('@gaugenn/core');
  const plugin = (await import('../../src/index.js')).default;
  const gauge = new Gauge(defaultConfig());
  const logs: string[] = [];
  gauge.hooks.log.tap('test', (level, message) => logs.push(`${level}: ${message}`));
  await plugin.apply(gauge, { startAdbServer: false });
  return { gauge, logs };
}
