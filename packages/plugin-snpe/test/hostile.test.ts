/**
 * Hostile DLCs: truncated, wrong offsets, absurd sizes, a zip bomb. Each is a typed GaugeError with a message that
 * says what is wrong, never a crash, a hang or an unbounded allocation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BufferByteSource, GaugeError, ZipReader, buildZip } from '@gaugenn/core';
import { missing } from '../../../test-support/fixtures.js';
import { parseDlcBytes, readDlcRecords } from '../src/index.js';
import { DLC } from './support/fixtures.js';

async function members(path: string): Promise<Record<string, Buffer>> {
  const z = await ZipReader.open(new BufferByteSource(readFileSync(path)));
  const out: Record<string, Buffer> = {};
  for (const e of z.entries) {
    const parts: Buffer[] = [];
    for await (const c of z.chunks(e)) parts.push(c);
    out[e.name] = Buffer.concat(parts);
  }
  return out;
}
const zip = (m: Record<string, Buffer>, method: 'store' | 'deflate' = 'store') => buildZip(Object.entries(m).map(([name, data]) => ({ name, data, method })));
async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'ok';
  } catch (e) {
    if (!(e instanceof GaugeError)) throw e;
    expect(e.message.length).toBeGreaterThan(20);
    return e.code;
  }
}

describe('hostile DLCs', () => {
  it.skipIf(missing(DLC.v3, DLC.v4))('truncated containers and records', async () => {
    const whole = readFileSync(DLC.v4);
    for (const cut of [10, 100, 1000, whole.length >> 1, whole.length - 30]) expect(await code(parseDlcBytes(whole.subarray(0, cut))), `cut at ${cut}`).toBe('MODEL_MALFORMED');
    const m = await members(DLC.v3);
    for (const cut of [9, 17, 400, m.model!.length >> 1]) expect(await code(() => readDlcRecords(m.model!.subarray(0, cut), undefined)), `model cut at ${cut}`).toMatch(/MODEL_MALFORMED|MODEL_UNSUPPORTED/);
    expect(await code(parseDlcBytes(await zip({ ...m, 'model.params': m['model.params']!.subarray(0, 5000) })))).toBe('MODEL_MALFORMED');
  });

  it.skipIf(missing(DLC.v3, DLC.v4))('wrong offsets: root, vtable and vector offsets pointing outside the record', async () => {
    for (const f of [DLC.v3, DLC.v4]) {
      const m = await members(f);
      const rootPast = Buffer.from(m.model!);
      rootPast.writeUInt32LE(0x7ffffff0, 8);
      expect(await code(() => readDlcRecords(rootPast, undefined))).toBe('MODEL_MALFORMED');
      const badVtable = Buffer.from(m.model!);
      const root = 8 + badVtable.readUInt32LE(8);
      badVtable.writeInt32LE(-0x10000000, root);
      expect(await code(() => readDlcRecords(badVtable, undefined))).toBe('MODEL_MALFORMED');
    }
    // No `model` record at all (SNPE's own error 311).
    const m = await members(DLC.v3);
    expect(await code(parseDlcBytes(await zip({ 'dlc.metadata': m['dlc.metadata']! })))).toBe('MODEL_MALFORMED');
    // A record of an unknown generation.
    const v9 = Buffer.from(m.model!);
    v9[2] = 9;
    expect(await code(parseDlcBytes(await zip({ ...m, model: v9 })))).toBe('MODEL_UNSUPPORTED');
  });

  it.skipIf(missing(DLC.v2, DLC.v4))('absurd sizes: vector lengths, shapes, a varint length, a member claiming gigabytes', async () => {
    const m4 = await members(DLC.v4);
    // The graphs vector of the v4 root claims 2^31 entries.
    const hugeVec = Buffer.from(m4.model!);
    const body = 8;
    const root = body + hugeVec.readUInt32LE(body);
    const vt = root - hugeVec.readInt32LE(root);
    const graphsField = root + hugeVec.readUInt16LE(vt + 4);
    const vec = graphsField + hugeVec.readUInt32LE(graphsField);
    hugeVec.writeUInt32LE(0x80000000, vec);
    expect(await code(() => readDlcRecords(hugeVec, undefined))).toBe('MODEL_MALFORMED');
    // v2: the first layer message claims a length past the record.
    const m2 = await members(DLC.v2);
    const v2 = Buffer.from(m2.model!);
    v2[9] = 0xff; // the length varint of field 1 now continues into the next bytes: a multi-megabyte claim
    v2[10] = 0xff;
    v2[11] = 0x7f;
    expect(await code(() => readDlcRecords(v2, undefined))).toBe('MODEL_MALFORMED');
    // A member whose central-directory entry claims 3 GiB: refused before any read.
    const z = await zip(m4);
    const cd = z.lastIndexOf(Buffer.from('PK\x01\x02'));
    // Find the central entry of `model` and patch its uncompressed size (offset 24) to 3 GiB (no ZIP64 written here).
    let p = z.indexOf(Buffer.from('PK\x01\x02'));
    for (; p >= 0 && p <= cd; p = z.indexOf(Buffer.from('PK\x01\x02'), p + 4)) {
      const nameLen = z.readUInt16LE(p + 28);
      if (z.subarray(p + 46, p + 46 + nameLen).toString() === 'model') {
        z.writeUInt32LE(3 * 1024 ** 3, p + 24);
        z.writeUInt32LE(3 * 1024 ** 3, p + 20);
      }
    }
    expect(await code(parseDlcBytes(z))).toMatch(/LIMIT_EXCEEDED|MODEL_MALFORMED|ARCHIVE_BOMB/);
  });

  it.skipIf(missing(DLC.v4))('a zip bomb: 64 MiB of zeros deflated to ~64 KiB as model.params is cut off by the ratio limit', async () => {
    const m = await members(DLC.v4);
    const bomb = await zip({ model: m.model!, 'model.params': Buffer.alloc(64 * 1024 ** 2), 'dlc.metadata': m['dlc.metadata']! }, 'deflate');
    expect(bomb.length).toBeLessThan(1024 ** 2);
    expect(await code(parseDlcBytes(bomb))).toBe('ARCHIVE_BOMB');
  });
});
