/**
 * The Caffe message types, built once with protobufjs from the hand-written JSON descriptor `caffe.json`.
 * Both readers (text and binary) are driven by these types, so a field is declared in one place only.
 */
import protobuf from 'protobufjs';
import descriptor from './caffe.json' with { type: 'json' };

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
root.resolveAll();

/** A Caffe message type by its name inside the `caffe` package (`NetParameter`, `LayerParameter`, …). */
export function caffeType(name: string): protobuf.Type {
  return root.lookupType(`caffe.${name}`);
}

/** Options for `Type.toObject` that give the same plain shape the text reader produces. */
export const TO_OBJECT: protobuf.IConversionOptions = { enums: String, longs: Number, defaults: false, arrays: false };

/** Plain message as both readers produce it: snake_case field names, enums as names, int64 as numbers. */
export type Msg = Record<string, unknown>;

export const NetParameter = caffeType('NetParameter');
export const LayerParameter = caffeType('LayerParameter');
export const V1LayerParameter = caffeType('V1LayerParameter');
export const BlobProto = caffeType('BlobProto');
