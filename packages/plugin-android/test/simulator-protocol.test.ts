/**
 * The simulator's device side against a raw transport client written here (the test speaks the wire format
 * itself, to check what the real adb server cannot show: refusal, flow control, max payload), plus path mapping
 * and the sandbox's control API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { AdbDeviceSimulator } from '../src/index.js';
import { OutputUnmapper, rewriteCommand, sandboxPath } from '../src/simulator/android-paths.js';

const CNXN = 0x4e584e43, OPEN = 0x4e45504f, OKAY = 0x59414b4f, CLSE = 0x45534c43, WRTE = 0x45545257;

function frame(cmd: number, a0: number, a1: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(cmd, 0);
  h.writeUInt32LE(a0, 4);
  h.writeUInt32LE(a1, 8);
  h.writeUInt32LE(data.length, 12);
  h.writeUInt32LE(data.reduce((s, b) => s + b, 0), 16);
  h.writeUInt32LE((cmd ^ 0xffffffff) >>> 0, 20);
  return Buffer.concat([h, data]);
}

interface Msg { cmd: number; a0: number; a1: number; data: Buffer }

/** A minimal host side: collects decoded messages. */
class RawHost {
  readonly msgs: Msg[] = [];
  private buf: Buffer = Buffer.alloc(0);
  constructor(readonly sock: Socket) {
    sock.on('data', (c) => {
      this.buf = Buffer.concat([this.buf, c]);
      while (this.buf.length >= 24 && this.buf.length >= 24 + this.buf.readUInt32LE(12)) {
        const len = this.buf.readUInt32LE(12);
        this.msgs.push({ cmd: this.buf.readUInt32LE(0), a0: this.buf.readUInt32LE(4), a1: this.buf.readUInt32LE(8), data: this.buf.subarray(24, 24 + len) });
        this.buf = this.buf.subarray(24 + len);
      }
    });
  }
  static open(port: number): Promise<RawHost> {
    return new Promise((res) => {
      const s = connect(port, '127.0.0.1', () => res(new RawHost(s)));
    });
  }
  send(cmd: number, a0: number, a1: number, data?: Buffer): void {
    this.sock.write(frame(cmd, a0, a1, data));
  }
  async next(pred: (m: Msg) => boolean, ms = 5000): Promise<Msg> {
    const t0 = Date.now();
    for (;;) {
      const i = this.msgs.findIndex(pred);
      if (i >= 0) return this.msgs.splice(i, 1)[0]!;
      if (Date.now() - t0 > ms) throw new Error('no such message');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

let sim: AdbDeviceSimulator;
beforeAll(async () => {
  sim = await AdbDeviceSimulator.start({ profile: 'sm7125', serial: 'RAW1', maxPayload: 8192 });
});
afterAll(async () => {
  await sim?.close();
});

describe('simulator transport (raw client)', () => {
  it('answers CNXN with the banner (no shell_v2), refuses unknown services, and honours flow control and max payload', async () => {
    const h = await RawHost.open(sim.port);
    h.send(CNXN, 0x01000001, 4096, Buffer.from('host::features=shell_v2,cmd\0'));
    const cnxn = await h.next((m) => m.cmd === CNXN);
    const banner = cnxn.data.toString();
    expect(banner).toBe('device::ro.product.name=a52qnsxx;ro.product.model=SM-A525F;ro.product.device=a52q;features=fixed_push_mkdir\0');
    expect(banner).not.toContain('shell_v2');

    h.send(OPEN, 7, 0, Buffer.from('reboot:\0'));
    expect(await h.next((m) => m.cmd === CLSE)).toMatchObject({ a0: 0, a1: 7 });

    h.send(OPEN, 9, 0, Buffer.from('shell:seq 1 20000\0'));
    const okay = await h.next((m) => m.cmd === OKAY && m.a1 === 9);
    const dev = okay.a0;
    let first = await h.next((m) => m.cmd === WRTE);
    await new Promise((r) => setTimeout(r, 300));
    // Without our OKAY the device must not send the next WRTE.
    expect(h.msgs.filter((m) => m.cmd === WRTE)).toHaveLength(0);
    const out: Buffer[] = [];
    for (;;) {
      expect(first.data.length).toBeLessThanOrEqual(4096);
      out.push(first.data);
      h.send(OKAY, 9, dev);
      const m = await h.next((x) => x.cmd === WRTE || x.cmd === CLSE);
      if (m.cmd === CLSE) {
        expect(m).toMatchObject({ a0: dev, a1: 9 });
        break;
      }
      first = m;
    }
    const lines = Buffer.concat(out).toString().trim().split('\n');
    expect(lines).toHaveLength(20000);
    h.sock.destroy();
  });
});

describe('Android paths', () => {
  it('rewrites phone paths in command text and leaves host paths alone', () => {
    const r = '/tmp/sb/root';
    expect(rewriteCommand(r, 'cat /sys/class/thermal/thermal_zone0/temp > /dev/null')).toBe('cat /tmp/sb/root/sys/class/thermal/thermal_zone0/temp > /dev/null');
    expect(rewriteCommand(r, 'LD_LIBRARY_PATH=/data/local/tmp/l:/vendor/lib64 x --graph=/data/m.tflite')).toBe('LD_LIBRARY_PATH=/tmp/sb/root/data/local/tmp/l:/tmp/sb/root/vendor/lib64 x --graph=/tmp/sb/root/data/m.tflite');
    expect(rewriteCommand(r, "sh -c 'cat /proc/cpuinfo /proc/self/status'")).toBe("sh -c 'cat /tmp/sb/root/proc/cpuinfo /proc/self/status'");
    expect(rewriteCommand(r, 'ls /system /sdcard/x /systemd /tmp/data /usr/bin')).toBe('ls /tmp/sb/root/system /tmp/sb/root/sdcard/x /systemd /tmp/data /usr/bin');
    expect(rewriteCommand(r, 'ls /sys/class/thermal/thermal_zone*')).toBe('ls /tmp/sb/root/sys/class/thermal/thermal_zone*');
    expect(sandboxPath(r, '/data/../../etc/passwd')).toBe('/tmp/sb/root/etc/passwd');
  });

  it('maps the sandbox root back in output, also across chunk boundaries', () => {
    const u = new OutputUnmapper('/tmp/sb/root');
    const parts = ['a /tmp/s', 'b/root/data/x /tmp/sb/ro', 'ot\n/tmp/sb/root', '', '/sys /tmp/sb/rootless /tmp/sb/root'];
    const out = parts.map((p) => u.push(Buffer.from(p)).toString()).join('') + u.flush().toString();
    expect(out).toBe('a /data/x /\n/sys /tmp/sb/rootless /');
  });
});

describe('simulator control', () => {
  it('an HTTP control port lets a command line unplug, heat and charge it (for unplugged mode\'s power command)', async () => {
    const s = await AdbDeviceSimulator.start({ control: true });
    try {
      const curl = (path: string) => new Promise<string>((res, rej) => execFile('curl', ['-s', '-X', 'POST', `${s.controlUrl}${path}`], (e, out) => (e ? rej(e) : res(out))));
      expect(JSON.parse(await curl('/unplug'))).toEqual({ ok: true });
      expect(s.plugged).toBe(false);
      expect(s.batteryState().usbPowered).toBe(false);
      await curl('/replug');
      expect(s.plugged).toBe(true);
      await curl('/heat?zone=cpu-1&c=44.5');
      expect(s.zoneTemp('cpu-1-0-usr')).toBe(44.5);
      await curl('/battery?levelPct=9&usbPowered=0');
      const st = JSON.parse(await curl('/state'));
      expect(st).toMatchObject({ plugged: true, battery: { levelPct: 9, usbPowered: false } });
      expect(st.thermal.find((z: { type: string }) => z.type === 'cpu-1-0-usr').tempC).toBe(44.5);
      expect(JSON.parse(await curl('/nope'))).toEqual({ error: 'unknown route /nope' });
    } finally {
      await s.close();
    }
  });

  it('app_process says that a stand-in is needed; the model is configurable', async () => {
    const s = await AdbDeviceSimulator.start({ model: 'Pixel 7', profile: 'sm7125' });
    expect(s.banner).toBe('device::ro.product.name=a52qnsxx;ro.product.model=Pixel 7;ro.product.device=a52q;features=fixed_push_mkdir');
    try {
      const h = await RawHost.open(s.port);
      h.send(CNXN, 0x01000001, 1 << 20, Buffer.from('host::\0'));
      await h.next((m) => m.cmd === CNXN);
      h.send(OPEN, 1, 0, Buffer.from('shell:app_process / gaugenn.Runner\0'));
      const w = await h.next((m) => m.cmd === WRTE);
      expect(w.data.toString()).toMatch(/no Android runtime; install a stand-in with sim.installTool/);
      h.sock.destroy();
    } finally {
      await s.close();
    }
  });

  it('installTool puts an executable on the PATH; close() kills detached jobs', async () => {
    const s = await AdbDeviceSimulator.start();
    const p = s.installTool('app_process', '#!/bin/sh\necho app_process "$@"\n');
    expect(p).toBe('/system/bin/app_process');
    const h = await RawHost.open(s.port);
    h.send(CNXN, 0x01000001, 1 << 20, Buffer.from('host::\0'));
    await h.next((m) => m.cmd === CNXN);
    h.send(OPEN, 1, 0, Buffer.from('shell:app_process / Main; setsid sleep 60 > /dev/null 2>&1 &\0'));
    const w = await h.next((m) => m.cmd === WRTE);
    expect(w.data.toString()).toBe('app_process / Main\n');
    h.send(OKAY, 1, w.a0);
    await h.next((m) => m.cmd === CLSE);
    const dir = s.sandbox.dir;
    const sleeper = await waitForPid(/^sleep 60$/);
    await s.close();
    await new Promise((r) => setTimeout(r, 200));
    // Dead: gone, or a zombie waiting for whoever adopted it to reap it.
    const state = existsSync(`/proc/${sleeper}`) ? readFileSync(`/proc/${sleeper}/stat`, 'utf8').split(' ')[2] : 'gone';
    expect(state).toMatch(/^(gone|Z|X)$/);
    expect(existsSync(dir)).toBe(false);
    h.sock.destroy();
  });
});

async function waitForPid(cmdline: RegExp): Promise<number> {
  const { readdirSync } = await import('node:fs');
  for (let i = 0; i < 50; i++) {
    for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      try {
        const c = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        const env = readFileSync(`/proc/${d}/environ`, 'latin1');
        if (cmdline.test(c) && env.includes('GAUGENN_SIM_ID=')) return Number(d);
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('process not found');
}
