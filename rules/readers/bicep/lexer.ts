// Hand-written lexer for Bicep (.bicep) and Bicep parameter (.bicepparam) files.
//
// The lexer is modal: string interpolation holes (`${ ... }`) are lexed as ordinary tokens, and a
// small stack remembers whether a `}` closes an object literal or an interpolation hole. All text
// between two tokens (whitespace, comments, pragma directives) is attached to the following token
// as leading trivia, so concatenating `trivia + token text` over all tokens reproduces the source.
// The lexer never throws and always terminates: every loop iteration consumes at least one char.

import type { Comment, DirectiveName, ParseError } from './ast';

export type TokenKind =
  | 'Identifier'
  | 'Integer'
  | 'StringComplete'
  | 'StringLeftPiece'
  | 'StringMiddlePiece'
  | 'StringRightPiece'
  | 'NewLine'
  | 'EndOfFile'
  | 'LeftBrace'
  | 'RightBrace'
  | 'LeftParen'
  | 'RightParen'
  | 'LeftSquare'
  | 'RightSquare'
  | 'At'
  | 'Comma'
  | 'Dot'
  | 'Ellipsis'
  | 'Question'
  | 'DoubleQuestion'
  | 'Colon'
  | 'DoubleColon'
  | 'Semicolon'
  | 'Plus'
  | 'Minus'
  | 'Modulo'
  | 'Asterisk'
  | 'Slash'
  | 'Hat'
  | 'Exclamation'
  | 'NotEquals'
  | 'NotEqualsInsensitive'
  | 'LessThan'
  | 'LessThanOrEqual'
  | 'GreaterThan'
  | 'GreaterThanOrEqual'
  | 'Assignment'
  | 'Equals'
  | 'EqualsInsensitive'
  | 'Arrow'
  | 'LogicalAnd'
  | 'LogicalOr'
  | 'Pipe'
  | 'TrueKeyword'
  | 'FalseKeyword'
  | 'NullKeyword'
  | 'Unrecognized';

export type TriviaKind = 'whitespace' | 'lineComment' | 'blockComment' | 'directive';

export interface Trivia {
  kind: TriviaKind;
  start: number;
  end: number;
  text: string;
}

export interface Token {
  kind: TokenKind;
  /** UTF-16 offset of the first character of the token (trivia excluded). */
  start: number;
  /** UTF-16 offset just past the token. */
  end: number;
  text: string;
  /** Whitespace, comments and directives between the previous token and this one. */
  leadingTrivia: Trivia[];
  /** String tokens only: the decoded value of this segment (escapes resolved, delimiters removed). */
  value?: string;
  /** String tokens only: true for `'''` strings (and `$'''` interpolating multi-line strings). */
  multiline?: boolean;
  /** String tokens only: the lexer reported an error for this segment (unterminated, bad escape). */
  malformed?: boolean;
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  errors: ParseError[];
}

export const MAX_IDENTIFIER_LENGTH = 255;

const SINGLE_ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  "'": "'",
  $: '$',
};

/** Shared (never mutated) trivia list of tokens that directly follow the previous token. */
const NO_TRIVIA: Trivia[] = [];

const DIRECTIVES: readonly DirectiveName[] = ['disable-next-line', 'disable-diagnostics', 'restore-diagnostics'];

interface TemplateEntry {
  /** 'hole' = inside `${ ... }` of a string; 'brace' = an object `{` opened inside a hole. */
  kind: 'hole' | 'brace';
  multiline: boolean;
  escapeCount: number;
}

const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isNewLineChar = (c: number): boolean => c === 10 || c === 13;
const isSpace = (c: number): boolean => c === 32 || c === 9;

class Lexer {
  private pos = 0;
  private readonly tokens: Token[] = [];
  private readonly comments: Comment[] = [];
  private readonly errors: ParseError[] = [];
  private readonly stack: TemplateEntry[] = [];

  constructor(private readonly text: string) {}

  private code(offset: number): number {
    return offset < this.text.length ? this.text.charCodeAt(offset) : -1;
  }

  private error(message: string, start: number, end: number): void {
    this.errors.push({ message, start, end });
  }

