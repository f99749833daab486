import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster, cmkCluster } from './_enterprise';

const noEncryption = textOf(template([cluster({ minimumTlsVersion: '1.2', publicNetworkAccess: 'Disabled' })]));
const noProps = textOf(template([cluster(undefined, { apiVersion: '2022-01-01', sku: { name: 'Enterprise_E10', capacity: 2 } })]));
const emptyEncryption = textOf(template([cluster({ publicNetworkAccess: 'Disabled', encryption: {} })]));
const nullEncryption = textOf(
  template([cluster({ publicNetworkAccess: 'Disabled', encryption: "[if(empty(parameters('cmk')), null(), createObject('customerManagedKeyEncryption', parameters('cmk')))]" })], {
    parameters: { cmk: { type: 'object', nullable: true } },
  }),
);

ruleTester('redis-enterprise-cmk', {
  valid: [
    { name: 'customer-managed key configured', template: cmkCluster() },
    { name: 'encryption from a required parameter: unknown', template: template([cluster({ encryption: "[parameters('enc')]" })], { parameters: { enc: { type: 'object' } } }) },
    { name: 'requireCustomerManagedKey off', template: cluster({ publicNetworkAccess: 'Disabled' }), config: { requireCustomerManagedKey: false } },
  ],
  invalid: [
    {
      name: 'no encryption block: on properties',
      template: noEncryption,
      findings: [{ line: lineOf(noEncryption, '"properties"'), message: /not configured.*Microsoft-managed keys/, path: 'properties.encryption.customerManagedKeyEncryption', resource: 'amr1' }],
    },
    { name: 'empty encryption object: on encryption', template: emptyEncryption, findings: [{ line: lineOf(emptyEncryption, '"encryption"') }] },
    { name: 'encryption written but null (R3): on encryption', template: nullEncryption, findings: [{ line: lineOf(nullEncryption, '"encryption"') }] },
    {
      name: '2022-01-01 without properties: on the type line, the property does not exist',
      template: noProps,
      findings: [{ line: lineOf(noProps, '"type": "Microsoft.Cache/redisEnterprise"'), message: /does not exist in apiVersion 2022-01-01 \(it exists from 2023-11-01\).*Raise apiVersion/ }],
    },
  ],
});

it('redis-enterprise-cmk: the fix adds an identity and the block from new parameters, raising apiVersion', () => {
  const [f] = findingsOf({ name: 'old', template: noProps }, 'redis-enterprise-cmk');
  const ops = f.fix!.ops;
  assert.deepEqual(
    ops.map((o) => o.op),
    ['raiseApiVersion', 'addResource', 'set', 'set', 'set'],
  );
  const raise = ops[0] as { version: string };
  assert.equal(raise.version, '2023-11-01');
  const add = ops[1] as { resource: Record<string, unknown>; parameters?: Record<string, unknown> };
  assert.equal(add.resource.type, 'Microsoft.ManagedIdentity/userAssignedIdentities');
  assert.deepEqual(Object.keys(add.parameters ?? {}).sort(), ['cmkIdentityName', 'cmkKeyEncryptionKeyUrl']);
  const sets = ops.filter((o) => o.op === 'set').map((o) => (o as { path: string[] }).path.join('.'));
  // identity is missing: one set creates it whole (type + userAssignedIdentities).
  assert.deepEqual(sets, ['dependsOn', 'identity', 'properties']);
});

it('redis-enterprise-cmk: the raise covers every property the cluster writes (publicNetworkAccess: 2025-07-01)', () => {
  const t = template([cluster({ publicNetworkAccess: 'Disabled' }, { apiVersion: '2023-07-01' })]);
  const [f] = findingsOf({ name: 'pna', template: t }, 'redis-enterprise-cmk');
  const raise = f.fix!.ops.find((o) => o.op === 'raiseApiVersion') as { version: string };
  assert.equal(raise.version, '2025-07-01');
});
