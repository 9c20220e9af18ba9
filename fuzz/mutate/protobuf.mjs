/**
 * Protobuf wire-format mutations (caffemodel, and any protobuf file): a walk of the message (and of
 * length-delimited fields that parse as messages) finds tags, varints and length prefixes; mutations change a
 * length (same width, so the rest stays aligned, or a new width), a varint value or a wire type, or delete or
 * duplicate a whole field.
 */
import { interesting } from './rand.mjs';

const MAX_FIELDS = 50_000;
const MAX_DEPTH = 10;

function varint(buf, pos, end) {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return undefined;
    const c = buf[pos + i];
    v += (c & 0x7f) * mul;
    mul *= 128;
    if (!(c & 0x80)) return { value: v, width: i + 1 };
  }
  return undefined;
}

/** Encode `v` as a varint of exactly `width` bytes (non-minimal padding is legal protobuf), or minimal when width is 0. */
function encodeVarint(v, width = 0) {
  const out = [];
  let x = Math.max(0, Math.floor(v));
  do {
    out.push(x % 128);
    x = Math.floor(x / 128);
  } while (x > 0 && out.length < 10);
  while (width && out.length < width) out.push(0);
  if (width && out.length > width) return undefined;
  for (let i = 0; i < out.length - 1; i++) out[i] |= 0x80;
  return Buffer.from(out);
}

function walk(buf, start, end, depth, info) {
  let pos = start;
  const fields = [];
  while (pos < end) {
    const tagPos = pos;
    const tag = varint(buf, pos, end);
    if (!tag || tag.value < 8) return undefined;
    pos += tag.width;
    const wt = tag.value % 8;
    const field = { start: tagPos, tagWidth: tag.width, end: 0 };
    if (wt === 0) {
      const v = varint(buf, pos, end);
      if (!v) return undefined;
      field.varint = { pos, width: v.width, value: v.value };
      pos += v.width;
    } else if (wt === 1) pos += 8;
    else if (wt === 5) pos += 4;
    else if (wt === 2) {
      const l = varint(buf, pos, end);
      if (!l || pos + l.width + l.value > end) return undefined;
      field.length = { pos, width: l.width, value: l.value };
      pos += l.width;
      if (depth < MAX_DEPTH && l.value >= 2) field.children = walk(buf, pos, pos + l.value, depth + 1, info);
      pos += l.value;
    } else return undefined;
    if (pos > end) return undefined;
    field.end = pos;
    fields.push(field);
  }
  for (const f of fields) if (info.fields.length < MAX_FIELDS) info.fields.push(f);
  return fields;
}

export function analyzeProtobuf(buf) {
  const info = { fields: [] };
  walk(buf, 0, buf.length, 0, info);
  return info;
}

export const protobufMutators = {
  /** A length prefix changed in place (same width): the field now claims too much or too little. */
  length(b, r, info) {
    const withLen = info.fields.filter((f) => f.length);
    if (!withLen.length) return b;
    const f = r.pick(withLen);
    const v = r.int(2) ? f.length.value + r.int(17) - 8 : interesting(r, f.length.value, b.length);
    const enc = encodeVarint(v, f.length.width);
    if (enc) enc.copy(b, f.length.pos);
    return b;
  },
  /** A length re-encoded at another width, shifting what follows: a well-formed but lying prefix. */
  lengthWidth(b, r, info) {
    const withLen = info.fields.filter((f) => f.length);
    if (!withLen.length) return b;
    const f = r.pick(withLen);
    const enc = encodeVarint(r.pick([0xffffffff, 2 ** 35, 2 ** 53 - 1, f.length.value * 2, 0x7fffffff]));
    return Buffer.concat([b.subarray(0, f.length.pos), enc, b.subarray(f.length.pos + f.length.width)]);
  },
  varint(b, r, info) {
    const vs = info.fields.filter((f) => f.varint);
    if (!vs.length) return b;
    const f = r.pick(vs);
    const enc = encodeVarint(r.pick([0, 1, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 53 - 1, 2 ** 63, 1e9, f.varint.value + 1]));
    return Buffer.concat([b.subarray(0, f.varint.pos), enc, b.subarray(f.varint.pos + f.varint.width)]);
  },
  wireType(b, r, info) {
    if (!info.fields.length) return b;
    const f = r.pick(info.fields);
    b[f.start] = (b[f.start] & 0xf8) | r.int(8);
    return b;
  },
  deleteField(b, r, info) {
    if (!info.fields.length) return b;
    const f = r.pick(info.fields);
    return Buffer.concat([b.subarray(0, f.start), b.subarray(f.end)]);
  },
  duplicateField(b, r, info) {
    if (!info.fields.length) return b;
    const f = r.pick(info.fields.filter((x) => x.end - x.start < 1 << 20));
    if (!f) return b;
    return Buffer.concat([b.subarray(0, f.end), b.subarray(f.start, f.end), b.subarray(f.end)]);
  },
};
