import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Json, Member, ObjectVal, UnknownVal, Val, fromJson, toJson } from '../../../../rules/model';
import { Members } from '../../../../rules/members';
import { parseJsonDoc } from '../../../../rules/readers/arm/json';
import { EvalScope, EvaluatedMembers, evalString } from '../../../../rules/readers/arm/evaluate';
import { parseExpression } from '../../../../rules/readers/arm/expression-parser';

function scope(params: Record<string, Json> = {}, vars: Record<string, Json> = {}): EvalScope {
  return {
    param: (n) => (n in params ? fromJson(params[n]) : undefined),
    variable: (n) => (n in vars ? fromJson(vars[n]) : undefined),
    copyIndex: () => 2,
    symbolType: (n) => (n === 'cache' ? 'Microsoft.Cache/redis' : undefined),
  };
}

const ev = (s: string, sc = scope()): Val => evalString(s, undefined, sc);
const val = (s: string, sc = scope()): Json | undefined => toJson(ev(s, sc));

describe('ARM expression parser', () => {
  it('parses calls, members, indexes and escaped quotes', () => {
    assert.deepEqual(parseExpression("concat('it''s', Parameters('a').b[0])"), {
      kind: 'call',
      name: 'concat',
      lower: 'concat',
      args: [
        { kind: 'string', value: "it's" },
        { kind: 'index', optional: false, target: { kind: 'member', optional: false, name: 'b', target: { kind: 'call', name: 'Parameters', lower: 'parameters', args: [{ kind: 'string', value: 'a' }] } }, index: { kind: 'number', value: 0 } },
      ],
    });
  });
  it('rejects broken syntax', () => {
    assert.throws(() => parseExpression("concat('a'"));
    assert.throws(() => parseExpression("'unterminated"));
  });
});

describe('ARM expression evaluator', () => {
  it('resolves uri() as a URL is, and deployment().properties.templateLink.uri as the template itself when the scope knows it', () => {
    assert.equal(val("[uri('https://contoso.example/templates/', 'cache.json')]"), 'https://contoso.example/templates/cache.json');
    assert.equal(val("[uri('https://contoso.example/templates/main.json', 'nested/cache.json?sv=1')]"), 'https://contoso.example/templates/nested/cache.json?sv=1');
    assert.equal(ev("[uri('not a url', 'cache.json')]").kind, 'unknown');
    assert.equal(ev("[uri(parameters('base'), 'cache.json')]").kind, 'unknown');
    const located: EvalScope = { ...scope({ base: 'x' }), templateUri: 'file:///work/main.json' };
    assert.equal(val("[uri(deployment().properties.templateLink.uri, 'cache.json')]", located), 'file:///work/cache.json');
    assert.equal(val('[Deployment().Properties.TemplateLink.Uri]', located), 'file:///work/main.json');
    assert.equal(ev('[deployment().properties.templateLink.uri]').kind, 'unknown', 'a scope that does not know where the template is');
    assert.equal(ev('[deployment().name]', located).kind, 'unknown', 'the rest of deployment() stays unknown');
  });

  it('evaluates string, logic and comparison functions', () => {
    assert.equal(val("[format('redis-{0}-{1}', 'a', 2)]"), 'redis-a-2');
    // Format specs are dropped, a placeholder past the arguments is empty, anything else is kept.
    assert.equal(val("[format('{0:N0}/{1}/{5}', 7, 'x')]"), '7/x/');
    assert.equal(val("[format('{a}{0 }{ 0}{0', 'x')]"), '{a}{0 }{ 0}{0');
    assert.equal(val("[format('{0}{0}-{1}', 'ab', 3)]"), 'abab-3');
    assert.equal(val("[concat('a', 'b', 'c')]"), 'abc');
    assert.equal(val("[toLower('ABC')]"), 'abc');
    assert.equal(val("[if(equals('A', 'a'), 'yes', 'no')]"), 'yes');
    assert.equal(val('[and(true(), not(false()))]'), true);
    assert.equal(val("[or(false(), bool('true'))]"), true);
    assert.equal(val("[contains(createArray('x', 'y'), 'y')]"), true);
    assert.equal(val("[empty('')]"), true);
    assert.equal(val("[coalesce(null(), 'second')]"), 'second');
    assert.equal(val("[string(1)]"), '1');
    assert.deepEqual(val("[union(createObject('a', 1), createObject('b', 2))]"), { a: 1, b: 2 });
    assert.deepEqual(val("[json('{\"x\": [1]}')]"), { x: [1] });
    assert.equal(val("[last(split('a/b/c', '/'))]"), 'c');
    assert.equal(val('[copyIndex(1)]'), 3);
    assert.equal(val("[length(range(0, 4))]"), 4);
  });
  it('reads parameters and variables, property access and tryGet', () => {
    const sc = scope({ cfg: { tls: '1.2', nested: { a: 'b' } }, n: 'cache1' }, { v: ['x', 'y'] });
    assert.equal(val("[parameters('cfg').tls]", sc), '1.2');
    assert.equal(val("[parameters('cfg').nested.a]", sc), 'b');
    assert.equal(val("[tryGet(parameters('cfg'), 'missing')]", sc), null);
    assert.equal(val("[variables('v')[1]]", sc), 'y');
    assert.deepEqual(val("[map(variables('v'), lambda('i', toUpper(lambdaVariables('i'))))]", sc), ['X', 'Y']);
    assert.deepEqual(val("[filter(variables('v'), lambda('i', equals(lambdaVariables('i'), 'y')))]", sc), ['y']);
  });
  it('keeps unknowable values unknown, never a guess', () => {
    for (const s of ['[uniqueString(resourceGroup().id)]', '[resourceGroup().location]', "[reference('x').properties.y]", "[parameters('nope')]", "[format('{0}', utcNow())]"]) {
      assert.equal(ev(s).kind, 'unknown', s);
    }
    assert.equal(val("[if(equals(resourceGroup().location, 'x'), 'a', 'b')]"), undefined);
  });
  it('marks listKeys() results and what is built from them', () => {
    const k = ev("[concat('pw=', listKeys(resourceId('Microsoft.Cache/redis', 'c'), '2024-11-01').primaryKey)]");
    assert.equal(k.kind, 'unknown');
    assert.deepEqual(k.kind === 'unknown' && k.keysOf, ['Microsoft.Cache/redis']);
    const sym = ev("[listKeys('cache', '2024-11-01').primaryKey]");
    assert.deepEqual(sym.kind === 'unknown' && sym.keysOf, ['Microsoft.Cache/redis']);
  });
  it('gives resourceId() a resource reference', () => {
    const r = ev("[resourceId('Microsoft.Cache/redis/firewallRules', 'cache1', 'rule1')]");
    assert.deepEqual(r.kind === 'unknown' && r.ref, { type: 'Microsoft.Cache/redis/firewallRules', name: 'cache1/rule1' });
  });
  it('treats [[ as an escaped literal and bad expressions as unknown', () => {
    assert.equal(val('[[not an expression]'), '[not an expression]');
    assert.equal(ev("[concat('a'").kind, 'prim');
    assert.equal(ev("[concat('a']").kind, 'unknown');
  });
});

