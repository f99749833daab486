// Shared helpers for the Bicep reader tests.

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { children, walk, type BicepParseResult, type Node } from '../../../../rules/readers/bicep';

/** Repository root (this file runs from out/test/rules/readers/bicep). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
/** The shared real-template corpus, read in place (never copied into the project). */
export const CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpus');
/** Hand-written fixtures (sources, not compiled output). */
export const FIXTURES = resolve(REPO_ROOT, 'test', 'fixtures', 'bicep');

export function listFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const visitDir = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) visitDir(p);
      else if (pattern.test(name)) out.push(p);
    }
  };
  visitDir(dir);
  return out;
}

/** Concatenating every token's leading trivia and text must give back the source. */
export function reconstruct(result: BicepParseResult): string {
  let s = '';
  for (const t of result.tokens) {
    for (const tr of t.leadingTrivia) s += tr.text;
    s += t.text;
  }
  return s;
}

/** Checks structural invariants: spans inside the text, children inside their parent, errors in range. */
export function assertWellFormed(text: string, result: BicepParseResult, label = ''): void {
  assert.equal(reconstruct(result), text, `${label}: tokens must reproduce the source`);
  walk(result.program, (node: Node) => {
    assert.ok(node.start >= 0 && node.start <= node.end && node.end <= text.length, `${label}: bad span on ${node.kind} [${node.start}, ${node.end}]`);
    for (const child of children(node)) {
      assert.ok(
        child.start >= node.start && child.end <= node.end,
        `${label}: ${child.kind} [${child.start}, ${child.end}] is outside its parent ${node.kind} [${node.start}, ${node.end}]`,
      );
    }
  });
  for (const e of result.errors) {
    assert.ok(e.start >= 0 && e.start <= e.end && e.end <= text.length, `${label}: bad error span ${JSON.stringify(e)}`);
    assert.equal(typeof e.message, 'string');
  }
}

export function formatErrors(text: string, result: BicepParseResult): string {
  return result.errors
    .slice(0, 10)
    .map((e) => {
      const line = text.slice(0, e.start).split('\n').length;
      return `  line ${line}: ${e.message} ${JSON.stringify(text.slice(e.start, e.end + 20))}`;
    })
    .join('\n');
}

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const toCrlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
