/**
 * Paddle-Lite optimized models (`.nb`, "naive buffer"), as the `opt` tool writes them
 * (`lite/model_parser/model_parser.cc`): a uint16 meta version, a 16-byte NUL-padded version string of the
 * `opt` tool that wrote it (`v2.10`, or a commit id for source builds), a uint64 topology size, then the
 * topology and the parameters. The sniffer checks all three header fields against each other and the file size.
 */
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';

const HEADER = 2 + 16 + 8;
/** Meta versions seen so far are small integers (0 in early releases, a few since). */
const MAX_META_VERSION = 16;
const RELEASE = /^v?\d+\.\d+(\.\d+)?([-.][0-9A-Za-z]+)*$/;
const COMMIT = /^[0-9a-f]{7,16}$/;

/** True when the head looks like a Paddle-Lite naive-buffer model. */
export function looksLikePaddleLite(head: Uint8Array, size: number): boolean {
  if (head.length < HEADER || size <= HEADER) return false;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (dv.getUint16(0, true) > MAX_META_VERSION) return false;
  // opt_version: text, then only NULs to the end of its 16 bytes.
  let n = 0;
  while (n < 16 && head[2 + n] !== 0) n++;
  if (n === 0 || n === 16) return false;
  for (let i = 2 + n; i < 18; i++) if (head[i] !== 0) return false;
  const version = Buffer.from(head.buffer, head.byteOffset + 2, n).toString('latin1');
  if (!RELEASE.test(version) && !COMMIT.test(version)) return false;
  const topo = dv.getBigUint64(18, true);
  return topo > 0n && topo <= BigInt(size - HEADER);
}

/** The Paddle-Lite sniffer. */
export const paddleLiteSniffer: Sniffer = {
  name: 'paddle-lite',
  sniff: (input: SniffInput): SniffHit | undefined =>
    looksLikePaddleLite(input.head, input.size) ? { framework: 'paddle-lite', kind: 'model', role: 'model' } : undefined,
};
