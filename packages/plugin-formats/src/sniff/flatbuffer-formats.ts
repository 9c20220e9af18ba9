/**
 * Flatbuffer model formats that carry a file identifier at bytes 4..8: ONNX Runtime's ORT format (`ORTM`,
 * schema `onnxruntime/core/flatbuffers/schema/ort.fbs`) and ExecuTorch programs (`ET` + two digits, `ET12`
 * today, in `schema/program.fbs`; `.pte`). The identifier plus a sane root table decides.
 */
import type { SniffHit, SniffInput, Sniffer } from '@gaugenn/core';
import { fileIdentifier, rootTable } from './flatbuffer.js';

/** True for an ORT-format model (ONNX Runtime Mobile). */
export function looksLikeOrt(head: Uint8Array, size: number): boolean {
  return fileIdentifier(head) === 'ORTM' && rootTable(head, size) !== false;
}

/** True for an ExecuTorch program (`.pte`). */
export function looksLikeExecutorch(head: Uint8Array, size: number): boolean {
  const id = fileIdentifier(head);
  return id !== undefined && /^ET\d\d$/.test(id) && rootTable(head, size) !== false;
}

/** The ORT-format sniffer (framework `onnxruntime`: the format only ONNX Runtime reads). */
export const ortSniffer: Sniffer = {
  name: 'ort',
  sniff: (input: SniffInput): SniffHit | undefined => (looksLikeOrt(input.head, input.size) ? { framework: 'onnxruntime', kind: 'model', role: 'model' } : undefined),
};

/** The ExecuTorch sniffer. */
export const executorchSniffer: Sniffer = {
  name: 'executorch',
  sniff: (input: SniffInput): SniffHit | undefined =>
    looksLikeExecutorch(input.head, input.size) ? { framework: 'executorch', kind: 'model', role: 'model' } : undefined,
};
