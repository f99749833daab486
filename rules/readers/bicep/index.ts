// Public API of the Bicep reader: a hand-written lexer and parser for `.bicep` and `.bicepparam`.
//
//   const { program, errors, comments } = parseBicep(text);
//
// The parser never throws: a broken file yields a tree (with `Skipped` nodes where text could not
// be parsed) plus a list of errors with UTF-16 offsets.

import type { ProgramNode, ParseError, Comment } from './ast';
import { parse, type ParseResult } from './parser';

export * from './ast';
export { lex, type Token, type TokenKind, type Trivia, type TriviaKind, type LexResult } from './lexer';
export { MAX_DEPTH, type ParseResult } from './parser';
export { walk, visit, children, findAll, nodeAt, type Visitor } from './walk';

export interface BicepParseResult extends ParseResult {
  program: ProgramNode;
  errors: ParseError[];
  comments: Comment[];
}

/** Parses a `.bicep` file. */
export function parseBicep(text: string): BicepParseResult {
  return parse(text, 'bicep');
}

/** Parses a `.bicepparam` file. */
export function parseBicepParam(text: string): BicepParseResult {
  return parse(text, 'bicepparam');
}

/**
 * The parse of a text, shared by whoever asks for the same text again soon: the reader of a
 * template and of its modules, and the writer working out each finding's fix, all start from the
 * same unedited files. Results are only read, never changed.
 */
const recent = { bicep: new Map<string, BicepParseResult>(), bicepparam: new Map<string, BicepParseResult>() };
const RECENT_PARSES = 16;

export function parseBicepShared(text: string, mode: 'bicep' | 'bicepparam' = 'bicep'): BicepParseResult {
  const cache = recent[mode];
  let r = cache.get(text);
  if (r) cache.delete(text);
  else {
    r = parse(text, mode);
    if (cache.size >= RECENT_PARSES) cache.delete(cache.keys().next().value!);
  }
  cache.set(text, r);
  return r;
}

/** Parses by file name: `.bicepparam` files as parameter files, everything else as Bicep. */
export function parseBicepFile(fileName: string, text: string): BicepParseResult {
  return fileName.toLowerCase().endsWith('.bicepparam') ? parseBicepParam(text) : parseBicep(text);
}

/** 0-based line and column (UTF-16) of an offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart };
}
