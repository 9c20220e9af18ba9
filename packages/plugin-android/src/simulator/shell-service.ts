/**
 * The legacy `shell:` (and `exec:`) service: the command runs on the host with `sh -c`, inside the sandbox, in its
 * own process group. Output is stdout and stderr merged, no exit code (what phones without shell_v2 do). When the
 * server closes the stream, or the transport drops, the group gets SIGHUP (a hang-up, as we understand adbd to do): the command dies,
 * but a job started with `nohup … &` (ignores SIGHUP) or `setsid … &` (own group) keeps running.
 */
import { spawn } from 'node:child_process';
import { rewriteCommand, OutputUnmapper } from './android-paths.js';
import type { DeviceStream } from './stream-mux.js';
import type { Sandbox } from './sandbox.js';

/** One command the simulated phone ran, for tests to assert on. */
export interface SimCommand {
  id: number;
  service: 'shell' | 'exec';
  /** The command as the server sent it (Android paths). */
  command: string;
  /** What ran on the host (sandbox paths). */
  hostCommand: string;
  pid?: number;
  startedAt: number;
  endedAt?: number;
  exitCode?: number | null;
  signal?: string | null;
  /** Why it ended: it exited, the server closed the stream, or the device was unplugged. */
  endedBy?: 'exit' | 'stream-closed' | 'unplugged';
}

export interface ShellContext {
  sandbox: Sandbox;
  env: NodeJS.ProcessEnv;
  nextId(): number;
  started(cmd: SimCommand): void;
  ended(cmd: SimCommand): void;
}

/** Pause the child's output while this much is waiting for the server's OKAYs. */
const HIGH_WATER = 1 << 20;

export function startShell(stream: DeviceStream, service: 'shell' | 'exec', command: string, ctx: ShellContext): void {
  const root = ctx.sandbox.root;
  const hostCommand = rewriteCommand(root, command);
  const rec: SimCommand = { id: ctx.nextId(), service, command, hostCommand, startedAt: Date.now() };
  // An empty command is an interactive shell reading the stream; otherwise stderr joins stdout, as on the phone.
  const args = command.trim() === '' ? ['-s'] : ['-c', `exec 2>&1\n${hostCommand}`];
  // argv0 makes the shell's own messages read like the phone's ("/system/bin/sh: …: not found").
  const child = spawn('/bin/sh', args, { argv0: '/system/bin/sh', cwd: root, env: ctx.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  rec.pid = child.pid;
  ctx.started(rec);
  const unmap = new OutputUnmapper(root);
  let exited = false;

  const forward = (chunk: Buffer) => {
    stream.write(unmap.push(chunk));
    if (stream.queuedBytes > HIGH_WATER) {
      child.stdout.pause();
      child.stderr.pause();
    }
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  stream.on('drain', () => {
    child.stdout.resume();
    child.stderr.resume();
  });
  child.stdin.on('error', () => {});
  stream.onData = (data) => new Promise<void>((res) => (child.stdin.writable ? child.stdin.write(data, () => res()) : res()));

  child.on('error', (err) => {
    stream.write(Buffer.from(`/system/bin/sh: ${err.message}\n`));
  });
  child.on('close', (code, signal) => {
    exited = true;
    rec.endedAt = Date.now();
    rec.exitCode = code;
    rec.signal = signal;
    rec.endedBy ??= 'exit';
    stream.write(unmap.flush());
    stream.end();
    ctx.ended(rec);
  });
  stream.on('close', (why: string) => {
    if (exited || why === 'local') return;
    rec.endedBy = why === 'transport' ? 'unplugged' : 'stream-closed';
    child.stdin.destroy();
    try {
      process.kill(-child.pid!, 'SIGHUP');
    } catch {
      // already gone
    }
  });
}
