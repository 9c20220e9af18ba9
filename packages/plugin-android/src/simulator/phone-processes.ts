import { readFileSync, readdirSync } from 'node:fs';

/**
 * The host processes that belong to a simulated phone: every shell command of a simulator runs with
 * `GAUGENN_SIM_ID=<id>` in its environment, and so do its children, detached ones included. Linux /proc only;
 * elsewhere nothing is found.
 */

/** Kill every host process whose environment carries this tag (`GAUGENN_SIM_ID=<id>\0`). */
export function killTagged(tag: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').includes(tag)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone, or not ours
    }
  }
}

/**
 * Is the simulated phone busy? A process of this simulator (tagged by `GAUGENN_SIM_ID` in its environment) whose
 * command line matches a pattern. Polling /proc catches detached jobs too (`nohup … &` in unplugged mode), which
 * outlive the shell command that started them. Linux only; elsewhere it never reports busy.
 */

export class LoadWatcher {
  private timer: NodeJS.Timeout | undefined;
  /** pid → whether it carries our tag (environments don't change; a recycled pid is re-read when its cmdline does). */
  private readonly tagged = new Map<string, { ours: boolean; cmdline: string }>();
  private busy = false;

  constructor(
    private readonly tag: string,
    private readonly pattern: RegExp,
    private readonly onChange: (busy: boolean) => void,
    private readonly everyMs = 50,
  ) {}

  start(): void {
    this.poll();
    this.timer = setInterval(() => this.poll(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Look again now (a command just ended: don't wait for the next tick to see it gone). */
  refresh(): void {
    this.poll();
  }

  get isBusy(): boolean {
    return this.busy;
  }

  private poll(): void {
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((d) => d.charCodeAt(0) >= 0x30 && d.charCodeAt(0) <= 0x39);
    } catch {
      return;
    }
    const seen = new Set(pids);
    for (const pid of this.tagged.keys()) if (!seen.has(pid)) this.tagged.delete(pid);
    let busy = false;
    for (const pid of pids) {
      let cmdline: string;
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      } catch {
        continue;
      }
      let entry = this.tagged.get(pid);
      if (!entry || entry.cmdline !== cmdline) {
        let ours = false;
        try {
          ours = readFileSync(`/proc/${pid}/environ`, 'latin1').includes(this.tag);
        } catch {
          // not readable: not ours
        }
        entry = { ours, cmdline };
        this.tagged.set(pid, entry);
      }
      if (entry.ours) {
        this.pattern.lastIndex = 0;
        if (this.pattern.test(cmdline.split('\0').join(' '))) {
          busy = true;
          break;
        }
      }
    }
    if (busy !== this.busy) {
      this.busy = busy;
      this.onChange(busy);
    }
  }
}
