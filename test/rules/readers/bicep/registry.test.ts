import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bicepConfigFor, cachedModulePath, cachedTemplateSpecPath, encodeTag, parseOciReference, parseTemplateSpecReference } from '../../../../rules/readers/bicep/registry';
import { scanText } from '../../../../rules/engine';

describe('registry modules in the Bicep CLI cache', () => {
  it('parses br: and br/<alias>: references, with tags and digests', () => {
    assert.deepEqual(parseOciReference('br/public:avm/res/cache/redis:0.9.0'), { registry: 'mcr.microsoft.com', repository: 'bicep/avm/res/cache/redis', tag: '0.9.0' });
    assert.deepEqual(parseOciReference('br:contoso.azurecr.io/infra/redis:v2'), { registry: 'contoso.azurecr.io', repository: 'infra/redis', tag: 'v2' });
    assert.deepEqual(parseOciReference('br:localhost:5000/redis@sha256:ab12'), { registry: 'localhost:5000', repository: 'redis', digest: 'sha256:ab12' });
    assert.deepEqual(parseOciReference('br/team:redis:1.0', { team: { registry: 'team.azurecr.io', modulePath: 'modules/' } }), { registry: 'team.azurecr.io', repository: 'modules/redis', tag: '1.0' });
    assert.equal(parseOciReference('br/unknown:redis:1.0'), undefined);
    assert.equal(parseOciReference('ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0'), undefined);
  });

  it('lays the cache out as the Bicep CLI does: registry, flattened repository, encoded tag', () => {
    assert.equal(encodeTag('0.9.0'), '0.9.0$');
    assert.equal(encodeTag('V1.2-Beta'), 'V1.2-Beta$21');
    assert.equal(cachedModulePath({ registry: 'Contoso.azurecr.io:443', repository: 'infra/redis', tag: 'v2' }, '/c'), '/c/br/contoso.azurecr.io$443/infra$redis/v2$/main.json');
    assert.equal(cachedModulePath({ registry: 'r.io', repository: 'x', digest: 'sha256:ab' }, '/c'), '/c/br/r.io/x/sha256#ab/main.json');
  });

  it('reads aliases and the cache root from the nearest bicepconfig.json (comments allowed)', () => {
    const files: Record<string, string> = { '/w/bicepconfig.json': '{ // ours\n "cacheRootDirectory": "/cache", "moduleAliases": { "br": { "team": { "registry": "team.azurecr.io" } } } }' };
    const cfg = bicepConfigFor('/w/infra/main.bicep', (p) => files[p]);
    assert.equal(cfg.cacheRoot, '/cache');
    assert.deepEqual(cfg.aliases, { team: { registry: 'team.azurecr.io' } });
  });

  const compiled = JSON.stringify({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { name: { type: 'string' }, enableNonSslPort: { type: 'bool', defaultValue: false } },
    resources: [
      {
        type: 'Microsoft.Cache/redis',
        apiVersion: '2024-11-01',
        name: "[parameters('name')]",
        location: 'westeurope',
        properties: { sku: { name: 'Standard', family: 'C', capacity: 1 }, enableNonSslPort: "[parameters('enableNonSslPort')]", minimumTlsVersion: '1.2' },
      },
    ],
  });
  const main = "module shared 'br/public:avm/res/cache/redis:0.9.0' = {\n  name: 'shared'\n  params: {\n    name: 'shared-cache'\n    enableNonSslPort: true\n  }\n}\n";

  it('follows a restored registry module: its findings sit on the module line and its arguments are fixed in the caller', () => {
    const files: Record<string, string> = { '/cache/br/mcr.microsoft.com/bicep$avm$res$cache$redis/0.9.0$/main.json': compiled };
    const r = scanText('/w/main.bicep', main, { readFile: (p) => files[p], moduleCacheRoot: '/cache' });
    assert.ok(!r.findings.some((f) => f.ruleId === 'module-not-followed'), r.findings.map((f) => f.message).join(' | '));
    const port = r.findings.find((f) => f.ruleId === 'redis-no-non-ssl-port');
    assert.ok(port, 'what the module deploys is checked');
    assert.equal(port.file, '/w/main.bicep');
    assert.equal(port.range!.start.line, 4, 'on the argument that passes true');
  });

  it('says how to make a registry module followable when it is not in the cache', () => {
    const r = scanText('/w/main.bicep', main, { readFile: () => undefined, moduleCacheRoot: '/cache' });
    assert.match(r.findings.find((f) => f.ruleId === 'module-not-followed')!.message, /bicep restore/);
  });

  const SUB = '8d3f2a51-6c4e-4b7a-9e0f-2b5c7d9a1e34';

  it('parses ts: and ts/<alias>: template spec references', () => {
    assert.deepEqual(parseTemplateSpecReference(`ts:${SUB}/rg-platform/redisCache:2.1`), { subscription: SUB, resourceGroup: 'rg-platform', name: 'redisCache', version: '2.1' });
    const aliases = { platform: { subscription: SUB, resourceGroup: 'rg-platform' } };
    assert.deepEqual(parseTemplateSpecReference('ts/platform:redisCache:2.1', aliases), { subscription: SUB, resourceGroup: 'rg-platform', name: 'redisCache', version: '2.1' });
    assert.equal(parseTemplateSpecReference('ts/other:redisCache:2.1', aliases), undefined, 'an alias no bicepconfig.json defines');
    assert.equal(parseTemplateSpecReference(`ts:${SUB}/redisCache:2.1`), undefined, 'no resource group');
    assert.equal(parseTemplateSpecReference(`ts:${SUB}/rg/redisCache`), undefined, 'no version');
    assert.equal(parseTemplateSpecReference('br/public:avm/res/cache/redis:0.9.0'), undefined);
  });

  it('lays template specs out as the Bicep CLI does: ts/<subscription>/<group>/<name>/<version>, lower-cased', () => {
    assert.equal(cachedTemplateSpecPath({ subscription: SUB.toUpperCase(), resourceGroup: 'RG-Platform', name: 'redisCache', version: 'V2' }, '/c'), `/c/ts/${SUB}/rg-platform/rediscache/v2/main.json`);
  });

  it('reads template spec aliases from bicepconfig.json, skipping incomplete ones', () => {
    const files: Record<string, string> = {
      '/w/bicepconfig.json': JSON.stringify({ moduleAliases: { ts: { platform: { subscription: SUB, resourceGroup: 'rg-platform' }, broken: { subscription: SUB } } } }),
    };
    assert.deepEqual(bicepConfigFor('/w/main.bicep', (p) => files[p]).templateSpecAliases, { platform: { subscription: SUB, resourceGroup: 'rg-platform' } });
  });

  /** A template spec version as ARM returns it (and the Bicep CLI caches it): the template is properties.mainTemplate. */
  const specVersion = JSON.stringify(
    {
      id: `/subscriptions/${SUB}/resourceGroups/rg-platform/providers/Microsoft.Resources/templateSpecs/redisCache/versions/2.1`,
      name: '2.1',
      type: 'Microsoft.Resources/templateSpecs/versions',
      location: 'westeurope',
      properties: { description: 'Shared Redis cache', mainTemplate: JSON.parse(compiled) },
    },
    null,
    2,
  );
  const specCaller = `module shared 'ts/platform:redisCache:2.1' = {\n  name: 'shared'\n  params: {\n    name: 'shared-cache'\n    enableNonSslPort: true\n  }\n}\n`;
  const specConfig = JSON.stringify({ moduleAliases: { ts: { platform: { subscription: SUB, resourceGroup: 'rg-platform' } } } });

  it('follows a restored template spec: its main template is checked and findings sit on the module line', () => {
    const files: Record<string, string> = { '/w/bicepconfig.json': specConfig, [`/cache/ts/${SUB}/rg-platform/rediscache/2.1/main.json`]: specVersion };
    const r = scanText('/w/main.bicep', specCaller, { readFile: (p) => files[p], moduleCacheRoot: '/cache' });
    assert.ok(!r.findings.some((f) => f.ruleId === 'module-not-followed'), r.findings.map((f) => f.message).join(' | '));
    const port = r.findings.find((f) => f.ruleId === 'redis-no-non-ssl-port');
    assert.ok(port, 'what the template spec deploys is checked');
    assert.equal(port.file, '/w/main.bicep');
    assert.equal(port.range!.start.line, 4, 'on the argument that passes true');
  });

  it('says a template spec is not followed, and why, when it is not cached or its cached file holds no template', () => {
    const missing = scanText('/w/main.bicep', specCaller, { readFile: (p) => (p === '/w/bicepconfig.json' ? specConfig : undefined), moduleCacheRoot: '/cache' });
    assert.match(missing.findings.find((f) => f.ruleId === 'module-not-followed')!.message, /template spec 'ts\/platform:redisCache:2\.1' is not followed .*bicep restore/);
    const noAlias = scanText('/w/main.bicep', specCaller, { readFile: () => undefined, moduleCacheRoot: '/cache' });
    assert.match(noAlias.findings.find((f) => f.ruleId === 'module-not-followed')!.message, /alias is not in a bicepconfig\.json/);
    const files: Record<string, string> = { '/w/bicepconfig.json': specConfig, [`/cache/ts/${SUB}/rg-platform/rediscache/2.1/main.json`]: '{"properties": {"description": "no template"}}' };
    const empty = scanText('/w/main.bicep', specCaller, { readFile: (p) => files[p], moduleCacheRoot: '/cache' });
    assert.match(empty.findings.find((f) => f.ruleId === 'module-not-followed')!.message, /has no ARM template in properties\.mainTemplate/);
  });
});
