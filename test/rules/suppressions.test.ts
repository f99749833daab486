// Suppressions as rules.md defines them: a comment above the line (ARM JSON and Bicep), the
// metadata form on a resource in strict JSON, and unused suppressions reported.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from '../../rules/engine';
import { SCHEMA } from '../helpers/rule-tester';

const ids = (file: string, text: string): string[] => scanText(file, text).findings.map((f) => f.ruleId).sort();

const arm = (props: string, metadata = ''): string => `{
  "$schema": "${SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Cache/redis",
      "apiVersion": "2024-11-01",
      "name": "c1",
      "location": "westeurope",
      "tags": { "owner": "a" },${metadata}
      "properties": {
        "sku": { "name": "Premium", "family": "P", "capacity": 1 },
        "redisConfiguration": { "aad-enabled": "true" },
        "disableAccessKeyAuthentication": true,
        "publicNetworkAccess": "Disabled",
        ${props}
      }
    }
  ]
}`;

describe('suppressions', () => {
  it('a comment above the line in ARM JSON suppresses the named rule there', () => {
    const before = ids('t.json', arm(`"minimumTlsVersion": "1.0"`));
    assert.ok(before.includes('redis-min-tls'));
    const after = ids('t.json', arm(`// redis-posture-disable-next-line redis-min-tls -- legacy client, ticket 42\n        "minimumTlsVersion": "1.0"`));
    assert.ok(!after.includes('redis-min-tls'));
    assert.ok(!after.includes('unused-suppression'));
  });

  it('several ids in one comment', () => {
    const text = arm(`// redis-posture-disable-next-line redis-min-tls, redis-no-non-ssl-port -- both on this line\n        "minimumTlsVersion": "1.0", "enableNonSslPort": true`);
    const found = ids('t.json', text);
    assert.ok(!found.includes('redis-min-tls') && !found.includes('redis-no-non-ssl-port'), found.join(', '));
  });

  it('the metadata form on the resource, for strict JSON', () => {
    const found = ids('t.json', arm(`"minimumTlsVersion": "1.0"`, `\n      "metadata": { "redis-posture": { "suppress": ["redis-min-tls"] } },`));
    assert.ok(!found.includes('redis-min-tls'));
  });

  it('a suppression that matches nothing is reported as unused-suppression (low)', () => {
    const r = scanText('t.json', arm(`// redis-posture-disable-next-line redis-min-tls -- not needed any more\n        "minimumTlsVersion": "1.2"`));
    const unused = r.findings.filter((f) => f.ruleId === 'unused-suppression');
    assert.equal(unused.length, 1);
    assert.equal(unused[0].severity, 'low');
    assert.equal(unused[0].range?.start.line, 15);
  });

  it('works the same in Bicep', () => {
    const bicep = (line: string): string => `resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: 'c1'
  location: 'westeurope'
  tags: { owner: 'a' }
  properties: {
    sku: { name: 'Premium', family: 'P', capacity: 1 }
${line}
    minimumTlsVersion: '1.0'
  }
}
`;
    assert.ok(ids('main.bicep', bicep('')).includes('redis-min-tls'));
    const after = ids('main.bicep', bicep('    // redis-posture-disable-next-line redis-min-tls -- legacy client'));
    assert.ok(!after.includes('redis-min-tls'));
    assert.ok(!after.includes('unused-suppression'));
  });
});
