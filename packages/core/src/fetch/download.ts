/**
 * Verified, resumable downloads over HTTP(S) with Node's fetch. A file is written to `DEST.part`, hashed while it
 * streams, and renamed to `DEST` only when its sha256 matches: a partial or unverified file never sits where a
 * source lists apps, so it can never reach the extract stage or the store.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GaugeError } from '../errors/gauge-error.js';
import { sleep } from '../bench/sleep.js';

export interface DownloadRequest {
  url: string;
  /** Where the verified file goes. */
  dest: string;
  /** Expected sha256 (hex). Without it the file is kept and its hash reported (a list that states none). */
  sha256?: string;
  headers?: Record<string, string>;
}

export interface DownloadOptions {
  /** Retries after the first attempt, for dropped connections and server errors (default 4). */
  retries?: number;
  /** First back-off in ms, doubled each retry (default 500). */
  backoffMs?: number;
  signal?: AbortSignal;
  /** Bytes received, as they arrive. */
  onBytes?(n: number): void;
  /** How URLs appear in messages: strip secrets such as API keys (default: drop the query string). */
  redact?(url: string): string;
}

export interface DownloadResult {
  file: string;
  sha256: string;
  bytes: number;
  attempts: number;
  /** True when a later attempt continued a partial file (HTTP 206). */
  resumed: boolean;
}

const defaultRedact = (u: string) => u.replace(/\?.*$/, '?…');

async function hashFile(path: string): Promise<{ hash: ReturnType<typeof createHash>; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } catch {
    // no partial file yet
  }
  return { hash, bytes };
}

/** A failure that no retry can heal. */
class Final extends Error {
  constructor(readonly error: GaugeError) {
    super(error.message);
  }
}

/** Download one file, resuming a partial one where the server allows (Range → 206), restarting it otherwise. */
export async function downloadVerified(req: DownloadRequest, o: DownloadOptions = {}): Promise<DownloadResult> {
  const retries = o.retries ?? 4;
  const redact = o.redact ?? defaultRedact;
  const part = `${req.dest}.part`;
  await mkdir(dirname(req.dest), { recursive: true });
  let resumed = false;
  let last: GaugeError | undefined;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (o.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The download was cancelled.', { subject: req.dest });
    try {
      const r = await once(req, part, o, redact);
      resumed ||= r.resumed;
      if (req.sha256 && r.sha256 !== req.sha256.toLowerCase()) {
        await rm(part, { force: true });
        last = new GaugeError('DOWNLOAD_HASH_MISMATCH', `${redact(req.url)} gave ${r.bytes} bytes with sha256 ${r.sha256}, not the listed ${req.sha256}. The file was discarded; the server or the list is wrong, or the transfer was corrupted.`, { subject: req.sha256 });
      } else {
        await rename(part, req.dest);
        return { file: req.dest, sha256: r.sha256, bytes: r.bytes, attempts: attempt, resumed };
      }
    } catch (e) {
      if (e instanceof Final) throw e.error;
      if (o.signal?.aborted) throw new GaugeError('INTERRUPTED', 'The download was cancelled.', { subject: req.dest });
      last = e instanceof GaugeError ? e : new GaugeError('DOWNLOAD_FAILED', `${redact(req.url)}: ${(e as Error).message}`, { subject: req.sha256 ?? req.dest, cause: e });
    }
    if (attempt <= retries) await sleep((o.backoffMs ?? 500) * 2 ** (attempt - 1), o.signal).catch(() => undefined);
  }
  if (last?.code === 'DOWNLOAD_HASH_MISMATCH') throw last;
  throw new GaugeError('DOWNLOAD_FAILED', `${last?.message ?? 'download failed'} (after ${retries + 1} attempts). Check the network and the server, then fetch again: finished files are kept and partial ones resume.`, { subject: req.sha256 ?? req.dest, cause: last });
}

async function once(req: DownloadRequest, part: string, o: DownloadOptions, redact: (u: string) => string): Promise<{ sha256: string; bytes: number; resumed: boolean }> {
  let { hash, bytes: have } = await hashFile(part);
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (have > 0) headers.Range = `bytes=${have}-`;
  const res = await fetch(req.url, { headers, signal: o.signal });
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new Final(new GaugeError('SOURCE_AUTH', `${redact(req.url)} refused the credentials (HTTP ${res.status}). Check the API key (config apiKey or its environment variable).`, { subject: req.sha256 }));
  }
  if (res.status === 404) {
    await res.body?.cancel();
    throw new Final(new GaugeError('DOWNLOAD_FAILED', `${redact(req.url)} does not have this file (HTTP 404). The list may be newer or older than the server.`, { subject: req.sha256 }));
  }
  if (res.status === 416) {
    // Our partial file is not a prefix the server can continue: start over.
    await res.body?.cancel();
    await rm(part, { force: true });
    throw new GaugeError('DOWNLOAD_FAILED', `${redact(req.url)} could not resume (HTTP 416); restarting.`, { subject: req.sha256 });
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    throw new GaugeError('DOWNLOAD_FAILED', `${redact(req.url)} answered HTTP ${res.status}.`, { subject: req.sha256 });
  }
  const resumed = res.status === 206 && have > 0;
  if (!resumed) {
    // A 200 to a Range request means the server restarts from byte 0.
    hash = createHash('sha256');
    have = 0;
  }
  const fh = await open(part, resumed ? 'a' : 'w');
  let bytes = have;
  try {
    if (res.body) {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        await fh.write(chunk);
        hash.update(chunk);
        bytes += chunk.length;
        o.onBytes?.(chunk.length);
      }
    }
  } finally {
    await fh.close();
  }
  const expected = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(expected) && bytes - have !== expected) {
    throw new GaugeError('DOWNLOAD_FAILED', `${redact(req.url)} ended after ${bytes - have} of ${expected} bytes; resuming.`, { subject: req.sha256 });
  }
  return { sha256: hash.digest('hex'), bytes, resumed };
}

/** True when a verified file is already in place (its size matches, where known). */
export async function alreadyFetched(dest: string, size?: number): Promise<boolean> {
  try {
    const s = await stat(dest);
    return s.isFile() && (size === undefined || !Number.isFinite(size) || size <= 0 || s.size === size);
  } catch {
    return false;
  }
}
