/**
 * Quoting for the device's `sh` (mksh/toybox on Android, any POSIX sh in the simulator). adbkit's array form of
 * `shell()` escapes "for convenience, not security", so every command line gaugeNN sends is built here.
 *
 * Written by hand: the rule is one line (single quotes, and `'\''` for a quote inside), and the npm shell-quote
 * packages target bash/cmd and escape differently from what a POSIX `sh -c` needs.
 */

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One word for sh: returned as-is when it holds only safe characters, otherwise single-quoted. */
export function quote(word: string): string {
  if (word !== '' && PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command and its arguments as one sh command line. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quote).join(' ');
}

/**
 * The prefix that sets a working directory and environment before a command: `cd DIR && export A=1 B=2 && `.
 * Throws on an environment name sh cannot hold, rather than sending something the shell would misread.
 */
export function shellPrefix(cwd?: string, env?: Record<string, string>): string {
  const parts: string[] = [];
  if (cwd) parts.push(`cd ${quote(cwd)}`);
  const entries = Object.entries(env ?? {});
  if (entries.length) {
    for (const [k] of entries) if (!ENV_NAME.test(k)) throw new TypeError(`"${k}" is not a valid environment variable name for the device's shell`);
    parts.push(`export ${entries.map(([k, v]) => `${k}=${quote(v)}`).join(' ')}`);
  }
  return parts.length ? `${parts.join(' && ')} && ` : '';
}
