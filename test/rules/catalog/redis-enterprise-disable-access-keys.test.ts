import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SCHEMA, findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster, database } from './_enterprise';

const enabled = textOf(template([cluster({}), database({ accessKeysAuthentication: 'Enabled' })]));
const oldApi = textOf(template([cluster({}, { apiVersion: '2024-10-01' }), database({ clientProtocol: 'Encrypted' }, { apiVersion: '2024-10-01' })]));
const oldNoProps = textOf(template([cluster({}), database(undefined, { apiVersion: '2023-11-01' })]));
const skuParam = textOf(
  template([cluster({}, { sku: { name: "[parameters('sku')]" } }), database({ accessKeysAuthentication: 'Enabled' })], { parameters: { sku: { type: 'string', defaultValue: 'MemoryOptimized_M10' } } }),
);
const paramEnabled = textOf(
  template([cluster({}), database({ accessKeysAuthentication: "[parameters('keys')]" })], { parameters: { keys: { type: 'string', defaultValue: 'Enabled', allowedValues: ['Enabled', 'Disabled'] } } }),
);
const allowed = textOf(
  template([cluster({}), database({ accessKeysAuthentication: "[parameters('keys')]" })], { parameters: { keys: { type: 'string', defaultValue: 'Disabled', allowedValues: ['Enabled', 'Disabled'] } } }),
);
const strictAbsent = textOf(template([cluster({}), database({ clientProtocol: 'Encrypted' })]));
const unknownClusterName = textOf(
  template([cluster({}, { name: "[parameters('clusterName')]" }), database({ accessKeysAuthentication: 'Enabled' }, { name: "[format('{0}/{1}', parameters('clusterName'), 'default')]", dependsOn: [] })], {
    parameters: { clusterName: { type: 'string', defaultValue: "[format('amr-{0}', uniqueString(resourceGroup().id))]" } },
  }),
);

/**
 * The AVM pattern (languageVersion 2.0): a nested deployment declares the cluster `existing` and
 * passes accessKeysAuthentication only for AMR SKUs, read through reference(cluster, ..., 'full').
 */
function avmStyle(sku: string): string {
  return textOf({
    $schema: SCHEMA,
    languageVersion: '2.0',
    contentVersion: '1.0.0.0',
    parameters: { name: { type: 'string' }, skuName: { type: 'string', defaultValue: sku } },
    resources: {
      cluster: { type: 'Microsoft.Cache/redisEnterprise', apiVersion: '2025-07-01', name: "[parameters('name')]", location: 'westeurope', sku: { name: "[parameters('skuName')]" }, properties: { publicNetworkAccess: 'Disabled' } },
      database: {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2025-04-01',
        name: 'db',
        properties: {
          mode: 'Incremental',
          expressionEvaluationOptions: { scope: 'inner' },
          parameters: { clusterName: { value: "[parameters('name')]" }, accessKeysAuthentication: { value: null } },
          template: {
            $schema: SCHEMA,
            languageVersion: '2.0',
            contentVersion: '1.0.0.0',
            parameters: { clusterName: { type: 'string' }, accessKeysAuthentication: { type: 'string', defaultValue: 'Enabled', allowedValues: ['Enabled', 'Disabled'] } },
            resources: {
              parent: { existing: true, type: 'Microsoft.Cache/redisEnterprise', apiVersion: '2025-07-01', name: "[parameters('clusterName')]" },
              db: {
                type: 'Microsoft.Cache/redisEnterprise/databases',
                apiVersion: '2025-07-01',
                name: "[format('{0}/{1}', parameters('clusterName'), 'default')]",
                properties: {
                  accessKeysAuthentication: "[if(startsWith(reference('parent', '2025-07-01', 'full').sku.name, 'Balanced'), parameters('accessKeysAuthentication'), null())]",
                },
                dependsOn: ['parent'],
              },
            },
          },
        },
        dependsOn: ['cluster'],
      },
    },
  });
}
const avmAmr = avmStyle('Balanced_B5');

