/** Where the Caffe tests find their real inputs, and an independent count of what a caffemodel stores. */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { fixture } from '../../../../test-support/fixtures.js';

/** `caffeFixture('mtcnn_det1.prototxt')` → path under ../shared/fixtures/caffe. */
export const caffeFixture = (name: string): string => fixture(`caffe/${name}`);

/**
 * Float values stored in a caffemodel's blobs, counted by a generic protobuf walk with protobufjs's Reader over
 * the whole file in memory: a second, independent reading that the streaming reader's figures must equal.
 * Layer: NetParameter field 100 (or V1 field 2); blobs: LayerParameter field 7 (V1: 6); data: BlobProto field 5.
 */
export function countStoredValues(path: string): { total: number; byLayer: Map<string, number> } {
  const r = protobuf.Reader.create(readFileSync(path));
  const byLayer = new Map<string, number>();
  let total = 0;
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 100 || tag >>> 3 === 2) {
      const layer = protobuf.Reader.create(r.bytes());
      const blobField = tag >>> 3 === 100 ? 7 : 6;
      const nameField = tag >>> 3 === 100 ? 1 : 4;
      let name = '';
      let n = 0;
      while (layer.pos < layer.len) {
        const t = layer.uint32();
        if (t >>> 3 === nameField && (t & 7) === 2) name = layer.string();
        else if (t >>> 3 === blobField) {
          const blob = protobuf.Reader.create(layer.bytes());
          while (blob.pos < blob.len) {
            const bt = blob.uint32();
            if (bt >>> 3 === 5 && (bt & 7) === 2) n += blob.bytes().length / 4;
            else if (bt >>> 3 === 5 && (bt & 7) === 5) {
              blob.float();
              n++;
            } else blob.skipType(bt & 7);
          }
        } else layer.skipType(t & 7);
      }
      if (n > 0) byLayer.set(name, n);
      total += n;
    } else r.skipType(tag & 7);
  }
  return { total, byLayer };
}
