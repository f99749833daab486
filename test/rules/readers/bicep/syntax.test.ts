// Precise unit tests of tricky Bicep syntax.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findAll,
  lex,
  nodeAt,
  parseBicep,
  parseBicepParam,
  positionAt,
  visit,
  walk,
  type Declaration,
  type Expression,
  type Node,
  type ObjectLiteral,
  type Statement,
  type TypeExpression,
} from '../../../../rules/readers/bicep';
import { assertWellFormed } from './helpers';

/** Compact S-expression rendering of expressions and types, for precise assertions. */
function sx(node: Node | null | undefined): string {
  if (!node) return 'nil';
  switch (node.kind) {
    case 'StringLiteral':
      return node.value !== null
        ? JSON.stringify(node.value)
        : `(str ${node.segments.map((s, i) => JSON.stringify(s) + (i < node.expressions.length ? ` ${sx(node.expressions[i])}` : '')).join(' ')})`;
    case 'IntegerLiteral':
      return node.text;
    case 'BooleanLiteral':
      return String(node.value);
    case 'NullLiteral':
      return 'null';
    case 'VariableAccess':
      return node.name;
    case 'ArrayLiteral':
      return `[${node.items.map(sx).join(' ')}]`;
    case 'ObjectLiteral':
      return `{${node.members.map(sx).join(' ')}}`;
    case 'ObjectProperty':
      return `${node.keyName ?? sx(node.key)}:${sx(node.value)}`;
    case 'SpreadExpression':
      return `...${sx(node.expression)}`;
    case 'FunctionCall':
      return `(${node.name.name}${node.args.map((a) => ' ' + sx(a)).join('')})`;
    case 'InstanceFunctionCall':
      return `(${sx(node.base)}.${node.name.name}${node.args.map((a) => ' ' + sx(a)).join('')})`;
    case 'PropertyAccess':
      return `${sx(node.base)}${node.safe ? '.?' : '.'}${node.property.name}`;
    case 'ArrayAccess':
      return `${sx(node.base)}[${node.safe ? '?' : ''}${node.fromEnd ? '^' : ''}${sx(node.index)}]`;
    case 'ResourceAccess':
      return `${sx(node.base)}::${node.name.name}`;
    case 'NonNullAssertion':
      return `${sx(node.base)}!`;
    case 'UnaryOperation':
      return `(${node.operator} ${sx(node.operand)})`;
    case 'BinaryOperation':
      return `(${node.operator} ${sx(node.left)} ${sx(node.right)})`;
    case 'TernaryOperation':
      return `(? ${sx(node.condition)} ${sx(node.whenTrue)} ${sx(node.whenFalse)})`;
    case 'ParenthesizedExpression':
      return `(paren ${sx(node.expression)})`;
    case 'Lambda':
      return `(=> (${node.parameters.map((p) => p.name).join(' ')}) ${sx(node.body)})`;
    case 'ForExpression':
      return `(for ${node.item.name}${node.index ? ',' + node.index.name : ''} ${sx(node.iterable)} ${sx(node.body)})`;
    case 'IfCondition':
      return `(if ${sx(node.condition)} ${sx(node.body)})`;
    case 'TypeReference':
      return node.name;
    case 'NullableType':
      return `${sx(node.base)}?`;
    case 'NonNullableType':
      return `${sx(node.base)}!`;
    case 'ArrayType':
      return `${sx(node.item)}[]`;
    case 'UnionType':
      return `(| ${node.members.map(sx).join(' ')})`;
    case 'ObjectType':
      return `{${node.members.map(sx).join(' ')}}`;
    case 'ObjectTypeProperty':
      return `${node.decorators.map((d) => '@' + sx(d.expression) + ' ').join('')}${node.keyName}:${sx(node.value)}`;
    case 'ObjectTypeAdditionalProperties':
      return `*:${sx(node.value)}`;
    case 'TupleType':
      return `[${node.items.map(sx).join(' ')}]`;
    case 'TupleTypeItem':
      return `${node.decorators.map((d) => '@' + sx(d.expression) + ' ').join('')}${sx(node.value)}`;
    case 'ParenthesizedType':
      return `(paren ${sx(node.type)})`;
    case 'ParameterizedType':
      return `${node.name.name}<${node.args.map(sx).join(' ')}>`;
    case 'InstanceParameterizedType':
      return `${sx(node.base)}.${node.name.name}<${node.args.map(sx).join(' ')}>`;
    case 'TypePropertyAccess':
      return `${sx(node.base)}.${node.property.name}`;
    case 'TypeAdditionalPropertiesAccess':
      return `${sx(node.base)}.*`;
    case 'TypeIndexAccess':
      return `${sx(node.base)}[${sx(node.index)}]`;
    case 'TypeItemsAccess':
      return `${sx(node.base)}[*]`;
    case 'UnaryTypeOperation':
      return `(${node.operator} ${sx(node.operand)})`;
    case 'ResourceType':
      return `(resource ${sx(node.typeString)})`;
    case 'Skipped':
      return `<skipped ${JSON.stringify(node.text)}>`;
    case 'Decorator':
      return `@${sx(node.expression)}`;
    default:
      return `<${node.kind}>`;
  }
}

