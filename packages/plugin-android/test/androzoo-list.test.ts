import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { selectFromList } from '../src/source/androzoo/list-reader.js';

const HEADER = 'sha256,sha1,md5,dex_date,apk_size,pkg_name,vercode,vt_detection,vt_scan_date,dex_size,markets';
const sha = (n: number) => n.toString(16).padStart(64, 'A');
// Rows as AndroZoo writes them: upper-case hashes, quoted package names, '|'-separated markets.
const ROWS = [
  [sha(1), 's', 'm', '2019-05-01 10:00:00', 1000, '"com.a"', 10, 0, '', 1, 'play.google.com'],
  [sha(2), 's', 'm', '2021-06-01 10:00:00', 2000, '"com.a"', 12, 0, '', 1, 'play.google.com|anzhi'],
  [sha(3), 's', 'm', '2021-06-02 10:00:00', 3000, '"com.a"', 12, 0, '', 1, 'anzhi'],
  [sha(4), 's', 'm', '2020-01-01 10:00:00', 50_000_000, '"com.b"', 3, 2, '', 1, 'play.google.com'],
  [sha(5), 's', 'm', '2022-01-01 10:00:00', 500, '"com.c,with-comma"', 1, 0, '', 1, 'appchina'],
].map((r) => r.join(','));

function list(gz: boolean, rows = ROWS): string {
  const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-az-')), gz ? 'latest.csv.gz' : 'latest.csv');
  const text = [HEADER, ...rows].join('\n') + '\n';
  writeFileSync(p, gz ? gzipSync(text) : text);
  return p;
}

describe('AndroZoo list reader', () => {
  it('reads gzipped and plain lists, quoted names with commas, and filters by package, market, date and size', async () => {
    for (const gz of [true, false]) {
      const all = await selectFromList(list(gz), {});
      expect(all.scanned).toBe(5);
      expect(all.rows.map((r) => r.pkgName)).toEqual(['com.a', 'com.a', 'com.a', 'com.b', 'com.c,with-comma']);
      expect(all.rows[0]).toMatchObject({ sha256: sha(1).toLowerCase(), vercode: 10, apkSize: 1000, markets: ['play.google.com'] });
    }
    const p = list(true);
    expect((await selectFromList(p, { packages: new Set(['com.b']) })).rows.map((r) => r.vercode)).toEqual([3]);
    expect((await selectFromList(p, { markets: ['anzhi'] })).rows.map((r) => r.sha256.slice(-1))).toEqual(['2', '3']);
    expect((await selectFromList(p, { since: '2020-01-01', until: '2021-06-01 23:59:59' })).rows.map((r) => r.sha256.slice(-1))).toEqual(['2', '4']);
    expect((await selectFromList(p, { maxSize: 10_000_000, minSize: 1500 })).rows.map((r) => r.sha256.slice(-1))).toEqual(['2', '3']);
    expect((await selectFromList(p, { limit: 2 })).rows).toHaveLength(2);
  });

  it('keeps the latest version per package (highest vercode, then the later dex date)', async () => {
    const r = await selectFromList(list(true), { latestPerPackage: true, markets: ['play.google.com', 'anzhi'] });
    expect(r.rows.map((x) => [x.pkgName, x.vercode, x.sha256.slice(-1)])).toEqual([['com.a', 12, '3'], ['com.b', 3, '4']]);
  });

  it('rejects a file that is not an AndroZoo list, a bad hash and a corrupt gzip with LIST_MALFORMED', async () => {
    const p = join(mkdtempSync(join(tmpdir(), 'gaugenn-az-')), 'x.csv');
    writeFileSync(p, 'package,file\ncom.x,a.apk\n');
    await expect(selectFromList(p, {})).rejects.toMatchObject({ code: 'LIST_MALFORMED', message: expect.stringContaining('pkg_name') });
    await expect(selectFromList(list(false, ['nothex,s,m,2020-01-01,1,"x",1,0,,1,play'] as string[]), {})).rejects.toMatchObject({ code: 'LIST_MALFORMED' });
    const gz = gzipSync([HEADER, ...ROWS].join('\n'));
    const cut = join(mkdtempSync(join(tmpdir(), 'gaugenn-az-')), 'cut.csv.gz');
    writeFileSync(cut, Buffer.concat([gz.subarray(0, 40), Buffer.alloc(40, 0x55)]));
    await expect(selectFromList(cut, {})).rejects.toMatchObject({ code: 'LIST_MALFORMED' });
  });
});
