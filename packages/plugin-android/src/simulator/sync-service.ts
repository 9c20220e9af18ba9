/**
 * The `sync:` file service (v1 requests: STAT, LIST, SEND, RECV, QUIT), which `adb push/pull` and adbkit's
 * push/pull/stat/readdir speak. Each request is a 4-byte id and a little-endian length; SEND's argument is
 * `PATH,MODE` and is followed by DATA chunks (≤ 64 KiB) and DONE carrying the mtime. Every path is rooted in the
 * sandbox, so nothing a test pushes lands outside it.
 */
import { promises as fsp, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { sandboxPath } from './android-paths.js';
import type { DeviceStream } from './stream-mux.js';

const SYNC_DATA_MAX = 64 * 1024;

/** Pull-style reader over pushed chunks; `push` resolves once the consumer has asked for more (backpressure). */
class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private want: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  private waiters: (() => void)[] = [];
  private ended = false;

  push(chunk: Buffer): Promise<void> {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.satisfy();
    return new Promise((res) => {
      if (this.needsMore()) res();
      else this.waiters.push(res);
    });
  }

  end(): void {
    this.ended = true;
    this.want?.reject(new Error('sync stream closed'));
    this.want = undefined;
    this.releaseWaiters();
  }

  read(n: number): Promise<Buffer> {
    if (this.ended) return Promise.reject(new Error('sync stream closed'));
    return new Promise((resolve, reject) => {
      this.want = { n, resolve, reject };
      this.satisfy();
      if (this.want) this.releaseWaiters();
    });
  }

  private needsMore(): boolean {
    return this.ended || (this.want !== undefined && this.length < this.want.n);
  }

  private releaseWaiters(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  private satisfy(): void {
    if (!this.want || this.length < this.want.n) return;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, this.want.n);
    const rest = all.subarray(this.want.n);
    this.chunks = rest.length ? [rest] : [];
    this.length = rest.length;
    const { resolve } = this.want;
    this.want = undefined;
    resolve(Buffer.from(out));
  }
}

/** strerror-like text (adbd's messages end with it), e.g. "No such file or directory". */
function errnoText(err: NodeJS.ErrnoException): string {
  const known: Record<string, string> = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory', ENOTDIR: 'Not a directory', ENOSPC: 'No space left on device', EEXIST: 'File exists' };
  return (err.code && known[err.code]) ?? err.message;
}

const ANDROID_SH = Buffer.from('#!/system/bin/sh');
/**
 * A script pushed with Android's `#!/system/bin/sh` could not run on the host (no such interpreter). This is the
 * one change the simulator makes to pushed bytes: the same-length `#!/bin/sh` plus spaces (the kernel drops
 * trailing blanks of a shebang line), so sizes stay equal. Pulling such a script gives the rewritten line.
 */
function hostShebang(data: Buffer): Buffer {
  if (data.length <= ANDROID_SH.length || !data.subarray(0, ANDROID_SH.length).equals(ANDROID_SH)) return data;
  const next = data[ANDROID_SH.length];
  if (next !== 0x0a && next !== 0x20 && next !== 0x09) return data;
  const out = Buffer.from(data);
  Buffer.from('#!/bin/sh'.padEnd(ANDROID_SH.length, ' ')).copy(out);
  return out;
}

function packet(id: string, ...words: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * words.length);
  b.write(id, 0, 'latin1');
  words.forEach((w, i) => b.writeUInt32LE(w >>> 0, 4 + 4 * i));
  return b;
}

function fail(message: string): Buffer {
  const msg = Buffer.from(message);
  return Buffer.concat([packet('FAIL', msg.length), msg]);
}

function statWords(st: Stats | undefined): [number, number, number] {
  if (!st) return [0, 0, 0];
  return [st.mode, Number(st.size & 0xffffffff), Math.floor(st.mtimeMs / 1000)];
}

export interface SyncContext {
  root: string;
  /** A file arrived (tests and runner stand-ins watch pushes). */
  pushed?(androidPath: string, bytes: number): void;
}

export function startSync(stream: DeviceStream, ctx: SyncContext): void {
  const reader = new ByteReader();
  stream.onData = (d) => reader.push(d);
  stream.on('close', () => reader.end());
  // A protocol error ends the service with FAIL and a message (adbd answers protocol errors with FAIL too, to our knowledge).
  void serve(stream, reader, ctx).catch((err: Error) => {
    if (!stream.closed) stream.write(fail(err.message));
    stream.end();
  });
}