function ok(text: string, mode: 'bicep' | 'bicepparam' = 'bicep') {
  const result = mode === 'bicep' ? parseBicep(text) : parseBicepParam(text);
  assert.deepEqual(result.errors, [], `unexpected errors for ${JSON.stringify(text)}`);
  assertWellFormed(text, result);
  return result;
}

/** The value expression of the single `var x = ...` in `text`. */
function expr(source: string): string {
  const result = ok(`var x = ${source}\n`);
  const decl = result.program.statements[0];
  assert.equal(decl.kind, 'VariableDeclaration');
  return sx((decl as { value: Expression }).value);
}

function typeOf(source: string): string {
  const result = ok(`type t = ${source}\n`);
  const decl = result.program.statements[0];
  assert.equal(decl.kind, 'TypeDeclaration');
  return sx((decl as { value: TypeExpression }).value);
}

function only<K extends Declaration['kind']>(text: string, kind: K): Extract<Statement, { kind: K }> {
  const result = ok(text);
  assert.equal(result.program.statements.length, 1);
  const s = result.program.statements[0];
  assert.equal(s.kind, kind);
  return s as Extract<Statement, { kind: K }>;
}

describe('strings', () => {
  it('decodes escape sequences', () => {
    assert.equal(expr("'a\\\\b\\'c\\nd\\re\\tf\\$g\\u{41}\\u{1F600}'"), JSON.stringify("a\\b'c\nd\re\tf$gA\u{1F600}"));
    assert.equal(expr("'\\${notAHole}'"), JSON.stringify('${notAHole}'));
    assert.equal(expr("'cost $5 $ {x}'"), JSON.stringify('cost $5 $ {x}'));
  });

  it('splits interpolations into decoded segments and expressions', () => {
    assert.equal(expr("'a${b}c'"), '(str "a" b "c")');
    assert.equal(expr("'${b}'"), '(str "" b "")');
    assert.equal(expr("'${a}${b}'"), '(str "" a "" b "")');
    assert.equal(expr("'x\\n${a.b[0]}\\t'"), '(str "x\\n" a.b[0] "\\t")');
  });

  it('handles nested strings and braces inside interpolation holes', () => {
    assert.equal(expr("'${concat('}', '{')}-${m['k}']}'"), '(str "" (concat "}" "{") "-" m["k}"] "")');
    assert.equal(expr("'o${'i${'deep'}'}o'"), '(str "o" (str "i" "deep" "") "o")');
    assert.equal(expr("'${a ? '{' : '}'}'"), '(str "" (? a "{" "}") "")');
    assert.equal(expr("'{${1}{0}${true}}'"), '(str "{" 1 "{0}" true "}")');
  });

  it('rejects object and array literals inside interpolation', () => {
    const result = parseBicep("var x = '${ {a: 1} }'\nvar y = 1\n");
    assert.ok(result.errors.some((e) => /not allowed/.test(e.message)));
    assert.equal(result.program.statements.length, 2);
  });

  it('reads multi-line strings verbatim, dropping the first newline', () => {
    assert.equal(expr("'''\nline1\n  'q' ${x} \\n\n'''"), JSON.stringify("line1\n  'q' ${x} \\n\n"));
    assert.equal(expr("''''''"), '""');
    assert.equal(expr("''''q''''"), JSON.stringify("'q'"));
    assert.equal(expr("'''one line'''"), '"one line"');
    assert.equal(expr("'''\r\nwindows\r\n'''"), JSON.stringify('windows\r\n'));
    const multi = only("var x = '''\nA\n'''\n", 'VariableDeclaration');
    assert.equal(multi.value.kind === 'StringLiteral' && multi.value.multiline, true);
  });

  it('interpolates in $\'\'\' multi-line strings', () => {
    assert.equal(expr("$'''\nport: ${p}\n'''"), '(str "port: " p "\\n")');
    assert.equal(expr("$$'''\n${plain} $${hole}\n'''"), '(str "${plain} " hole "\\n")');
  });
});

