// The Bicep reader (AST → Deployment) and the Bicep writer (fixes → text edits), on small fixtures.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ReportedFinding, scanText } from '../../../../rules/engine';
import { Deployment, Fix, Resource, Span, member, prim, prop, toJson } from '../../../../rules/model';
import { parseBicep } from '../../../../rules/readers/bicep';
import { readBicep } from '../../../../rules/readers/bicep/reader';
import { applyEdits, fixEdits } from '../../../../rules/writers/arm';

const REPO = resolve(__dirname, '..', '..', '..', '..', '..');
const MODULES = join(REPO, 'test', 'fixtures', 'bicep-reader', 'modules');

function read(text: string, files: Record<string, string> = {}, parameters?: { file: string; text: string }): Deployment {
  return readBicep('/t/main.bicep', text, { readFile: (p) => files[p], parameters }).deployment;
}

function line(dep: Deployment, s: Span | undefined): number {
  assert.ok(s, 'span expected');
  const text = dep.texts.get(s.file)!;
  return text.slice(0, s.start).split('\n').length;
}

function res(dep: Deployment, type: string, i = 0): Resource {
  const r = dep.resources.filter((x) => x.type.toLowerCase() === type.toLowerCase())[i];
  assert.ok(r, `no ${type} #${i}`);
  return r;
}

function findings(file: string, text: string, opts: Parameters<typeof scanText>[2] = {}): ReportedFinding[] {
  return scanText(file, text, opts).findings;
}

function at(f: ReportedFinding[], rule: string): number[] {
  return f.filter((x) => x.ruleId === rule).map((x) => (x.range?.start.line ?? -1) + 1);
}

const CACHE = `param cacheName string = 'redis-\${uniqueString(resourceGroup().id)}'

@allowed([
  '1.0'
  '1.2'
])
param tls string = '1.2'

param tags object?

var port = false

resource cache 'Microsoft.Cache/redis@2023-08-01' = {
  name: cacheName
  location: resourceGroup().location
  tags: tags
  properties: {
    sku: {
      name: 'Standard'
      family: 'C'
      capacity: 1
    }
    enableNonSslPort: port
    minimumTlsVersion: tls
  }
}
`;

