/**
 * Parse a DLC into the IR: the container (or its loose `model` / `model.params` records, when the walker opened a
 * deflated container), the record header's generation, then the matching reader.
 */
import { readFile } from 'node:fs/promises';
import { GaugeError, sha256, type ModelArtifact, type ModelFile, type ModelGraph } from '@gaugenn/core';
import { FlatBufferError } from '../flatbuffer/table.js';
import { buildGraph } from './build-graph.js';
import { readDlcMembers, MAX_RECORD_BYTES } from './container.js';
import type { DlcModel } from './dlc-model.js';
import { dlcError, malformed } from './errors.js';
import { parseDlcMetadata } from './metadata.js';
import { recordHeader } from './record-header.js';
import { readV2 } from './read-v2.js';
import { readV3 } from './read-v3.js';
import { readV4 } from './read-v4.js';
import { WireError } from './wire.js';

/** Read the `model` record (and its `model.params`) into a {@link DlcModel}. Throws typed GaugeErrors only. */
export function readDlcRecords(model: Uint8Array | undefined, params: Uint8Array | undefined, subject?: string): DlcModel {
  if (!model) throw dlcError('MODEL_MALFORMED', 'The DLC has no `model` record (only weights): analyse the whole .dlc container instead.', subject);
  const h = recordHeader(model);
  if (!h) throw dlcError('MODEL_UNSUPPORTED', `The DLC model record starts ${Buffer.from(model.subarray(0, 8)).toString('hex')}, which is no DLC generation gaugeNN knows (v2, v3, v4).`, subject);
  const ph = params ? recordHeader(params) : undefined;
  if (params && !ph) throw malformed('The model.params record has no DLC header or FlatBuffer identifier', subject);
  try {
    const body = model.subarray(h.bodyOffset);
    const pbody = params && ph ? params.subarray(ph.bodyOffset) : undefined;
    if (h.major === 2) return readV2(body, h.minor);
    if (h.major === 4) return readV4(body, pbody, h.minor);
    return readV3(body, pbody, h.minor);
  } catch (e) {
    if (e instanceof GaugeError) throw e;
    if (e instanceof FlatBufferError || e instanceof WireError || e instanceof RangeError) throw malformed(`The DLC v${h.major || 3} records are malformed: ${e.message}`, subject, e);
    throw e;
  }
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Parse a DLC held in memory (a whole container). */
export async function parseDlcBytes(bytes: Buffer, files: ModelFile[] = [], subject = 'model.dlc'): Promise<ModelGraph> {
  const m = await readDlcMembers({ bytes }, subject);
  const model = readDlcRecords(m.model, m.params, subject);
  return buildGraph(model, { files, ...(m.metadata !== undefined ? { metadata: parseDlcMetadata(m.metadata) } : {}), members: m.names });
}

async function readWhole(path: string, subject: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw dlcError('INPUT_NOT_FOUND', `Cannot read ${path}: ${(e as Error).message}. Re-run the extract stage.`, subject, e);
  }
}

/** Parse an artifact: a `.dlc` container, or the graph and weights records of one (roles `graph`, `weights`). */
export async function parseDlcArtifact(artifact: ModelArtifact): Promise<ModelGraph> {
  const main = artifact.files[0];
  if (!main) throw dlcError('MODEL_MALFORMED', 'The SNPE artifact has no files.');
  const subject = main.entry ?? main.path;
  const files: ModelFile[] = artifact.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, ...(f.role ? { role: f.role } : {}) }));
  const head = await readWhole(main.path, subject);
  if (isZip(head)) {
    const m = await readDlcMembers({ bytes: head }, subject);
    if (!files[0]!.sha256) files[0] = { ...files[0]!, sha256: sha256(head), bytes: head.length };
    return buildGraph(readDlcRecords(m.model, m.params, subject), { files, ...(m.metadata !== undefined ? { metadata: parseDlcMetadata(m.metadata) } : {}), members: m.names });
  }
  // Loose records: the walker opened a deflated container and found `model` and `model.params` inside.
  let model: Uint8Array | undefined;
  let params: Uint8Array | undefined;
  let metadata: string | undefined;
  for (const [i, f] of artifact.files.entries()) {
    const b = i === 0 ? head : await readWhole(f.path, f.entry ?? f.path);
    if (f.role === 'metadata') {
      metadata = b.subarray(0, 1024 ** 2).toString('utf8');
      continue;
    }
    if (b.length > MAX_RECORD_BYTES) throw dlcError('LIMIT_EXCEEDED', `DLC record ${f.path} is larger than ${MAX_RECORD_BYTES} bytes.`, subject);
    const id = recordHeader(b)?.identifier;
    if (id === 'NETD' || (recordHeader(b)?.major === 2)) model = b;
    else if (id === 'NETP' || id === 'NR64') params = b;
  }
  const g = buildGraph(readDlcRecords(model, params, subject), { files, ...(metadata !== undefined ? { metadata: parseDlcMetadata(metadata) } : {}) });
  g.notes = [...(g.notes ?? []), 'analysed from the records of a DLC container that the extractor opened (its members were found one by one)'];
  return g;
}
