/** Command lines for a device's `sh` (mksh on Android): every word single-quoted, so paths with spaces survive. */

/** One word for `sh`, single-quoted unless it is plainly safe. */
export function shq(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command and its arguments as one `sh` line. */
export function shellLine(command: string, args: string[]): string {
  return [command, ...args].map(shq).join(' ');
}