describe('Bicep reader', () => {
  it('reads type, apiVersion, rendered name, declaration line and property spans', () => {
    const dep = read(CACHE);
    const r = res(dep, 'Microsoft.Cache/redis');
    assert.equal(r.apiVersion, '2023-08-01');
    assert.equal(r.source, 'bicep');
    assert.equal(r.fullName, 'redis-${uniqueString(resourceGroup().id)}');
    assert.equal(r.knownName, undefined);
    assert.equal(line(dep, r.declAt), 13);
    const props = member(r.body, 'properties')!;
    assert.equal(line(dep, props.keyAt), 17);
    assert.equal(line(dep, member(props.value, 'sku')!.keyAt), 18);
    assert.equal(prim(prop(r.body, 'properties', 'sku', 'name')), 'Standard');
  });

  it('parameters: default with origin and @allowed list, nullable without default is null, required is unknown', () => {
    const dep = read(`${CACHE}\nparam required string\noutput o string = required\n`);
    const tls = prop(res(dep, 'Microsoft.Cache/redis').body, 'properties', 'minimumTlsVersion')!;
    assert.equal(prim(tls), '1.2');
    assert.equal(tls.origin?.kind, 'parameter');
    assert.equal(line(dep, tls.origin?.at), 7);
    assert.deepEqual(tls.origin?.allowed?.values, ['1.0', '1.2']);
    assert.equal(line(dep, tls.origin?.allowed?.at), 3);
    const tags = prop(res(dep, 'Microsoft.Cache/redis').body, 'tags')!;
    assert.equal(tags.kind, 'prim');
    assert.equal(prim(tags), null);
    assert.equal(tags.origin?.kind, 'parameter');
    assert.equal(dep.outputs[0].value.kind, 'unknown');
  });

  it('variables carry origin variable', () => {
    const dep = read(CACHE);
    const v = prop(res(dep, 'Microsoft.Cache/redis').body, 'properties', 'enableNonSslPort')!;
    assert.equal(prim(v), false);
    assert.equal(v.origin?.kind, 'variable');
    assert.equal(line(dep, v.origin?.at), 11);
  });

  it('.bicepparam values are parameter-file values, located in the parameter file', () => {
    const dep = read(CACHE, {}, { file: '/t/main.bicepparam', text: "using './main.bicep'\n\nparam tls = '1.0'\n" });
    const tls = prop(res(dep, 'Microsoft.Cache/redis').body, 'properties', 'minimumTlsVersion')!;
    assert.equal(prim(tls), '1.0');
    assert.equal(tls.origin?.kind, 'parameterFile');
    assert.equal(tls.at?.file, '/t/main.bicepparam');
    const f = findings('/t/main.bicep', CACHE, { parameters: { file: '/t/main.bicepparam', text: "using './main.bicep'\n\nparam tls = '1.0'\n" } });
    const tlsFinding = f.find((x) => x.ruleId === 'redis-min-tls')!;
    assert.equal(tlsFinding.file, '/t/main.bicepparam');
    assert.equal(tlsFinding.range?.start.line, 2);
  });

  it('loops expand up to ARM\'s copy limit of 800 elements', () => {
    const dep = read(`resource caches 'Microsoft.Cache/redis@2024-11-01' = [for i in range(0, 300): {
  name: 'c\${i}'
  location: 'westeurope'
  properties: { minimumTlsVersion: '1.2' }
}]
`);
    const caches = dep.resources.filter((r) => r.type === 'Microsoft.Cache/redis');
    assert.equal(caches.length, 300);
    assert.equal(caches[299].name, 'c299');
  });

  it('loops: one resource per element of a known array (loopAt on the element), none for an empty one, once for an unknown one; false conditions skip', () => {
    const dep = read(`param names array
var rules = [
  { name: 'a', start: '1.1.1.1' }
  { name: 'b', start: '2.2.2.2' }
]
resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: 'c1'
  properties: {}
}
resource fw 'Microsoft.Cache/redis/firewallRules@2024-11-01' = [for r in rules: {
  parent: cache
  name: r.name
  properties: { startIP: r.start, endIP: r.start }
}]
resource none 'Microsoft.Cache/redis/firewallRules@2024-11-01' = [for r in []: {
  parent: cache
  name: r
}]
resource unknown 'Microsoft.Cache/redis/firewallRules@2024-11-01' = [for n in names: {
  parent: cache
  name: n
}]
resource skipped 'Microsoft.Cache/redis@2024-11-01' = if (1 == 2) {
  name: 'never'
}
`);
    const fw = dep.resources.filter((r) => r.type === 'Microsoft.Cache/redis/firewallRules');
    assert.deepEqual(
      fw.map((r) => r.fullName),
      ['c1/a', 'c1/b', 'c1/n'],
    );
    assert.equal(line(dep, fw[0].loopAt), 3);
    assert.equal(line(dep, fw[1].loopAt), 4);
    assert.equal(fw[0].parent?.fullName, 'c1');
    assert.ok(!dep.resources.some((r) => r.fullName === 'never'));
  });

  it('nested children, parent:, existing resources bound to their declaration', () => {
    const dep = read(`resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: 'amr'
  sku: { name: 'Balanced_B5' }
  resource db 'databases@2025-07-01' = {
    name: 'default'
  }
}
resource again 'Microsoft.Cache/redisEnterprise@2025-07-01' existing = {
  name: 'amr'
}
var sku = again.sku.name
resource tagged 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  tags: { sku: sku }
}
output dbName string = cluster::db.name
`);
    const db = res(dep, 'Microsoft.Cache/redisEnterprise/databases');
    assert.equal(db.fullName, 'amr/default');
    assert.equal(db.knownName, 'amr/default');
    assert.equal(db.parent?.type, 'Microsoft.Cache/redisEnterprise');
    assert.ok(res(dep, 'Microsoft.Cache/redisEnterprise', 1).existing);
    assert.equal(prim(prop(res(dep, 'Microsoft.Storage/storageAccounts').body, 'tags', 'sku')), 'Balanced_B5');
    assert.equal(prim(dep.outputs[0].value), 'default');
  });

  it('listKeys() in both spellings carries keysOf; cache.id is a reference; scope: is a reference to the scoped resource', () => {
    const dep = read(`resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: 'c1'
}
resource diag 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'd'
  scope: cache
  properties: { workspaceId: 'w' }
}
output k1 string = cache.listKeys().primaryKey
output k2 string = listKeys(cache.id, '2024-11-01').primaryKey
output conn string = '\${cache.properties.hostName},password=\${cache.listKeys().primaryKey}'
output id string = cache.id
`);
    for (const o of dep.outputs.slice(0, 3)) assert.deepEqual((o.value as { keysOf?: string[] }).keysOf, ['Microsoft.Cache/redis'], o.name);
    const id = dep.outputs[3].value;
    assert.equal(id.kind, 'unknown');
    assert.deepEqual(id.kind === 'unknown' && id.ref, { type: 'Microsoft.Cache/redis', name: 'c1' });
    const scope = res(dep, 'Microsoft.Insights/diagnosticSettings').scope!;
    assert.deepEqual(scope.kind === 'unknown' && scope.ref, { type: 'Microsoft.Cache/redis', name: 'c1' });
    const f = findings('/t/x.bicep', `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n}\noutput k string = cache.listKeys().primaryKey\n`);
    assert.deepEqual(at(f, 'redis-keys-in-outputs'), [4]);
  });

  it('local modules: arguments from the call site, module defaults on the module line or the null argument, spans placed in the caller', () => {
    const text = readFileSync(join(MODULES, 'main.bicep'), 'utf8');
    const file = join(MODULES, 'main.bicep');
    const r = scanText(file, text);
    const dep = r.deployment!;
    assert.ok(dep.texts.has(join(MODULES, 'cache.bicep')), 'the module text is in Deployment.texts');
    const cache = res(dep, 'Microsoft.Cache/redis');
    assert.equal(cache.fullName, 'modcache');
    assert.equal(cache.module?.file, file);
    assert.equal(line(dep, cache.module?.declAt), 9);
    assert.equal(cache.declAt.file, file, 'a module resource is placed in the caller');
    const nonSsl = prop(cache.body, 'properties', 'enableNonSslPort')!;
    assert.equal(nonSsl.origin?.kind, 'argument');
    assert.equal(line(dep, nonSsl.at), 14);
    const pna = prop(cache.body, 'properties', 'publicNetworkAccess')!;
    assert.equal(pna.origin?.kind, 'moduleDefault');
    assert.equal(line(dep, pna.at), 9);
    const tags = prop(cache.body, 'tags')!;
    assert.equal(tags.origin?.kind, 'moduleDefault');
    assert.equal(line(dep, tags.at), 16, 'passed null: the module default sits on the argument');
    const tls = prop(cache.body, 'properties', 'minimumTlsVersion')!;
    assert.equal(tls.origin?.kind, 'parameter', "a caller's parameter keeps its origin");
    // Findings sit in the caller.
    for (const f of r.findings) assert.equal(f.file, file, `${f.ruleId} is reported in the caller`);
    assert.deepEqual(at(r.findings, 'redis-no-non-ssl-port'), [14]);
    assert.deepEqual(at(r.findings, 'redis-disable-public-network'), [9]);
    assert.deepEqual(at(r.findings, 'redis-min-tls'), [3], "the caller's own @allowed list");
    assert.deepEqual(at(r.findings, 'redis-required-tags'), [16]);
    // Module calls, registry modules noted but recorded with their arguments (a private endpoint via a module).
    assert.deepEqual(
      dep.moduleCalls.map((c) => c.path),
      ['cache.bicep', 'br/public:avm/res/network/private-endpoint:0.12.0'],
    );
    assert.ok(dep.notes.some((n) => /registry module 'br\/public:avm\/res\/network\/private-endpoint:0.12.0' is not followed/.test(n.message)));
    assert.deepEqual(at(r.findings, 'redis-private-link'), []);
  });

  it('a .bicepparam given with the template sets parameter values', () => {
    const file = join(MODULES, 'main.bicep');
    const pfile = join(MODULES, 'main.bicepparam');
    const r = scanText(file, readFileSync(file, 'utf8'), { parameters: { file: pfile, text: readFileSync(pfile, 'utf8') } });
    const f = r.findings.filter((x) => x.ruleId === 'redis-min-tls');
    assert.equal(f.length, 1);
    assert.equal(f[0].file, pfile);
    assert.equal((f[0].range?.start.line ?? 0) + 1, 3);
    assert.equal(scanText(pfile, readFileSync(pfile, 'utf8')).kind, 'parameters');
  });

  it('user-defined types are ignored for values, nullable ones honoured; functions and lambdas evaluate', () => {
    const dep = read(`type cfg = { tls: string }?
param settings cfg
func upper(s string) string => toUpper(s)
var names = map(['a', 'b'], n => upper(n))
var picked = filter([1, 2, 3], x => x > 1)
resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  tags: { names: join(names, ','), n: string(length(picked)), s: settings.?tls ?? 'none' }
}
`);
    const tags = toJson(prop(res(dep, 'Microsoft.Storage/storageAccounts').body, 'tags'));
    assert.deepEqual(tags, { names: 'A,B', n: '2', s: 'none' });
  });

  it('a parse error is one parse-error finding at the first error, and what parsed is still checked', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    minimumTlsVersion: '1.0'\n  }\n}\nparam = \n`;
    const r = scanText('/t/broken.bicep', text);
    assert.equal(r.errors.length, 1);
    assert.equal(r.findings.filter((f) => f.ruleId === 'parse-error').length, 1);
    assert.equal(r.findings.find((f) => f.ruleId === 'parse-error')?.range?.start.line, 6);
    assert.deepEqual(at(r.findings, 'redis-min-tls'), [4]);
  });

  it('suppression comments work in .bicep, and #disable-next-line is not ours', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    // redis-posture-disable-next-line redis-min-tls -- accepted\n    minimumTlsVersion: '1.0'\n    #disable-next-line no-hardcoded-env-urls\n    enableNonSslPort: true\n  }\n}\n`;
    const f = findings('/t/s.bicep', text);
    assert.deepEqual(at(f, 'redis-min-tls'), []);
    assert.deepEqual(at(f, 'redis-no-non-ssl-port'), [7]);
    assert.deepEqual(at(f, 'unused-suppression'), []);
  });

  it('a module that cannot be read is noted, not an error', () => {
    const dep = read(`module m './missing.bicep' = {\n  name: 'm'\n}\n`);
    assert.equal(dep.notes.length, 1);
    assert.match(dep.notes[0].message, /could not be read/);
  });
});

