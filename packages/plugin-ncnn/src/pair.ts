/**
 * Pairs ncnn params with weights files by content, for apps that rename one of the pair (`a.param` + `b.dat`):
 * a `.bin` belongs to a param when walking the param's layers over it consumes exactly its bytes.
 */
import { readParam, type NcnnNet } from './parse/param-reader.js';
import { weightLayout } from './parse/weight-layout.js';
import { WeightCursor } from './parse/weights.js';

/** Bytes the param's layers read from `bin`, or undefined when the walk runs off its end. No hashing. */
export function weightBytesRead(net: NcnnNet, bin: Uint8Array): number | undefined {
  const cursor = new WeightCursor(bin, 'weights', false);
  try {
    for (const l of net.layers) for (const spec of weightLayout(l.type, l.params)) cursor.read(spec, l.name);
  } catch {
    return undefined;
  }
  return cursor.pos;
}

/** True when `bin` holds exactly the weights that `param`'s layers read. Never throws. */
export function binMatchesParam(param: Uint8Array, bin: Uint8Array): boolean {
  let net: NcnnNet;
  try {
    net = readParam(param);
  } catch {
    return false;
  }
  return weightBytesRead(net, bin) === bin.length;
}

/** A candidate file for {@link pairByContent}. */
export interface PairCandidate {
  id: string;
  bytes: Uint8Array;
}

/**
 * Pair params with weights files by content: each weights file goes to the first param whose layers read
 * exactly its bytes; each param takes at most one. Unmatched files are left out of the result.
 */
export function pairByContent(params: PairCandidate[], bins: PairCandidate[]): { param: string; weights: string }[] {
  const nets = params.flatMap((p) => {
    try {
      return [{ id: p.id, net: readParam(p.bytes) }];
    } catch {
      return [];
    }
  });
  const taken = new Set<string>();
  const pairs: { param: string; weights: string }[] = [];
  for (const b of bins) {
    for (const n of nets) {
      if (taken.has(n.id)) continue;
      if (weightBytesRead(n.net, b.bytes) === b.bytes.length) {
        taken.add(n.id);
        pairs.push({ param: n.id, weights: b.id });
        break;
      }
    }
  }
  return pairs;
}
