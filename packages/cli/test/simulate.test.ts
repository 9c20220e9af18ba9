import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { BIN } from './cli.js';
import { startAdbServer } from '../../../test-support/adb-server.js';

describe('gaugenn simulate adb', () => {
  it('starts two simulated devices that a real adb server connects to, and stops on SIGINT', async () => {
    const server = await startAdbServer();
    const child = execa(process.execPath, [BIN, 'simulate', 'adb', '--count', '2', '--profile', 'sm7125', '--serial', 'TRY', '--json'], { env: { NO_COLOR: '1' }, reject: false });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout!.on('data', (c: Buffer) => {
          buf += c.toString();
          if (buf.includes('\n')) resolve(buf.slice(0, buf.indexOf('\n')));
        });
        child.once('exit', () => reject(new Error(`simulate exited early: ${buf}`)));
      });
      const { devices } = JSON.parse(line) as { devices: { address: string; serial: string; dir: string }[] };
      expect(devices.map((d) => d.serial)).toEqual(['TRY-1', 'TRY-2']);
      for (const d of devices) await server.connect(d.address);
      const props = await Promise.all(devices.map((d) => server.adb(['-s', d.address, 'shell', 'getprop ro.serialno; getprop ro.board.platform'])));
      expect(props.map((p) => p.stdout)).toEqual(['TRY-1\natoll\n', 'TRY-2\natoll\n']);
      child.kill('SIGINT');
      const r = await child;
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(devices.some((d) => existsSync(d.dir))).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await server.kill();
    }
  });
});
