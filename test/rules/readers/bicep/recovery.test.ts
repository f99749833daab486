// Error recovery, robustness and termination.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_DEPTH, parseBicep, parseBicepFile, parseBicepParam, type Statement } from '../../../../rules/readers/bicep';
import { CORPUS, FIXTURES, assertWellFormed, listFiles, prng } from './helpers';

const declNames = (statements: Statement[]): string[] =>
  statements.filter((s) => 'name' in s && s.name && 'name' in s.name).map((s) => (s as { name: { name: string } }).name.name);

describe('error recovery', () => {
  it('keeps the statements before and after a broken line', () => {
    const text = [
      "param before string = 'a'",
      'var broken = (1 + * ]] )) {',
      'resource after \'Microsoft.Cache/redis@2024-11-01\' = {',
      "  name: 'cache'",
      '}',
      'output last string = before',
    ].join('\n');
    const result = parseBicep(text);
    assert.ok(result.errors.length > 0);
    assert.deepEqual(declNames(result.program.statements), ['before', 'broken', 'after', 'last']);
    const resource = result.program.statements[2];
    assert.equal(resource.kind, 'ResourceDeclaration');
    assertWellFormed(text, result);
  });

  it('recovers inside an object body and keeps the following properties', () => {
    const text = "resource r 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'x'\n  bad: 1 + * 2\n  location: 'westus'\n  properties: {\n    enableNonSslPort: true\n  }\n}\nvar after = 1\n";
    const result = parseBicep(text);
    assert.ok(result.errors.length > 0);
    const r = result.program.statements[0];
    assert.equal(r.kind, 'ResourceDeclaration');
    if (r.kind !== 'ResourceDeclaration' || r.value.kind !== 'ObjectLiteral') throw new Error('expected an object body');
    const keys = r.value.members.map((m) => (m.kind === 'ObjectProperty' ? m.keyName : m.kind));
    assert.deepEqual(keys, ['name', 'bad', 'location', 'properties']);
    assert.deepEqual(declNames(result.program.statements), ['r', 'after']);
  });

  it('reports an unexpected token after a complete declaration and continues', () => {
    const result = parseBicep("var a = 1 2 3\nvar b = 2\n");
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0].message, /new line/);
    assert.deepEqual(declNames(result.program.statements), ['a', 'b']);
  });

  it('reports an unknown declaration keyword and continues', () => {
    const result = parseBicep('foo bar baz\nvar ok = true\n');
    assert.equal(result.errors.length, 1);
    assert.equal(result.program.statements[0].kind, 'Skipped');
    assert.deepEqual(declNames(result.program.statements), ['ok']);
  });

  it('handles incomplete declarations at the end of the file', () => {
    for (const text of ['param', 'param x', 'var x =', 'resource r', "resource r 'a@b' =", 'output o string =', 'type t = {', 'func f(', 'import {', "var s = '${", "var s = '''", '@description(', '/*']) {
      const result = parseBicep(text);
      assert.ok(result.errors.length > 0, `expected an error for ${JSON.stringify(text)}`);
      assertWellFormed(text, result, text);
    }
  });

  it('limits nesting depth with an explicit error instead of overflowing the stack', () => {
    const shapes: [string, string][] = [
      ['(', ')'],
      ['[', ']'],
      ['[\n', '\n]'],
      ['{a: ', '}'],
      ['{\na: ', '\n}'],
      ['f(', ')'],
      ["'${", "}'"],
      ['!(', ')'],
      ['x => (', ')'],
    ];
    for (const [open, close] of shapes) {
      const text = `var before = 1\nvar deep = ${open.repeat(2000)}1${close.repeat(2000)}\nvar after = 2\n`;
      const started = Date.now();
      const result = parseBicep(text);
      assert.ok(Date.now() - started < 5000, 'deep input must be handled quickly');
      assert.equal(result.errors.length, 1, `one depth error for ${JSON.stringify(open)}`);
      assert.match(result.errors[0].message, /nesting depth/);
      assert.deepEqual(declNames(result.program.statements), ['before', 'after']);
      assertWellFormed(text, result, open);
    }
    // deep types and deeply nested child resources
    const deepType = `type t = ${'{a: '.repeat(2000)}string${'}'.repeat(2000)}\nparam p string\n`;
    assert.deepEqual(declNames(parseBicep(deepType).program.statements), ['p']);
    let nestedResources = "resource r 'a@b' = {\n";
    for (let i = 0; i < 1000; i++) nestedResources += `resource c${i} 'x' = {\n`;
    nestedResources += '}\n'.repeat(1001) + 'var after = 1\n';
    const nested = parseBicep(nestedResources);
    assert.equal(nested.errors.length, 1);
    assert.deepEqual(declNames(nested.program.statements), ['after']);
  });

  it('accepts nesting below the limit', () => {
    const depth = Math.floor(MAX_DEPTH / 2);
    const text = `var x = ${'['.repeat(depth)}1${']'.repeat(depth)}\nvar y = ${'('.repeat(depth)}1${')'.repeat(depth)}\n`;
    assert.deepEqual(parseBicep(text).errors, []);
  });

  it('never throws on arbitrary garbage', () => {
    const garbage = ["'''", '${', '}}}}', ']]]', ')))', '@@@', '#', '\u0000\uffff\ud800', '"', '\\', '&&&', '|||', '...', '::', '=>', '?.', '[?', '!!!', '\t\r\n\r\r'];
    const rnd = prng(7);
    for (let i = 0; i < 300; i++) {
      let text = '';
      const n = 1 + Math.floor(rnd() * 30);
      for (let j = 0; j < n; j++) text += garbage[Math.floor(rnd() * garbage.length)] + (rnd() < 0.3 ? ' ' : '');
      for (const parse of [parseBicep, parseBicepParam]) {
        const result = parse(text);
        assertWellFormed(text, result, JSON.stringify(text));
      }
    }
  });
});

