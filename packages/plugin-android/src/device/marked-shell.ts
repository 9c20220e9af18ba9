/**
 * A command over adb's legacy `shell:` service with its exit code recovered.
 *
 * adbkit speaks only the legacy service: stderr is merged into stdout and no exit code comes back, and a stream
 * that ends because the device vanished looks like any other end. So the command line is wrapped: it first prints
 * a start marker with its shell's pid (to kill the command on timeout or cancel), and last an end marker with
 * `$?`. Output that ends without the end marker is DEVICE_LOST, never a truncated success.
 */
import { randomBytes } from 'node:crypto';
import { GaugeError } from '@gaugenn/core';
import type { Duplex } from 'node:stream';

export interface MarkedRun {
  exitCode: number;
  /** stdout and stderr as the device interleaved them (the legacy service merges them). */
  output: string;
  timedOut: boolean;
}

export interface MarkedShellOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Open the `shell:` stream for a command line (adbkit's `DeviceClient.shell`). */
  open(commandLine: string): Promise<Duplex>;
  /** Kill the process tree of the wrapper shell `pid` on the device (after a timeout or cancel). */
  kill(pid: number): Promise<void>;
  /** Map a transport error to a GaugeError. */
  fault(e: unknown): GaugeError;
  /** What is running, for messages. */
  what: string;
}

/** The wrapped command line: markers are printed through printf so their text never appears in the command. */
export function wrapCommand(body: string, token: string): string {
  return `printf '__GN%sS%d\\n' ${token} $$; ${body}\nprintf '\\n__GN%sE%d\\n' ${token} $?`;
}

/**
 * Split wrapped output into the command's output and exit code; undefined exit code when the end marker is
 * missing (the stream ended early). Devices before Android 7 run `shell:` on a pty: CRLF is turned back into LF.
 */
export function unwrapOutput(raw: string, token: string): { output: string; exitCode?: number; pid?: number } {
  const start = new RegExp(`^__GN${token}S(\\d+)(\\r?)\\n`).exec(raw);
  let body = start ? raw.slice(start[0].length) : raw;
  const pty = start?.[2] === '\r';
  const end = new RegExp(`\\r?\\n__GN${token}E(\\d+)\\r?\\n?$`).exec(body);
  if (end) body = body.slice(0, end.index);
  if (pty) body = body.replace(/\r\n/g, '\n');
  return { output: body, exitCode: end ? Number(end[1]) : undefined, pid: start ? Number(start[1]) : undefined };
}

/** Run a command line on the device and return its output and exit code (see the module comment). */
export async function markedShell(body: string, o: MarkedShellOptions): Promise<MarkedRun> {
  o.signal?.throwIfAborted();
  const token = randomBytes(8).toString('hex');
  let stream: Duplex;
  try {
    stream = await o.open(wrapCommand(body, token));
  } catch (e) {
    throw o.fault(e);
  }
  return new Promise<MarkedRun>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let pid: number | undefined;
    let state: 'running' | 'timeout' | 'aborted' | 'done' = 'running';
    let timer: NodeJS.Timeout | undefined;

    const cleanup = () => {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      stream.removeAllListeners('data');
      stream.on('error', () => {});
    };
    const text = () => Buffer.concat(chunks).toString('utf8');
    const stop = async (why: 'timeout' | 'aborted') => {
      if (state !== 'running') return;
      state = why;
      cleanup();
      pid ??= unwrapOutput(text(), token).pid;
      // Kill before closing: the close hangs up the wrapper shell, and its orphans could no longer be found by parent.
      if (pid !== undefined) await o.kill(pid).catch(() => {});
      stream.destroy();
      if (why === 'aborted') {
        reject(new GaugeError('INTERRUPTED', `${o.what} was cancelled; gaugeNN stopped it on the device.`, { plugin: 'android' }));
      } else {
        resolve({ exitCode: -1, output: unwrapOutput(text(), token).output, timedOut: true });
      }
    };
    const onAbort = () => void stop('aborted');

    stream.on('data', (c: Buffer) => {
      chunks.push(c);
      if (pid === undefined && chunks.length <= 4) pid = unwrapOutput(text(), token).pid;
    });
    const finish = () => {
      if (state !== 'running') return;
      state = 'done';
      cleanup();
      const r = unwrapOutput(text(), token);
      if (r.exitCode === undefined) {
        reject(new GaugeError('DEVICE_LOST', `The output of ${o.what} ended before its exit code: the device went away (unplugged, rebooted) or adb dropped the link. Check \`adb devices\`; the attempt can run again when it returns.`, { plugin: 'android', hook: 'device:adb' }));
      } else {
        resolve({ exitCode: r.exitCode, output: r.output, timedOut: false });
      }
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', (e) => {
      if (state !== 'running') return;
      state = 'done';
      cleanup();
      reject(o.fault(e));
    });
    if (o.timeoutMs !== undefined && o.timeoutMs > 0) timer = setTimeout(() => void stop('timeout'), o.timeoutMs);
    if (o.signal) {
      if (o.signal.aborted) void stop('aborted');
      else o.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}

/**
 * A command line that kills a process and all its descendants on the device (toybox and busybox `pgrep -P`).
 * The tree is stopped first and listed again while frozen, then killed: killing children first would let the
 * parent shell run its next command, and a running tree can fork between the listing and the kill.
 */
export function killTreeCommand(pid: number): string {
  return `t(){ echo "$1"; for c in $(pgrep -P "$1" 2>/dev/null); do t "$c"; done; }; kill -STOP $(t ${pid}) 2>/dev/null; kill -9 $(t ${pid}) 2>/dev/null; true`;
}