ruleTester('redis-enterprise-disable-access-keys', {
  valid: [
    { name: 'Disabled', template: template([cluster({}), database({ accessKeysAuthentication: 'Disabled' })]) },
    { name: 'absent on 2025-07-01: the default is Disabled', template: template([cluster({}), database({ clientProtocol: 'Encrypted' })]) },
    { name: 'absent on 2025-04-01: the default is unknown', template: template([cluster({}), database({ clientProtocol: 'Encrypted' }, { apiVersion: '2025-04-01' })]) },
    { name: 'absent on 2025-05-01-preview: unknown', template: template([cluster({}), database({ port: 10000 }, { apiVersion: '2025-05-01-preview' })]) },
    {
      name: 'Enterprise SKU: keys are its only way in, not judged',
      template: template([cluster({}, { sku: { name: 'Enterprise_E10', capacity: 2 } }), database({ accessKeysAuthentication: 'Enabled' })]),
    },
    { name: 'cluster not in the deployment: SKU unknown', template: database({ accessKeysAuthentication: 'Enabled' }) },
    {
      name: 'parent existing and declared nowhere: SKU unknown',
      template: template([{ type: 'Microsoft.Cache/redisEnterprise', apiVersion: '2025-07-01', name: 'amr1', existing: true }, database({ accessKeysAuthentication: 'Enabled' })]),
    },
    {
      name: 'SKU from a required parameter: unknown',
      template: template([cluster({}, { sku: { name: "[parameters('sku')]" } }), database({ accessKeysAuthentication: 'Enabled' })], { parameters: { sku: { type: 'string' } } }),
    },
    { name: 'AVM pattern with an Enterprise SKU: the if() yields null', template: avmStyle('Enterprise_E10') },
    { name: 'strict mode: Disabled', template: template([cluster({}), database({ accessKeysAuthentication: 'Disabled' })]), config: { strict: true } },
    { name: 'strict mode: absent on 2025-04-01, the default is unknown', template: template([cluster({}), database({ clientProtocol: 'Encrypted' }, { apiVersion: '2025-04-01' })]), config: { strict: true } },
    { name: 'strict mode: Enterprise SKU, not judged', template: template([cluster({}, { sku: { name: 'Enterprise_E10', capacity: 2 } }), database({ clientProtocol: 'Encrypted' })]), config: { strict: true } },
  ],
  invalid: [
    {
      name: 'Enabled on an AMR SKU',
      template: enabled,
      findings: [{ line: lineOf(enabled, 'accessKeysAuthentication'), message: /'Enabled'.*'Disabled'.*Entra/, path: 'properties.accessKeysAuthentication', resource: 'amr1/default' }],
    },
    {
      name: '2024-10-01: the property does not exist, keys always on; on the properties key',
      template: oldApi,
      findings: [{ line: lineOf(oldApi, '"properties"', lineOf(oldApi, 'databases')), message: /does not exist in apiVersion 2024-10-01/ }],
    },
    { name: 'old apiVersion, no properties: on the type line', template: oldNoProps, findings: [{ line: lineOf(oldNoProps, 'redisEnterprise/databases') }] },
    { name: 'AMR SKU from a parameter default', template: skuParam, findings: [{ line: lineOf(skuParam, 'accessKeysAuthentication') }] },
    { name: 'parameter default Enabled: on the default', template: paramEnabled, findings: [{ line: lineOf(paramEnabled, 'defaultValue') }] },
    { name: 'secure default, list admits Enabled: on the list', template: allowed, findings: [{ line: lineOf(allowed, 'allowedValues'), message: /admit accessKeysAuthentication 'Enabled'/ }] },
    {
      name: 'cluster name unknown (uniqueString): the database still finds its cluster',
      template: unknownClusterName,
      findings: [{ line: lineOf(unknownClusterName, 'accessKeysAuthentication') }],
    },
    {
      name: 'strict mode: absent on 2025-07-01 is reported on properties',
      template: strictAbsent,
      config: { strict: true },
      findings: [{ line: lineOf(strictAbsent, '"properties"', lineOf(strictAbsent, 'databases')), message: /^accessKeysAuthentication is not set \(the default is 'Disabled'\); strict mode asks for it to be written\. Set it to 'Disabled'\.$/ }],
    },
    {
      name: "AVM pattern: existing parent bound to the declared cluster, module default 'Enabled' seen at the argument",
      template: avmAmr,
      findings: [{ line: lineOf(avmAmr, '"accessKeysAuthentication": {') }],
    },
  ],
});

it('redis-enterprise-disable-access-keys: the fix on an old apiVersion raises it to 2025-07-01', () => {
  const [f] = findingsOf({ name: 'old', template: oldApi }, 'redis-enterprise-disable-access-keys');
  assert.deepEqual(
    f.fix!.ops.map((o) => (o.op === 'raiseApiVersion' ? `raise ${o.version}` : o.op === 'set' ? `set ${o.path.join('.')}=${String(o.value)}` : o.op)),
    ['raise 2025-07-01', 'set properties.accessKeysAuthentication=Disabled'],
  );
});

it('redis-enterprise-disable-access-keys: the fix on a parameter default also drops the insecure allowed values', () => {
  const [f] = findingsOf({ name: 'param', template: paramEnabled }, 'redis-enterprise-disable-access-keys');
  assert.deepEqual(
    f.fix!.ops.map((o) => (o.op === 'dropAllowed' ? `drop ${o.values.join(',')}` : o.op === 'set' ? `set ${o.path.join('.')}=${String(o.value)}` : o.op)),
    ['set properties.accessKeysAuthentication=Disabled', 'drop Enabled'],
  );
});