  run(): LexResult {
    for (;;) {
      const trivia = this.scanTrivia();
      const start = this.pos;
      if (start >= this.text.length) {
        this.tokens.push({ kind: 'EndOfFile', start, end: start, text: '', leadingTrivia: trivia });
        break;
      }
      const token = this.scanToken(trivia);
      this.tokens.push(token);
      if (token.end === token.start && token.kind !== 'StringRightPiece') {
        // defensive: a zero-length token other than the synthetic string terminator must never happen
        this.pos = start + 1;
        token.end = this.pos;
        token.text = this.text.slice(start, this.pos);
        token.kind = 'Unrecognized';
      }
    }
    return { tokens: this.tokens, comments: this.comments, errors: this.errors };
  }

  // ---------------------------------------------------------------- trivia

  private scanTrivia(): Trivia[] {
    let trivia: Trivia[] = NO_TRIVIA;
    for (;;) {
      const start = this.pos;
      const c = this.code(start);
      if (isSpace(c) || (c === 0xfeff && start === 0)) {
        let p = start + 1;
        while (isSpace(this.code(p))) p++;
        this.pos = p;
        if (trivia === NO_TRIVIA) trivia = [];
        trivia.push({ kind: 'whitespace', start, end: p, text: this.text.slice(start, p) });
        continue;
      }
      if (c === 47 /* / */ && this.code(start + 1) === 47) {
        let p = start + 2;
        while (p < this.text.length && !isNewLineChar(this.code(p))) p++;
        this.pos = p;
        const text = this.text.slice(start, p);
        if (trivia === NO_TRIVIA) trivia = [];
        trivia.push({ kind: 'lineComment', start, end: p, text });
        this.comments.push({ kind: 'line', start, end: p, text, value: text.slice(2) });
        continue;
      }
      if (c === 47 && this.code(start + 1) === 42 /* * */) {
        const close = this.text.indexOf('*/', start + 2);
        const p = close < 0 ? this.text.length : close + 2;
        if (close < 0) this.error('Unterminated multi-line comment: "*/" is missing.', start, p);
        this.pos = p;
        const text = this.text.slice(start, p);
        if (trivia === NO_TRIVIA) trivia = [];
        trivia.push({ kind: 'blockComment', start, end: p, text });
        this.comments.push({ kind: 'block', start, end: p, text, value: text.slice(2, close < 0 ? undefined : -2) });
        continue;
      }
      if (c === 35 /* # */ && this.atLineStart(start)) {
        const directive = this.scanDirective(start);
        if (directive) {
          if (trivia === NO_TRIVIA) trivia = [];
          trivia.push(directive);
          continue;
        }
      }
      return trivia;
    }
  }

  private atLineStart(offset: number): boolean {
    for (let p = offset - 1; p >= 0; p--) {
      const c = this.code(p);
      if (isNewLineChar(c)) return true;
      if (!isSpace(c) && !(c === 0xfeff && p === 0)) return false;
    }
    return true;
  }

  private scanDirective(start: number): Trivia | undefined {
    let name: DirectiveName | undefined;
    for (const d of DIRECTIVES) {
      if (this.text.startsWith(d, start + 1)) {
        const after = this.code(start + 1 + d.length);
        if (after === -1 || isSpace(after) || isNewLineChar(after)) name = d;
      }
    }
    if (!name) return undefined;
    let p = start + 1 + name.length;
    let end = p;
    const codes: string[] = [];
    for (;;) {
      while (isSpace(this.code(p))) p++;
      const c = this.code(p);
      if (c === -1 || isNewLineChar(c)) break;
      if (c === 47 && (this.code(p + 1) === 47 || this.code(p + 1) === 42)) break; // a comment follows
      const codeStart = p;
      while (p < this.text.length) {
        const d = this.code(p);
        if (isSpace(d) || isNewLineChar(d)) break;
        if (d === 47 && (this.code(p + 1) === 47 || this.code(p + 1) === 42)) break;
        p++;
      }
      codes.push(this.text.slice(codeStart, p));
      end = p;
    }
    this.pos = end;
    const text = this.text.slice(start, end);
    if (codes.length === 0) this.error(`Expected at least one diagnostic code after "#${name}".`, start, end);
    this.comments.push({ kind: 'directive', start, end, text, value: text.slice(1), directive: { name, codes } });
    return { kind: 'directive', start, end, text };
  }

