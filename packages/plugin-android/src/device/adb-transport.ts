/**
 * The Transport of an ADB device: commands over the legacy `shell:` service with their exit code recovered
 * (marked-shell.ts), files over `sync:`, and pushes cached on the device by content hash.
 */
import { randomBytes } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable, type Duplex } from 'node:stream';
import { GaugeError, sha256File, type ExecOptions, type ExecResult, type Transport } from '@gaugenn/core';
import { adbFault } from './adb-errors.js';
import type { AdbServer } from './adb-server.js';
import { killTreeCommand, markedShell, type MarkedRun } from './marked-shell.js';
import { commandLine, quote, shellPrefix } from './shell-quote.js';

/** Everything gaugeNN puts on a device lives under this folder (world-writable for the shell user, no root). */
export const DEVICE_ROOT = '/data/local/tmp/gaugenn';
/** Files pushed by content, one folder per sha256: `<root>/by-hash/<sha256>/<name>`. */
export const CACHE_ROOT = `${DEVICE_ROOT}/by-hash`;
/** Input larger than this goes to the command through a pushed file rather than inline in the command line. */
const INLINE_INPUT_MAX = 2048;
/**
 * Longest command line sent as the `shell:` request itself. Devices before Android 7 take 4 KiB messages, and a
 * longer request to such a device drops the link (with the simulator set to 4 KiB, a 5 KB request cut the stream
 * and a 20 KB one left the Debian adb 1.0.41 server not answering); longer lines are pushed as a script and run
 * from there.
 */
const LONG_LINE = 3072;

type Sync = Awaited<ReturnType<ReturnType<AdbServer['device']>['syncService']>>;

/**
 * Wait for an adbkit push to end or fail. The error listener stays: adbkit may emit a second 'error' after the
 * first, and an 'error' nobody listens to ends node.
 */
function transferDone(t: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    t.once('end', resolve);
    t.on('error', reject);
  });
}

/**
 * Read an adbkit pull to the end. On a FAIL reply adbkit ends the stream first and emits the error after, so the
 * end alone does not mean success: the caller compares the bytes with the file's size from STAT.
 */
function pullAll(t: NodeJS.ReadableStream & NodeJS.EventEmitter): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    t.on('data', (c: Buffer) => chunks.push(c));
    t.on('error', reject);
    // Let an error that follows the end arrive first.
    t.once('end', () => setTimeout(() => resolve(Buffer.concat(chunks)), 5));
  });
}

export class AdbTransport implements Transport {
  /** Files sent over sync by this transport (a cached push that finds its file on the device sends none). */
  filesPushed = 0;
  private readonly localHashes = new Map<string, { size: number; mtimeMs: number; sha: string }>();
  private madeWorkDir = false;

  constructor(readonly server: AdbServer, readonly serial: string) {}

  private fault(e: unknown, what: string): GaugeError {
    return adbFault(e, { server: this.server.address, serial: this.serial, phase: 'command', what });
  }

