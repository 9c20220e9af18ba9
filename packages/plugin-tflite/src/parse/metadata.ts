/**
 * The model's metadata entries. `TFLITE_METADATA` holds a `ModelMetadata` flatbuffer (identifier `M001`) with the
 * name, description, version, author and license the model's publisher wrote; `min_runtime_version` holds a string.
 */
import type { Modality } from '@gaugenn/core';
import { FlatBuffer, MalformedError } from './table.js';
import type { TfliteModel } from './types.js';

/** ModelMetadata field ids. */
const MODEL_METADATA = { name: 0, description: 1, version: 2, subgraphMetadata: 3, author: 4, license: 5 } as const;
const SUBGRAPH_METADATA = { inputTensorMetadata: 2 } as const;
const TENSOR_METADATA = { content: 3 } as const;
const CONTENT = { propertiesType: 0 } as const;
/** ContentProperties union values that say what an input is. */
const CONTENT_MODALITY: Record<number, Modality> = { 2: 'image', 4: 'audio' };

export interface ReadMetadata {
  fields: Record<string, unknown>;
  /** Modality the publisher's metadata states for the first input, if any. */
  modality?: Modality;
  notes: string[];
}

/** Collect what the metadata entries say. A broken `ModelMetadata` is a note, never a failure of the model. */
export function readMetadata(model: TfliteModel): ReadMetadata {
  const fields: Record<string, unknown> = {};
  const notes: string[] = [];
  let modality: Modality | undefined;
  if (model.metadata.length > 0) fields.metadataEntries = model.metadata.map((m) => m.name);
  for (const entry of model.metadata) {
    const data = model.buffers[entry.buffer];
    if (!data) continue;
    if (entry.name === 'min_runtime_version') {
      fields.minRuntimeVersion = new TextDecoder().decode(data).replace(/\0+$/, '');
    } else if (entry.name === 'TFLITE_METADATA') {
      try {
        modality = readModelMetadata(data, fields);
      } catch (e) {
        if (!(e instanceof MalformedError)) throw e;
        notes.push(`TFLITE_METADATA could not be read (${e.message}); its name, author and license are missing.`);
      }
    }
  }
  return { fields, modality, notes };
}

function readModelMetadata(data: Uint8Array, out: Record<string, unknown>): Modality | undefined {
  const fb = new FlatBuffer(data);
  if (fb.identifier() !== 'M001') throw new MalformedError(`identifier is "${fb.identifier()}", not "M001"`);
  const root = fb.root('ModelMetadata');
  for (const key of ['name', 'description', 'version', 'author', 'license'] as const) {
    const v = root.string(MODEL_METADATA[key]);
    if (v) out[key] = v;
  }
  const sg = root.tables(MODEL_METADATA.subgraphMetadata, (i) => `subgraph_metadata ${i}`)[0];
  const input = sg?.tables(SUBGRAPH_METADATA.inputTensorMetadata, (i) => `input_tensor_metadata ${i}`)[0];
  const content = input?.table(TENSOR_METADATA.content, 'input content');
  return content ? CONTENT_MODALITY[content.uint8(CONTENT.propertiesType)] : undefined;
}
