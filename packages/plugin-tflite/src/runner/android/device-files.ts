/**
 * Getting files onto a device once: through the transport's content-addressed `pushCached` where it has one,
 * else a plain push under the work dir with the content hash in the name; remembered for this process.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { GaugeError, sha256File, type Device } from '@gaugenn/core';

const pushed = new Map<string, string>();

/** The device's work dir without a trailing slash. */
export async function workDir(device: Device): Promise<string> {
  return (await device.transport.workDir()).replace(/\/+$/, '');
}

/** Push a local file once per content; returns its path on the device. `mode` 0o755 makes it executable. */
export async function pushOnce(device: Device, local: string, options: { name?: string; mode?: number } = {}): Promise<string> {
  const t = device.transport;
  const name = options.name ?? basename(local);
  // Known by path, size and mtime: a model is not hashed again for every job on the same device.
  const st = await stat(local);
  const key = `${device.id}\0${local}\0${st.size}\0${st.mtimeMs}\0${name}\0${options.mode ?? ''}`;
  // A transport with pushCached checks the device itself (one stat): asked every time, so a file removed on the
  // device is pushed again. Without it, this process remembers what it pushed.
  const known = t.pushCached ? undefined : pushed.get(key);
  if (known) return known;
  let remote: string;
  if (t.pushCached) {
    remote = await t.pushCached(local, { name, mode: options.mode });
  } else {
    remote = `${await workDir(device)}/${(await sha256File(local)).slice(0, 16)}-${name}`;
    await t.push(local, remote);
    // pushCached sets the mode itself; a plain push keeps whatever the transport gives it.
    if (options.mode !== undefined) {
      const r = await t.exec('chmod', [(options.mode & 0o7777).toString(8), remote], { timeoutMs: 30_000 });
      if (r.exitCode !== 0) throw new GaugeError('RUNNER_MISSING', `chmod ${remote} failed on ${device.id}: ${(r.stderr || r.stdout).trim()}`);
    }
  }
  pushed.set(key, remote);
  return remote;
}

/** Run a short `sh` script on the device (setup steps, not measurements). */
export async function sh(device: Device, script: string, timeoutMs = 60_000): Promise<{ exitCode: number; out: string }> {
  const r = await device.transport.exec('sh', ['-c', script], { timeoutMs });
  return { exitCode: r.exitCode, out: `${r.stdout}${r.stderr}` };
}