  // ---------------------------------------------------------------- tokens

  private make(kind: TokenKind, start: number, trivia: Trivia[], extra?: Partial<Token>): Token {
    const token: Token = { kind, start, end: this.pos, text: this.text.slice(start, this.pos), leadingTrivia: trivia };
    if (extra) {
      if (extra.value !== undefined) token.value = extra.value;
      if (extra.multiline) token.multiline = true;
      if (extra.malformed) token.malformed = true;
    }
    return token;
  }

  private op(kind: TokenKind, start: number, length: number, trivia: Trivia[]): Token {
    this.pos = start + length;
    return this.make(kind, start, trivia);
  }

  private scanToken(trivia: Trivia[]): Token {
    const start = this.pos;
    const c = this.code(start);
    const n = this.code(start + 1);
    switch (c) {
      case 123: // {
        if (this.stack.length > 0) this.stack.push({ kind: 'brace', multiline: false, escapeCount: 0 });
        return this.op('LeftBrace', start, 1, trivia);
      case 125: {
        // }
        const top = this.stack[this.stack.length - 1];
        if (top && top.kind === 'hole') {
          this.pos = start + 1;
          const piece = top.multiline
            ? this.scanMultilineSegment(start, false, top.escapeCount, trivia)
            : this.scanStringSegment(start, false, trivia);
          if (piece.kind === 'StringRightPiece') this.stack.pop();
          return piece;
        }
        if (top) this.stack.pop();
        return this.op('RightBrace', start, 1, trivia);
      }
      case 40:
        return this.op('LeftParen', start, 1, trivia);
      case 41:
        return this.op('RightParen', start, 1, trivia);
      case 91:
        return this.op('LeftSquare', start, 1, trivia);
      case 93:
        return this.op('RightSquare', start, 1, trivia);
      case 64:
        return this.op('At', start, 1, trivia);
      case 44:
        return this.op('Comma', start, 1, trivia);
      case 46: // .
        if (n === 46 && this.code(start + 2) === 46) return this.op('Ellipsis', start, 3, trivia);
        return this.op('Dot', start, 1, trivia);
      case 63: // ?
        return n === 63 ? this.op('DoubleQuestion', start, 2, trivia) : this.op('Question', start, 1, trivia);
      case 58: // :
        return n === 58 ? this.op('DoubleColon', start, 2, trivia) : this.op('Colon', start, 1, trivia);
      case 59:
        return this.op('Semicolon', start, 1, trivia);
      case 43:
        return this.op('Plus', start, 1, trivia);
      case 45:
        return this.op('Minus', start, 1, trivia);
      case 37:
        return this.op('Modulo', start, 1, trivia);
      case 42:
        return this.op('Asterisk', start, 1, trivia);
      case 47:
        return this.op('Slash', start, 1, trivia);
      case 94:
        return this.op('Hat', start, 1, trivia);
      case 33: // !
        if (n === 61) return this.op('NotEquals', start, 2, trivia);
        if (n === 126) return this.op('NotEqualsInsensitive', start, 2, trivia);
        return this.op('Exclamation', start, 1, trivia);
      case 60: // <
        return n === 61 ? this.op('LessThanOrEqual', start, 2, trivia) : this.op('LessThan', start, 1, trivia);
      case 62: // >
        return n === 61 ? this.op('GreaterThanOrEqual', start, 2, trivia) : this.op('GreaterThan', start, 1, trivia);
      case 61: // =
        if (n === 61) return this.op('Equals', start, 2, trivia);
        if (n === 126) return this.op('EqualsInsensitive', start, 2, trivia);
        if (n === 62) return this.op('Arrow', start, 2, trivia);
        return this.op('Assignment', start, 1, trivia);
      case 38: // &
        if (n === 38) return this.op('LogicalAnd', start, 2, trivia);
        break;
      case 124: // |
        return n === 124 ? this.op('LogicalOr', start, 2, trivia) : this.op('Pipe', start, 1, trivia);
      case 36: {
        // $ — only valid as the start of an interpolating multi-line string: $'''...${x}...'''
        let p = start;
        while (this.code(p) === 36) p++;
        if (this.text.startsWith("'''", p)) {
          const escapeCount = p - start;
          this.pos = p + 3;
          const token = this.scanMultilineSegment(start, true, escapeCount, trivia);
          if (token.kind === 'StringLeftPiece') this.stack.push({ kind: 'hole', multiline: true, escapeCount });
          return token;
        }
        this.pos = p;
        this.error(`The character sequence "${this.text.slice(start, p)}" is not recognized.`, start, p);
        return this.make('Unrecognized', start, trivia);
      }
      case 39: {
        // '
        if (n === 39 && this.code(start + 2) === 39) {
          this.pos = start + 3;
          return this.scanMultilineSegment(start, true, 0, trivia);
        }
        this.pos = start + 1;
        const token = this.scanStringSegment(start, true, trivia);
        if (token.kind === 'StringLeftPiece') this.stack.push({ kind: 'hole', multiline: false, escapeCount: 0 });
        return token;
      }
      case 10:
      case 13: {
        if (this.stack.length > 0) {
          // a newline inside an interpolation hole: terminate the string with a zero-length piece
          this.stack.length = 0;
          this.error('The string at this location is not terminated: a new line is not allowed inside an interpolation.', start, start);
          this.pos = start;
          return this.make('StringRightPiece', start, trivia, { value: '', malformed: true });
        }
        let p = start;
        while (isNewLineChar(this.code(p))) p++;
        this.pos = p;
        return this.make('NewLine', start, trivia);
      }
      default:
        if (isDigit(c)) {
          let p = start + 1;
          while (isDigit(this.code(p))) p++;
          this.pos = p;
          return this.make('Integer', start, trivia);
        }
        if (isIdentStart(c)) {
          let p = start + 1;
          while (isIdentPart(this.code(p))) p++;
          this.pos = p;
          const text = this.text.slice(start, p);
          if (text === 'true') return this.make('TrueKeyword', start, trivia);
          if (text === 'false') return this.make('FalseKeyword', start, trivia);
          if (text === 'null') return this.make('NullKeyword', start, trivia);
          if (text.length > MAX_IDENTIFIER_LENGTH) {
            this.error(`Identifier names are limited to ${MAX_IDENTIFIER_LENGTH} characters.`, start, p);
          }
          return this.make('Identifier', start, trivia);
        }
    }
    // unrecognized character (keep surrogate pairs together)
    let len = 1;
    if (c >= 0xd800 && c <= 0xdbff && n >= 0xdc00 && n <= 0xdfff) len = 2;
    this.pos = start + len;
    const ch = this.text.slice(start, start + len);
    this.error(
      ch === '"' ? 'Strings in Bicep use single quotes (\'), not double quotes (").' : `The character "${ch}" is not recognized.`,
      start,
      start + len,
    );
    return this.make('Unrecognized', start, trivia);
  }