  /**
   * Run a sh command line with its exit code recovered (the building block of every other call). A line longer
   * than a service request may safely be goes to the device as a script file first (see LONG_LINE).
   */
  async shell(line: string, o: { timeoutMs?: number; signal?: AbortSignal; what?: string } = {}): Promise<MarkedRun> {
    const what = o.what ?? `\`${line.length > 60 ? `${line.slice(0, 57)}...` : line}\` on ${this.serial}`;
    if (Buffer.byteLength(line) > LONG_LINE) {
      const script = `${await this.workDir()}/.cmd-${randomBytes(6).toString('hex')}.sh`;
      await this.pushBuffer(Buffer.from(`${line}\n`), script, 0o600);
      line = `sh ${quote(script)}; r=$?; rm -f ${quote(script)}; (exit $r)`;
    }
    const dc = this.server.device(this.serial);
    return markedShell(line, {
      timeoutMs: o.timeoutMs,
      signal: o.signal,
      what,
      open: async (cmd) => (await dc.shell(cmd)) as unknown as Duplex,
      kill: async (pid) => {
        const s = (await dc.shell(killTreeCommand(pid))) as unknown as Duplex;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => { s.destroy(); resolve(); }, 5000);
          s.on('data', () => {});
          s.once('close', () => { clearTimeout(t); resolve(); });
          s.once('error', () => { clearTimeout(t); resolve(); });
        });
      },
      fault: (e) => this.fault(e, what),
    });
  }

  /** A shell command that must succeed; throws RUNNER_FAILED with its output when it does not. */
  async shellOk(line: string, what: string): Promise<string> {
    const r = await this.shell(line, { what, timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw new GaugeError('RUNNER_FAILED', `${what} failed on ${this.serial} (exit ${r.exitCode}): ${r.output.trim().slice(0, 500)}`, { plugin: 'android', subject: this.serial });
    return r.output;
  }

  /**
   * Run a program on the device. Arguments, cwd and env are quoted for sh; stdin is /dev/null unless `input` is
   * given. The legacy shell service merges the streams, so `stdout` holds both in the device's order and `stderr`
   * is empty. A timeout gives `timedOut: true` (exit code -1) after killing the command on the device; an abort is
   * INTERRUPTED; a device that goes away is DEVICE_LOST.
   */
  async exec(command: string, args: string[], o: ExecOptions = {}): Promise<ExecResult> {
    let stdin = ' < /dev/null';
    let inputFile: string | undefined;
    if (o.input !== undefined) {
      if (Buffer.byteLength(o.input) <= INLINE_INPUT_MAX) {
        stdin = '';
      } else {
        inputFile = `${await this.workDir()}/.stdin-${randomBytes(6).toString('hex')}`;
        await this.pushBuffer(Buffer.from(o.input), inputFile, 0o600);
        stdin = ` < ${quote(inputFile)}`;
      }
    }
    const feed = o.input !== undefined && !inputFile ? `printf '%s' ${quote(o.input)} | ` : '';
    const line = `${shellPrefix(o.cwd, o.env)}${feed}${commandLine(command, args)}${stdin}`;
    try {
      const r = await this.shell(line, { timeoutMs: o.timeoutMs, signal: o.signal, what: `${basename(command)} on ${this.serial}` });
      // The legacy shell service merges the streams: the merged text is stdout, in the order the device wrote it.
      return { exitCode: r.exitCode, stdout: r.output, stderr: '', timedOut: r.timedOut };
    } finally {
      if (inputFile) await this.shell(`rm -f ${quote(inputFile)}`).catch(() => {});
    }
  }

  private async withSync<T>(what: string, f: (sync: Sync) => Promise<T>): Promise<T> {
    let sync: Sync;
    try {
      sync = await this.server.device(this.serial).syncService();
    } catch (e) {
      throw this.fault(e, what);
    }
    try {
      return await f(sync);
    } finally {
      sync.end();
    }
  }

  private async pushBuffer(data: Buffer, remotePath: string, mode: number): Promise<void> {
    await this.withSync(`push to ${remotePath}`, async (sync) => {
      try {
        await transferDone(sync.push(Readable.from([data]), remotePath, mode));
      } catch (e) {
        throw this.fault(e, `push to ${remotePath}`);
      }
    });
  }

  async push(localPath: string, remotePath: string, mode?: number): Promise<void> {
    const m = mode ?? ((await stat(localPath)).mode & 0o777);
    const what = `push of ${basename(localPath)} to ${remotePath}`;
    await this.withSync(what, async (sync) => {
      try {
        await transferDone(sync.push(localPath, remotePath, m));
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT' && (e as { path?: string }).path === localPath) throw e;
        throw this.fault(e, what);
      }
    });
    this.filesPushed++;
  }

  async pull(remotePath: string, localPath: string): Promise<void> {
    await writeFile(localPath, await this.readFile(remotePath));
  }

  /** A device file's bytes: STAT first (a missing file is INPUT_NOT_FOUND), then RECV, checked against the size. */
  async readFile(remotePath: string): Promise<Buffer> {
    const what = `read of ${remotePath}`;
    return this.withSync(what, async (sync) => {
      let st: { size: number; mode: number };
      try {
        st = await sync.stat(remotePath);
      } catch (e) {
        throw this.pullFault(e, remotePath, what);
      }
      if ((st.mode & 0o170000) === 0o040000) throw new GaugeError('INPUT_NOT_FOUND', `${remotePath} is a folder on ${this.serial}, not a file.`, { plugin: 'android', subject: remotePath });
      let data: Buffer;
      try {
        data = await pullAll(sync.pull(remotePath));
      } catch (e) {
        throw this.pullFault(e, remotePath, what);
      }
      // Regular files only: sysfs and /proc files report sizes that have nothing to do with their text.
      const regular = (st.mode & 0o170000) === 0o100000;
      if (regular && data.length < st.size && !remotePath.startsWith('/proc/') && !remotePath.startsWith('/sys/')) {
        throw new GaugeError('DEVICE_LOST', `${what} on ${this.serial} ended after ${data.length} of ${st.size} bytes: the device went away or refused the read. Check \`adb devices\` and the file's permissions.`, { plugin: 'android', hook: 'device:adb', subject: remotePath });
      }
      return data;
    });
  }

  /** A file the device says is missing is INPUT_NOT_FOUND; anything else is the link. */
  private pullFault(e: unknown, remotePath: string, what: string): GaugeError {
    const msg = e instanceof Error ? e.message : String(e);
    if (/no such file|not found|ENOENT|permission denied/i.test(msg) && !/device .*not found/i.test(msg)) {
      return new GaugeError('INPUT_NOT_FOUND', `${remotePath} cannot be read on ${this.serial}: ${msg}`, { plugin: 'android', subject: remotePath });
    }
    return this.fault(e, what);
  }

  async workDir(): Promise<string> {
    const dir = `${DEVICE_ROOT}/work`;
    if (!this.madeWorkDir) {
      await this.shellOk(`mkdir -p ${quote(dir)}`, `mkdir ${dir}`);
      this.madeWorkDir = true;
    }
    return dir;
  }

  private async localSha(localPath: string): Promise<{ sha: string; size: number; mode: number }> {
    const st = await stat(localPath);
    const known = this.localHashes.get(localPath);
    if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return { sha: known.sha, size: st.size, mode: st.mode & 0o777 };
    const sha = await sha256File(localPath);
    this.localHashes.set(localPath, { sha, size: st.size, mtimeMs: st.mtimeMs });
    return { sha, size: st.size, mode: st.mode & 0o777 };
  }

  /**
   * Push once per content: the file goes to `by-hash/<sha256>/<name>`, and a file already there with the same
   * size is taken as pushed (the folder name is the hash, so only a cut-short push could differ, and that
   * changes the size). The check is one sync STAT; the transfer goes to a `.part` name that is renamed last,
   * so a push cut short never looks complete.
   */
  async pushCached(localPath: string, options: { name?: string; mode?: number } = {}): Promise<string> {
    const { sha, size, mode: localMode } = await this.localSha(localPath);
    const mode = options.mode ?? localMode;
    const name = (options.name ?? basename(localPath)).replace(/[/\\]/g, '_');
    const dir = `${CACHE_ROOT}/${sha}`;
    const remote = `${dir}/${name}`;
    const have = await this.withSync(`stat of ${remote}`, async (sync) => {
      try {
        return await sync.stat(remote);
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw this.fault(e, `stat of ${remote}`);
      }
    });
    if (have && have.size === size) {
      if ((have.mode & 0o777) !== mode) await this.shellOk(`chmod ${mode.toString(8)} ${quote(remote)}`, `chmod ${remote}`);
      return remote;
    }
    await this.shellOk(`mkdir -p ${quote(dir)}`, `mkdir ${dir}`);
    await this.push(localPath, `${remote}.part`, mode);
    await this.shellOk(`mv -f ${quote(`${remote}.part`)} ${quote(remote)} && chmod ${mode.toString(8)} ${quote(remote)}`, `rename ${remote}`);
    return remote;
  }

  /**
   * Start a command that outlives the adb link: `nohup`, stdin from /dev/null, output to `outFile`, and its exit
   * code written to `rcFile` when it ends (both files removed first, so a stale result is never read).
   */
  async spawnDetached(command: string, args: string[], o: { cwd?: string; env?: Record<string, string>; outFile: string; rcFile: string }): Promise<void> {
    const inner = `${shellPrefix(o.cwd, o.env)}${commandLine(command, args)}`;
    const job = `sh -c ${quote(inner)} > ${quote(o.outFile)} 2>&1 < /dev/null; echo $? > ${quote(o.rcFile)}`;
    const line = `rm -f ${quote(o.outFile)} ${quote(o.rcFile)} && nohup sh -c ${quote(job)} > /dev/null 2>&1 < /dev/null &`;
    await this.shellOk(line, `detached start of ${basename(command)}`);
  }

  async remove(remotePath: string): Promise<void> {
    await this.shellOk(`rm -rf ${quote(remotePath)}`, `remove ${remotePath}`);
  }
}
