/**
 * PyTorch zip archives: TorchScript (`torch.jit.save`, `.pt`), PyTorch Mobile lite-interpreter models (`.ptl`)
 * and `torch.save` checkpoints. All are zips written by PyTorch's own writer, which keeps every record under one
 * top-level folder (`archive/data.pkl`, `<name>/bytecode.pkl`, `<name>/data/0`, …) and pads each local header to
 * 64-byte alignment with an extra field tagged `FB` filled with `Z`. The sniffer sees the zip before the walker
 * opens it, so it decides from the local headers in the head: PyTorch's padding on a record named like
 * PyTorch's, or a visible `data.pkl` / `bytecode.pkl` / `constants.pkl` record under a common folder.
 */
import { zipLocalHeaders, type SniffHit, type SniffInput, type Sniffer, type ZipLocalHeader } from '@gaugenn/core';

const PICKLE = /^[^/]+\/(data|bytecode|constants)\.pkl$/;
const RECORD = /^[^/]+\/(data\.pkl|bytecode\.pkl|constants\.pkl|data\/\d+|\.data\/.+|constants\/\d+|code\/.+|byteorder|version|extra\/.+)$/;

/** PyTorch's alignment padding: extra field id `FB`, payload of `Z`s. */
function hasTorchPadding(e: ZipLocalHeader): boolean {
  const x = e.extra;
  if (x.length < 5 || x[0] !== 0x46 || x[1] !== 0x42) return false;
  for (let i = 4; i < x.length; i++) if (x[i] !== 0x5a) return false;
  return true;
}

/** True when the head is the start of a PyTorch zip archive. */
export function looksLikePytorchZip(head: Uint8Array): boolean {
  const entries = zipLocalHeaders(head);
  const first = entries[0];
  if (!first || !RECORD.test(first.name)) return false;
  const folder = first.name.slice(0, first.name.indexOf('/') + 1);
  if (!entries.every((e) => e.name.startsWith(folder))) return false;
  return hasTorchPadding(first) || entries.some((e) => PICKLE.test(e.name));
}

/** The PyTorch (TorchScript / Mobile) sniffer. */
export const pytorchSniffer: Sniffer = {
  name: 'pytorch',
  sniff: (input: SniffInput): SniffHit | undefined => (looksLikePytorchZip(input.head) ? { framework: 'pytorch', kind: 'model', role: 'model' } : undefined),
};
