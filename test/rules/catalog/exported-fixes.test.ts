// Fixes on exported resources (ARM resource JSON as the service returns it): a property can be set
// in the file, as for a template, for Azure Cache for Redis and Azure Managed Redis alike; a fix
// that would add resources, parameters or an apiVersion is not offered (an export has none).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from '../../../rules/engine';
import { applyEdits, fixEdits } from '../../../rules/writers/arm';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-exported/providers';

const exported = JSON.stringify(
  {
    value: [
      {
        id: `${SUB}/Microsoft.Cache/Redis/redis-exported`,
        name: 'redis-exported',
        type: 'Microsoft.Cache/Redis',
        location: 'West Europe',
        tags: { owner: 'platform', dataClassification: 'internal' },
        properties: {
          sku: { name: 'Premium', family: 'P', capacity: 1 },
          minimumTlsVersion: '1.0',
          enableNonSslPort: false,
          publicNetworkAccess: 'Disabled',
          disableAccessKeyAuthentication: true,
          redisConfiguration: { 'aad-enabled': 'True' },
        },
      },
      {
        id: `${SUB}/Microsoft.Cache/redisEnterprise/amr-exported`,
        name: 'amr-exported',
        type: 'Microsoft.Cache/redisEnterprise',
        location: 'West Europe',
        tags: { owner: 'platform', dataClassification: 'internal' },
        sku: { name: 'Balanced_B5' },
        properties: { minimumTlsVersion: '1.0', publicNetworkAccess: 'Disabled', provisioningState: 'Succeeded' },
        resources: [
          {
            id: `${SUB}/Microsoft.Cache/redisEnterprise/amr-exported/databases/default`,
            name: 'amr-exported/default',
            type: 'Microsoft.Cache/redisEnterprise/databases',
            properties: { clientProtocol: 'Plaintext', port: 10000, accessKeysAuthentication: 'Disabled' },
          },
        ],
      },
    ],
  },
  null,
  2,
);

describe('fixes on exported resources', () => {
  const file = 'exported-caches.json';
  const r = scanText(file, exported);
  const byRule = (id: string) => r.findings.filter((f) => f.ruleId === id);

  it('is read as exported resources', () => {
    assert.equal(r.kind, 'exported');
    assert.deepEqual(r.errors, []);
  });

  for (const id of ['redis-min-tls', 'redis-enterprise-min-tls', 'redis-enterprise-encrypted-protocol']) {
    it(`${id}: the fix sets the property in the file, which then has no such finding`, () => {
      const [f] = byRule(id);
      assert.ok(f?.fix, `${id} has a fix`);
      const edits = fixEdits(r.deployment!, f.fix);
      assert.ok(edits?.length, 'the fix can be written');
      assert.ok(edits.every((e) => e.file === file));
      const after = applyEdits(exported, edits);
      JSON.parse(after);
      const again = scanText(file, after);
      assert.equal(again.kind, 'exported');
      assert.equal(again.findings.filter((g) => g.ruleId === id).length, 0, `${id} is gone`);
      assert.equal(again.findings.length, r.findings.length - 1, 'and nothing else changed');
    });
  }

  it('a customer-managed key is reported without a fix: it needs an identity, a key and parameters an export cannot hold', () => {
    const [cmk] = byRule('redis-enterprise-cmk');
    assert.ok(cmk, 'redis-enterprise-cmk is reported');
    assert.equal(cmk.fix, undefined);
  });
});
