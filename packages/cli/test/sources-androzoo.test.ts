/**
 * `gaugenn sources fetch|status` and `gaugenn run` with an `androzoo` source, against a loopback stand-in of
 * AndroZoo's API (gzipped list in its columns, APKs by sha256 behind a key). The APKs are real zip files with binary
 * manifests written at test time, one of them carrying a production MediaPipe model from npm.
 */
import { buildZip } from '@gaugenn/core';
import { writeManifest } from '@gaugenn/plugin-android';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAndroZooStandIn, type AndroZooStandIn, type StandInApk } from '../../../test-support/androzoo-standin.js';
import { packageDir } from '../../../test-support/fixtures.js';
import { gaugenn } from './cli.js';

const KEY = 'test-key-6f1d2c';
const faceDir = packageDir('@mediapipe/face_detection');
const model = faceDir ? readFileSync(join(faceDir, 'face_detection_short_range.tflite')) : Buffer.alloc(0);

async function apk(pkg: string, vercode: number, withModel = false): Promise<Buffer> {
  // Padding makes each file big enough that a dropped connection really cuts it mid-way.
  const pad = Buffer.alloc(400_000, vercode);
  return buildZip([
    { name: 'AndroidManifest.xml', data: writeManifest({ package: pkg, versionCode: vercode, versionName: `${vercode}.0`, minSdk: 24, targetSdk: 34 }), method: 'deflate' },
    { name: 'assets/pad.bin', data: pad, method: 'store' },
    ...(withModel ? [{ name: 'assets/face.tflite', data: model, method: 'store' as const }] : []),
  ]);
}

let standIn: AndroZooStandIn;
let apks: Record<string, StandInApk>;

beforeAll(async () => {
  apks = {
    alpha1: { pkg: 'com.example.alpha', vercode: 1, dexDate: '2023-01-10 10:00:00', bytes: await apk('com.example.alpha', 1) },
    alpha2: { pkg: 'com.example.alpha', vercode: 2, dexDate: '2024-03-01 09:00:00', bytes: await apk('com.example.alpha', 2, true) },
    beta: { pkg: 'com.example.beta', vercode: 5, dexDate: '2024-02-01 09:00:00', bytes: await apk('com.example.beta', 5) },
    gamma: { pkg: 'com.example.gamma', vercode: 1, dexDate: '2024-02-01 09:00:00', bytes: await apk('com.example.gamma', 1) },
  };
  standIn = await startAndroZooStandIn(Object.values(apks), KEY);
});
afterAll(() => standIn?.close());

function project(extra = ''): { cwd: string; dest: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-androzoo-'));
  const dest = join(cwd, 'apks');
  writeFileSync(join(cwd, 'gaugenn.config.yaml'), [
    'sources:',
    `  - { type: androzoo, url: "${standIn.url}", packages: [com.example.alpha, com.example.beta], latestPerPackage: true, snapshot: "2026-12", category: TOOLS, dest: ./apks, retries: 2 }`,
    'bench: { warmup: 1, runs: 3 }',
    extra,
  ].join('\n'));
  return { cwd, dest };
}

