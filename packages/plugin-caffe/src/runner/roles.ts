/** Which of a run request's files is the prototxt and which the caffemodel: by role, else by content. */
import { open } from 'node:fs/promises';
import { looksLikeCaffemodel } from '../sniff.js';

export async function splitRoles(files: { path: string; role?: string }[]): Promise<{ prototxt?: string; caffemodel?: string }> {
  let prototxt: string | undefined;
  let caffemodel: string | undefined;
  for (const f of files) {
    let role = f.role;
    if (role !== 'prototxt' && role !== 'caffemodel') {
      const head = Buffer.alloc(4096);
      let n = 0;
      try {
        const fh = await open(f.path, 'r');
        try {
          n = (await fh.read(head, 0, head.length, 0)).bytesRead;
        } finally {
          await fh.close();
        }
      } catch {
        // An unreadable file is reported by whoever opens it next, with its path.
      }
      role = looksLikeCaffemodel(head.subarray(0, n), Number.MAX_SAFE_INTEGER) ? 'caffemodel' : 'prototxt';
    }
    if (role === 'caffemodel') caffemodel ??= f.path;
    else prototxt ??= f.path;
  }
  return { prototxt, caffemodel };
}
