/**
 * The content-addressed model cache: every model file found in an app is kept once, as `<dir>/<sha256>`,
 * whatever app or path it came from, so a backbone shipped by a thousand apps is stored once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, renameSync, writeFileSync } from 'node:fs';
import { access, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Blobs up to this size are hashed in memory before anything is written. */
const IN_MEMORY_MAX = 32 * 1024 * 1024;

/** A blob in the cache. */
export interface CachedBlob {
  /** Absolute path of the cached copy, `<dir>/<sha256>`. */
  path: string;
  sha256: string;
  bytes: number;
  /** True when this call put the blob in the cache; false when it was there already. */
  created: boolean;
}

/**
 * Stream bytes once through sha256 into the cache. They go to a temp name in `dir` first (same file
 * system, so the rename is atomic and a reader never sees half a blob), then take their hash as name; when
 * that name exists already the temp copy is dropped. One pass (hash while writing) costs a temp write for
 * a repeat model, which is cheaper than inflating every entry twice.
 * The name on disk is always our own: entry names never become paths.
 */
export async function cacheBlob(dir: string, chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<CachedBlob> {
  const hash = createHash('sha256');
  let bytes = 0;
  // Most models are small: hold up to IN_MEMORY_MAX while hashing, so a model the cache has already (a backbone
  // in a thousand apps) costs no write at all; a larger one spills to a temp file and streams on.
  const held: Buffer[] = [];
  const it = (Symbol.asyncIterator in chunks ? (chunks as AsyncIterable<Buffer>)[Symbol.asyncIterator]() : (chunks as Iterable<Buffer>)[Symbol.iterator]()) as AsyncIterator<Buffer> | Iterator<Buffer>;
  let spilled = false;
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    hash.update(r.value);
    bytes += r.value.length;
    held.push(r.value);
    if (bytes > IN_MEMORY_MAX) {
      spilled = true;
      break;
    }
  }
  if (!spilled) {
    const sha256 = hash.digest('hex');
    const path = join(dir, sha256);
    if (existsSync(path)) return { path, sha256, bytes, created: false };
    const tmp = join(dir, `.tmp-${randomUUID()}`);
    try {
      writeFileSync(tmp, held.length === 1 ? held[0]! : Buffer.concat(held, bytes), { flag: 'wx' });
      renameSync(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return { path, sha256, bytes, created: true };
  }
  const rest = { [Symbol.asyncIterator]: () => it as AsyncIterator<Buffer> };
  const tmp = join(dir, `.tmp-${randomUUID()}`);
  try {
    async function* hashed(): AsyncGenerator<Buffer> {
      yield* held.splice(0);
      for await (const c of rest) {
        hash.update(c);
        bytes += c.length;
        yield c;
      }
    }
    await pipeline(hashed(), createWriteStream(tmp, { flags: 'wx' }));
    const sha256 = hash.digest('hex');
    const path = join(dir, sha256);
    const created = !(await exists(path));
    if (created) await rename(tmp, path);
    else await rm(tmp, { force: true });
    return { path, sha256, bytes, created };
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Cache bytes already in memory (a model located inside a blob). */
export function cacheBytes(dir: string, data: Uint8Array): Promise<CachedBlob> {
  return cacheBlob(dir, [Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** Drop a blob this walk put in the cache and no longer references (a blob that turned out to hold several models). */
export async function uncacheBlob(blob: CachedBlob): Promise<void> {
  if (blob.created) await rm(blob.path, { force: true });
}
