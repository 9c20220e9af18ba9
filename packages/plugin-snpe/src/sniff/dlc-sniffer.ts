/**
 * Qualcomm SNPE DLC containers, recognised by content under any name. A `.dlc` is a zip whose members are `model`
 * (the graph), `model.params` (weights), `dlc.metadata` (`key=value` text) and sometimes `aip.metadata*`; the graph
 * and weights records start with the DLC header `D5 0A <major u16> <minor u16> 00 00` (v2, v3, v4) or, in early v3,
 * the bare FlatBuffer (`NETD`, `NETP`).
 *
 * Two levels, because the walker asks sniffers about a zip before opening it: the container is recognised from
 * its local headers when they show DLC member names and either a record's DLC header or two DLC member names;
 * otherwise (a deflated container whose first member is large) the walker opens the zip and the records are
 * recognised by their own bytes and paired by the container's path.
 */
import { zipLocalHeaders, type SniffHit, type SniffInput, type Sniffer } from '@gaugenn/core';
import { recordHeader } from '../parse/record-header.js';

const MEMBER = (n: string) => n === 'model' || n.startsWith('model.params') || n.startsWith('dlc.metadata') || n.startsWith('aip.metadata');

/** The DLC record kind of some bytes: `NETD` (graph), `NETP`/`NR64` (weights), `v2` (a DLC v2 graph), or undefined. */
export function dlcRecordKind(head: Uint8Array): string | undefined {
  const h = recordHeader(head);
  if (!h) return undefined;
  if (h.major === 2) return 'v2';
  return h.identifier;
}

const METADATA_KEYS = /^(converter-command|converter-version|model-version|model-copyright|quantizer-command)=/;
const ascii = (b: Uint8Array, n: number) => Buffer.from(b.buffer, b.byteOffset, Math.min(n, b.length)).toString('latin1');

/** `dlc.metadata` text: `key=value` lines starting with a key SNPE writes. */
export function looksLikeDlcMetadata(head: Uint8Array): boolean {
  return METADATA_KEYS.test(ascii(head, 64));
}

/** The first bytes of an `aip.metadata*` record (HTA-enabled DLCs): `00 00 02 01`. */
const AIP_HEAD = [0x00, 0x00, 0x02, 0x01];

/** True when the head is the start of a DLC zip container. */
export function looksLikeDlcZip(head: Uint8Array): boolean {
  const entries = zipLocalHeaders(head, 16);
  if (!entries[0] || !MEMBER(entries[0].name)) return false;
  const names = new Set(entries.map((e) => e.name).filter(MEMBER));
  if (names.has('model') && names.size >= 2) return true;
  return entries.some((e) => {
    if (e.method !== 0 || e.dataStart + 8 > head.length) return false;
    const b = head.subarray(e.dataStart, Math.min(head.length, e.dataStart + 64));
    if (dlcRecordKind(b) !== undefined) return true;
    if (e.name.startsWith('dlc.metadata')) return looksLikeDlcMetadata(b);
    // HTA-enabled DLCs list their large AIP records first, so only the first member is in the head.
    return e.name.startsWith('aip.metadata') && AIP_HEAD.every((x, i) => b[i] === x);
  });
}

/** The container path of a record (`assets/m.dlc!/model` → `assets/m.dlc`), which pairs graph and weights. */
function containerOf(path: string): string {
  const i = path.lastIndexOf('!/');
  return i >= 0 ? path.slice(0, i) : path.replace(/\.[^./]*$/, '');
}

/** The SNPE DLC sniffer: whole containers, and the graph/weights records of a container the walker opened. */
export const dlcSniffer: Sniffer = {
  name: 'snpe-dlc',
  sniff(input: SniffInput): SniffHit | undefined {
    if (looksLikeDlcZip(input.head)) return { framework: 'snpe', kind: 'model', role: 'model' };
    const kind = dlcRecordKind(input.head);
    // The metadata record of a container the walker opened: paired with the graph by the container's path.
    if (!kind && input.path.includes('!/') && looksLikeDlcMetadata(input.head)) return { framework: 'snpe', kind: 'weights', role: 'metadata', group: containerOf(input.path) };
    if (!kind) return undefined;
    // A record needs a few bytes past the header, and (v3/v4) a root offset inside the record.
    if (input.size < 16) return undefined;
    if (kind !== 'v2') {
      const h = recordHeader(input.head)!;
      const root = new DataView(input.head.buffer, input.head.byteOffset + h.bodyOffset, 4).getUint32(0, true);
      if (root < 8 || h.bodyOffset + root >= input.size) return undefined;
    }
    const group = containerOf(input.path);
    if (kind === 'NETD' || kind === 'v2') return { framework: 'snpe', kind: 'model', role: 'graph', group };
    return { framework: 'snpe', kind: 'weights', role: 'weights', group };
  },
};
