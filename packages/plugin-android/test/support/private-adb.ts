/**
 * A private real `adb` server for one test file, on a free port, so tests never touch the user's server on 5037
 * (and never each other's). Stopped with `adb -P PORT kill-server`.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PrivateAdb {
  port: number;
  /** `127.0.0.1:PORT`, as a device spec's `server`. */
  address: string;
  /** Run the adb client against this server (`adb -P PORT …`). */
  adb(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startPrivateAdb(): Promise<PrivateAdb> {
  const port = await freePort();
  const adb = async (...args: string[]) => (await run('adb', ['-P', String(port), ...args], { timeout: 30_000 })).stdout;
  await adb('start-server');
  return { port, address: `127.0.0.1:${port}`, adb, stop: async () => { await adb('kill-server').catch(() => {}); } };
}

/** A Gauge with this plugin applied, its log lines collected (the plugin must not start servers of its own). */
export async function gaugeWithAndroid(): Promise<{ gauge: import('@gaugenn/core').Gauge; logs: string[] }> {
  const { Gauge, defaultConfig } = await import('@gaugenn/core');
  const plugin = (await import('../../src/index.js')).default;
  const gauge = new Gauge(defaultConfig());
  const logs: string[] = [];
  gauge.hooks.log.tap('test', (level, message) => logs.push(`${level}: ${message}`));
  await plugin.apply(gauge, { startAdbServer: false });
  return { gauge, logs };
}
