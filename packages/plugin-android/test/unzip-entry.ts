/**
 * Test-only: gets one entry's bytes out of a zip with core's zip reader. It only fetches the bytes; the manifest
 * reader under test is the plugin's own.
 */
import { ZipReader } from '@gaugenn/core';

/** The bytes of `entry` in the zip at `file`. */
export async function unzipEntry(file: string, entry: string): Promise<Buffer> {
  const r = await ZipReader.openFile(file);
  try {
    const e = r.getEntry(entry);
    if (!e) throw new Error(`${file} has no entry ${entry}`);
    return await r.readAll(e, 64 * 1024 * 1024);
  } finally {
    await r.close();
  }
}