  /** Scans a single-line string segment. `this.pos` is just past the opening `'` or `}`. */
  private scanStringSegment(start: number, first: boolean, trivia: Trivia[]): Token {
    let value = '';
    let malformed = false;
    const done = (kind: TokenKind): Token => this.make(kind, start, trivia, { value, malformed: malformed || undefined });
    const endKind: TokenKind = first ? 'StringComplete' : 'StringRightPiece';
    for (;;) {
      const p = this.pos;
      const c = this.code(p);
      if (c === -1) {
        this.error('The string at this location is not terminated.', start, p);
        malformed = true;
        return done(endKind);
      }
      if (isNewLineChar(c)) {
        this.error('The string at this location is not terminated due to an unexpected new line character.', start, p);
        malformed = true;
        return done(endKind);
      }
      this.pos = p + 1;
      if (c === 39) return done(endKind);
      if (c === 36 && this.code(p + 1) === 123) {
        this.pos = p + 2;
        return done(first ? 'StringLeftPiece' : 'StringMiddlePiece');
      }
      if (c !== 92 /* \ */) {
        // copy the run of ordinary characters in one slice
        let q = p + 1;
        for (;;) {
          const d = this.code(q);
          if (d === -1 || d === 39 || d === 92 || d === 10 || d === 13 || (d === 36 && this.code(q + 1) === 123)) break;
          q++;
        }
        value += this.text.slice(p, q);
        this.pos = q;
        continue;
      }
      const e = this.code(p + 1);
      if (e === -1) {
        this.error('The string at this location is not terminated: the escape sequence is incomplete.', p, p + 1);
        malformed = true;
        continue;
      }
      if (isNewLineChar(e)) {
        this.error('Unrecognized escape sequence "\\" at the end of the line.', p, p + 1);
        malformed = true;
        continue;
      }
      this.pos = p + 2;
      const ch = String.fromCharCode(e);
      if (ch === 'u') {
        if (this.code(p + 2) !== 123) {
          this.error('Invalid unicode escape sequence: expected "\\u{" followed by hexadecimal digits and "}".', p, this.pos);
          malformed = true;
          continue;
        }
        let q = p + 3;
        while (isHex(this.code(q))) q++;
        const hex = this.text.slice(p + 3, q);
        if (hex.length === 0 || this.code(q) !== 125) {
          this.pos = q;
          this.error('Invalid unicode escape sequence: expected "\\u{" followed by hexadecimal digits and "}".', p, q);
          malformed = true;
          continue;
        }
        this.pos = q + 1;
        const cp = hex.length > 8 ? Infinity : parseInt(hex, 16);
        if (!(cp <= 0x10ffff)) {
          this.error('Invalid unicode escape sequence: the code point must be at most 10FFFF.', p, this.pos);
          malformed = true;
          continue;
        }
        value += String.fromCodePoint(cp);
        continue;
      }
      const decoded = SINGLE_ESCAPES[ch];
      if (decoded === undefined) {
        this.error(
          `The specified escape sequence "\\${ch}" is not recognized. Only \\\\, \\', \\n, \\r, \\t, \\$ and \\u{...} are permitted.`,
          p,
          p + 2,
        );
        malformed = true;
        value += ch;
        continue;
      }
      value += decoded;
    }
  }

