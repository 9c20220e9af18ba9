/**
 * Android paths → the simulator's sandbox directory. Commands keep their Android paths; we rewrite the path
 * prefixes that belong to the phone (/sys, /data, /sdcard, /system, /vendor, …) in the command text, and map the
 * sandbox root back to `/` in the output, so the host's own /sys, /proc and /dev/null are never touched by
 * accident while `/dev/null`, `/tmp` and host tools keep working.
 */

/** Top-level directories that exist only on the phone: every path under them lives in the sandbox. */
export const ANDROID_TOP_DIRS = ['sys', 'data', 'sdcard', 'storage', 'system', 'vendor', 'odm', 'product', 'apex', 'mnt', 'cache', 'config'];
/** /proc entries the sandbox fakes; the rest of /proc (e.g. /proc/self) stays the host's. */
export const ANDROID_PROC_FILES = ['proc/cpuinfo', 'proc/meminfo', 'proc/version'];

// A path starts after a shell word boundary, '=' (VAR=/x, --flag=/x) or ':' (PATH-like lists).
const BEFORE = `(^|[\\s'"=:;|&()<>\`,])`;
const AFTER = `(?=$|[/\\s'"=:;|&()<>\`,*])`;
const PREFIX_RE = new RegExp(`${BEFORE}/(${[...ANDROID_PROC_FILES, ...ANDROID_TOP_DIRS].map((p) => p.replace('/', '\\/')).join('|')})${AFTER}`, 'g');

/** Rewrite the phone's absolute paths in a shell command to paths under `root`. */
export function rewriteCommand(root: string, command: string): string {
  return command.replace(PREFIX_RE, (_m, before: string, top: string) => `${before}${root}/${top}`);
}

/** Map an absolute Android path to the sandbox (sync service: every path is rooted there, nothing escapes). */
export function sandboxPath(root: string, androidPath: string): string {
  const parts: string[] = [];
  for (const part of androidPath.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.length ? `${root}/${parts.join('/')}` : root;
}

function isPathChar(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x2d || b === 0x5f;
}

/**
 * Streaming replacement of the sandbox root by `/` in command output. A chunk may end inside the root string,
 * so that tail is held back until the next chunk decides it.
 */
export class OutputUnmapper {
  private readonly needle: Buffer;
  private held: Buffer = Buffer.alloc(0);

  constructor(root: string) {
    this.needle = Buffer.from(root);
  }

  push(chunk: Buffer): Buffer {
    const buf = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = Buffer.alloc(0);
    const out: Buffer[] = [];
    let from = 0;
    for (;;) {
      const at = buf.indexOf(this.needle, from);
      if (at < 0) break;
      out.push(buf.subarray(from, at));
      const after = at + this.needle.length;
      if (after >= buf.length) {
        // Can't tell yet whether a '/' follows: hold the match.
        this.held = Buffer.from(buf.subarray(at));
        return Buffer.concat(out);
      }
      const next = buf[after]!;
      if (next === 0x2f) from = after;
      else if (isPathChar(next)) {
        // A sibling like `…/rootless`, not the sandbox root.
        out.push(buf.subarray(at, after));
        from = after;
      } else {
        out.push(Buffer.from('/'));
        from = after;
      }
    }
    // Hold back a tail that is a prefix of the root.
    let keep = 0;
    for (let n = Math.min(this.needle.length - 1, buf.length - from); n > 0; n--) {
      if (buf.subarray(buf.length - n).equals(this.needle.subarray(0, n))) {
        keep = n;
        break;
      }
    }
    out.push(buf.subarray(from, buf.length - keep));
    if (keep) this.held = Buffer.from(buf.subarray(buf.length - keep));
    return Buffer.concat(out);
  }

  /** End of output: whatever is held is plain text after all (or a bare root, which is `/`). */
  flush(): Buffer {
    const rest = this.held.equals(this.needle) ? Buffer.from('/') : this.held;
    this.held = Buffer.alloc(0);
    return rest;
  }
}