describe('fuzzing real files (fixed seed)', () => {
  const sources: string[] = [];
  if (existsSync(CORPUS)) sources.push(...listFiles(CORPUS, /\.bicep(param)?$/));
  sources.push(...listFiles(join(FIXTURES, 'valid'), /\.bicep(param)?$/));
  const texts = sources.map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  const alphabet = "{}[]()'\"$@#:?!.,=<>|&*/\\\n\r\t abc019_";

  it('random truncations never throw and terminate quickly', () => {
    const rnd = prng(20241201);
    const started = Date.now();
    let runs = 0;
    for (const { file, text } of texts) {
      for (let i = 0; i < 8; i++) {
        const cut = text.slice(0, Math.floor(rnd() * (text.length + 1)));
        const t0 = Date.now();
        const result = parseBicepFile(file, cut);
        assert.ok(Date.now() - t0 < 2000, `slow parse of a truncation of ${file}`);
        assertWellFormed(cut, result, `${file} cut at ${cut.length}`);
        runs++;
      }
    }
    assert.ok(runs > 0);
    assert.ok(Date.now() - started < 60000);
  });

  it('random byte edits (insert, delete, replace) never throw and terminate quickly', () => {
    const rnd = prng(42);
    for (const { file, text } of texts) {
      for (let i = 0; i < 8; i++) {
        let mutated = text;
        const edits = 1 + Math.floor(rnd() * 6);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(rnd() * (mutated.length + 1));
          const ch = rnd() < 0.1 ? String.fromCharCode(Math.floor(rnd() * 0xffff)) : alphabet[Math.floor(rnd() * alphabet.length)];
          const op = rnd();
          if (op < 0.4) mutated = mutated.slice(0, at) + ch + mutated.slice(at);
          else if (op < 0.7) mutated = mutated.slice(0, at) + mutated.slice(at + 1 + Math.floor(rnd() * 20));
          else mutated = mutated.slice(0, at) + ch + mutated.slice(at + 1);
        }
        const t0 = Date.now();
        const result = parseBicepFile(file, mutated);
        assert.ok(Date.now() - t0 < 2000, `slow parse of an edit of ${file}`);
        assertWellFormed(mutated, result, `${file} edit ${i}`);
      }
    }
  });

  it('a damaged declaration leaves the rest of a real file parsed', () => {
    const rnd = prng(99);
    let checked = 0;
    for (const { file, text } of texts.filter((t) => t.file.endsWith('.bicep'))) {
      const clean = parseBicepFile(file, text);
      if (clean.errors.length > 0) continue;
      // single-line, undecorated param/var/output declarations
      const candidates = clean.program.statements.filter(
        (s) =>
          (s.kind === 'ParameterDeclaration' || s.kind === 'VariableDeclaration' || s.kind === 'OutputDeclaration') &&
          s.decorators.length === 0 &&
          !text.slice(s.start, s.end).includes('\n'),
      );
      if (candidates.length < 3) continue;
      const victim = candidates[1 + Math.floor(rnd() * (candidates.length - 2))];
      const keyword = text.slice(victim.start, victim.end).split(' ')[0];
      const damagedText = text.slice(0, victim.start) + `${keyword} ?? ) ] }` + text.slice(victim.end);
      const damaged = parseBicepFile(file, damagedText);
      assert.ok(damaged.errors.length > 0);
      assert.equal(damaged.program.statements.length, clean.program.statements.length, file);
      const kinds = (r: typeof clean) => r.program.statements.map((s) => s.kind);
      const index = clean.program.statements.indexOf(victim);
      assert.deepEqual(kinds(damaged).slice(0, index), kinds(clean).slice(0, index), file);
      assert.deepEqual(kinds(damaged).slice(index + 1), kinds(clean).slice(index + 1), file);
      checked++;
    }
    assert.ok(checked > 0);
  });
});