async function waitDrain(stream: DeviceStream): Promise<void> {
  if (stream.queuedBytes < 4 * SYNC_DATA_MAX || stream.closed) return;
  await new Promise<void>((res) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      res();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

async function serve(stream: DeviceStream, reader: ByteReader, ctx: SyncContext): Promise<void> {
  for (;;) {
    const head = await reader.read(8);
    const id = head.toString('latin1', 0, 4);
    const len = head.readUInt32LE(4);
    if (id === 'QUIT') {
      stream.end();
      return;
    }
    if (len > 1024 * 4) throw new Error(`sync request path of ${len} bytes`);
    const arg = (await reader.read(len)).toString('utf8');
    switch (id) {
      case 'STAT': {
        const st = await fsp.lstat(sandboxPath(ctx.root, arg)).catch(() => undefined);
        stream.write(packet('STAT', ...statWords(st)));
        break;
      }
      case 'LIST': {
        const dir = sandboxPath(ctx.root, arg);
        const names = await fsp.readdir(dir).catch(() => [] as string[]);
        for (const name of ['.', '..', ...names]) {
          const st = await fsp.lstat(`${dir}/${name}`).catch(() => undefined);
          if (!st) continue;
          const n = Buffer.from(name);
          stream.write(Buffer.concat([packet('DENT', ...statWords(st), n.length), n]));
          await waitDrain(stream);
        }
        stream.write(packet('DONE', 0, 0, 0, 0));
        break;
      }
      case 'SEND':
        await receiveFile(stream, reader, ctx, arg);
        break;
      case 'RECV':
        await sendFile(stream, sandboxPath(ctx.root, arg));
        break;
      default:
        stream.write(fail(`unknown sync request ${JSON.stringify(id)}`));
        stream.end();
        return;
    }
  }
}

async function receiveFile(stream: DeviceStream, reader: ByteReader, ctx: SyncContext, arg: string): Promise<void> {
  const file = sandboxPath(ctx.root, arg.slice(0, Math.max(0, arg.lastIndexOf(','))) || arg);
  try {
    await receiveInto(stream, reader, ctx, arg);
  } finally {
    // A transfer cut short (unplugged, bad DATA) leaves no half file behind.
    await fsp.rm(`${file}.sync-tmp`, { force: true }).catch(() => {});
  }
}

async function receiveInto(stream: DeviceStream, reader: ByteReader, ctx: SyncContext, arg: string): Promise<void> {
  const comma = arg.lastIndexOf(',');
  const androidPath = comma >= 0 ? arg.slice(0, comma) : arg;
  const mode = comma >= 0 ? Number(arg.slice(comma + 1)) : 0o100644;
  const file = sandboxPath(ctx.root, androidPath);
  const isLink = (mode & 0o170000) === 0o120000;
  let error: string | undefined;
  let handle: fsp.FileHandle | undefined;
  try {
    // open(2) of "dir/" fails with EISDIR on the phone too; don't quietly create "dir" as a file.
    if (androidPath.endsWith('/')) throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
    await fsp.mkdir(dirname(file), { recursive: true });
    if (!isLink) handle = await fsp.open(`${file}.sync-tmp`, 'w', mode & 0o7777);
  } catch (err) {
    error = `couldn't create file: ${errnoText(err as NodeJS.ErrnoException)}`;
  }
  const linkTarget: Buffer[] = [];
  let bytes = 0;
  let first = true;
  try {
    // Read DATA chunks until DONE, even after an error, so the stream stays in step.
    for (;;) {
      const head = await reader.read(8);
      const id = head.toString('latin1', 0, 4);
      const n = head.readUInt32LE(4);
      if (id === 'DONE') {
        try {
          if (!error && isLink) {
            await fsp.rm(file, { force: true });
            await fsp.symlink(Buffer.concat(linkTarget).toString('utf8'), file);
          } else if (!error && handle) {
            await handle.close();
            handle = undefined;
            await fsp.chmod(`${file}.sync-tmp`, mode & 0o7777);
            await fsp.rename(`${file}.sync-tmp`, file);
            await fsp.utimes(file, n, n);
          }
        } catch (err) {
          error ??= (err as Error).message;
        }
        stream.write(error ? fail(error) : packet('OKAY', 0));
        if (!error) ctx.pushed?.(androidPath, bytes);
        return;
      }
      if (id !== 'DATA') throw new Error(`unexpected ${JSON.stringify(id)} in SEND`);
      if (n > SYNC_DATA_MAX) throw new Error('oversize data message');
      let data = await reader.read(n);
      bytes += n;
      if (first && !isLink) data = hostShebang(data);
      first = false;
      if (error) continue;
      try {
        if (isLink) linkTarget.push(data);
        else await handle!.write(data);
      } catch (err) {
        error = (err as Error).message;
      }
    }
  } finally {
    await handle?.close().catch(() => {});
  }
}

async function sendFile(stream: DeviceStream, file: string): Promise<void> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (err) {
    stream.write(fail(`open failed: ${errnoText(err as NodeJS.ErrnoException)}`));
    return;
  }
  try {
    const buf = Buffer.alloc(SYNC_DATA_MAX);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, SYNC_DATA_MAX, null);
      if (bytesRead === 0) break;
      stream.write(Buffer.concat([packet('DATA', bytesRead), buf.subarray(0, bytesRead)]));
      await waitDrain(stream);
      if (stream.closed) return;
    }
    stream.write(packet('DONE', 0));
  } finally {
    await handle.close();
  }
}