describe('expressions', () => {
  it('applies operator precedence and associativity', () => {
    assert.equal(expr('a ?? b || c && d == e < f + g * h'), '(?? a (|| b (&& c (== d (< e (+ f (* g h)))))))');
    assert.equal(expr('a * b + c'), '(+ (* a b) c)');
    assert.equal(expr('a - b - c'), '(- (- a b) c)');
    assert.equal(expr('a ?? b ?? c'), '(?? (?? a b) c)');
    assert.equal(expr('a || b && c'), '(|| a (&& b c))');
    assert.equal(expr('a =~ b != c !~ d'), '(!~ (!= (=~ a b) c) d)');
    assert.equal(expr('1 <= 2 >= 3 > 4'), '(> (>= (<= 1 2) 3) 4)');
    assert.equal(expr('10 % 3 / 2'), '(/ (% 10 3) 2)');
    assert.equal(expr('!a && -b < c'), '(&& (! a) (< (- b) c))');
    assert.equal(expr('(a + b) * c'), '(* (paren (+ a b)) c)');
  });

  it('parses ternaries, nested and across lines', () => {
    assert.equal(expr('a ? b : c ? d : e'), '(? a b (? c d e))');
    assert.equal(expr('a ? b ? c : d : e'), '(? a (? b c d) e)');
    assert.equal(expr('a == 1 ? "x" : null'.replace(/"/g, "'")), '(? (== a 1) "x" null)');
    assert.equal(expr('cond\n  ? 1\n  : 2'), '(? cond 1 2)');
  });

  it('parses member access, safe access, indexes, non-null assertions', () => {
    assert.equal(expr('a.b.c'), 'a.b.c');
    assert.equal(expr('a.?b.?c'), 'a.?b.?c');
    assert.equal(expr("a[0]['k'][?'m'][^1]"), 'a[0]["k"][?"m"][^1]');
    assert.equal(expr('a!.b![0]!'), 'a!.b![0]!');
    assert.equal(expr('parent::child::grand.id'), 'parent::child::grand.id');
    assert.equal(expr('x.?y ?? z'), '(?? x.?y z)');
  });

  it('parses function calls, namespaced calls and resource methods', () => {
    assert.equal(expr('az.resourceGroup().location'), '(az.resourceGroup).location');
    assert.equal(expr("sys.concat('a', 'b')"), '(sys.concat "a" "b")');
    assert.equal(expr('cache.listKeys().primaryKey'), '(cache.listKeys).primaryKey');
    assert.equal(expr("kv.getSecret('s', 'v')"), '(kv.getSecret "s" "v")');
    assert.equal(expr('f()'), '(f)');
    assert.equal(expr('f(\n  1,\n  2\n)'), '(f 1 2)');
    assert.equal(expr('f(1, g(2, h()))'), '(f 1 (g 2 (h)))');
    assert.equal(expr('utcNow()'), '(utcNow)');
  });

  it('parses literals', () => {
    assert.equal(expr('null'), 'null');
    assert.equal(expr('true'), 'true');
    assert.equal(expr('false'), 'false');
    assert.equal(expr('-42'), '(- 42)');
    const big = only('var x = 18446744073709551615\n', 'VariableDeclaration');
    assert.equal(big.value.kind === 'IntegerLiteral' && big.value.text, '18446744073709551615');
    assert.ok(parseBicep('var x = 18446744073709551616\n').errors.some((e) => /too large/.test(e.message)));
  });

  it('parses arrays and objects, multi-line and single-line', () => {
    assert.equal(expr('[\n  1\n  2\n]'), '[1 2]');
    assert.equal(expr('[1, 2, 3]'), '[1 2 3]');
    assert.equal(expr('[]'), '[]');
    assert.equal(expr('[\n]'), '[]');
    assert.equal(expr("{\n  a: 1\n  'aad-enabled': 'true'\n}"), '{a:1 aad-enabled:"true"}');
    assert.equal(expr("{ a: 1, b: 'two' }"), '{a:1 b:"two"}');
    assert.equal(expr('{}'), '{}');
    assert.equal(expr("{ '${k}': 1 }"), '{(str "" k ""):1}');
    assert.equal(expr('[{ a: [1, { b: 2 }] }]'), '[{a:[1 {b:2}]}]');
  });

  it('reports a newline after a comma in multi-line lists', () => {
    assert.ok(parseBicep('var x = [\n  1,\n  2\n]\n').errors.some((e) => /after a comma/.test(e.message)));
    assert.ok(parseBicep('var x = [1 2]\n').errors.some((e) => /new line or comma/.test(e.message)));
  });

  it('parses spread in objects and arrays', () => {
    assert.equal(expr('{\n  a: 1\n  ...other\n}'), '{a:1 ...other}');
    assert.equal(expr('{ ...a, b: 2 }'), '{...a b:2}');
    assert.equal(expr('[...a, 1, ...b]'), '[...a 1 ...b]');
  });

  it('parses lambdas', () => {
    assert.equal(expr('map(xs, x => x.name)'), '(map xs (=> (x) x.name))');
    assert.equal(expr('reduce(xs, 0, (acc, x) => acc + x)'), '(reduce xs 0 (=> (acc x) (+ acc x)))');
    assert.equal(expr('() => 1'), '(=> () 1)');
    assert.equal(expr('(x => x)'), '(paren (=> (x) x))');
    assert.equal(expr('map(xs, x =>\n  x)'), '(map xs (=> (x) x))');
    assert.equal(expr('sort(xs, (a, b) => a < b)'), '(sort xs (=> (a b) (< a b)))');
    assert.equal(expr('map(xs, x => { n: x })'), '(map xs (=> (x) {n:x}))');
  });

  it('parses for expressions with index, range and newlines', () => {
    assert.equal(expr('[for x in xs: x]'), '(for x xs x)');
    assert.equal(expr('[for (x, i) in xs: { i: i }]'), '(for x,i xs {i:i})');
    assert.equal(expr('[for i in range(0, 3): i * 2]'), '(for i (range 0 3) (* i 2))');
    assert.equal(expr('[\n  for x in xs: x\n]'), '(for x xs x)');
    assert.equal(expr('[for x in xs: [for y in x: y]]'), '(for x xs (for y x y))');
  });

  it('treats declaration keywords as ordinary identifiers in expressions', () => {
    assert.equal(expr('if && for || in'), '(|| (&& if for) in)');
    assert.equal(expr('resource.param'), 'resource.param');
  });
});

describe('declarations', () => {
  it('parses targetScope and metadata', () => {
    const t = only("targetScope = 'subscription'\n", 'TargetScopeDeclaration');
    assert.equal(sx(t.value), '"subscription"');
    const m = only("metadata owner = { team: 'cache' }\n", 'MetadataDeclaration');
    assert.equal(m.name.name, 'owner');
  });

  it('parses params with types, defaults and decorators on separate lines', () => {
    const p = only(
      "@description('Minimum TLS')\n\n// a comment between decorators\n@allowed([\n  '1.0'\n  '1.2'\n])\n  @sys.minLength(3)\nparam tls string = '1.2'\n",
      'ParameterDeclaration',
    );
    assert.equal(p.name.name, 'tls');
    assert.equal(sx(p.type), 'string');
    assert.equal(sx(p.defaultValue), '"1.2"');
    assert.deepEqual(p.decorators.map((d) => sx(d.expression)), ['(description "Minimum TLS")', '(allowed ["1.0" "1.2"])', '(sys.minLength 3)']);
    assert.equal(p.start, 0);
    const secure = only('@secure()\nparam key string\n', 'ParameterDeclaration');
    assert.equal(secure.defaultValue, null);
    assert.equal(sx(secure.decorators[0].expression), '(secure)');
  });

  it('distinguishes nullable types from ternaries', () => {
    const p = only('param p bool? = flag ? true : null\n', 'ParameterDeclaration');
    assert.equal(sx(p.type), 'bool?');
    assert.equal(sx(p.defaultValue), '(? flag true null)');
    assert.equal(sx(only('param a string[]?\n', 'ParameterDeclaration').type), 'string[]?');
    assert.equal(sx(only('output o string? = x.?y\n', 'OutputDeclaration').type), 'string?');
    assert.equal(typeOf('{\n  a: int?\n  b: string\n}'), '{a:int? b:string}');
  });

  it('parses resource-typed params and outputs', () => {
    const p = only("param st resource 'Microsoft.Storage/storageAccounts@2023-01-01'\n", 'ParameterDeclaration');
    assert.equal(sx(p.type), '(resource "Microsoft.Storage/storageAccounts@2023-01-01")');
    assert.equal(sx(only('output o resource = cache\n', 'OutputDeclaration').type), '(resource nil)');
    assert.equal(sx(only("output o resource 'Microsoft.Cache/redis@2024-11-01' = cache\n", 'OutputDeclaration').type), '(resource "Microsoft.Cache/redis@2024-11-01")');
  });

  it('parses typed and untyped variables', () => {
    assert.equal(only('var v = 1\n', 'VariableDeclaration').type, null);
    assert.equal(sx(only("var v string[] = ['a']\n", 'VariableDeclaration').type), 'string[]');
  });

  it('parses resources: type string, existing, body forms', () => {
    const r = only("resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c'\n  properties: { enableNonSslPort: false }\n}\n", 'ResourceDeclaration');
    assert.equal(r.name.name, 'cache');
    assert.equal(r.typeString.kind === 'StringLiteral' && r.typeString.value, 'Microsoft.Cache/redis@2024-11-01');
    assert.equal(r.existing, false);
    assert.equal(sx(r.value), '{name:"c" properties:{enableNonSslPort:false}}');
    const e = only("resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: 'kv'\n}\n", 'ResourceDeclaration');
    assert.equal(e.existing, true);
    const c = only("resource r 'a@b' = if (deploy && x == 1) {\n  name: 'r'\n}\n", 'ResourceDeclaration');
    assert.equal(sx(c.value), '(if (&& deploy (== x 1)) {name:"r"})');
    const c2 = only("resource r 'a@b' =\n  if (deploy) {\n  name: 'r'\n}\n", 'ResourceDeclaration');
    assert.equal(sx(c2.value), '(if deploy {name:"r"})');
    const loop = only("resource r 'a@b' = [for (x, i) in xs: {\n  name: x\n}]\n", 'ResourceDeclaration');
    assert.equal(sx(loop.value), '(for x,i xs {name:x})');
    const filtered = only("resource r 'a@b' = [for x in xs: if (x.enabled) {\n  name: x.name\n}]\n", 'ResourceDeclaration');
    assert.equal(sx(filtered.value), '(for x xs (if x.enabled {name:x.name}))');
    const ranged = only("resource r 'a@b' = [\n  for i in range(0, 3): {\n    name: 'r${i}'\n  }\n]\n", 'ResourceDeclaration');
    assert.equal(sx(ranged.value), '(for i (range 0 3) {name:(str "r" i "")})');
  });

  it('parses nested child resources with decorators, and parent properties', () => {
    const r = only(
      "resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c'\n\n  @batchSize(1)\n  resource rules 'firewallRules' = [for x in xs: {\n    name: x\n  }]\n\n  resource policy 'accessPolicies' existing = {\n    name: 'p'\n    resource inner 'x' = {\n      name: 'i'\n    }\n  }\n  resource: 'a property named resource'\n}\n",
      'ResourceDeclaration',
    );
    const body = r.value as ObjectLiteral;
    assert.deepEqual(body.members.map((m) => m.kind), ['ObjectProperty', 'ResourceDeclaration', 'ResourceDeclaration', 'ObjectProperty']);
    const rules = body.members[1];
    assert.ok(rules.kind === 'ResourceDeclaration' && rules.decorators.length === 1 && rules.value.kind === 'ForExpression');
    const all = findAll(r, 'ResourceDeclaration').map((x) => x.name.name);
    assert.deepEqual(all, ['cache', 'rules', 'policy', 'inner']);
    const child = only("resource child 'Microsoft.Cache/redis/firewallRules@2024-11-01' = {\n  parent: cache\n  name: 'r'\n}\n", 'ResourceDeclaration');
    assert.equal(sx(child.value), '{parent:cache name:"r"}');
  });

  it('parses modules with local, registry and template-spec paths', () => {
    for (const path of ['./mod.bicep', 'br:contoso.azurecr.io/mods/redis:v1', 'br/public:avm/res/cache/redis:0.16.0', 'ts:0000/rg/spec:1.0', 'ts/alias:spec:1.0']) {
      const m = only(`module m '${path}' = {\n  name: 'm'\n  params: {\n    a: 1\n  }\n}\n`, 'ModuleDeclaration');
      assert.equal(m.path.kind === 'StringLiteral' && m.path.value, path);
    }
    const conditional = only("module m 'm.bicep' = if (x) {\n  name: 'm'\n}\n", 'ModuleDeclaration');
    assert.equal(conditional.value.kind, 'IfCondition');
    const loop = only("module m 'm.bicep' = [for x in xs: {\n  name: x\n}]\n", 'ModuleDeclaration');
    assert.equal(loop.value.kind, 'ForExpression');
  });

  it('parses imports, exports, extensions', () => {
    const result = ok(
      "import { a, b as c, 'd-e' as f } from 'types.bicep'\nimport * as ns from 'br/public:avm/utl/types/avm-common-types:0.6.1'\nimport 'az@1.0.0'\nextension microsoftGraphV1\nextension 'br:x.io/ext:1.0' with {\n  k: 1\n} as ext\n@export()\ntype t = string\n@export()\nvar v = 1\n@export()\nfunc f() string => 'x'\n",
    );
    const [named, wildcard, legacy, ext1, ext2, t, v, f] = result.program.statements;
    assert.ok(named.kind === 'ImportDeclaration' && named.imports.kind === 'ImportedSymbolsList');
    if (named.kind === 'ImportDeclaration' && named.imports.kind === 'ImportedSymbolsList') {
      assert.deepEqual(
        named.imports.symbols.map((s) => (s.kind === 'ImportedSymbol' ? `${sx(s.name.kind === 'Identifier' ? ({ kind: 'VariableAccess', name: s.name.name, start: 0, end: 0 } as Expression) : s.name)}${s.alias ? ' as ' + s.alias.name : ''}` : 'skipped')),
        ['a', 'b as c', '"d-e" as f'],
      );
      assert.equal(named.from.kind === 'StringLiteral' && named.from.value, 'types.bicep');
    }
    assert.ok(wildcard.kind === 'ImportDeclaration' && wildcard.imports.kind === 'WildcardImport' && wildcard.imports.alias.name === 'ns');
    assert.ok(legacy.kind === 'ExtensionDeclaration' && legacy.keyword === 'import');
    assert.ok(ext1.kind === 'ExtensionDeclaration' && ext1.specification.kind === 'Identifier' && ext1.config === null && ext1.alias === null);
    assert.ok(ext2.kind === 'ExtensionDeclaration' && ext2.config?.kind === 'ObjectLiteral' && ext2.alias?.name === 'ext');
    assert.ok(t.kind === 'TypeDeclaration' && sx(t.decorators[0].expression) === '(export)');
    assert.equal(v.kind, 'VariableDeclaration');
    assert.equal(f.kind, 'FunctionDeclaration');
  });

  it('parses user-defined functions', () => {
    const f = only("func url(ssl bool, host string) string => '${ssl ? 'https' : 'http'}://${host}'\n", 'FunctionDeclaration');
    assert.equal(f.lambda.kind, 'TypedLambda');
    if (f.lambda.kind === 'TypedLambda') {
      assert.deepEqual(f.lambda.parameters.map((p) => (p.kind === 'TypedParameter' ? `${p.name.name}:${sx(p.type)}` : 'skipped')), ['ssl:bool', 'host:string']);
      assert.equal(sx(f.lambda.returnType), 'string');
      assert.equal(sx(f.lambda.body), '(str "" (? ssl "https" "http") "://" host "")');
    }
    const multi = only('func f(\n  a int,\n  b int\n) int =>\n  a + b\n', 'FunctionDeclaration');
    assert.equal(multi.lambda.kind === 'TypedLambda' && sx(multi.lambda.body), '(+ a b)');
  });

  it('parses assert and test declarations', () => {
    const a = only("assert ok = length(name) > 3\n", 'AssertDeclaration');
    assert.equal(sx(a.value), '(> (length name) 3)');
    const t = only("test t 'main.bicep' = {\n  params: {}\n}\n", 'TestDeclaration');
    assert.equal(t.path.kind === 'StringLiteral' && t.path.value, 'main.bicep');
  });
});

describe('types', () => {
  it('parses unions, literals, arrays, tuples and object types', () => {
    assert.equal(typeOf("'a' | 'b' | 'c'"), '(| "a" "b" "c")');
    assert.equal(typeOf("| 'only'"), '(| "only")');
    assert.equal(typeOf("\n  | 'a'\n  | 'b'"), '(| "a" "b")');
    assert.equal(typeOf("['a', 'b']\n| ['c']"), '(| ["a" "b"] ["c"])');
    assert.equal(typeOf('int [] [] ?'), 'int[][]?');
    assert.equal(typeOf("(1 | -1 | true | !true | null | 'x')[]"), '(paren (| 1 (- 1) true (! true) null "x"))[]');
    assert.equal(typeOf('[\n  @description(\'first\')\n  string\n  int\n]'), '[@(description "first") string int]');
    assert.equal(typeOf("{\n  @minLength(1)\n  name: string\n  'quoted-key': int\n  *: bool\n}"), '{@(minLength 1) name:string quoted-key:int *:bool}');
    assert.equal(typeOf('{ a: string, b: { c: int? } }'), '{a:string b:{c:int?}}');
    assert.equal(typeOf('(a | b)!'), '(paren (| a b))!');
  });

  it('parses type member access, resourceInput/resourceOutput and resource<>', () => {
    assert.equal(typeOf('foo.bar.baz'), 'foo.bar.baz');
    assert.equal(typeOf('dict.*'), 'dict.*');
    assert.equal(typeOf('tuple[1]'), 'tuple[1]');
    assert.equal(typeOf('list[*]'), 'list[*]');
    assert.equal(typeOf("resourceInput<'Microsoft.Cache/redis@2024-11-01'>.properties.sku"), 'resourceInput<"Microsoft.Cache/redis@2024-11-01">.properties.sku');
    assert.equal(typeOf("resourceOutput<'Microsoft.Cache/redis@2024-11-01'>"), 'resourceOutput<"Microsoft.Cache/redis@2024-11-01">');
    assert.equal(typeOf("sys.resourceInput<'a@b'>"), 'sys.resourceInput<"a@b">');
    assert.equal(typeOf("resource<'Microsoft.Storage/storageAccounts@2023-01-01'>"), 'resource<"Microsoft.Storage/storageAccounts@2023-01-01">');
    assert.equal(sx(only("param tags resourceInput<'Microsoft.Cache/redis@2024-11-01'>.tags?\n", 'ParameterDeclaration').type), 'resourceInput<"Microsoft.Cache/redis@2024-11-01">.tags?');
  });

  it('parses @discriminator and @sealed decorated types', () => {
    const t = only("@discriminator('kind')\n@sealed()\ntype u = { kind: 'a' } | { kind: 'b', v: int }\n", 'TypeDeclaration');
    assert.deepEqual(t.decorators.map((d) => sx(d.expression)), ['(discriminator "kind")', '(sealed)']);
    assert.equal(sx(t.value), '(| {kind:"a"} {kind:"b" v:int})');
  });
});

describe('bicepparam files', () => {
  it('parses using, params, vars, imports, extends and extension configs', () => {
    const result = ok(
      "using './main.bicep'\nextends 'base.bicepparam'\nimport { x } from 'types.bicep'\nparam name = 'cache'\nparam tls = {\n  min: '1.2'\n}\nvar v = name\nextensionConfig graph with {\n  tenant: 'x'\n}\ntype t = string\n@inline()\nparam bare\n",
      'bicepparam',
    );
    assert.deepEqual(result.program.statements.map((s) => s.kind), [
      'UsingDeclaration',
      'ExtendsDeclaration',
      'ImportDeclaration',
      'ParameterAssignment',
      'ParameterAssignment',
      'VariableDeclaration',
      'ExtensionConfigAssignment',
      'TypeDeclaration',
      'ParameterAssignment',
    ]);
    assert.equal(result.program.mode, 'bicepparam');
    const using = result.program.statements[0];
    assert.ok(using.kind === 'UsingDeclaration' && using.path?.kind === 'StringLiteral' && using.path.value === './main.bicep');
    const bare = result.program.statements[8];
    assert.ok(bare.kind === 'ParameterAssignment' && bare.value === null);
  });

  it('parses using none and using ... with', () => {
    const none = ok('using none\nparam a = 1\n', 'bicepparam').program.statements[0];
    assert.ok(none.kind === 'UsingDeclaration' && none.path === null);
    const withCfg = ok("using 'main.bicep' with {\n  mode: 'stack'\n}\n", 'bicepparam').program.statements[0];
    assert.ok(withCfg.kind === 'UsingDeclaration' && withCfg.config?.kind === 'ObjectLiteral');
  });

  it('rejects Bicep-only declarations in parameter files', () => {
    const result = parseBicepParam("using 'main.bicep'\nresource r 'a@b' = {}\nparam ok = 1\n");
    assert.equal(result.errors.length, 1);
    assert.equal(result.program.statements[2].kind, 'ParameterAssignment');
  });
});

describe('comments, directives and positions', () => {
  it('allows comments everywhere and collects them with offsets', () => {
    const text = [
      '// leading',
      '@description(/* inline */ \'d\') // after decorator',
      '/* between */',
      'param /* a */ p /* b */ string /* c */ = /* d */ \'x\' // trailing',
      'var o = { // after brace',
      '  a: 1 // after property',
      '  /* own line */',
      '  b: [ // after bracket',
      '    1 /* item */',
      '  ]',
      '}',
      'var f = f(/* arg */ 1, // after comma',
      '  2)',
      '/* final */',
    ].join('\n');
    const result = ok(text);
    assert.equal(result.program.statements.length, 3);
    assert.equal(result.comments.length, 17);
    for (const c of result.comments) {
      assert.equal(text.slice(c.start, c.end), c.text);
      assert.ok(c.kind === 'line' ? c.text.startsWith('//') : c.text.startsWith('/*'));
    }
    assert.equal(result.comments[0].value, ' leading');
  });

  it('does not treat comment markers inside strings as comments', () => {
    const result = ok("var u = 'https://example.com/*x*/'\nvar m = '''\n// not a comment\n'''\n");
    assert.equal(result.comments.length, 0);
  });

  it('finds suppression comments and the statement on the next line', () => {
    const text = "param a string\r\n// redis-posture-disable-next-line redis-tls-version\r\nparam tls string = '1.0'\r\n";
    const result = ok(text);
    const suppression = result.comments.find((c) => /redis-posture-disable-next-line/.test(c.text));
    assert.ok(suppression);
    const line = positionAt(text, suppression.start).line;
    const target = result.program.statements.find((s) => positionAt(text, s.start).line === line + 1);
    assert.ok(target && target.kind === 'ParameterDeclaration' && target.name.name === 'tls');
  });

  it('parses #disable-next-line, #disable-diagnostics and #restore-diagnostics pragmas', () => {
    const text = "#disable-next-line BCP081 no-unused-params // why\nparam a string\n  #disable-diagnostics  use-recent-api-versions\nparam b string\n#restore-diagnostics use-recent-api-versions\nvar c = '#not-a-directive'\n";
    const result = ok(text);
    const directives = result.comments.filter((c) => c.kind === 'directive');
    assert.deepEqual(
      directives.map((d) => [d.directive?.name, d.directive?.codes]),
      [
        ['disable-next-line', ['BCP081', 'no-unused-params']],
        ['disable-diagnostics', ['use-recent-api-versions']],
        ['restore-diagnostics', ['use-recent-api-versions']],
      ],
    );
    assert.equal(result.comments.filter((c) => c.kind === 'line').length, 1);
    assert.ok(parseBicep('var x = 1 #disable-next-line foo\n').errors.length > 0, 'a directive must start its line');
    assert.ok(parseBicep('#disable-next-line\nvar x = 1\n').errors.some((e) => /diagnostic code/.test(e.message)));
  });

  it('keeps UTF-16 offsets with CRLF line endings and non-ASCII text', () => {
    const text = "var a = 'é😀'\r\nvar b = 2\r\n";
    const result = ok(text);
    const b = result.program.statements[1];
    assert.equal(text.slice(b.start, b.end), 'var b = 2');
    assert.equal(b.start, text.indexOf('var b'));
    assert.deepEqual(positionAt(text, b.start), { line: 1, column: 0 });
    const a = result.program.statements[0];
    assert.ok(a.kind === 'VariableDeclaration' && a.value.kind === 'StringLiteral' && a.value.value === 'é😀');
  });

  it('accepts a byte order mark, tabs and blank lines', () => {
    ok('\uFEFFparam a string\n\n\n\t\nvar b = 1\t// tab\n');
  });

  it('lexes every token with its leading trivia', () => {
    const { tokens } = lex('var x = 1 // c\n');
    assert.deepEqual(tokens.map((t) => t.kind), ['Identifier', 'Identifier', 'Assignment', 'Integer', 'NewLine', 'EndOfFile']);
    assert.deepEqual(tokens[4].leadingTrivia.map((t) => t.kind), ['whitespace', 'lineComment']);
  });
});

describe('tree API', () => {
  const text = "param loc string = 'westus'\nresource c 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c'\n  location: loc\n}\n";

  it('walks nodes in source order and can skip subtrees', () => {
    const result = ok(text);
    const kinds: string[] = [];
    walk(result.program, (node) => {
      kinds.push(node.kind);
      return node.kind !== 'ObjectLiteral';
    });
    assert.deepEqual(kinds.slice(0, 6), ['Program', 'ParameterDeclaration', 'Identifier', 'TypeReference', 'StringLiteral', 'ResourceDeclaration']);
    assert.ok(!kinds.includes('ObjectProperty'));
  });

  it('visits by kind', () => {
    const result = ok(text);
    const seen: string[] = [];
    visit(result.program, {
      ObjectProperty: (p) => {
        seen.push(p.keyName ?? '?');
      },
      VariableAccess: (v) => {
        seen.push(`ref:${v.name}`);
      },
    });
    assert.deepEqual(seen, ['name', 'location', 'ref:loc']);
  });

  it('finds the innermost node at an offset', () => {
    const result = ok(text);
    const at = nodeAt(result.program, text.indexOf('loc\n}'));
    assert.ok(at && at.kind === 'VariableAccess' && at.name === 'loc');
  });

  it('gives every node a span that covers its children', () => {
    assertWellFormed(text, ok(text));
  });
});
