/**
 * The DLC sniffer (moved here from plugin-formats): containers by their local headers, loose records by their DLC
 * header, and a deflated container opened by the walker whose records pair up again, metadata included.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNIFF_HEAD_BYTES, ZipReader, buildZip, createGauge, extractApp, writeZip, type Gauge } from '@gaugenn/core';
import snpePlugin, { dlcSniffer, parseDlcBytes } from '../src/index.js';
import { missing } from '../../../test-support/fixtures.js';
import { DLC } from './support/fixtures.js';

/** A minimal FlatBuffer: root offset 8, the identifier, then an empty table with its vtable. */
function flatbuffer(ident: string): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(12, 0);
  b.write(ident, 4, 'latin1');
  b.writeUInt16LE(4, 8); // vtable: size 4
  b.writeUInt16LE(4, 10); // object size 4
  b.writeInt32LE(4, 12); // table → vtable at 8
  return b;
}
const record = (ident: string, version = 4) => Buffer.concat([Buffer.from([0xd5, 0x0a, version, 0, 0, 0, 0, 0]), flatbuffer(ident)]);
const sniff = (path: string, bytes: Buffer) => dlcSniffer.sniff({ path, size: bytes.length, head: bytes.subarray(0, SNIFF_HEAD_BYTES) });

describe('dlcSniffer on heads', () => {
  it('a stored container is a model; its records are graph and weights paired by the container path', async () => {
    const zip = await buildZip([
      { name: 'model', data: record('NETD'), method: 'store' },
      { name: 'model.params', data: record('NR64'), method: 'store' },
      { name: 'dlc.metadata', data: Buffer.from('converter-command=snpe-onnx-to-dlc\n'), method: 'store' },
    ]);
    expect(sniff('assets/anything.bin', zip)).toEqual({ framework: 'snpe', kind: 'model', role: 'model' });
    expect(sniff('a.dlc!/model', record('NETD'))).toEqual({ framework: 'snpe', kind: 'model', role: 'graph', group: 'a.dlc' });
    expect(sniff('a.dlc!/model.params', record('NETP', 3))).toEqual({ framework: 'snpe', kind: 'weights', role: 'weights', group: 'a.dlc' });
    expect(sniff('a.dlc!/dlc.metadata', Buffer.from('converter-version=1.42.2.2266\n'))).toEqual({ framework: 'snpe', kind: 'weights', role: 'metadata', group: 'a.dlc' });
  });

  it('needs DLC content, not names: other zips, other flatbuffers and look-alike text are no hit', async () => {
    expect(sniff('a.zip', await buildZip([{ name: 'model', data: Buffer.from('just some data named model'), method: 'store' }]))).toBeUndefined();
    expect(sniff('m.tflite', flatbuffer('TFL3'))).toBeUndefined();
    expect(sniff('x', Buffer.concat([Buffer.from([0xd5, 0x0a, 9, 0, 0, 0, 0, 0]), flatbuffer('NETD')]))).toBeUndefined();
    expect(sniff('notes.txt', Buffer.from('converter-command=ffmpeg -i in.mp4\n'))).toBeUndefined();
  });

  it.skipIf(missing(DLC.v2, DLC.v3, DLC.v3hta, DLC.v4))('every real fixture is a container by its head alone, the HTA one included', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const f of Object.values(DLC)) expect(sniff('res/raw/x', await readFile(f)), f).toEqual({ framework: 'snpe', kind: 'model', role: 'model' });
  });
});

describe('a deflated DLC opened by the walker', () => {
  let tmp: string;
  let gauge: Gauge;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'gaugenn-snpe-sniff-'));
    gauge = await createGauge({ cwd: tmp, builtins: [snpePlugin] });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it.skipIf(missing(DLC.v3))('pairs graph, weights and metadata and parses to the same figures as the whole container', async () => {
    const { readFile } = await import('node:fs/promises');
    const whole = await readFile(DLC.v3);
    const src = await ZipReader.open(new (await import('@gaugenn/core')).BufferByteSource(whole));
    const members: { name: string; data: Buffer; method: 'deflate' }[] = [];
    for (const name of ['model', 'model.params', 'dlc.metadata']) {
      const parts: Buffer[] = [];
      for await (const c of src.chunks(src.getEntry(name)!)) parts.push(c);
      members.push({ name, data: Buffer.concat(parts), method: 'deflate' });
    }
    // Deflated, the 42 KB graph record hides the later local headers from the sniffer: the walker must open it.
    const apk = join(tmp, 'a.apk');
    await writeZip(apk, [{ name: 'assets/enh.dlc', data: await buildZip(members), method: 'store' }]);
    const app = await extractApp({ id: apk, files: [apk], source: 'files' }, { sniffers: gauge.sniffers, scanners: gauge.scanners, modelCacheDir: join(tmp, 'cache'), workDir: join(tmp, 'work') });
    expect(app.models.map((m) => m.path)).toEqual(['assets/enh.dlc!/model']);
    expect(app.models[0]!.files.map((f) => [f.entry, f.role])).toEqual([
      ['assets/enh.dlc!/model', 'graph'],
      ['assets/enh.dlc!/model.params', 'weights'],
      ['assets/enh.dlc!/dlc.metadata', 'metadata'],
    ]);
    const g = await gauge.parse({ framework: 'snpe', files: app.models[0]!.files });
    const ref = await parseDlcBytes(whole);
    expect(g.formatVersion).toBe('DLC v3, SNPE 1.37.0');
    expect(g.totals).toEqual(ref.totals);
    expect(g.layers.map((l) => l.weights.map((w) => w.digest))).toEqual(ref.layers.map((l) => l.weights.map((w) => w.digest)));
  });
});
