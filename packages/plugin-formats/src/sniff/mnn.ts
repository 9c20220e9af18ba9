/**
 * MNN models (`.mnn`). MNN's flatbuffer schema (`schema/default/MNN.fbs`, root table `Net`) declares no file
 * identifier, so no byte sequence proves a file is MNN. This sniffer therefore takes the `.mnn` extension as
 * a precondition, and then asks for a flatbuffer whose root table is near the start (MNN's converter puts it
 * there) and has `Net.oplists` (field 3) set, pointing inside the file — so a renamed file of another kind is
 * still refused. An MNN model under another name is not detected: a known limit, stated in the report.
 */
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';
import { fieldOffset, rootTable } from './flatbuffer.js';

/** Net fields: bizCode, extraTensorDescribe, extraInfo, oplists, … (a dozen today; room for growth). */
const MAX_NET_FIELDS = 32;
const OPLISTS = 3;

/** True when a `.mnn` file's head looks like an MNN Net flatbuffer. */
export function looksLikeMnn(path: string, head: Uint8Array, size: number): boolean {
  if (!/\.mnn$/i.test(path)) return false;
  const root = rootTable(head, size, 0, 4);
  if (typeof root === 'boolean') return false;
  if (root.table > 256 || root.vtSize > 4 + 2 * MAX_NET_FIELDS) return false;
  const fo = fieldOffset(head, root, OPLISTS);
  if (!fo || fo < 4 || fo + 4 > root.tableSize) return false;
  const at = root.table + fo;
  if (at + 4 > head.length) return false;
  const target = at + new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(at, true);
  return target % 4 === 0 && target + 4 <= size;
}

/** The MNN sniffer. */
export const mnnSniffer: Sniffer = {
  name: 'mnn',
  sniff: (input: SniffInput): SniffHit | undefined => (looksLikeMnn(input.path, input.head, input.size) ? { framework: 'mnn', kind: 'model', role: 'model' } : undefined),
};
