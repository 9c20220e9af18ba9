/**
 * The host transport kills a command with its whole process tree: on timeout, on cancellation, and when the
 * command exits leaving children behind. The command is a real shell script that forks a sleeping child (as a
 * runner that starts a helper would) and then hangs.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HostTransport } from '../src/index.js';

/** Alive and not a zombie (an orphan's zombie waits for a reaper, which a container may lack). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

async function gone(pid: number, ms = 3000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (!alive(pid)) return true;
  return !alive(pid);
}

const FORKS_AND_HANGS = 'sleep 300 & echo $! > "$1"; echo started; sleep 300';
const FORKS_AND_EXITS = 'sleep 300 & echo $! > "$1"; echo started; exit 0';

describe('HostTransport.exec kills the process tree', () => {
  const host = new HostTransport();
  const dir = mkdtempSync(join(tmpdir(), 'gaugenn-tree-'));

  it('at the timeout: the command and its forked child die, and the result says timedOut', async () => {
    const pidFile = join(dir, 'timeout.pid');
    const t0 = Date.now();
    const r = await host.exec('sh', ['-c', FORKS_AND_HANGS, 'sh', pidFile], { timeoutMs: 1000 });
    const took = Date.now() - t0;
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toContain('started');
    // It came back at the timeout, not when the child's sleep (holding stdout open) would have ended.
    expect(took).toBeLessThan(10_000);
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(child).toBeGreaterThan(0);
    expect(await gone(child)).toBe(true);
  });

  it('on cancellation (AbortSignal): the tree dies', async () => {
    const pidFile = join(dir, 'abort.pid');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 800);
    const r = await host.exec('sh', ['-c', FORKS_AND_HANGS, 'sh', pidFile], { signal: ac.signal, timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('when the command exits leaving a child: the child is killed and the result comes back at once', async () => {
    const pidFile = join(dir, 'exit.pid');
    const t0 = Date.now();
    const r = await host.exec('sh', ['-c', FORKS_AND_EXITS, 'sh', pidFile], { timeoutMs: 60_000 });
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('a program that does not exist is exit code 127, as before', async () => {
    const r = await host.exec(join(dir, 'no-such-program'), []);
    expect(r.exitCode).toBe(127);
    expect(r.timedOut).toBe(false);
  });
});
