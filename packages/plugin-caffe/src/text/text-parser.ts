/**
 * Protobuf text format → plain message, driven by the protobufjs types of `schema/caffe.json`. protobufjs reads
 * only the binary wire format and JSON, so this reader is gaugeNN's own. Unknown fields are skipped (forks add
 * many) and reported, so a prototxt from a Caffe fork still parses.
 */
import type protobuf from 'protobufjs';
import { Tokenizer, type Token } from './tokenizer.js';
import type { Msg } from '../schema/schema.js';

/** Deepest nesting of messages accepted; Caffe nets nest 4 deep. */
const MAX_DEPTH = 32;
/** Most values in one file; a real prototxt holds a few thousand. */
const MAX_VALUES = 5_000_000;

export interface TextParseResult {
  message: Msg;
  /** Field paths present in the text that the schema does not declare (skipped). */
  unknownFields: string[];
}

const INT_TYPES = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const UNSIGNED = new Set(['uint32', 'fixed32', 'uint64', 'fixed64']);
const FLOAT_TYPES = new Set(['float', 'double']);

/**
 * Parse protobuf text of message `type`.
 * @throws GaugeError `MODEL_MALFORMED` naming the line on bad syntax, a value of the wrong kind or nesting too deep.
 */
export function parseText(src: string, type: protobuf.Type, subject: string): TextParseResult {
  return new TextParser(src, subject).parse(type);
}

class TextParser {
  private readonly tok: Tokenizer;
  private values = 0;
  private readonly unknown = new Set<string>();

  constructor(src: string, subject: string) {
    this.tok = new Tokenizer(src, subject);
  }

  parse(type: protobuf.Type): TextParseResult {
    const message = this.fields(type, null, 0, type.name);
    return { message, unknownFields: [...this.unknown] };
  }

  /** Fields until `close` (`}` or `>`), or the end of input at top level. */
  private fields(type: protobuf.Type, close: string | null, depth: number, path: string): Msg {
    if (depth > MAX_DEPTH) this.tok.fail(`messages nest deeper than ${MAX_DEPTH}`);
    const msg: Msg = {};
    for (;;) {
      const t = this.tok.next();
      if (t === null) {
        if (close !== null) this.tok.fail(`the file ends inside ${path}: a "${close}" is missing`);
        return msg;
      }
      if (t.kind === 'punct' && t.text === close) return msg;
      if (t.kind === 'punct' && (t.text === ',' || t.text === ';')) continue;
      if (t.kind !== 'ident') this.tok.fail(`expected a field name in ${path}, found ${JSON.stringify(t.text)}`, t.line);
      const field = type.fields[t.text];
      if (!field) {
        this.unknown.add(`${path}.${t.text}`);
        this.skipValue(depth + 1, `${path}.${t.text}`);
        continue;
      }
      const isMessage = !!field.resolvedType && 'fields' in field.resolvedType;
      const colon = this.optional(':');
      if (isMessage) {
        const sub = field.resolvedType as protobuf.Type;
        const read = () => {
          const open = this.tok.next();
          if (!open || open.kind !== 'punct' || (open.text !== '{' && open.text !== '<')) {
            this.tok.fail(`${path}.${field.name} is a message and needs "{ ... }"`, open?.line);
          }
          return this.fields(sub, open.text === '{' ? '}' : '>', depth + 1, `${path}.${field.name}`);
        };
        if (colon && this.peekPunct('[')) this.list(() => this.store(msg, field, read()));
        else this.store(msg, field, read());
      } else {
        if (!colon) this.tok.fail(`expected ":" after ${path}.${field.name}`);
        if (this.peekPunct('[')) {
          if (!field.repeated) this.tok.fail(`${path}.${field.name} is not repeated but has a list value`);
          this.list(() => this.store(msg, field, this.scalar(field, path)));
        } else this.store(msg, field, this.scalar(field, path));
      }
    }
  }

  private store(msg: Msg, field: protobuf.Field, value: unknown): void {
    if (++this.values > MAX_VALUES) this.tok.fail(`more than ${MAX_VALUES} values`);
    if (field.repeated) ((msg[field.name] ??= []) as unknown[]).push(value);
    else msg[field.name] = value;
  }

  private list(item: () => void): void {
    this.tok.next(); // '['
    if (this.optional(']')) return;
    for (;;) {
      item();
      if (this.optional(']')) return;
      if (!this.optional(',')) this.tok.fail('expected "," or "]" in a list');
    }
  }

  private optional(p: string): boolean {
    if (this.peekPunct(p)) {
      this.tok.next();
      return true;
    }
    return false;
  }

  private peekPunct(p: string): boolean {
    const t = this.tok.peek();
    return !!t && t.kind === 'punct' && t.text === p;
  }

