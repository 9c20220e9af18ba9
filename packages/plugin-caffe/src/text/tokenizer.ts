/**
 * Tokenizer for protobuf text format as Caffe writes it: identifiers, numbers, quoted strings (single or double,
 * with C escapes, adjacent literals concatenated by the parser), `{ } < > : [ ] , ;`, and `#` comments.
 */
import { GaugeError } from '@gaugenn/core';

export type TokenKind = 'ident' | 'number' | 'string' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Text of an ident/number/punct; the decoded value of a string. */
  text: string;
  line: number;
}

/** Longest string literal or identifier accepted; real prototxts stay far below. */
const MAX_TOKEN = 1 << 20;

export class Tokenizer {
  private pos = 0;
  private line = 1;
  private peeked: Token | null | undefined;

  constructor(private readonly src: string, private readonly subject: string) {}

  /** The next token without consuming it; null at the end. */
  peek(): Token | null {
    if (this.peeked === undefined) this.peeked = this.read();
    return this.peeked;
  }

  next(): Token | null {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** Line of the next token, for messages. */
  get where(): number {
    return this.peek()?.line ?? this.line;
  }

  fail(message: string, line = this.where): never {
    throw new GaugeError('MODEL_MALFORMED', `${this.subject} line ${line}: ${message}. Fix the prototxt (it must be Caffe's protobuf text format) or re-extract it.`, {
      subject: this.subject,
    });
  }

  private read(): Token | null {
    const s = this.src;
    // Skip whitespace and comments.
    for (;;) {
      if (this.pos >= s.length) return null;
      const c = s.charCodeAt(this.pos);
      if (c === 10) {
        this.line++;
        this.pos++;
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) this.pos++;
      else if (c === 35) {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl;
      } else break;
    }
    const line = this.line;
    const start = this.pos;
    const c = s[this.pos]!;
    if ('{}<>:[],;'.includes(c)) {
      this.pos++;
      return { kind: 'punct', text: c, line };
    }
    if (c === '"' || c === "'") return { kind: 'string', text: this.readString(c), line };
    if (/[A-Za-z_]/.test(c)) {
      while (this.pos < s.length && /[A-Za-z0-9_.]/.test(s[this.pos]!)) this.pos++;
      return { kind: 'ident', text: this.bounded(start), line };
    }
    if (/[-+0-9.]/.test(c)) {
      this.pos++;
      // Numbers: digits, '.', exponents, hex 'x', and a trailing 'f'; validated when converted.
      while (this.pos < s.length && /[0-9A-Za-z_.+-]/.test(s[this.pos]!)) {
        const ch = s[this.pos]!;
        if ((ch === '+' || ch === '-') && !/[eE]/.test(s[this.pos - 1]!)) break;
        this.pos++;
      }
      return { kind: 'number', text: this.bounded(start), line };
    }
    this.fail(`unexpected character ${JSON.stringify(c)}`, line);
  }

  private bounded(start: number): string {
    if (this.pos - start > MAX_TOKEN) this.fail(`a token longer than ${MAX_TOKEN} characters`);
    return this.src.slice(start, this.pos);
  }

  private readString(quote: string): string {
    const s = this.src;
    const line = this.line;
    this.pos++;
    const bytes: number[] = [];
    for (;;) {
      if (this.pos >= s.length) this.fail('a string literal is not closed', line);
      if (bytes.length > MAX_TOKEN) this.fail(`a string longer than ${MAX_TOKEN} bytes`, line);
      const ch = s[this.pos++]!;
      if (ch === quote) break;
      if (ch === '\n') this.fail('a string literal runs past the end of its line', line);
      if (ch !== '\\') {
        for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
        continue;
      }
      const e = s[this.pos++];
      if (e === undefined) this.fail('a string literal ends in a backslash', line);
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };
      if (e in simple) bytes.push(simple[e]!);
      else if (e === 'x') {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(this.pos, this.pos + 2));
        if (!m) this.fail('\\x without hex digits', line);
        bytes.push(parseInt(m[0], 16));
        this.pos += m[0].length;
      } else if (/[0-7]/.test(e)) {
        const m = /^[0-7]{0,2}/.exec(s.slice(this.pos, this.pos + 2))!;
        bytes.push(parseInt(e + m[0], 8) & 0xff);
        this.pos += m[0].length;
      } else this.fail(`unknown escape \\${e}`, line);
    }
    return Buffer.from(bytes).toString('utf8');
  }
}
