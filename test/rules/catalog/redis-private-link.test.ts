import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const closed = cache({ publicNetworkAccess: 'Disabled' });
const endpoint = (serviceId: unknown, groupIds: unknown = ['redisCache']): Record<string, unknown> => ({
  type: 'Microsoft.Network/privateEndpoints',
  apiVersion: '2023-11-01',
  name: 'cache1-pe',
  location: 'westeurope',
  properties: {
    subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]" },
    privateLinkServiceConnections: [{ name: 'cache1', properties: { privateLinkServiceId: serviceId, groupIds } }],
  },
});
// A nested deployment (read as a module call) that passes the cache's id as privateLinkServiceId.
const moduleCall = {
  type: 'Microsoft.Resources/deployments',
  apiVersion: '2022-09-01',
  name: 'cache1-endpoint',
  properties: {
    mode: 'Incremental',
    expressionEvaluationOptions: { scope: 'inner' },
    parameters: {
      privateLinkServiceId: { value: "[resourceId('Microsoft.Cache/redis', 'cache1')]" },
      groupIds: { value: ['redisCache'] },
    },
    template: {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { privateLinkServiceId: { type: 'string' }, groupIds: { type: 'array' } },
      resources: [],
    },
  },
};

const vnet = textOf(template([cache({ subnetId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'redis')]", publicNetworkAccess: 'Disabled' })]));
const vnetLiteral = textOf(template([cache({ subnetId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/redis' })]));
const noEndpoint = textOf(template([closed]));
const otherCache = textOf(template([closed, endpoint("[resourceId('Microsoft.Cache/redis', 'cache2')]")]));
const wrongGroup = textOf(template([closed, endpoint("[resourceId('Microsoft.Cache/redis', 'cache1')]", ['blob'])]));
const closedByParameter = textOf(template([cache({ publicNetworkAccess: "[parameters('access')]" })], { parameters: { access: { type: 'string', defaultValue: 'Disabled' } } }));

ruleTester('redis-private-link', {
  valid: [
    { name: 'public cache without VNet: the rule does not apply', template: cache({ publicNetworkAccess: 'Enabled' }) },
    { name: 'public access absent (Enabled)', template: cache({ minimumTlsVersion: '1.2' }) },
    { name: 'closed cache with a private endpoint', template: template([closed, endpoint("[resourceId('Microsoft.Cache/redis', 'cache1')]")]) },
    { name: 'endpoint whose groupIds are not given', template: template([closed, endpoint("[resourceId('Microsoft.Cache/redis', 'cache1')]", undefined)]) },
    { name: 'closed cache with a module call passing its id as privateLinkServiceId', template: template([closed, moduleCall]) },
    {
      name: 'an endpoint whose target cannot be read: unknown, no finding',
      template: template([closed, endpoint("[parameters('serviceId')]")], { parameters: { serviceId: { type: 'string' } } }),
    },
    { name: 'subnetId from a required parameter: unknown', template: template([cache({ subnetId: "[parameters('subnet')]" })], { parameters: { subnet: { type: 'string' } } }) },
    { name: 'subnetId null (nullable parameter)', template: template([cache({ subnetId: "[parameters('subnet')]" })], { parameters: { subnet: { type: 'string', nullable: true } } }) },
  ],
  invalid: [
    { name: 'VNet injection: on subnetId', template: vnet, findings: [{ line: lineOf(vnet, 'subnetId'), message: /legacy isolation model/, path: 'properties.subnetId' }] },
    { name: 'VNet injection with a literal subnet id', template: vnetLiteral, findings: [{ line: lineOf(vnetLiteral, 'subnetId') }] },
    { name: 'closed without an endpoint: on the cache declaration', template: noEndpoint, findings: [{ line: lineOf(noEndpoint, '"type"'), message: /no private endpoint/ }] },
    { name: 'an endpoint for another cache does not count', template: otherCache, findings: [{ line: lineOf(otherCache, '"type": "Microsoft.Cache/redis"') }] },
    { name: 'an endpoint of another group does not count', template: wrongGroup, findings: [{ line: lineOf(wrongGroup, '"type": "Microsoft.Cache/redis"') }] },
    { name: 'closed through a parameter default', template: closedByParameter, findings: [{ line: lineOf(closedByParameter, '"type": "Microsoft.Cache/redis"') }] },
  ],
});
