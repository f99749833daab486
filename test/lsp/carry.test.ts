// server/carry.ts without a connection: which findings of the last parsed text stand in a broken one, and where.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { carriedDiagnostics } from '../../server/carry';

const URI = 'file:///work/azuredeploy.json';
const OTHER = 'file:///work/azuredeploy.parameters.json';

function at(line: number, from: number, to: number): Diagnostic['range'] {
  return { start: { line, character: from }, end: { line, character: to } };
}

function finding(code: string, range: Diagnostic['range'], related?: Diagnostic['relatedInformation']): Diagnostic {
  return { code, range, message: `${code} message`, source: 'redis-posture', severity: 1, data: { fixable: true }, relatedInformation: related };
}

const TEXT = ['{', '  "a": 1,', '  "b": 2,', '  "c": 3', '}', ''].join('\n');

describe('carriedDiagnostics', () => {
  const a = finding('rule-a', at(1, 2, 5));
  const b = finding('rule-b', at(2, 2, 5), [
    { location: { uri: URI, range: at(3, 2, 5) }, message: 'same file' },
    { location: { uri: OTHER, range: at(3, 2, 5) }, message: 'other file' },
  ]);
  const c = finding('rule-c', at(3, 2, 5));
  const base = { uri: URI, text: TEXT, diagnostics: [finding('parse-error', at(0, 0, 1)), a, b, c] };

  it('moves findings after an inserted line, keeps those before, drops what only described the old reading', () => {
    const text = TEXT.replace('  "b"', '  "x\n  "b"');
    const out = carriedDiagnostics(base, text);
    assert.deepEqual(
      out.map((d) => [d.code, d.range]),
      [
        ['rule-a', at(1, 2, 5)],
        ['rule-b', at(3, 2, 5)],
        ['rule-c', at(4, 2, 5)],
      ],
    );
    assert.deepEqual(out[1].relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [
      [URI, 4],
      [OTHER, 3],
    ]);
    assert.ok(out.every((d) => (d.data as { fixable: boolean }).fixable === false));
  });

  it('drops a finding whose line was edited, anywhere on it, and a related location there', () => {
    const text = TEXT.replace('"b": 2', '"b": 22').replace('"c": 3', '"c": 33,');
    assert.deepEqual(carriedDiagnostics(base, TEXT.replace('"b": 2', '"b": 22')).map((d) => d.code), ['rule-a', 'rule-c']);
    // One region spanning b and c: both go.
    assert.deepEqual(carriedDiagnostics(base, text).map((d) => d.code), ['rule-a']);
    const onlyC = carriedDiagnostics(base, TEXT.replace('"c": 3', '"c": 3 x'));
    assert.deepEqual(onlyC.map((d) => d.code), ['rule-a', 'rule-b']);
    assert.deepEqual(onlyC[1].relatedInformation?.map((r) => r.location.uri), [OTHER], 'the related line that changed is dropped');
  });

  it('keeps the positions of a finding on the line after an edit that only changed the line before it', () => {
    const text = TEXT.replace('"a": 1,', '"a": 100,');
    assert.deepEqual(carriedDiagnostics(base, text).map((d) => [d.code, d.range.start.line]), [
      ['rule-b', 2],
      ['rule-c', 3],
    ]);
  });

  it('a line deleted above findings moves them up; one typed inside a line drops that line\'s finding', () => {
    assert.deepEqual(carriedDiagnostics(base, TEXT.replace('  "a": 1,\n', '')).map((d) => [d.code, d.range.start.line]), [
      ['rule-b', 1],
      ['rule-c', 2],
    ]);
    // The same deletion, which a prefix-and-suffix diff sees as starting after "  \"" of line 2.
    const joined = TEXT.replace('  "b": 2,\n', '');
    assert.deepEqual(carriedDiagnostics({ ...base, diagnostics: [a, c] }, joined).map((d) => [d.code, d.range.start.line]), [
      ['rule-a', 1],
      ['rule-c', 2],
    ]);
    assert.deepEqual(carriedDiagnostics(base, TEXT.replace('  "b"', '  x"b"')).map((d) => d.code), ['rule-a', 'rule-c']);
  });

  it('lines pasted above a finding move it, however the diff first places them', () => {
    const pasted = TEXT.replace('  "b"', '  "x": 0,\n  "y": 0,\n  "b"');
    assert.deepEqual(carriedDiagnostics(base, pasted).map((d) => [d.code, d.range.start.line]), [
      ['rule-a', 1],
      ['rule-b', 4],
      ['rule-c', 5],
    ]);
    const many = '  "z": 0,\n'.repeat(20_000);
    assert.deepEqual(carriedDiagnostics(base, TEXT.replace('  "b"', `${many}  "b"`)).map((d) => [d.code, d.range.start.line]), [
      ['rule-a', 1],
      ['rule-b', 20_002],
      ['rule-c', 20_003],
    ]);
  });

  it('carries nothing when the base said nothing but its reading', () => {
    assert.deepEqual(carriedDiagnostics({ uri: URI, text: TEXT, diagnostics: [finding('parse-error', at(0, 0, 1))] }, TEXT + ','), []);
  });
});
