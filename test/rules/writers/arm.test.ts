import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from '../../../rules/engine';
import { applyEdits, fixEdits } from '../../../rules/writers/arm';
import { SCHEMA } from '../../helpers/rule-tester';

function fixOnce(text: string, ruleId: string, parameters?: { file: string; text: string }): Map<string, string> {
  const r = scanText('t.json', text, { parameters });
  const f = r.findings.find((x) => x.ruleId === ruleId);
  assert.ok(f?.fix, `a fixable ${ruleId} finding`);
  const edits = fixEdits(r.deployment!, f.fix);
  assert.ok(edits, 'the fix can be written');
  const out = new Map<string, string>();
  for (const e of edits) out.set(e.file, applyEdits(out.get(e.file) ?? r.deployment!.texts.get(e.file)!, [e]));
  return out;
}

const base = (props: string, indent = '  ', eol = '\n'): string =>
  [
    '{',
    `${indent}"$schema": "${SCHEMA}",`,
    `${indent}"contentVersion": "1.0.0.0",`,
    `${indent}"parameters": {`,
    `${indent}${indent}"tls": { "type": "string", "defaultValue": "1.0", "allowedValues": ["1.0", "1.1", "1.2"] }`,
    `${indent}},`,
    `${indent}"resources": [`,
    `${indent}${indent}{`,
    `${indent}${indent}${indent}"type": "Microsoft.Cache/redis",`,
    `${indent}${indent}${indent}"apiVersion": "2023-08-01",`,
    `${indent}${indent}${indent}"name": "c1",`,
    `${indent}${indent}${indent}"tags": { "owner": "a" },`,
    `${indent}${indent}${indent}"properties": {`,
    `${indent}${indent}${indent}${indent}${props}`,
    `${indent}${indent}${indent}}`,
    `${indent}${indent}}`,
    `${indent}]`,
    '}',
  ].join(eol);