// ------------------------------------------------------------------ writer

function fixAll(file: string, text: string, rule: string, opts: Parameters<typeof scanText>[2] = {}): { fixed: string; edits: number } {
  const r = scanText(file, text, opts);
  const f = r.findings.find((x) => x.ruleId === rule);
  assert.ok(f?.fix, `${rule} has a fix`);
  const edits = fixEdits(r.deployment!, f.fix);
  assert.ok(edits, `${rule}: the fix can be written`);
  const fixed = applyEdits(text, edits.filter((e) => e.file === file));
  assert.deepEqual(parseBicep(fixed).errors, [], `${rule}: the fixed file parses`);
  assert.ok(!scanText(file, fixed, opts).findings.some((g) => g.ruleId === rule && g.path === f.path), `${rule}: the finding is gone`);
  return { fixed, edits: edits.length };
}

describe('Bicep writer', () => {
  it('inserts a property with the object\'s indentation and creates nested objects with quoted keys', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n    name: 'c1'\n    properties: {\n        sku: {\n            name: 'Standard'\n        }\n    }\n}\n`;
    const { fixed } = fixAll('/t/w.bicep', text, 'redis-entra-auth');
    assert.match(fixed, /\n {8}redisConfiguration: \{\n {12}'aad-enabled': 'true'\n {8}\}\n {4}\}\n\}/);
    const pna = fixAll('/t/w.bicep', text, 'redis-disable-public-network').fixed;
    assert.match(pna, /\n {8}publicNetworkAccess: 'Disabled'\n/);
  });

  it('inserts into a single-line object and an empty one, keeps CRLF', () => {
    const one = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: { sku: { name: 'Standard' }, minimumTlsVersion: '1.2' }\n}\n`;
    assert.match(fixAll('/t/w.bicep', one, 'redis-disable-public-network').fixed, /minimumTlsVersion: '1\.2', publicNetworkAccess: 'Disabled' \}/);
    const empty = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\r\n  name: 'c1'\r\n  properties: {}\r\n}\r\n`;
    const fixed = fixAll('/t/w.bicep', empty, 'redis-disable-public-network').fixed;
    assert.match(fixed, /properties: \{\r\n {4}publicNetworkAccess: 'Disabled'\r\n {2}\}/);
  });

  it('replaces a value where it is written: in place, the parameter default, and drops insecure @allowed values', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    enableNonSslPort: true\n  }\n}\n`;
    assert.match(fixAll('/t/w.bicep', text, 'redis-no-non-ssl-port').fixed, /enableNonSslPort: false/);
    const p = `@allowed([\n  '1.0'\n  '1.2'\n])\nparam tls string = '1.0'\nresource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    minimumTlsVersion: tls\n  }\n}\n`;
    const fixed = fixAll('/t/w.bicep', p, 'redis-min-tls').fixed;
    assert.match(fixed, /@allowed\(\[\n {2}'1\.2'\n\]\)\nparam tls string = '1\.2'\n/);
    assert.match(fixed, /minimumTlsVersion: tls/, 'the reference stays');
    const list = `@allowed(['1.0', '1.2'])\nparam tls string = '1.2'\nresource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    minimumTlsVersion: tls\n  }\n}\n`;
    assert.match(fixAll('/t/w.bicep', list, 'redis-min-tls').fixed, /@allowed\(\['1\.2'\]\)/);
  });

  it('a nullable parameter without default gets the secure value as its default', () => {
    const text = `param tags object?\nresource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  tags: tags\n  properties: {}\n}\n`;
    assert.match(fixAll('/t/w.bicep', text, 'redis-required-tags').fixed, /param tags object\? = \{\n {2}owner: ''\n\}/);
  });

  it('raises the apiVersion inside the type string', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2023-08-01' = {\n  name: 'c1'\n  properties: {\n    redisConfiguration: {\n      'aad-enabled': 'true'\n    }\n  }\n}\n`;
    const fixed = fixAll('/t/w.bicep', text, 'redis-disable-access-keys').fixed;
    assert.match(fixed, /'Microsoft\.Cache\/redis@2024-03-01'/);
    assert.match(fixed, /disableAccessKeyAuthentication: true/);
  });

  it('removes an output, a resource, and a loop element', () => {
    const out = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n}\n\n@description('keys')\noutput k string = cache.listKeys().primaryKey\n\noutput n string = cache.name\n`;
    const fixed = fixAll('/t/w.bicep', out, 'redis-keys-in-outputs').fixed;
    assert.equal(fixed, `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n}\n\noutput n string = cache.name\n`);
    const fw = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    publicNetworkAccess: 'Disabled'\n  }\n}\n\nresource rule 'Microsoft.Cache/redis/firewallRules@2024-11-01' = {\n  parent: cache\n  name: 'r'\n  properties: { startIP: '1.1.1.1', endIP: '1.1.1.1' }\n}\n`;
    assert.doesNotMatch(fixAll('/t/w.bicep', fw, 'redis-firewall-unused').fixed, /firewallRules/);
    const loop = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    publicNetworkAccess: 'Disabled'\n  }\n}\nresource rules 'Microsoft.Cache/redis/firewallRules@2024-11-01' = [for r in [\n  'a'\n  'b'\n]: {\n  parent: cache\n  name: r\n  properties: { startIP: '1.1.1.1', endIP: '1.1.1.1' }\n}]\n`;
    const r = scanText('/t/w.bicep', loop);
    const first = r.findings.find((f) => f.ruleId === 'redis-firewall-unused')!;
    const fixed2 = applyEdits(loop, fixEdits(r.deployment!, first.fix!)!);
    assert.match(fixed2, /\[for r in \[\n {2}'b'\n\]: \{/);
  });

  it('adds a diagnostic setting scoped to the cache by its symbol, with the new workspace parameter', () => {
    const text = `param location string = 'westeurope'\n\nresource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  location: location\n  properties: {}\n}\n`;
    const { fixed } = fixAll('/t/w.bicep', text, 'redis-connection-logs');
    assert.match(fixed, /param redisLogsWorkspaceId string\n/);
    assert.match(fixed, /resource redisConnectionLogs 'Microsoft\.Insights\/diagnosticSettings@2021-05-01-preview' = \{\n {2}name: 'redis-connection-logs'\n {2}scope: cache\n/);
    assert.match(fixed, /workspaceId: redisLogsWorkspaceId/);
  });

  it('in a caller, a module default is fixed by passing the secure value; an argument is fixed where it is passed', () => {
    const file = join(MODULES, 'main.bicep');
    const text = readFileSync(file, 'utf8');
    const pna = fixAll(file, text, 'redis-disable-public-network');
    assert.match(pna.fixed, /    tags: null\n    publicNetworkAccess: 'Disabled'\n  \}/);
    assert.equal(pna.edits, 1, 'only the caller is edited');
    assert.match(fixAll(file, text, 'redis-no-non-ssl-port').fixed, /enableNonSslPort: false/);
  });

  it("a module default is passed under the module parameter's name, whatever property it feeds; a part of one is not passed", () => {
    const cacheJson = JSON.stringify(
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        parameters: { location: { type: 'string' }, tls: { type: 'string', defaultValue: '1.0' } },
        resources: [
          { type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c2', location: "[parameters('location')]", properties: { sku: { name: 'Premium', family: 'P', capacity: 1 }, minimumTlsVersion: "[parameters('tls')]" } },
        ],
      },
      null,
      2,
    );
    const files: Record<string, string> = {
      '/t/cache.bicep': `param tls string = '1.0'\nparam config object = {\n  nonSsl: true\n}\n\nresource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    minimumTlsVersion: tls\n    enableNonSslPort: config.nonSsl\n  }\n}\n`,
      '/t/cache.json': cacheJson,
    };
    const opts = { readFile: (p: string) => files[p] };
    const main = `module c './cache.bicep' = {\n  name: 'c'\n}\n`;
    const tls = fixAll('/t/main.bicep', main, 'redis-min-tls', opts);
    assert.equal(tls.fixed, `module c './cache.bicep' = {\n  name: 'c'\n  params: {\n    tls: '1.2'\n  }\n}\n`);
    assert.equal(tls.edits, 1, 'only the caller is edited');
    // `config.nonSsl`: passing `config: false` would replace the whole object, so there is no fix to write.
    const r = scanText('/t/main.bicep', main, opts);
    const nonSsl = r.findings.find((f) => f.ruleId === 'redis-no-non-ssl-port');
    assert.ok(nonSsl, 'the finding is still reported');
    assert.equal(nonSsl.fix ? fixEdits(r.deployment!, nonSsl.fix) : undefined, undefined);

    const viaJson = `module c './cache.json' = {\n  name: 'c'\n  params: {\n    location: 'westeurope'\n  }\n}\n`;
    const json = fixAll('/t/main.bicep', viaJson, 'redis-min-tls', opts);
    assert.equal(json.fixed, `module c './cache.json' = {\n  name: 'c'\n  params: {\n    location: 'westeurope'\n    tls: '1.2'\n  }\n}\n`);
  });
});


describe('Bicep reader: compile-time imports', () => {
  it('imports variables and functions from a local file, by name and as a namespace, placed on the import line', () => {
    const shared = `@export()\nvar tls = '1.0'\n@export()\nfunc pick(a string) string => a\n`;
    const dep = read(
      `import { tls as minTls, pick } from 'shared.bicep'\nimport * as s from 'shared.bicep'\nresource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: pick('c1')\n  properties: {\n    minimumTlsVersion: minTls\n    redisVersion: s.pick('6')\n    publicNetworkAccess: s.tls == '1.0' ? 'Enabled' : 'Disabled'\n  }\n}\n`,
      { '/t/shared.bicep': shared },
    );
    const cache = res(dep, 'Microsoft.Cache/redis');
    assert.equal(cache.knownName, 'c1');
    const tls = prop(cache.body, 'properties', 'minimumTlsVersion')!;
    assert.equal(prim(tls), '1.0');
    assert.equal(tls.at?.file, '/t/main.bicep');
    assert.equal(line(dep, tls.at), 1);
    assert.equal(prim(prop(cache.body, 'properties', 'redisVersion')), '6');
    assert.equal(prim(prop(cache.body, 'properties', 'publicNetworkAccess')), 'Enabled');
  });
});

describe('Bicep writer: parameter files', () => {
  it('a value set in a .bicepparam is fixed there, the template keeps its reference and loses the insecure allowed value', () => {
    const file = join(MODULES, 'main.bicep');
    const pfile = join(MODULES, 'main.bicepparam');
    const parameters = { file: pfile, text: readFileSync(pfile, 'utf8') };
    const r = scanText(file, readFileSync(file, 'utf8'), { parameters });
    const f = r.findings.find((x) => x.ruleId === 'redis-min-tls')!;
    const edits = fixEdits(r.deployment!, f.fix!)!;
    assert.deepEqual(edits.map((e) => e.file).sort(), [file, pfile].sort());
    const fixedParams = applyEdits(parameters.text, edits.filter((e) => e.file === pfile));
    assert.equal(fixedParams, "using './main.bicep'\n\nparam tls = '1.2'\n");
    const fixedMain = applyEdits(readFileSync(file, 'utf8'), edits.filter((e) => e.file === file));
    assert.match(fixedMain, /@allowed\(\[\n {2}'1\.2'\n\]\)/);
  });
});

describe('Bicep writer: removals', () => {
  it('a directive or suppression comment right above a removed declaration goes with it', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n}\n\n#disable-next-line outputs-should-not-contain-secrets\noutput k string = cache.listKeys().primaryKey\n`;
    assert.equal(fixAll('/t/w.bicep', text, 'redis-keys-in-outputs').fixed, `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n}\n`);
  });
});

