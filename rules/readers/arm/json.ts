// JSON text → located value tree, with the guards that keep bad input from hurting us.

import { printParseErrorCode, visit } from 'jsonc-parser';
import { ArrayVal, JsonPath, ObjectVal, Span, Val } from '../../model';

export const MAX_NESTING = 512;

export interface JsonDoc {
  root: Val;
}

export interface TextError {
  message: string;
  offset: number;
  length: number;
}

/** Deepest bracket nesting of a JSON(C) text, strings and comments skipped; stops counting past `limit`. */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const j = text.indexOf('\n', i);
      i = j < 0 ? n : j;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const j = text.indexOf('*/', i + 2);
      i = j < 0 ? n : j + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** True when the text looks binary (NUL bytes or many control characters) rather than JSON. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) control++;
  }
  return control > 8;
}

export function parseJsonDoc(file: string, text: string): { doc?: JsonDoc; error?: TextError } {
  if (looksBinary(text)) return { error: { message: 'not a text file (binary content)', offset: 0, length: 0 } };
  const depth = nestingDepth(text, MAX_NESTING);
  if (depth > MAX_NESTING) {
    return { error: { message: `JSON nested deeper than ${MAX_NESTING} levels; not a template this tool reads`, offset: 0, length: 0 } };
  }
  return buildVals(file, text);
}

interface Frame {
  val: ObjectVal | ArrayVal;
  path: JsonPath;
  start: number;
  /** For objects: the pending property name and its key span. */
  key?: string;
  keyAt?: Span;
}

/** One pass over the text with jsonc-parser's visitor, building located values directly. */
function buildVals(file: string, text: string): { doc?: JsonDoc; error?: TextError } {
  const stack: Frame[] = [];
  let root: Val | undefined;
  let error: TextError | undefined;
  const childPath = (): JsonPath => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    // A member's value shares its key span's path array (the same path).
    return top.val.kind === 'object' ? top.keyAt?.path ?? [...top.path, top.key!] : extend(top.path, top.val.items.length);
  };
  const attach = (v: Val): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = v;
      return;
    }
    if (top.val.kind === 'array') top.val.items.push(v);
    else if (top.key !== undefined) {
      top.val.members.set(top.key.toLowerCase(), { key: top.key, keyAt: top.keyAt, value: v });
      top.key = undefined;
    }
  };
  visit(
    text,
    {
      onObjectBegin: (offset) => {
        const path = childPath();
        stack.push({ val: { kind: 'object', members: new Map(), at: { file, start: offset, end: offset, path } }, path, start: offset });
      },
      onObjectProperty: (property, offset, length) => {
        const top = stack[stack.length - 1];
        top.key = property;
        top.keyAt = { file, start: offset, end: offset + length, path: extend(top.path, property) };
      },
      onObjectEnd: (offset, length) => {
        const f = stack.pop()!;
        f.val.at!.end = offset + length;
        attach(f.val);
      },
      onArrayBegin: (offset) => {
        const path = childPath();
        stack.push({ val: { kind: 'array', items: [], at: { file, start: offset, end: offset, path } }, path, start: offset });
      },
      onArrayEnd: (offset, length) => {
        const f = stack.pop()!;
        f.val.at!.end = offset + length;
        attach(f.val);
      },
      onLiteralValue: (value, offset, length) => {
        const top = stack[stack.length - 1];
        // Objects share the key span's path array: the value's path is the same.
        const path = top ? (top.val.kind === 'object' ? top.keyAt?.path ?? childPath() : childPath()) : [];
        attach({ kind: 'prim', value: value ?? null, at: { file, start: offset, end: offset + length, path } });
      },
      onError: (code, offset, length) => {
        error ??= { message: `invalid JSON: ${describe(printParseErrorCode(code))}`, offset, length };
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  if (error) return { error };
  if (!root) return { error: { message: 'empty file', offset: 0, length: 0 } };
  return { doc: { root } };
}

/** `[...path, seg]`, allocated at its exact size (spread and push leave spare capacity in every path). */
function extend(path: JsonPath, seg: string | number): JsonPath {
  const n = path.length;
  const out: JsonPath = new Array(n + 1);
  for (let i = 0; i < n; i++) out[i] = path[i];
  out[n] = seg;
  return out;
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
