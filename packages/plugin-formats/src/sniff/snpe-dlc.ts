/**
 * Qualcomm SNPE DLC containers. A `.dlc` is a zip whose records are `model` (the graph), `model.params`
 * (weights) and `dlc.metadata` (`key=value` text). Inside, the graph and weights records of DLC v3/v4 start with
 * an 8-byte header `D5 0A <version> 00 00 00 00 00` followed by a flatbuffer whose identifier is `NETD`
 * (graph), `NETP` or `NR64` (weights); early v3 records are the bare flatbuffer.
 *
 * Two levels, because the walker asks sniffers about a zip before opening it: the container itself is
 * recognised from its local headers when they show DLC record names and either a record's DLC header or two
 * DLC record names; otherwise the walker opens the zip and the records are recognised by their own bytes.
 */
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';
import { fileIdentifier, rootTable } from './flatbuffer.js';
import { localEntries, storedBytes } from './zip-head.js';

const RECORDS = new Set(['model', 'model.params', 'dlc.metadata']);

/** The flatbuffer identifier of a DLC record (`NETD`, `NETP`, `NR64`), or undefined. */
export function dlcRecordKind(head: Uint8Array, size: number): string | undefined {
  if (head.length >= 16 && head[0] === 0xd5 && head[1] === 0x0a && (head[2] === 3 || head[2] === 4)) {
    for (let i = 3; i < 8; i++) if (head[i] !== 0) return undefined;
    const id = fileIdentifier(head, 12);
    return id === 'NETD' || id === 'NETP' || id === 'NR64' ? (rootTable(head, size, 8) !== false ? id : undefined) : undefined;
  }
  const id = fileIdentifier(head);
  return id === 'NETD' || id === 'NETP' ? (rootTable(head, size) !== false ? id : undefined) : undefined;
}

/** True when the head is the start of a DLC zip container. */
export function looksLikeDlcZip(head: Uint8Array): boolean {
  const entries = localEntries(head);
  if (!entries[0] || !RECORDS.has(entries[0].name)) return false;
  const names = new Set(entries.map((e) => e.name).filter((n) => RECORDS.has(n)));
  if (names.size >= 2) return true;
  return entries.some((e) => {
    const b = storedBytes(head, e, 16);
    return b !== undefined && b.length >= 4 && b[0] === 0xd5 && b[1] === 0x0a && b[2]! >= 2 && b[2]! <= 4 && b[3] === 0;
  });
}

/** The container path of a record (`assets/m.dlc!/model` → `assets/m.dlc`), which pairs graph and weights. */
function containerOf(path: string): string {
  const i = path.lastIndexOf('!/');
  return i >= 0 ? path.slice(0, i) : path.replace(/\.[^./]*$/, '');
}

/** The SNPE DLC sniffer: whole containers, and the graph/weights records of a container the walker opened. */
export const snpeDlcSniffer: Sniffer = {
  name: 'snpe-dlc',
  sniff(input: SniffInput): SniffHit | undefined {
    if (looksLikeDlcZip(input.head)) return { framework: 'snpe', kind: 'model', role: 'model' };
    const kind = dlcRecordKind(input.head, input.size);
    if (kind === 'NETD') return { framework: 'snpe', kind: 'model', role: 'graph', group: containerOf(input.path) };
    if (kind) return { framework: 'snpe', kind: 'weights', role: 'weights', group: containerOf(input.path) };
    return undefined;
  },
};