describe('Bicep writer: fixes of several ops', () => {
  it('two properties added to one object and a raised apiVersion are written as separate edits, in op order', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2023-04-01' = {\n  name: 'c1'\n  location: 'westeurope'\n  properties: {\n    sku: {\n      name: 'Standard'\n      family: 'C'\n      capacity: 1\n    }\n  }\n}\n`;
    const r = scanText('/t/w.bicep', text);
    const f = r.findings.find((x) => x.ruleId === 'redis-disable-access-keys');
    assert.ok(f?.fix && f.fix.ops.length > 2, 'a fix of several ops');
    const { fixed, edits } = fixAll('/t/w.bicep', text, 'redis-disable-access-keys');
    assert.ok(edits >= 2, `separate edits (${edits})`);
    assert.match(fixed, /^resource cache 'Microsoft\.Cache\/redis@2024-03-01' = \{/);
    assert.match(fixed, /\n {4}\}\n {4}disableAccessKeyAuthentication: true\n {4}redisConfiguration: \{\n {6}'aad-enabled': 'true'\n {4}\}\n {2}\}\n\}\n$/);
  });

  it('properties that need the same missing parent are written into one new object', () => {
    const text = `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    minimumTlsVersion: '1.2'\n  }\n}\n`;
    const r = scanText('/t/w.bicep', text);
    const resource = r.deployment!.resources[0];
    const fix: Fix = {
      title: 'two settings under one new object',
      ops: [
        { op: 'set', resource, path: ['properties', 'redisConfiguration', 'aad-enabled'], value: 'true' },
        { op: 'set', resource, path: ['properties', 'publicNetworkAccess'], value: 'Disabled' },
        { op: 'set', resource, path: ['properties', 'redisConfiguration', 'maxmemory-policy'], value: 'volatile-lru' },
      ],
    };
    const edits = fixEdits(r.deployment!, fix)!;
    assert.ok(edits);
    const fixed = applyEdits(text, edits);
    assert.equal(
      fixed,
      `resource cache 'Microsoft.Cache/redis@2024-11-01' = {\n  name: 'c1'\n  properties: {\n    minimumTlsVersion: '1.2'\n    redisConfiguration: {\n      'aad-enabled': 'true'\n      'maxmemory-policy': 'volatile-lru'\n    }\n    publicNetworkAccess: 'Disabled'\n  }\n}\n`,
    );
  });
});

