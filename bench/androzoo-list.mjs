/**
 * Sources at study scale, two figures side by side:
 * 1. AndroZoo list filtering: gaugeNN's streaming reader (gunzip → lines → quote-aware split → package filter +
 *    latest version per package) against `zcat | awk` doing only the package filter (a cheaper job, so the ratio
 *    flatters the baseline), on the same generated list in AndroZoo's columns. Rows/s and gaugeNN's peak RSS.
 * 2. Download concurrency: the same 40 files from a loopback server with a fixed per-request latency, fetched by
 *    core's verified downloader one at a time and 8 at a time.
 * Run after `npm ci`:  node bench/androzoo-list.mjs [--rows 2000000] [--packages 1000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { downloadVerified, mapLimit } from '@gaugenn/core';

const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? Number(process.argv[i + 1]) : d; };
const ROWS = arg('rows', 2_000_000);
const PKGS = arg('packages', 1000);
const dir = join(tmpdir(), 'gaugenn-bench-androzoo');
const list = join(dir, `latest-${ROWS}.csv.gz`);

// ---- the list -----------------------------------------------------------------------------------------------
if (!existsSync(list)) {
  execFileSync('mkdir', ['-p', dir]);
  process.stderr.write(`generating ${ROWS} rows → ${list}\n`);
  const gz = createGzip({ level: 6 });
  const out = createWriteStream(list);
  gz.pipe(out);
  gz.write('sha256,sha1,md5,dex_date,apk_size,pkg_name,vercode,vt_detection,vt_scan_date,dex_size,markets\n');
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    const h = createHash('sha256').update(String(i)).digest('hex').toUpperCase();
    // ~ROWS/4 packages with several versions each, like the real list.
    const pkg = `com.vendor${i % 997}.app${(i * 7919) % Math.max(1, ROWS >> 2)}`;
    const y = 2012 + (i % 13);
    buf += `${h},${h.slice(0, 40)},${h.slice(0, 32)},${y}-0${1 + (i % 9)}-1${i % 10} 12:00:00,${1e5 + (i % 5e7)},"${pkg}",${1 + (i % 40)},${i % 3},${y}-01-01 00:00:00,${5e4 + (i % 1e6)},${i % 5 ? 'play.google.com' : 'anzhi|appchina'}\n`;
    if (buf.length > 1 << 20) { if (!gz.write(buf)) await new Promise((r) => gz.once('drain', r)); buf = ''; }
  }
  gz.end(buf);
  await new Promise((r) => out.on('close', r));
}
const pkgs = Array.from({ length: PKGS }, (_, k) => { const i = k * Math.floor(ROWS / PKGS); return `com.vendor${i % 997}.app${(i * 7919) % Math.max(1, ROWS >> 2)}`; });
const pkFile = join(dir, 'packages.txt');
writeFileSync(pkFile, pkgs.map((p) => `"${p}"`).join('\n') + '\n');

// gaugeNN, in a child so its peak RSS is its own.
const child = `
  const { selectFromList } = await import('@gaugenn/plugin-android');
  const t = performance.now();
  const r = await selectFromList(${JSON.stringify(list)}, { packages: new Set(${JSON.stringify(pkgs)}), latestPerPackage: true });
  console.log(JSON.stringify({ s: (performance.now() - t) / 1000, kept: r.rows.length, scanned: r.scanned, rssMiB: process.resourceUsage().maxRSS / 1024 }));
`;
const ours = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child], { cwd: join(import.meta.dirname, '..', 'packages', 'plugin-android') }).toString());
const t0 = performance.now();
const awk = spawnSync('sh', ['-c', `zcat ${list} | awk -F, 'NR==FNR{p[$1];next} FNR>1 && ($6 in p){n++} END{print n+0}' ${pkFile} -`]);
const awkS = (performance.now() - t0) / 1000;
const awkKept = Number(awk.stdout.toString().trim());
console.log(`\nAndroZoo list: ${ROWS.toLocaleString()} rows, filter on ${PKGS} packages`);
console.log('| job | gaugeNN (filter + latest per package) | zcat \\| awk (filter only) | ratio |');
console.log('|---|---|---|---|');
console.log(`| rows/s | ${(ours.scanned / ours.s / 1e6).toFixed(2)} M (${ours.s.toFixed(2)} s, ${ours.kept} kept, peak RSS ${ours.rssMiB.toFixed(0)} MiB) | ${(ROWS / awkS / 1e6).toFixed(2)} M (${awkS.toFixed(2)} s, ${awkKept} rows matched) | ${(awkS / ours.s).toFixed(2)}× |`);

// ---- downloads ------------------------------------------------------------------------------------------------
const FILES = 40;
const SIZE = 1 << 20;
const LATENCY = 60;
const blobs = Array.from({ length: FILES }, (_, i) => Buffer.alloc(SIZE, i));
const server = createServer((req, res) => {
  const i = Number(new URL(req.url, 'http://x').searchParams.get('i'));
  setTimeout(() => { res.writeHead(200, { 'content-length': SIZE }); res.end(blobs[i]); }, LATENCY);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const time = async (lanes) => {
  const d = mkdtempSync(join(tmpdir(), 'gaugenn-dl-'));
  const t = performance.now();
  await mapLimit(blobs, lanes, (b, i) => downloadVerified({ url: `${base}/?i=${i}`, dest: join(d, `${i}.apk`), sha256: createHash('sha256').update(b).digest('hex') }));
  const s = (performance.now() - t) / 1000;
  rmSync(d, { recursive: true, force: true });
  return s;
};
const one = await time(1);
const eight = await time(8);
server.close();
console.log(`\nDownloads: ${FILES} × 1 MiB from a loopback server with ${LATENCY} ms latency per request, sha256-verified`);
console.log('| concurrency | wall | files/s | ratio |');
console.log('|---|---|---|---|');
console.log(`| 1 | ${one.toFixed(2)} s | ${(FILES / one).toFixed(1)} | 1.00× |`);
console.log(`| 8 | ${eight.toFixed(2)} s | ${(FILES / eight).toFixed(1)} | ${(one / eight).toFixed(2)}× |`);