  /**
   * Scans a multi-line string segment. `this.pos` is just past the opening `'''` (or `$'''`) or `}`.
   * Multi-line strings have no escapes; they end at the first run of three or more quotes.
   */
  private scanMultilineSegment(start: number, first: boolean, escapeCount: number, trivia: Trivia[]): Token {
    const contentStart = this.pos;
    let p = this.pos;
    const length = this.text.length;
    while (p < length) {
      const c = this.code(p);
      if (c === 36 /* $ */) {
        const runStart = p;
        while (this.code(p) === 36) p++;
        if (escapeCount > 0 && p - runStart >= escapeCount && this.code(p) === 123) {
          p++;
          this.pos = p;
          let value = this.text.slice(contentStart, p - escapeCount - 1);
          if (first) value = stripLeadingNewLine(value);
          return this.make(first ? 'StringLeftPiece' : 'StringMiddlePiece', start, trivia, { value, multiline: true });
        }
        continue;
      }
      if (c === 39) {
        const runStart = p;
        while (this.code(p) === 39) p++;
        if (p - runStart >= 3) {
          this.pos = p;
          let value = this.text.slice(contentStart, p - 3);
          if (first) value = stripLeadingNewLine(value);
          return this.make(first ? 'StringComplete' : 'StringRightPiece', start, trivia, { value, multiline: true });
        }
        continue;
      }
      p++;
    }
    this.pos = length;
    this.error("The multi-line string at this location is not terminated. Terminate it with \"'''\".", start, length);
    let value = this.text.slice(contentStart, length);
    if (first) value = stripLeadingNewLine(value);
    return this.make(first ? 'StringComplete' : 'StringRightPiece', start, trivia, {
      value,
      multiline: true,
      malformed: true,
    });
  }
}

function stripLeadingNewLine(value: string): string {
  let i = 0;
  if (value.charCodeAt(i) === 13) i++;
  if (value.charCodeAt(i) === 10) i++;
  return value.slice(i);
}

/** Lexes Bicep source text. Never throws. */
export function lex(text: string): LexResult {
  return new Lexer(text).run();
}