describe('members evaluated when read', () => {
  const doc = (text: string) => parseJsonDoc('t.json', text).doc!.root as ObjectVal;

  it('gives an expression evaluated inside another (a variable read by it) its own text and place, and the outer one keeps its own', () => {
    const outerAt = { file: 't.json', start: 10, end: 60 };
    const innerAt = { file: 't.json', start: 80, end: 130 };
    const inner = "[concat('x', uniqueString(resourceGroup().id))]";
    const nested: EvalScope = { ...scope({ p: 'b' }), variable: (n) => (n === 'inner' ? evalString(inner, innerAt, nested) : undefined) };
    const direct = evalString("[variables('inner')]", outerAt, nested);
    assert.equal(direct.kind, 'unknown');
    assert.deepEqual([direct.at, (direct as UnknownVal).text], [innerAt, inner]);
    const outer = evalString("[format('{0}/{1}', variables('inner'), parameters('p'))]", outerAt, nested);
    assert.equal(outer.kind, 'unknown');
    assert.deepEqual([outer.at, (outer as UnknownVal).text], [outerAt, `${inner}/b`]);
    const upper = evalString("[toUpper(variables('inner'))]", outerAt, nested);
    assert.deepEqual([upper.kind, upper.at, (upper as UnknownVal).text], ['unknown', outerAt, "[toUpper(variables('inner'))]"]);
  });

  it('evaluates a member once, whether it is read by name or in a walk over all members', () => {
    const obj = doc(`{"a":"[parameters('p')]","b":"plain","c":{"d":"[parameters('p')]"}}`);
    const m = new EvaluatedMembers(obj.members, scope({ p: 'x' }), 0);
    const byName = m.get('a')!;
    assert.deepEqual(toJson(byName.value), 'x');
    const walked = new Map([...m]);
    assert.equal(walked.get('a'), byName, 'the same evaluated member both ways');
    assert.equal(walked.get('c'), m.get('c'));
    assert.equal(m.get('b'), obj.members.get('b'), 'a literal is its own evaluation');
    assert.equal(m.get('missing'), undefined);
  });

  it('gives a member renamed in the tree since (editTree) under its new name, not the name it was evaluated under', () => {
    const obj = doc(`{"first":"[parameters('p')]","second":1}`);
    const m = new EvaluatedMembers(obj.members, scope({ p: 'x' }), 0);
    assert.equal(m.get('first')!.key, 'first');
    (obj.members as Members<Member>).rename('first', 'renamed');
    const key = obj.members.get('renamed')!;
    key.key = 'renamed';
    assert.equal(m.get('first'), undefined);
    assert.equal(m.get('renamed')!.key, 'renamed');
    assert.deepEqual(toJson(m.get('renamed')!.value), 'x');
  });

  it('reads an object with more members than the small form holds the same way', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i % 2 ? `[parameters('p')]` : i]));
    const obj = doc(JSON.stringify(many));
    const m = new EvaluatedMembers(obj.members, scope({ p: 'y' }), 0, 'k0');
    assert.equal(m.size, 39);
    assert.equal(m.get('k0'), undefined, 'the omitted member');
    assert.deepEqual(toJson(m.get('k1')!.value), 'y');
    assert.equal(new Map([...m]).get('k1'), m.get('k1'));
  });
});
