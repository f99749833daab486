import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bicepConfigFor, cachedModulePath, encodeTag, parseOciReference } from '../../../../rules/readers/bicep/registry';
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
});
