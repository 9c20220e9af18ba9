/**
 * Opening a DLC: a zip (every DLC seen is one, ZIP64 headers, members stored) whose members are `model` (the
 * graph), `model.params` (weights), `dlc.metadata` (converter facts) and, for HTA-enabled DLCs, `aip.metadata*`.
 * Members are read with core's zip reader under tight limits, since DLCs come out of untrusted apps. Stored
 * members are read in place without the CRC check: newer QAIRT releases reportedly write zero CRCs.
 */
import { BufferByteSource, FileByteSource, GaugeError, ZipReader, ZIP_METHOD, type ByteSource, type ZipEntry } from '@gaugenn/core';
import { dlcError, malformed } from './errors.js';

/** Largest record gaugeNN reads (graph or weights); larger claims are refused as hostile. */
export const MAX_RECORD_BYTES = 2 * 1024 ** 3;
/** Largest `dlc.metadata` read. */
const MAX_METADATA_BYTES = 1024 ** 2;

export interface DlcMembers {
  /** Member names in the container, as listed. */
  names: string[];
  model?: Uint8Array;
  params?: Uint8Array;
  metadata?: string;
  /** The metadata member's name (`dlc.metadata`, or a newer `dlc.metadata2.x.y`). */
  metadataName?: string;
}

async function readStored(src: ByteSource, zip: ZipReader, e: ZipEntry, max: number, subject: string): Promise<Buffer> {
  if (e.uncompressedSize > max) {
    throw dlcError('LIMIT_EXCEEDED', `DLC member ${e.name} claims ${e.uncompressedSize} bytes, more than the ${max}-byte limit for one record; the file is hostile or not a DLC gaugeNN can read.`, subject);
  }
  if (e.method === ZIP_METHOD.STORE) {
    const r = await zip.dataRange(e);
    const b = await src.read(r.offset, r.length);
    if (b.length < r.length) throw malformed(`DLC member ${e.name} is cut short (${b.length} of ${r.length} bytes)`, subject);
    return b;
  }
  const parts: Buffer[] = [];
  for await (const c of zip.chunks(e, { whole: true })) parts.push(c);
  return Buffer.concat(parts);
}

/** Read the members of a DLC container held in `bytes` (or read from `path`). */
export async function readDlcMembers(input: { bytes?: Buffer; path?: string }, subject: string): Promise<DlcMembers> {
  let src: ByteSource;
  if (input.bytes) src = new BufferByteSource(input.bytes);
  else {
    src = await FileByteSource.open(input.path!).catch((e: NodeJS.ErrnoException) => {
      throw dlcError('INPUT_NOT_FOUND', `Cannot read the DLC ${input.path}: ${e.message}. Re-run the extract stage.`, subject, e);
    });
  }
  try {
    let zip: ZipReader;
    try {
      zip = await ZipReader.open(src, { limits: { maxEntryBytes: MAX_RECORD_BYTES, maxTotalBytes: 3 * MAX_RECORD_BYTES, maxEntries: 64 } });
    } catch (e) {
      throw malformed(`The DLC container is not a readable zip (${(e as Error).message})`, subject, e);
    }
    const names = zip.entries.map((e) => e.name);
    const find = (pred: (n: string) => boolean) => zip.entries.find((e) => !e.isDirectory && pred(e.name));
    const model = find((n) => n === 'model');
    // `model.params` and the reported QAIRT 2.4x `model.params.bin`.
    const params = find((n) => n === 'model.params') ?? find((n) => n.startsWith('model.params'));
    const meta = find((n) => n === 'dlc.metadata') ?? find((n) => n.startsWith('dlc.metadata') && !n.includes('history'));
    if (!model && !params) {
      throw dlcError('MODEL_MALFORMED', `The DLC container has no \`model\` record (members: ${names.join(', ') || 'none'}); SNPE calls this "Incomplete DLC is missing mandatory record: model". Re-convert the source model.`, subject);
    }
    const out: DlcMembers = { names };
    try {
      if (model) out.model = await readStored(src, zip, model, MAX_RECORD_BYTES, subject);
      if (params) out.params = await readStored(src, zip, params, MAX_RECORD_BYTES, subject);
      if (meta) {
        out.metadata = (await readStored(src, zip, meta, MAX_METADATA_BYTES, subject)).toString('utf8');
        out.metadataName = meta.name;
      }
    } catch (e) {
      if (e instanceof GaugeError && e.plugin === 'snpe') throw e;
      if (e instanceof GaugeError && e.code === 'ARCHIVE_BOMB') throw dlcError('ARCHIVE_BOMB', `A DLC member expands beyond the safety limits (${e.message}); the file is hostile.`, subject, e);
      throw malformed(`A DLC member could not be read (${(e as Error).message})`, subject, e);
    }
    return out;
  } finally {
    await src.close();
  }
}
