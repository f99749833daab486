// The Bicep grammar (syntaxes/bicep.tmLanguage.json), tokenized with vscode-textmate.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, test } from 'node:test';
import type { IGrammar } from 'vscode-textmate';
import { CORPUS, Token, Tokenized, dump, filesUnder, loadGrammar, token, tokenize, tokenizeLine, assertScope, has } from './textmate';

const INTERP = 'meta.template.expression.bicep';


function assertNotScope(tokens: Token[], text: string, scope: string, nth = 0): Token {
  const t = token(tokens, text, nth);
  assert.ok(!has(t, scope), `${JSON.stringify(text)} should not have ${scope}\n${dump(tokens)}`);
  return t;
}

describe('Bicep grammar', () => {
  let bicep: IGrammar;
  const line = (text: string) => tokenizeLine(bicep, text);
  const lines = (text: string): Tokenized => tokenize(bicep, text);

  test('loads', async () => {
    bicep = await loadGrammar('source.bicep');
  });

  test('every keyword on its own', () => {
    const declarations = ['targetScope', 'metadata', 'param', 'var', 'output', 'resource', 'module', 'existing', 'type', 'func', 'import', 'export', 'from', 'as', 'using', 'extends', 'assert', 'test', 'extension'];
    for (const kw of declarations) assertScope(line(kw), kw, 'keyword.control.declaration.bicep');
    for (const kw of ['if', 'for', 'in']) assertScope(line(kw), kw, 'keyword.control.flow.bicep');
    for (const c of ['true', 'false', 'null']) assertScope(line(c), c, 'constant.language.bicep');
  });

  test('keywords in declarations', () => {
    let t = line(`targetScope = 'resourceGroup'`);
    assertScope(t, 'targetScope', 'keyword.control.declaration.bicep');
    assertScope(t, '=', 'keyword.operator.assignment.bicep');
    assertScope(t, 'resourceGroup', 'string.quoted.single.bicep');

    t = line(`param location string = resourceGroup().location`);
    assertScope(t, 'param', 'keyword.control.declaration.bicep');
    assertScope(t, 'location', 'variable.other.declaration.bicep');
    assertScope(t, 'string', 'support.type.primitive.bicep');
    assertScope(t, 'resourceGroup', 'entity.name.function.bicep');
    assertScope(t, '.', 'punctuation.accessor.bicep');
    assertScope(t, 'location', 'variable.other.property.bicep', 1);

    t = line(`resource cache 'Microsoft.Cache/redis@2024-11-01' existing = {`);
    assertScope(t, 'resource', 'keyword.control.declaration.bicep');
    assertScope(t, 'cache', 'variable.other.declaration.bicep');
    assertScope(t, 'existing', 'keyword.control.declaration.bicep');
    assertScope(t, '{', 'punctuation.definition.object.begin.bicep');

    t = line(`module dep './modules/redis.bicep' = if (deploy) {`);
    assertScope(t, 'module', 'keyword.control.declaration.bicep');
    assertScope(t, 'if', 'keyword.control.flow.bicep');
    assertScope(t, 'deploy', 'variable.other.readwrite.bicep');

    t = line(`var names = [for (item, i) in items: '\${item}-\${i}']`);
    assertScope(t, 'var', 'keyword.control.declaration.bicep');
    assertScope(t, 'names', 'variable.other.declaration.bicep');
    assertScope(t, 'for', 'keyword.control.flow.bicep');
    assertScope(t, 'in', 'keyword.control.flow.bicep');
    assertScope(t, '[', 'punctuation.definition.array.begin.bicep');
    assertScope(t, ']', 'punctuation.definition.array.end.bicep');

    t = line(`output hostName string = cache.properties.hostName`);
    assertScope(t, 'output', 'keyword.control.declaration.bicep');
    assertScope(t, 'hostName', 'variable.other.declaration.bicep');
    assertScope(t, 'hostName', 'variable.other.property.bicep', 1);

    t = line(`type skuName = 'Basic' | 'Standard' | 'Premium'`);
    assertScope(t, 'type', 'keyword.control.declaration.bicep');
    assertScope(t, 'skuName', 'entity.name.type.bicep');
    assertScope(t, '|', 'keyword.operator.union.bicep');

    t = line(`func cacheName(prefix string) string => '\${prefix}-redis'`);
    assertScope(t, 'func', 'keyword.control.declaration.bicep');
    assertScope(t, 'cacheName', 'entity.name.function.bicep');
    assertScope(t, '=>', 'keyword.operator.arrow.bicep');

    t = line(`import { tlsVersion, skuName as sku } from './types.bicep'`);
    assertScope(t, 'import', 'keyword.control.declaration.bicep');
    assertScope(t, 'as', 'keyword.control.declaration.bicep');
    assertScope(t, 'from', 'keyword.control.declaration.bicep');
    assertScope(t, './types.bicep', 'string.quoted.single.bicep');

    t = line(`metadata description = 'A cache'`);
    assertScope(t, 'metadata', 'keyword.control.declaration.bicep');
    assertScope(t, 'description', 'variable.other.declaration.bicep');

    for (const [text, kw] of [
      [`using './main.bicep'`, 'using'],
      [`extends './base.bicepparam'`, 'extends'],
      [`extension microsoftGraphV1`, 'extension'],
      [`assert tlsOk = minTls == '1.2'`, 'assert'],
      [`test cacheTest 'main.bicep' = {`, 'test'],
    ]) {
      assertScope(line(text), kw, 'keyword.control.declaration.bicep');
    }
  });

  test('decorators', () => {
    let t = line(`@description('Name of the cache')`);
    assertScope(t, '@', 'punctuation.definition.decorator.bicep');
    assertScope(t, 'description', 'entity.name.function.decorator.bicep');
    assertScope(t, '(', 'punctuation.parenthesis.begin.bicep');
    assertScope(t, 'Name of the cache', 'string.quoted.single.bicep');
    assertScope(t, ')', 'punctuation.parenthesis.end.bicep');

    t = line(`@sys.minLength(3)`);
    assertScope(t, 'sys', 'entity.name.namespace.bicep');
    assertScope(t, 'minLength', 'entity.name.function.decorator.bicep');
    assertScope(t, '3', 'constant.numeric.bicep');

    t = line(`@allowed([ 'Basic', 'Standard' ])`);
    assertScope(t, 'allowed', 'entity.name.function.decorator.bicep');
    assertScope(t, 'Basic', 'string.quoted.single.bicep');
    assertScope(t, ',', 'punctuation.separator.comma.bicep');

    t = line(`@secure()`);
    assertScope(t, 'secure', 'entity.name.function.decorator.bicep');
    t = line(`@export()`);
    assertScope(t, 'export', 'entity.name.function.decorator.bicep');
  });

  test('comments', () => {
    let t = line(`var x = 1 // a comment with 'quotes' and \${braces}`);
    const c = assertScope(t, ` a comment with 'quotes' and \${braces}`, 'comment.line.double-slash.bicep');
    assert.ok(!has(c, 'string.quoted.single.bicep'));
    assertScope(t, '//', 'punctuation.definition.comment.bicep');
    assertScope(t, '1', 'constant.numeric.bicep');

    t = line(`/* inline */ param p int`);
    assertScope(t, ' inline ', 'comment.block.bicep');
    assertScope(t, 'param', 'keyword.control.declaration.bicep');

    const r = lines(`/*\n  param notCode string\n*/\nvar after = true`);
    assertScope(r.lines[1], '  param notCode string', 'comment.block.bicep');
    assertScope(r.lines[3], 'var', 'keyword.control.declaration.bicep');
    assertScope(r.lines[3], 'true', 'constant.language.bicep');
    assert.equal(r.depth, 1);

    t = line(`var url = 'https://example.com' // after a string`);
    assertScope(t, 'https://example.com', 'string.quoted.single.bicep');
    assertScope(t, ' after a string', 'comment.line.double-slash.bicep');
  });

  test('strings: escapes and interpolation', () => {
    let t = line(`var name = 'redis-\${uniqueString(resourceGroup().id)}-\${env}'`);
    assertScope(t, 'redis-', 'string.quoted.single.bicep');
    const open = assertScope(t, '${', 'punctuation.definition.template-expression.begin.bicep');
    assert.ok(has(open, 'string.quoted.single.bicep') && has(open, INTERP));
    const fn = assertScope(t, 'uniqueString', 'entity.name.function.bicep');
    assert.ok(has(fn, INTERP) && has(fn, 'meta.embedded.line.bicep'));
    assertScope(t, 'id', 'variable.other.property.bicep');
    assertScope(t, '}', 'punctuation.definition.template-expression.end.bicep');
    assertScope(t, 'env', 'variable.other.readwrite.bicep');
    assertScope(t, "'", 'punctuation.definition.string.end.bicep', 1);

    t = line(`var s = 'it\\'s \\\${not} a\\\\b\\n' + 'x'`);
    assertScope(t, "\\'", 'constant.character.escape.bicep');
    assertScope(t, '\\$', 'constant.character.escape.bicep');
    assertScope(t, '{not} a', 'string.quoted.single.bicep');
    assertNotScope(t, '{not} a', INTERP);
    assertScope(t, '\\\\', 'constant.character.escape.bicep');
    assertScope(t, '\\n', 'constant.character.escape.bicep');
    assertScope(t, '+', 'keyword.operator.arithmetic.bicep');
    assertNotScope(t, '+', 'string.quoted.single.bicep');
  });

  test('strings nested inside ${} (and interpolation inside those)', () => {
    const t = line(`var tier = 'sku-\${isProd ? 'premium' : 'basic-\${size}'}-\${ {a: 1}.a }' // done`);
    const premium = assertScope(t, 'premium', 'string.quoted.single.bicep');
    assert.ok(has(premium, INTERP), dump(t));
    // Inside ${...} the scopes go on from the enclosing string, but nothing after the
    // interpolation's own scope is a string.
    const q = assertScope(t, '?', 'keyword.operator.ternary.bicep');
    assert.ok(!q.scopes.slice(q.scopes.lastIndexOf(INTERP)).some((s) => s.startsWith('string.')), dump(t));
    const size = assertScope(t, 'size', 'variable.other.readwrite.bicep');
    assert.equal(size.scopes.filter((s) => s === INTERP).length, 2, 'size sits in two interpolations');
    assertScope(t, '{', 'punctuation.definition.object.begin.bicep');
    assertScope(t, 'a', 'variable.other.property.bicep');
    assertScope(t, '}', 'punctuation.definition.template-expression.end.bicep', 0);
    assertScope(t, '}', 'punctuation.definition.template-expression.end.bicep', 1);
    assertScope(t, '}', 'punctuation.definition.object.end.bicep', 2);
    assertScope(t, '}', 'punctuation.definition.template-expression.end.bicep', 3);
    const end = assertScope(t, "'", 'punctuation.definition.string.end.bicep', 5);
    assert.ok(!has(end, INTERP));
    assertScope(t, ' done', 'comment.line.double-slash.bicep');
  });

  test('an unterminated string ends with its line', () => {
    const r = lines(`var broken = 'no end\nparam next string`);
    assertScope(r.lines[0], 'no end', 'string.quoted.single.bicep');
    assertScope(r.lines[1], 'param', 'keyword.control.declaration.bicep');
    assertNotScope(r.lines[1], 'param', 'string.quoted.single.bicep');
    assert.equal(r.depth, 1);
  });

  test("multi-line strings '''...''' (verbatim) and $'''...''' (interpolated)", () => {
    let r = lines(`var script = '''\necho 'hi' \${notInterpolated} \\n // not a comment\n'''\nvar after = 1`);
    const body = assertScope(r.lines[1], `echo 'hi' \${notInterpolated} \\n // not a comment`, 'string.quoted.multi.bicep');
    assert.ok(!has(body, INTERP) && !has(body, 'comment.line.double-slash.bicep'));
    assertScope(r.lines[0], "'''", 'punctuation.definition.string.begin.bicep');
    assertScope(r.lines[2], "'''", 'punctuation.definition.string.end.bicep');
    assertScope(r.lines[3], 'var', 'keyword.control.declaration.bicep');
    assert.equal(r.depth, 1);

    let t = line(`var q = ''''quoted''''`);
    assertScope(t, "'quoted'", 'string.quoted.multi.bicep');
    assertScope(t, "'''", 'punctuation.definition.string.end.bicep', 1);

    r = lines(`var s = $'''\nhost: \${cache.properties.hostName}\n'''`);
    assertScope(r.lines[0], "$'''", 'punctuation.definition.string.begin.bicep');
    assertScope(r.lines[1], 'host: ', 'string.quoted.multi.interpolated.bicep');
    assertScope(r.lines[1], '${', 'punctuation.definition.template-expression.begin.bicep');
    assertScope(r.lines[1], 'hostName', 'variable.other.property.bicep');
    assert.equal(r.depth, 1);

    t = line(`var s = $$'''\${literal} $\${cache.name}'''`);
    assertScope(t, '${literal} ', 'string.quoted.multi.interpolated.bicep');
    assertNotScope(t, '${literal} ', INTERP);
    assertScope(t, '$${', 'punctuation.definition.template-expression.begin.bicep');
    assertScope(t, 'name', 'variable.other.property.bicep');
  });

  test('resource type strings', () => {
    const t = line(`resource redis 'Microsoft.Cache/redis@2024-11-01' = {`);
    const type = assertScope(t, 'Microsoft.Cache/redis', 'entity.name.type.resource.bicep');
    assert.ok(has(type, 'string.quoted.single.resource-type.bicep'));
    assertScope(t, '@', 'punctuation.separator.api-version.bicep');
    assertScope(t, '2024-11-01', 'constant.other.api-version.bicep');
    assertScope(t, "'", 'punctuation.definition.string.begin.bicep');

    const child = line(`resource db 'Microsoft.Cache/redisEnterprise/databases@2025-05-01-preview' = {`);
    assertScope(child, 'Microsoft.Cache/redisEnterprise/databases', 'entity.name.type.resource.bicep');
    assertScope(child, '2025-05-01-preview', 'constant.other.api-version.bicep');

    // Not a resource type: no '@' version, or an interpolation.
    assertNotScope(line(`var id = resourceId('Microsoft.Cache/redis', name)`), 'Microsoft.Cache/redis', 'entity.name.type.resource.bicep');
    assertScope(line(`var x = 'a/\${b}@c'`), 'b', INTERP);
  });

  test('numbers', () => {
    let t = line(`var port = 6380`);
    assertScope(t, '6380', 'constant.numeric.bicep');
    t = line(`var n = items[0] + -1`);
    assertScope(t, '0', 'constant.numeric.bicep');
    assertScope(t, '1', 'constant.numeric.bicep');
    assertScope(t, '-', 'keyword.operator.arithmetic.bicep');
    t = line(`var name = 'redis2'`);
    assertNotScope(t, 'redis2', 'constant.numeric.bicep');
  });

  test('operators', () => {
    const cases: [string, string, string][] = [
      [`var a = b ?? c`, '??', 'keyword.operator.coalesce.bicep'],
      [`var a = b == c`, '==', 'keyword.operator.comparison.bicep'],
      [`var a = b != c`, '!=', 'keyword.operator.comparison.bicep'],
      [`var a = b =~ c`, '=~', 'keyword.operator.comparison.bicep'],
      [`var a = b !~ c`, '!~', 'keyword.operator.comparison.bicep'],
      [`var a = b >= c`, '>=', 'keyword.operator.relational.bicep'],
      [`var a = b < c`, '<', 'keyword.operator.relational.bicep'],
      [`var a = b && c`, '&&', 'keyword.operator.logical.bicep'],
      [`var a = b || c`, '||', 'keyword.operator.logical.bicep'],
      [`var a = !b`, '!', 'keyword.operator.logical.bicep'],
      [`var a = b ? c : d`, '?', 'keyword.operator.ternary.bicep'],
      [`var a = b ? c : d`, ':', 'punctuation.separator.colon.bicep'],
      [`var a = map(xs, x => x * 2)`, '=>', 'keyword.operator.arrow.bicep'],
      [`var a = map(xs, x => x * 2)`, '*', 'keyword.operator.arithmetic.bicep'],
      [`var a = b % 2`, '%', 'keyword.operator.arithmetic.bicep'],
      [`var a = b.?c`, '.?', 'punctuation.accessor.bicep'],
      [`var a = b?.c`, '?.', 'punctuation.accessor.bicep'],
      [`var a = b!.c`, '!', 'keyword.operator.logical.bicep'],
      [`var a = parent::child.id`, '::', 'punctuation.accessor.bicep'],
      [`var a = { ...b, c: 1 }`, '...', 'keyword.operator.spread.bicep'],
    ];
    for (const [text, op, scope] of cases) assertScope(line(text), op, scope);
    const t = line(`var a = b.?c`);
    assertScope(t, 'c', 'variable.other.property.bicep');
    assertScope(line(`var a = parent::child.id`), 'child', 'variable.other.property.bicep');
  });

  test('object keys, plain and quoted; keywords as keys', () => {
    const r = lines([
      `resource redis 'Microsoft.Cache/redis@2024-11-01' = {`,
      `  name: cacheName`,
      `  properties: {`,
      `    'aad-enabled': 'true'`,
      `    type: 'x'`,
      `    sku: { name: 'Basic', 'family': 'C', capacity: 1 }`,
      `    enableNonSslPort: false`,
      `  }`,
      `}`,
    ].join('\n'));
    const [, name, properties, quoted, type, inline, flag] = r.lines;
    assertScope(name, 'name', 'variable.other.property.bicep');
    assertScope(name, 'name', 'meta.object-literal.key.bicep');
    assertScope(name, ':', 'punctuation.separator.key-value.bicep');
    assertScope(name, 'cacheName', 'variable.other.readwrite.bicep');
    assertScope(properties, 'properties', 'meta.object-literal.key.bicep');
    const q = assertScope(quoted, 'aad-enabled', 'meta.object-literal.key.bicep');
    assert.ok(has(q, 'string.quoted.single.bicep'));
    assertNotScope(quoted, 'true', 'meta.object-literal.key.bicep');
    assertScope(quoted, 'true', 'string.quoted.single.bicep');
    assertScope(type, 'type', 'meta.object-literal.key.bicep');
    assertNotScope(type, 'type', 'keyword.control.declaration.bicep');
    assertScope(inline, 'sku', 'meta.object-literal.key.bicep');
    assertScope(inline, 'name', 'meta.object-literal.key.bicep');
    assertScope(inline, 'family', 'meta.object-literal.key.bicep');
    assertScope(inline, 'capacity', 'meta.object-literal.key.bicep');
    assertScope(inline, 'Basic', 'string.quoted.single.bicep');
    assertNotScope(inline, 'Basic', 'meta.object-literal.key.bicep');
    assertScope(flag, 'false', 'constant.language.bicep');
    assertScope(r.lines[8], '}', 'punctuation.definition.object.end.bicep');
    assert.equal(r.depth, 1);
    // A property named like a keyword, after '.', stays a property.
    assertScope(line(`var t = sku.type`), 'type', 'variable.other.property.bicep');
  });

  test('directives and identifiers', () => {
    const t = line(`#disable-next-line no-hardcoded-location use-stable-resource-identifiers`);
    assertScope(t, '#', 'punctuation.definition.directive.bicep');
    assertScope(t, 'disable-next-line', 'keyword.control.directive.bicep');
    assertScope(t, 'no-hardcoded-location', 'constant.other.diagnostic-code.bicep');
    assertScope(line(`var x = someParam`), 'someParam', 'variable.other.readwrite.bicep');
    assertScope(line(`var x = az.resourceGroup()`), 'resourceGroup', 'entity.name.function.bicep');
  });

  test('corpus .bicep files: every line tokenizes, quickly, and every rule closes', { skip: filesUnder(CORPUS, '.bicep').length === 0 && 'no ../shared/corpus beside the clone' }, () => {
    let files = 0;
    let lineCount = 0;
    for (const file of filesUnder(CORPUS, '.bicep')) {
      const name = relative(CORPUS, file);
      const text = readFileSync(file, 'utf8');
      const started = Date.now();
      const r = tokenize(bicep, text, 1000);
      const ms = Date.now() - started;
      assert.ok(!r.stoppedEarly, `${name}: a line took over 1 s`);
      assert.ok(ms < 5_000, `${name}: ${ms} ms`);
      assert.equal(r.depth, 1, `${name}: a string, comment or bracket is still open at the end of the file`);
      r.lines.forEach((tokens, i) => {
        for (const t of tokens) assert.ok(!t.scopes.some((s) => s.startsWith('invalid')), `${name}:${i + 1}: invalid token ${JSON.stringify(t.text)}`);
        // A line that starts a declaration is not inside a string or comment.
        const first = tokens.find((t) => t.text.trim());
        if (first && /^(param|var|output|resource|module|type|func|targetScope|metadata|import)$/.test(first.text) && first.start === 0) {
          assert.ok(has(first, 'keyword.control.declaration.bicep'), `${name}:${i + 1}: ${dump(tokens)}`);
        }
      });
      files++;
      lineCount += r.lines.length;
    }
    console.log(`tokenized ${files} corpus .bicep file(s), ${lineCount} line(s)`);
    assert.ok(files > 0);
  });
});
