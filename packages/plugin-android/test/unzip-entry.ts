/**
 * Test-only: gets one entry's bytes out of a zip with the system `unzip`, until core's zip reader is available
 * here. It only fetches the bytes; the manifest reader under test is the plugin's own.
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** Skip reason when `unzip` is not installed, else undefined. */
export function noUnzip(): string | undefined {
  const r = spawnSync('unzip', ['-v'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    process.stderr.write('[skip] the system `unzip` command is not installed; it is needed to get AndroidManifest.xml out of the test APKs\n');
    return 'unzip not installed';
  }
  return undefined;
}

/** The bytes of `entry` in the zip at `file`. */
export function unzipEntry(file: string, entry: string): Buffer {
  return execFileSync('unzip', ['-p', file, entry], { maxBuffer: 64 * 1024 * 1024 });
}