describe('androzoo source through a loopback stand-in of AndroZoo', () => {
  it.skipIf(!faceDir && 'needs @mediapipe/face_detection (npm ci)')('fetches exactly the latest version of each listed package, verified; a wrong file never lands; a dropped file resumes; a second fetch downloads nothing', async () => {
    const { cwd, dest } = project();
    const alpha2 = standIn.sha(apks.alpha2!);
    const beta = standIn.sha(apks.beta!);
    standIn.dropOnce.add(alpha2);
    standIn.corrupt.add(beta);
    const before = standIn.requests.length;
    const r = await gaugenn(['sources', 'fetch', '--json'], { cwd, env: { ANDROZOO_API_KEY: KEY } });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.fetched).toEqual([{ sha256: alpha2, package: 'com.example.alpha', versionCode: 2, file: join(dest, `${alpha2}.apk`) }]);
    expect(j.failed).toHaveLength(1);
    expect(j.failed[0]).toMatchObject({ sha256: beta, code: 'DOWNLOAD_HASH_MISMATCH' });
    // The wrong bytes never reached the folder apps are listed from (no file, no partial left).
    expect(readdirSync(dest).filter((n) => !n.startsWith('.'))).toEqual([`${alpha2}.apk`]);
    expect(readFileSync(join(dest, `${alpha2}.apk`)).equals(apks.alpha2!.bytes)).toBe(true);
    // alpha v1 and gamma were never asked for; alpha v2 was cut once and resumed with a Range request (206).
    const reqs = standIn.requests.slice(before);
    expect(reqs.some((q) => q.sha256 === standIn.sha(apks.alpha1!) || q.sha256 === standIn.sha(apks.gamma!))).toBe(false);
    const alphaReqs = reqs.filter((q) => q.sha256 === alpha2);
    expect(alphaReqs.map((q) => q.status)).toEqual([200, 206]);
    expect(alphaReqs[1]!.range).toMatch(/^bytes=\d+-$/);
    // The key is never printed.
    expect(r.stdout + r.stderr).not.toContain(KEY);

    // status: listed 2, fetched 1, the failure remembered.
    const st = JSON.parse((await gaugenn(['sources', 'status', '--json'], { cwd })).stdout);
    expect(st.sources[0]).toMatchObject({ source: 'androzoo', listed: 2, fetched: 1, verified: 1, missing: 1 });
    expect(st.sources[0].failed[0]).toMatchObject({ sha256: beta, code: 'DOWNLOAD_HASH_MISMATCH' });

    // The mirror is fixed: the next fetch gets beta only; the one after downloads nothing at all.
    standIn.corrupt.delete(beta);
    const second = JSON.parse((await gaugenn(['sources', 'fetch', '--json'], { cwd, env: { ANDROZOO_API_KEY: KEY } })).stdout);
    expect(second.fetched.map((f: any) => f.package)).toEqual(['com.example.beta']);
    expect(second.skipped.map((f: any) => f.package)).toEqual(['com.example.alpha']);
    const n = standIn.requests.length;
    const third = JSON.parse((await gaugenn(['sources', 'fetch', '--json'], { cwd, env: { ANDROZOO_API_KEY: KEY } })).stdout);
    expect(third.fetched).toEqual([]);
    expect(third.skipped).toHaveLength(2);
    expect(standIn.requests.length).toBe(n);
  });

  it('a wrong key fails fast with SOURCE_AUTH, exit ≠ 0, one JSON document, and nothing downloaded', async () => {
    const { cwd, dest } = project();
    const before = standIn.requests.length;
    const r = await gaugenn(['sources', 'fetch', '--json'], { cwd, env: { ANDROZOO_API_KEY: 'wrong-key' } });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('SOURCE_AUTH');
    // Fail fast: no retries of a refused key, at most one request per download lane.
    expect(standIn.requests.length - before).toBeLessThanOrEqual(2);
    expect(existsSync(dest) ? readdirSync(dest).filter((x) => x.endsWith('.apk')) : []).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain('wrong-key');
  });

  it.skipIf(!faceDir && 'needs @mediapipe/face_detection (npm ci)')('gaugenn run fetches, then records every fetched app with its package, snapshot and category', async () => {
    const { cwd } = project('devices: [{ kind: host }]');
    const r = await gaugenn(['run', '--json'], { cwd, env: { ANDROZOO_API_KEY: KEY } });
    expect(r.exitCode, r.stderr).toBe(0);
    const db = new Database(join(cwd, 'gaugenn.db'), { readonly: true });
    const rows = db.prepare('SELECT package, version_code, snapshot, category, source FROM apps ORDER BY package').all();
    expect(rows).toEqual([
      { package: 'com.example.alpha', version_code: 2, snapshot: '2026-12', category: 'TOOLS', source: 'androzoo' },
      { package: 'com.example.beta', version_code: 5, snapshot: '2026-12', category: 'TOOLS', source: 'androzoo' },
    ]);
    // alpha v2 carries the face detector: found, analysed.
    expect((db.prepare('SELECT COUNT(*) AS n FROM models WHERE analysed_at IS NOT NULL').get() as { n: number }).n).toBe(1);
    db.close();
    // The key is stored nowhere in the store.
    expect(readFileSync(join(cwd, 'gaugenn.db')).includes(KEY)).toBe(false);
  });
});

describe('list source', () => {
  it('takes a CSV of local files and URLs with snapshot and category; a malformed list is LIST_MALFORMED', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gaugenn-list-'));
    writeFileSync(join(cwd, 'gamma.apk'), apks.gamma!.bytes);
    const betaSha = standIn.sha(apks.beta!);
    writeFileSync(join(cwd, 'apps.csv'), [
      'package,file,url,sha256,snapshot,category,version',
      'com.example.gamma,gamma.apk,,,2025-01,GAMES,1',
      `com.example.beta,,"${standIn.url}/api/download?apikey=${KEY}&sha256=${betaSha}",${betaSha},2026-01,TOOLS,5`,
    ].join('\n'));
    writeFileSync(join(cwd, 'gaugenn.config.yaml'), 'sources:\n  - { type: list, path: ./apps.csv, dest: ./dl }\n');
    const f = await gaugenn(['sources', 'fetch', '--json'], { cwd });
    expect(f.exitCode, f.stderr).toBe(0);
    const j = JSON.parse(f.stdout);
    expect(j.fetched).toEqual([{ sha256: betaSha, package: 'com.example.beta', versionCode: 5, file: join(cwd, 'dl', `${betaSha}.apk`) }]);
    expect(j.skipped.map((s: any) => s.package)).toEqual(['com.example.gamma']);
    const x = await gaugenn(['run', '--json', '--store', join(cwd, 'g.db')], { cwd });
    expect(x.exitCode, x.stderr).toBe(0);
    const db = new Database(join(cwd, 'g.db'), { readonly: true });
    expect(db.prepare('SELECT package, snapshot, category FROM apps ORDER BY package').all()).toEqual([
      { package: 'com.example.beta', snapshot: '2026-01', category: 'TOOLS' },
      { package: 'com.example.gamma', snapshot: '2025-01', category: 'GAMES' },
    ]);
    db.close();

    writeFileSync(join(cwd, 'bad.csv'), 'package,version\ncom.x,1\n');
    writeFileSync(join(cwd, 'gaugenn.config.yaml'), 'sources:\n  - { type: list, path: ./bad.csv }\n');
    const bad = await gaugenn(['sources', 'status', '--json'], { cwd });
    expect(bad.exitCode).not.toBe(0);
    expect(JSON.parse(bad.stdout).error.code).toBe('LIST_MALFORMED');
  });
});