describe('Bicep reader: JSON modules', () => {
  const moduleJson = JSON.stringify(
    {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: {
        cacheName: { type: 'string' },
        tls: { type: 'string', defaultValue: '1.0' },
        publicNetworkAccess: { type: 'string', defaultValue: 'Disabled' },
      },
      resources: [
        {
          type: 'Microsoft.Cache/redis',
          apiVersion: '2024-11-01',
          name: "[parameters('cacheName')]",
          location: 'westeurope',
          properties: {
            sku: { name: 'Standard', family: 'C', capacity: 1 },
            minimumTlsVersion: "[parameters('tls')]",
            publicNetworkAccess: "[parameters('publicNetworkAccess')]",
            enableNonSslPort: true,
          },
        },
      ],
    },
    null,
    2,
  );
  const main = [
    "module sessions './modules/cache.json' = {",
    "  name: 'sessions'",
    '  params: {',
    "    cacheName: 'orders-sessions'",
    "    publicNetworkAccess: 'Enabled'",
    '  }',
    '}',
    '',
  ].join('\n');
  const files: Record<string, string> = { '/w/modules/cache.json': moduleJson };
  const scan = () => scanText('/w/main.bicep', main, { readFile: (p) => files[p] });

  it('reads what the JSON module deploys, with the arguments passed, and places it on the module line', () => {
    const r = scan();
    const cache = r.deployment!.resources.find((x) => x.type === 'Microsoft.Cache/redis')!;
    assert.equal(cache.fullName, 'orders-sessions');
    const byRule = new Map(r.findings.map((f) => [f.ruleId, f]));
    assert.ok(!byRule.has('module-not-followed'), [...byRule.keys()].join(','));
    for (const id of ['redis-min-tls', 'redis-no-non-ssl-port', 'redis-disable-public-network']) {
      const f = byRule.get(id);
      assert.ok(f, `${id} reported`);
      assert.equal(f.file, '/w/main.bicep', `${id} sits in the caller`);
    }
    // The insecure argument is the caller's: on its line.
    assert.equal(byRule.get('redis-disable-public-network')!.range!.start.line, 4);
    assert.equal(byRule.get('redis-no-non-ssl-port')!.range!.start.line, 0);
  });

  it('fixes what the caller writes, never the JSON module', () => {
    const r = scan();
    const pna = r.findings.find((f) => f.ruleId === 'redis-disable-public-network')!;
    const edits = fixEdits(r.deployment!, pna.fix!);
    assert.ok(edits, 'the argument can be fixed');
    assert.ok(edits.every((e) => e.file === '/w/main.bicep'));
    assert.match(applyEdits(main, edits), /publicNetworkAccess: 'Disabled'/);
    const port = r.findings.find((f) => f.ruleId === 'redis-no-non-ssl-port')!;
    assert.equal(port.fix ? fixEdits(r.deployment!, port.fix) : undefined, undefined, 'a value written in the JSON module has no fix from here');
  });

  it('a JSON module that is missing or not a template is reported as not followed', () => {
    const missing = scanText('/w/main.bicep', main, { readFile: () => undefined });
    assert.match(missing.findings.find((f) => f.ruleId === 'module-not-followed')!.message, /could not be read/);
    const other = scanText('/w/main.bicep', main, { readFile: () => '{"a": 1}' });
    assert.match(other.findings.find((f) => f.ruleId === 'module-not-followed')!.message, /is not an ARM template/);
  });
});