describe('ARM writer', () => {
  it('replaces a literal value in place', () => {
    const out = fixOnce(base('"enableNonSslPort": true'), 'redis-no-non-ssl-port').get('t.json')!;
    assert.ok(out.includes('"enableNonSslPort": false'));
    assert.equal(out.split('\n').length, base('x').split('\n').length);
  });

  it('edits the parameter default, not the reference', () => {
    const out = fixOnce(base(`"minimumTlsVersion": "[parameters('tls')]"`), 'redis-min-tls').get('t.json')!;
    assert.ok(out.includes(`"minimumTlsVersion": "[parameters('tls')]"`));
    assert.ok(out.includes('"defaultValue": "1.2"'));
  });

  it('edits the parameter file when the value is set there', () => {
    const pf = { file: 't.parameters.json', text: '{\n  "parameters": {\n    "tls": { "value": "1.1" }\n  }\n}\n' };
    const out = fixOnce(base(`"minimumTlsVersion": "[parameters('tls')]"`).replace('"defaultValue": "1.0", ', ''), 'redis-min-tls', pf);
    assert.ok(out.get('t.parameters.json')!.includes('"value": "1.2"'));
    // The template keeps its reference; only the allowed list loses the weak versions.
    assert.ok(out.get('t.json')!.includes(`"minimumTlsVersion": "[parameters('tls')]"`));
    assert.ok(!out.get('t.json')!.includes('"1.0"'));
  });

  it('creates the nested redisConfiguration object with the file indentation (tabs)', () => {
    const text = base('"minimumTlsVersion": "1.2"', '\t');
    const out = fixOnce(text, 'redis-entra-auth').get('t.json')!;
    assert.match(out, /\n\t\t\t\t"redisConfiguration": \{\n\t\t\t\t\t"aad-enabled": "true"\n\t\t\t\t\}/);
  });

  it('raises apiVersion when the property needs a newer one, and sets Entra ID with it', () => {
    const out = fixOnce(base('"minimumTlsVersion": "1.2"'), 'redis-disable-access-keys').get('t.json')!;
    assert.ok(out.includes('"apiVersion": "2024-03-01"'));
    assert.ok(out.includes('"disableAccessKeyAuthentication": true'));
    assert.ok(out.includes('"aad-enabled": "true"'));
  });

  it('writes a multi-part fix as small separate edits, not one rewrite of the region between them', () => {
    const text = base('"minimumTlsVersion": "1.2"');
    const r = scanText('t.json', text);
    const f = r.findings.find((x) => x.ruleId === 'redis-disable-access-keys')!;
    const edits = fixEdits(r.deployment!, f.fix!)!;
    assert.ok(edits.length >= 2, `expected separate edits, got ${edits.length}`);
    assert.ok(edits.every((e) => e.length < 40), 'no edit replaces a large region');
    const lineAt = (offset: number): string => text.slice(text.lastIndexOf('\n', offset) + 1, text.indexOf('\n', offset));
    assert.ok(edits.some((e) => lineAt(e.offset).includes('"apiVersion"') && e.length <= 10), 'one edit touches only the apiVersion');
  });

  it('keeps CRLF line endings', () => {
    const out = fixOnce(base('"minimumTlsVersion": "1.2"', '  ', '\r\n'), 'redis-disable-public-network').get('t.json')!;
    assert.ok(out.includes('"publicNetworkAccess": "Disabled"'));
    assert.ok(!/[^\r]\n/.test(out), 'every newline stays CRLF');
  });

  it('drops insecure entries from an allowed list', () => {
    const text = base(`"minimumTlsVersion": "[parameters('tls')]"`).replace('"defaultValue": "1.0"', '"defaultValue": "1.2"');
    const out = fixOnce(text, 'redis-min-tls').get('t.json')!;
    assert.ok(out.includes('"allowedValues": ["1.2"]') || /"allowedValues": \[\s*"1\.2"\s*\]/.test(out));
  });

  it('every fix leaves a file that parses and no longer has the finding', () => {
    const text = base(`"enableNonSslPort": true, "minimumTlsVersion": "[parameters('tls')]", "publicNetworkAccess": "Enabled", "redisVersion": "4"`);
    for (const rule of ['redis-no-non-ssl-port', 'redis-min-tls', 'redis-disable-public-network', 'redis-supported-version', 'redis-entra-auth', 'redis-disable-access-keys']) {
      const out = fixOnce(text, rule).get('t.json')!;
      const again = scanText('t.json', out);
      assert.deepEqual(again.errors, []);
      assert.ok(!again.findings.some((f) => f.ruleId === rule), `${rule} gone after its fix`);
    }
  });

  // The writer runs modify() on windows of the text found in the reader's tree (the literal, the
  // last element of a container it adds to, the enclosing object); without the tree it runs
  // modify() on the whole text. Both must write the same text.
  const cacheJson = (name: string, props: Record<string, unknown>) => ({
    type: 'Microsoft.Cache/redis',
    apiVersion: '2020-06-01',
    name,
    location: "[resourceGroup().location]",
    properties: { sku: { name: 'Premium', family: 'P', capacity: 1 }, ...props },
  });
  const manyResources = (symbolic: boolean, indent: string | number, eol: string): string => {
    const rule = (name: string, start: string) => ({ type: 'firewallRules', apiVersion: '2024-03-01', name, properties: { startIP: start, endIP: start } });
    const topRule = (name: string, cache: string) => ({ ...rule(`${cache}/${name}`, '203.0.113.7'), type: 'Microsoft.Cache/redis/firewallRules', dependsOn: [`[resourceId('Microsoft.Cache/redis', '${cache}')]`] });
    // Firewall rules on caches whose public access is disabled: removals of the only item and of
    // either of two items of a nested list, and of the first, a middle and the last resource of
    // the top-level list.
    const caches = [
      topRule('first', 'c4'),
      cacheJson('c1', { enableNonSslPort: true }),
      cacheJson('c2', { minimumTlsVersion: "[parameters('tls')]", redisConfiguration: { 'maxmemory-policy': 'allkeys-lru' } }),
      topRule('middle', 'c4'),
      cacheJson('c3', { publicNetworkAccess: 'Enabled', redisVersion: '4' }),
      { ...cacheJson('c4', { publicNetworkAccess: 'Disabled', minimumTlsVersion: '1.2' }), resources: [rule('only', '198.51.100.1')] },
      { ...cacheJson('c5', { publicNetworkAccess: 'Disabled', minimumTlsVersion: '1.2' }), resources: [rule('one', '198.51.100.2'), rule('two', '198.51.100.3')] },
      topRule('last', 'c4'),
    ];
    const template = {
      $schema: SCHEMA,
      contentVersion: '1.0.0.0',
      ...(symbolic ? { languageVersion: '2.0' } : {}),
      parameters: { tls: { type: 'string', defaultValue: '1.0' }, other: { type: 'string', defaultValue: 'x' } },
      resources: symbolic ? Object.fromEntries(caches.map((c) => [c.name.replace(/\W/g, '_'), c])) : caches,
    };
    return JSON.stringify(template, null, indent).replace(/\n/g, eol);
  };
  it('removes a firewall rule between commented lines of a JSONC template as modify() on the whole text does', () => {
    const rule = (name: string, comment: string) => `    {
      "type": "Microsoft.Cache/redis/firewallRules",
      "apiVersion": "2024-03-01",
      "name": "c1/${name}",
      "dependsOn": ["[resourceId('Microsoft.Cache/redis', 'c1')]"],
      "properties": { "startIP": "203.0.113.1", "endIP": "203.0.113.1" }
    }${comment}`;
    const cache = `    {
      "type": "Microsoft.Cache/redis",
      "apiVersion": "2024-03-01",
      "name": "c1",
      "location": "westeurope",
      "properties": { "sku": { "name": "Premium", "family": "P", "capacity": 1 }, "publicNetworkAccess": "Disabled", "minimumTlsVersion": "1.2" }
    }`;
    const text = `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
${cache},
${rule('a', ', // office')},
    /* build agents */
${rule('b', ',')}
${rule('c', ',   // vpn')}
${rule('d', ' // last one')}
  ]
}`;
    const r = scanText('t.json', text);
    assert.deepEqual(r.errors, []);
    const removals = r.findings.filter((f) => f.ruleId === 'redis-firewall-unused');
    assert.equal(removals.length, 4);
    for (const f of removals) {
      const windowed = fixEdits(r.deployment!, f.fix!);
      const whole = fixEdits({ ...r.deployment!, roots: undefined }, f.fix!);
      assert.ok(windowed && whole, f.message);
      assert.equal(applyEdits(text, windowed), applyEdits(text, whole), f.message);
    }
    // A removal after edits earlier in the file, in one fix: two properties added at one place
    // (their edits touch, so the ops are written one after another), then the removal, whose
    // window those edits moved.
    const cacheRes = r.deployment!.resources.find((x) => x.type === 'Microsoft.Cache/redis')!;
    for (const f of removals) {
      const fix = {
        title: 'all three',
        ops: [
          { op: 'set' as const, resource: cacheRes, path: ['properties', 'redisVersion'], value: '6' },
          { op: 'set' as const, resource: cacheRes, path: ['properties', 'enableNonSslPort'], value: false },
          ...f.fix!.ops,
        ],
      };
      const windowed = fixEdits(r.deployment!, fix);
      const whole = fixEdits({ ...r.deployment!, roots: undefined }, fix);
      assert.ok(windowed && whole, f.message);
      const out = applyEdits(text, windowed);
      assert.equal(out, applyEdits(text, whole), f.message);
      assert.match(out, /"redisVersion": "6"/);
      assert.match(out, /"enableNonSslPort": false/);
      assert.deepEqual(scanText('t.json', out).errors, []);
    }
  });

  for (const [label, symbolic, indent, eol] of [
    ['a resources array, 2 spaces', false, 2, '\n'],
    ['symbolic names, tabs, CRLF', true, '\t', '\r\n'],
    ['a resources array, 4 spaces, CRLF', false, 4, '\r\n'],
  ] as const) {
    it(`writes through windows of the text what modify() on the whole text writes: ${label}`, () => {
      const text = manyResources(symbolic, indent, eol);
      const r = scanText('t.json', text);
      const fixable = r.findings.filter((f) => f.fix);
      assert.ok(fixable.length >= 10, `enough fixes to compare (${fixable.length})`);
      const ops = new Set(fixable.flatMap((f) => f.fix!.ops.map((o) => o.op)));
      assert.ok(ops.has('addResource') && ops.has('set') && ops.has('raiseApiVersion') && ops.has('removeResource'), [...ops].join(','));
      assert.equal(fixable.filter((f) => f.ruleId === 'redis-firewall-unused').length, 6, 'every firewall rule of the closed caches is a removal');
      for (const f of fixable) {
        const windowed = fixEdits(r.deployment!, f.fix!);
        const whole = fixEdits({ ...r.deployment!, roots: undefined }, f.fix!);
        assert.ok(windowed && whole, `${f.ruleId} written both ways`);
        assert.equal(applyEdits(text, windowed), applyEdits(text, whole), `${f.ruleId}: ${f.fix!.title}`);
      }
    });
  }
});
