import { SCHEMA, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster, privateEndpoint } from './_enterprise';

const CLUSTER_ID = "[resourceId('Microsoft.Cache/redisEnterprise', 'amr1')]";
const noEndpoint = textOf(template([cluster({ publicNetworkAccess: 'Disabled' })]));
const otherCluster = textOf(template([cluster({ publicNetworkAccess: 'Disabled' }), privateEndpoint("[resourceId('Microsoft.Cache/redisEnterprise', 'amr2')]")]));
const wrongGroup = textOf(template([cluster({ publicNetworkAccess: 'Disabled' }), privateEndpoint(CLUSTER_ID, ['redisCache'])]));
const viaParam = textOf(template([cluster({ publicNetworkAccess: "[parameters('access')]" })], { parameters: { access: { type: 'string', defaultValue: 'Disabled' } } }));

ruleTester('redis-enterprise-private-link', {
  valid: [
    { name: 'public access disabled with a private endpoint', template: template([cluster({ publicNetworkAccess: 'Disabled' }), privateEndpoint(CLUSTER_ID)]) },
    {
      name: 'a manual private link connection counts',
      template: template([
        cluster({ publicNetworkAccess: 'Disabled' }),
        {
          ...privateEndpoint(CLUSTER_ID),
          properties: { subnet: { id: 'x' }, manualPrivateLinkServiceConnections: [{ name: 'm', properties: { privateLinkServiceId: CLUSTER_ID, groupIds: ['redisEnterprise'] } }] },
        },
      ]),
    },
    {
      name: 'a literal resource id counts',
      template: template([cluster({ publicNetworkAccess: 'Disabled' }), privateEndpoint('/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Cache/redisEnterprise/amr1')]),
    },
    {
      name: 'a module call passing the cluster id as privateLinkServiceId counts',
      template: template([
        cluster({ publicNetworkAccess: 'Disabled' }),
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'pe',
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { privateLinkServiceConnections: { value: [{ name: 'c', properties: { privateLinkServiceId: CLUSTER_ID, groupIds: ['redisEnterprise'] } }] } },
            template: { $schema: SCHEMA, contentVersion: '1.0.0.0', parameters: { privateLinkServiceConnections: { type: 'array' } }, resources: [] },
          },
        },
      ]),
    },
    { name: 'public access enabled: rule does not apply', template: cluster({ publicNetworkAccess: 'Enabled' }) },
    { name: 'public access unknown', template: template([cluster({ publicNetworkAccess: "[parameters('a')]" })], { parameters: { a: { type: 'string' } } }) },
    { name: 'old apiVersion has no publicNetworkAccess: rule does not apply', template: cluster({ publicNetworkAccess: 'Disabled' }, { apiVersion: '2024-10-01' }) },
  ],
  invalid: [
    { name: 'disabled, no private endpoint: on the cluster declaration', template: noEndpoint, findings: [{ line: lineOf(noEndpoint, '"type": "Microsoft.Cache/redisEnterprise"'), message: /no private endpoint \(group 'redisEnterprise'\)/, resource: 'amr1' }] },
    { name: 'an endpoint for another cluster does not count', template: otherCluster, findings: [{ line: lineOf(otherCluster, '"type": "Microsoft.Cache/redisEnterprise"') }] },
    { name: 'an endpoint of another group does not count', template: wrongGroup, findings: [{ line: lineOf(wrongGroup, '"type": "Microsoft.Cache/redisEnterprise"') }] },
    { name: 'disabled through a parameter default', template: viaParam, findings: [{ line: lineOf(viaParam, '"type": "Microsoft.Cache/redisEnterprise"') }] },
  ],
});
