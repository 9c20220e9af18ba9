/**
 * A loopback STAND-IN of AndroZoo's HTTP API for tests (not AndroZoo itself): it serves a gzipped list in
 * AndroZoo's columns at `/static/lists/latest.csv.gz`, and APKs by sha256 at `/api/download?apikey=KEY&sha256=SHA`
 * behind an API key, with HTTP Range support. A test can make one file's bytes wrong, drop a connection mid-file
 * once, or turn Range off, and reads back what was requested and how many downloads ran at once.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface StandInApk {
  pkg: string;
  vercode: number;
  dexDate: string;
  bytes: Buffer;
  markets?: string;
}

export interface AndroZooStandIn {
  url: string;
  listCsv: string;
  sha: (a: StandInApk) => string;
  /** Serve these bytes instead of the real ones for a sha256 (a corrupt mirror). */
  corrupt: Set<string>;
  /** Cut the connection after half the bytes, once, for these sha256s. */
  dropOnce: Set<string>;
  /** Answer Range requests with the whole file (200), as some servers do. */
  noRange: boolean;
  /** Per-request delay (ms), to make concurrency visible. */
  delayMs: number;
  requests: { sha256: string; range?: string; status: number }[];
  maxConcurrent: number;
  close(): Promise<void>;
}

const HEADER = 'sha256,sha1,md5,dex_date,apk_size,pkg_name,vercode,vt_detection,vt_scan_date,dex_size,markets';

export async function startAndroZooStandIn(apks: StandInApk[], apiKey: string): Promise<AndroZooStandIn> {
  const sha = (a: StandInApk) => createHash('sha256').update(a.bytes).digest('hex');
  const bySha = new Map(apks.map((a) => [sha(a), a]));
  // AndroZoo quotes pkg_name; markets are '|'-separated.
  const listCsv = [HEADER, ...apks.map((a) => {
    const h = sha(a);
    return [h.toUpperCase(), createHash('sha1').update(a.bytes).digest('hex').toUpperCase(), createHash('md5').update(a.bytes).digest('hex').toUpperCase(),
      a.dexDate, a.bytes.length, `"${a.pkg}"`, a.vercode, 0, '2024-01-01 00:00:00', 1000, a.markets ?? 'play.google.com'].join(',');
  })].join('\n') + '\n';
  const list = gzipSync(listCsv);
  let active = 0;
  const s: AndroZooStandIn = {
    url: '', listCsv, sha, corrupt: new Set(), dropOnce: new Set(), noRange: false, delayMs: 0, requests: [], maxConcurrent: 0,
    close: () => new Promise((r) => server.close(() => r())),
  };
  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/static/lists/latest.csv.gz') {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': list.length });
      return res.end(list);
    }
    if (u.pathname !== '/api/download') { res.writeHead(404); return res.end(); }
    const h = (u.searchParams.get('sha256') ?? '').toLowerCase();
    if (u.searchParams.get('apikey') !== apiKey) {
      s.requests.push({ sha256: h, status: 401 });
      res.writeHead(401); return res.end('Unauthorized');
    }
    const apk = bySha.get(h);
    if (!apk) { s.requests.push({ sha256: h, status: 404 }); res.writeHead(404); return res.end(); }
    active++;
    s.maxConcurrent = Math.max(s.maxConcurrent, active);
    res.on('close', () => { active--; });
    if (s.delayMs) await new Promise((r) => setTimeout(r, s.delayMs));
    let body = s.corrupt.has(h) ? Buffer.from(apk.bytes.map((b) => b ^ 0xff)) : apk.bytes;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let status = 200;
    if (range && !s.noRange) {
      const from = Number(range[1]);
      status = 206;
      res.writeHead(206, { 'content-length': body.length - from, 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` });
      body = body.subarray(from);
    } else {
      res.writeHead(200, { 'content-length': body.length, 'accept-ranges': s.noRange ? 'none' : 'bytes' });
    }
    s.requests.push({ sha256: h, range: req.headers.range, status });
    if (s.dropOnce.has(h)) {
      s.dropOnce.delete(h);
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return s;
}