  private scalar(field: protobuf.Field, path: string): unknown {
    const t = this.tok.next();
    const name = `${path}.${field.name}`;
    if (!t) this.tok.fail(`the file ends where ${name} needs a value`);
    const type = field.type;
    if (field.resolvedType && 'values' in field.resolvedType) {
      const e = field.resolvedType as protobuf.Enum;
      if (t.kind === 'ident' && t.text in e.values) return t.text;
      if (t.kind === 'number') {
        const n = toInt(t, false, true);
        if (n !== undefined) return e.valuesById[n] ?? n;
      }
      this.tok.fail(`${name} must be one of ${Object.keys(e.values).join(', ')}, not ${JSON.stringify(t.text)}`, t.line);
    }
    if (type === 'string' || type === 'bytes') {
      if (t.kind !== 'string') this.tok.fail(`${name} needs a quoted string, found ${JSON.stringify(t.text)}`, t.line);
      let s = t.text;
      // Adjacent literals concatenate, as in C.
      while (this.tok.peek()?.kind === 'string') s += this.tok.next()!.text;
      return s;
    }
    if (type === 'bool') {
      if (t.text === 'true' || t.text === 't' || t.text === '1' || t.text === 'True') return true;
      if (t.text === 'false' || t.text === 'f' || t.text === '0' || t.text === 'False') return false;
      this.tok.fail(`${name} needs true or false, not ${JSON.stringify(t.text)}`, t.line);
    }
    if (INT_TYPES.has(type)) {
      const n = t.kind === 'number' ? toInt(t, UNSIGNED.has(type), type.endsWith('64')) : undefined;
      if (n === undefined) this.tok.fail(`${name} needs an integer, not ${JSON.stringify(t.text)}`, t.line);
      return n;
    }
    if (FLOAT_TYPES.has(type)) {
      const f = toFloat(t);
      if (f === undefined) this.tok.fail(`${name} needs a number, not ${JSON.stringify(t.text)}`, t.line);
      return f;
    }
    this.tok.fail(`${name} has type ${type}, which the text reader does not know`, t.line);
  }

  /** Skip the value of a field the schema does not declare: scalar, list or message. */
  private skipValue(depth: number, path: string): void {
    if (depth > MAX_DEPTH) this.tok.fail(`messages nest deeper than ${MAX_DEPTH}`);
    const colon = this.optional(':');
    const t = this.tok.peek();
    if (!t) this.tok.fail(`the file ends where ${path} needs a value`);
    if (t.kind === 'punct' && (t.text === '{' || t.text === '<')) {
      this.tok.next();
      this.skipMessage(t.text === '{' ? '}' : '>', depth + 1, path);
      return;
    }
    if (!colon) this.tok.fail(`expected ":" or "{" after ${path}`, t.line);
    if (t.kind === 'punct' && t.text === '[') {
      this.list(() => {
        const v = this.tok.next();
        if (!v || v.kind === 'punct') this.tok.fail(`bad list item in ${path}`);
        if (++this.values > MAX_VALUES) this.tok.fail(`more than ${MAX_VALUES} values`);
      });
      return;
    }
    const v = this.tok.next()!;
    if (v.kind === 'punct') this.tok.fail(`${path} has no value`, v.line);
    if (v.kind === 'string') while (this.tok.peek()?.kind === 'string') this.tok.next();
    if (++this.values > MAX_VALUES) this.tok.fail(`more than ${MAX_VALUES} values`);
  }

  private skipMessage(close: string, depth: number, path: string): void {
    for (;;) {
      const t: Token | null = this.tok.next();
      if (!t) this.tok.fail(`the file ends inside ${path}: a "${close}" is missing`);
      if (t.kind === 'punct' && t.text === close) return;
      if (t.kind === 'punct' && (t.text === ',' || t.text === ';')) continue;
      if (t.kind !== 'ident') this.tok.fail(`expected a field name in ${path}, found ${JSON.stringify(t.text)}`, t.line);
      this.skipValue(depth, `${path}.${t.text}`);
    }
  }
}

function toInt(t: Token, unsigned: boolean, wide: boolean): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(t.text);
  if (!m) return undefined;
  const body = m[2]!;
  const v = body.startsWith('0x') || body.startsWith('0X') ? parseInt(body.slice(2), 16) : body.length > 1 && body.startsWith('0') ? parseInt(body, 8) : Number(body);
  const n = m[1] === '-' ? -v : v;
  if (!Number.isSafeInteger(n)) return undefined;
  if (unsigned && n < 0) return undefined;
  if (!wide && (n > 0xffffffff || n < -0x80000000)) return undefined;
  return n;
}

function toFloat(t: Token): number | undefined {
  const s = t.text.toLowerCase();
  if (t.kind === 'ident' || t.kind === 'number') {
    const sign = s.startsWith('-') ? -1 : 1;
    const bare = s.replace(/^[-+]/, '');
    if (bare === 'inf' || bare === 'infinity') return sign * Infinity;
    if (bare === 'nan') return NaN;
  }
  if (t.kind !== 'number') return undefined;
  const body = s.endsWith('f') ? s.slice(0, -1) : s;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(body)) return undefined;
  return Number(body);
}
