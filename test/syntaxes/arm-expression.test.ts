// The ARM expression injection (syntaxes/arm-expression.injection.tmLanguage.json), tokenized with
// vscode-textmate inside a minimal JSON host grammar (test/fixtures/syntaxes).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, test } from 'node:test';
import type { IGrammar } from 'vscode-textmate';
import { CORPUS, JSON_HOSTS, Token, dump, filesUnder, loadGrammar, tokenAt, token, tokenize, tokenizeLine, assertScope, has } from './textmate';

const EXPR = 'meta.embedded.expression.arm-expression';


function assertNoExpression(tokens: Token[]): void {
  for (const t of tokens) {
    assert.ok(!t.scopes.some((s) => s.endsWith('.arm-expression') && !s.startsWith('constant.character.escape')), `no expression scope expected on ${JSON.stringify(t.text)}:\n${dump(tokens)}`);
  }
}

describe('ARM expression injection', () => {
  let json: IGrammar;

  test('loads with the JSON host grammar', async () => {
    json = await loadGrammar('source.json');
  });

  test('format(...) with nested calls and property access', () => {
    const line = `{ "name": "[format('redis-{0}', uniqueString(resourceGroup().id))]" }`;
    const tokens = tokenizeLine(json, line);
    assertScope(tokens, '"', 'punctuation.definition.string.begin.json', 2);
    const open = assertScope(tokens, '[', 'punctuation.definition.expression.begin.arm-expression');
    assert.ok(has(open, 'string.quoted.double.json') && has(open, EXPR));
    assertScope(tokens, 'format', 'support.function.arm-expression');
    assertScope(tokens, '(', 'punctuation.definition.arguments.begin.arm-expression', 0);
    assertScope(tokens, "'", 'punctuation.definition.string.begin.arm-expression', 0);
    assertScope(tokens, 'redis-{0}', 'string.quoted.single.arm-expression');
    assertScope(tokens, "'", 'punctuation.definition.string.end.arm-expression', 1);
    assertScope(tokens, ',', 'punctuation.separator.arguments.arm-expression');
    assertScope(tokens, 'uniqueString', 'support.function.arm-expression');
    assertScope(tokens, 'resourceGroup', 'support.function.arm-expression');
    assertScope(tokens, ')', 'punctuation.definition.arguments.end.arm-expression', 0);
    assertScope(tokens, '.', 'punctuation.accessor.arm-expression');
    assertScope(tokens, 'id', 'variable.other.property.arm-expression');
    assertScope(tokens, ')', 'punctuation.definition.arguments.end.arm-expression', 2);
    assertScope(tokens, ']', 'punctuation.definition.expression.end.arm-expression');
    const close = assertScope(tokens, '"', 'punctuation.definition.string.end.json', 3);
    assert.ok(!has(close, EXPR), 'the closing quote is not part of the expression');
    // The property name is untouched.
    assert.ok(!has(token(tokens, 'name'), EXPR));
    const end = token(tokens, '}');
    assert.ok(!has(end, EXPR) && !has(end, 'string.quoted.double.json'));
  });

  test("'' escapes inside a string literal", () => {
    const tokens = tokenizeLine(json, `["[concat('it''s', 'x')]"]`);
    assertScope(tokens, 'it', 'string.quoted.single.arm-expression');
    const esc = assertScope(tokens, "''", 'constant.character.escape.arm-expression');
    assert.ok(has(esc, 'string.quoted.single.arm-expression'));
    assertScope(tokens, 's', 'string.quoted.single.arm-expression');
    assertScope(tokens, 'x', 'string.quoted.single.arm-expression');
    assertScope(tokens, ']', 'punctuation.definition.expression.end.arm-expression');
  });

  test('numbers, index brackets and constants', () => {
    const tokens = tokenizeLine(json, `{ "a": "[add(variables('list')[0], -2.5)]", "b": "[if(true, null, 1)]" }`);
    assertScope(tokens, 'add', 'support.function.arm-expression');
    assertScope(tokens, 'variables', 'support.function.arm-expression');
    assertScope(tokens, '[', 'punctuation.definition.index.begin.arm-expression', 1);
    assertScope(tokens, '0', 'constant.numeric.arm-expression');
    assertScope(tokens, ']', 'punctuation.definition.index.end.arm-expression', 0);
    assertScope(tokens, '-2.5', 'constant.numeric.arm-expression');
    assertScope(tokens, 'if', 'support.function.arm-expression');
    assertScope(tokens, 'true', 'constant.language.arm-expression');
    assertScope(tokens, 'null', 'constant.language.arm-expression');
    assertScope(tokens, '1', 'constant.numeric.arm-expression');
    assertScope(tokens, ']', 'punctuation.definition.expression.end.arm-expression', 2);
  });

  test('namespaced user-defined functions', () => {
    const tokens = tokenizeLine(json, `{ "n": "[contoso.uniqueName(parameters('prefix'))]" }`);
    assertScope(tokens, 'contoso', 'entity.name.namespace.arm-expression');
    assertScope(tokens, '.', 'punctuation.accessor.arm-expression');
    assertScope(tokens, 'uniqueName', 'entity.name.function.user.arm-expression');
    assertScope(tokens, 'parameters', 'support.function.arm-expression');
    assertScope(tokens, 'prefix', 'string.quoted.single.arm-expression');
  });

  test('chained property access after calls and indexes', () => {
    const tokens = tokenizeLine(json, `{ "k": "[reference(variables('ids')[1], '2024-11-01').accessKeys.primaryKey]" }`);
    assertScope(tokens, 'reference', 'support.function.arm-expression');
    assertScope(tokens, '2024-11-01', 'string.quoted.single.arm-expression');
    assertScope(tokens, 'accessKeys', 'variable.other.property.arm-expression');
    assertScope(tokens, 'primaryKey', 'variable.other.property.arm-expression');
    assertScope(tokens, '.', 'punctuation.accessor.arm-expression', 1);
  });

  test('"[[not an expression]" is the escape, not an expression', () => {
    const tokens = tokenizeLine(json, `{ "literal": "[[not an expression]" }`);
    assertNoExpression(tokens);
    const esc = assertScope(tokens, '[[', 'constant.character.escape.arm-expression');
    assert.ok(has(esc, 'string.quoted.double.json'));
    const rest = token(tokens, 'not an expression]');
    assert.equal(rest.scopes.at(-1), 'string.quoted.double.json');
  });

  test('plain strings are unaffected', () => {
    const cases = [
      `{ "name": "redis-cache" }`,
      `{ "name": "[not closed" }`,
      `{ "name": "not opened]" }`,
      `{ "name": " [leading space]" }`,
      `{ "name": "[trailing text] " }`,
      `{ "name": "a [b] c" }`,
      `{ "name": "[[unclosed escape" }`,
      `["Microsoft.Cache/redis", 6380, true, null]`,
    ];
    for (const line of cases) {
      const tokens = tokenizeLine(json, line);
      assertNoExpression(tokens);
      for (const t of tokens) {
        if (has(t, 'string.quoted.double.json')) assert.ok(t.scopes.at(-1)!.endsWith('.json'), `${line}: ${dump(tokens)}`);
      }
    }
  });

  test('JSON escapes inside an expression; a bare quote always ends it', () => {
    const tokens = tokenizeLine(json, `{ "a": "[concat('say \\"hi\\"', parameters('p'))]", "b": "plain" }`);
    assertScope(tokens, '\\"', 'constant.character.escape.json.arm-expression', 0);
    assertScope(tokens, 'hi', 'string.quoted.single.arm-expression');
    assertScope(tokens, 'parameters', 'support.function.arm-expression');
    assertScope(tokens, ']', 'punctuation.definition.expression.end.arm-expression');
    const plain = token(tokens, 'plain');
    assert.equal(plain.scopes.at(-1), 'string.quoted.double.json');
  });

  test('an unterminated literal or call stops at the end of the JSON string', () => {
    const r = tokenize(json, `{ "a": "[concat('abc]", "b": "[x(]", "c": "plain" }\n{ "d": "next line" }`);
    const [first, second] = r.lines;
    assert.ok(!has(token(first, 'plain'), EXPR), dump(first));
    assert.ok(!has(token(first, 'c'), EXPR), dump(first));
    for (const t of second) assert.ok(!t.scopes.some((s) => s.endsWith('.arm-expression')), dump(second));
    assert.equal(r.depth, 1);
  });

  for (const [host, { scopeName, suffix }] of Object.entries(JSON_HOSTS)) {
    test(`injected into ${scopeName} (${host})`, async () => {
      const grammar = await loadGrammar(scopeName);
      const tokens = tokenizeLine(grammar, `{ "name": "[toLower(parameters('cacheName'))]", "plain": "x" }`);
      const fn = assertScope(tokens, 'toLower', 'support.function.arm-expression');
      assert.ok(has(fn, `string.quoted.double.json${suffix}`));
      assertScope(tokens, 'cacheName', 'string.quoted.single.arm-expression');
      assert.equal(token(tokens, 'x').scopes.at(-1), `string.quoted.double.json${suffix}`);
    });
  }

  test('corpus ARM templates: every expression value is highlighted, nothing leaks past its string', { skip: filesUnder(CORPUS, '.json').length === 0 && 'no ../shared/corpus beside the clone' }, () => {
    // A string value (not a key) that is an expression: "[" not followed by "[", ends with "]".
    const valueExpr = /"(\[(?!\[)(?:[^"\\]|\\.)*\])"(?!\s*:)/g;
    let files = 0;
    let expressions = 0;
    for (const file of filesUnder(CORPUS, '.json')) {
      const text = readFileSync(file, 'utf8');
      const started = Date.now();
      const r = tokenize(json, text, 2000);
      const ms = Date.now() - started;
      const name = relative(CORPUS, file);
      assert.ok(!r.stoppedEarly, `${name}: a line took over 2 s`);
      assert.ok(ms < 10_000, `${name}: ${ms} ms`);
      assert.equal(r.depth, 1, `${name}: a rule is still open at the end of the file`);
      text.split(/\r?\n/).forEach((line, i) => {
        for (const m of line.matchAll(valueExpr)) {
          const open = m.index! + 1;
          const close = open + m[1].length;
          const tokens = r.lines[i];
          assert.ok(has(tokenAt(tokens, open), 'punctuation.definition.expression.begin.arm-expression'), `${name}:${i + 1}: ${line.trim()}\n${dump(tokens)}`);
          assert.ok(has(tokenAt(tokens, close - 1), 'punctuation.definition.expression.end.arm-expression'), `${name}:${i + 1}: ${line.trim()}\n${dump(tokens)}`);
          assert.ok(!has(tokenAt(tokens, close), EXPR), `${name}:${i + 1}: the expression runs past its string`);
          expressions++;
        }
      });
      files++;
    }
    console.log(`tokenized ${files} corpus JSON file(s), ${expressions} expression value(s) checked`);
    assert.ok(expressions > 0);
  });
});
