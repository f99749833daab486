import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster, privateEndpoint } from './_enterprise';

const CLUSTER_ID = "[resourceId('Microsoft.Cache/redisEnterprise', 'amr1')]";

const enabled = textOf(template([cluster({ publicNetworkAccess: 'Enabled' })]));
const absent = textOf(template([cluster({ minimumTlsVersion: '1.2' })]));
const oldNoProps = textOf(template([cluster(undefined, { apiVersion: '2024-10-01' })]));
const oldWritten = textOf(template([cluster({ publicNetworkAccess: 'Disabled' }, { apiVersion: '2025-05-01-preview' })]));
const allowed = textOf(
  template([cluster({ publicNetworkAccess: "[parameters('access')]" })], { parameters: { access: { type: 'string', defaultValue: 'Disabled', allowedValues: ['Enabled', 'Disabled'] } } }),
);
const paramEnabled = textOf(
  template([cluster({ publicNetworkAccess: "[parameters('access')]" })], { parameters: { access: { type: 'string', defaultValue: 'Enabled', allowedValues: ['Enabled', 'Disabled'] } } }),
);
const ifEnabled = textOf(
  template([cluster({ publicNetworkAccess: "[if(empty(parameters('endpoints')), 'Enabled', 'Disabled')]" })], { parameters: { endpoints: { type: 'array', defaultValue: [] } } }),
);
const wrongGroup = textOf(template([cluster(undefined, { apiVersion: '2024-10-01' }), privateEndpoint(CLUSTER_ID, ['redisCache'])]));

ruleTester('redis-enterprise-disable-public-network', {
  valid: [
    { name: 'Disabled', template: cluster({ publicNetworkAccess: 'Disabled' }) },
    { name: 'case-insensitive', template: cluster({ publicNetworkAccess: 'disabled' }) },
    { name: 'required parameter: unknown', template: template([cluster({ publicNetworkAccess: "[parameters('access')]" })], { parameters: { access: { type: 'string' } } }) },
    { name: 'old apiVersion with a private endpoint: not public', template: template([cluster(undefined, { apiVersion: '2024-10-01' }), privateEndpoint(CLUSTER_ID)]) },
    {
      name: 'old apiVersion with a private-endpoint module call passing the id',
      template: template([
        cluster(undefined, { apiVersion: '2023-11-01' }),
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'pe',
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { privateLinkServiceId: { value: CLUSTER_ID }, groupId: { value: 'redisEnterprise' } },
            template: { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', parameters: { privateLinkServiceId: { type: 'string' }, groupId: { type: 'string' } }, resources: [] },
          },
        },
      ]),
    },
  ],
  invalid: [
    { name: 'Enabled', template: enabled, findings: [{ line: lineOf(enabled, 'publicNetworkAccess'), message: /'Enabled'.*'Disabled'/, path: 'properties.publicNetworkAccess' }] },
    { name: 'absent on 2025-07-01: required, no default', template: absent, findings: [{ line: lineOf(absent, '"properties"'), message: /not set; for 2025-07-01/ }] },
    {
      name: 'before 2025-07-01, no properties, no private endpoint: on the type line, says the property does not exist',
      template: oldNoProps,
      findings: [{ line: lineOf(oldNoProps, '"type": "Microsoft.Cache/redisEnterprise"'), message: /does not exist in apiVersion 2024-10-01 \(it exists from 2025-07-01\)/ }],
    },
    {
      name: '2025-05-01-preview has no publicNetworkAccess: a written value has no effect',
      template: oldWritten,
      findings: [{ line: lineOf(oldWritten, 'publicNetworkAccess'), message: /has no effect in apiVersion 2025-05-01-preview/ }],
    },
    { name: 'a private endpoint of another group does not count', template: wrongGroup, findings: [{ line: lineOf(wrongGroup, '"type": "Microsoft.Cache/redisEnterprise"') }] },
    { name: 'parameter default Enabled: on the default, once', template: paramEnabled, findings: [{ line: lineOf(paramEnabled, 'defaultValue') }] },
    { name: 'secure default, list admits Enabled: on the list', template: allowed, findings: [{ line: lineOf(allowed, 'allowedValues'), message: /admit publicNetworkAccess 'Enabled'/ }] },
    { name: 'an if() that yields Enabled: on the property', template: ifEnabled, findings: [{ line: lineOf(ifEnabled, 'publicNetworkAccess') }] },
  ],
});

it('redis-enterprise-disable-public-network: the fix raises apiVersion to 2025-07-01 and sets Disabled', () => {
  const [f] = findingsOf({ name: 'old', template: oldNoProps }, 'redis-enterprise-disable-public-network');
  const ops = f.fix!.ops.map((o) => (o.op === 'raiseApiVersion' ? `raise ${o.version}` : o.op === 'set' ? `set ${o.path.join('.')}=${String(o.value)}` : o.op));
  assert.deepEqual(ops, ['raise 2025-07-01', 'set properties.publicNetworkAccess=Disabled']);
});
