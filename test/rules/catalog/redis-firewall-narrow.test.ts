import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const FW = 'Microsoft.Cache/redis/firewallRules';
const dependsOnCache = ["[resourceId('Microsoft.Cache/redis', 'cache1')]"];
const rule = (name: string, startIP: unknown, endIP: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: FW,
  apiVersion: '2024-11-01',
  name,
  properties: { startIP, endIP },
  dependsOn: dependsOnCache,
  ...extra,
});
const nested = (name: string, startIP: string, endIP: string): Record<string, unknown> => ({ type: 'firewallRules', apiVersion: '2024-11-01', name, properties: { startIP, endIP } });
const publicCache = (extra: Record<string, unknown> = {}): Record<string, unknown> => cache({ publicNetworkAccess: 'Enabled' }, extra);

const wideNested = textOf(template([publicCache({ resources: [nested('partner', '20.0.0.0', '20.255.255.255')] })]));
const azureInternal = textOf(template([publicCache(), rule('cache1/AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0')]));
const everything = textOf(template([publicCache(), rule('cache1/everyone', '0.0.0.0', '255.255.255.255')]));
// Cache named by a required parameter: the rule's name cannot be evaluated, it is linked through dependsOn.
const unevaluable = textOf(
  template(
    [
      { ...publicCache(), name: "[parameters('cacheName')]" },
      rule("[format('{0}/{1}', parameters('cacheName'), 'partner')]", '20.0.0.0', '20.0.255.255', { dependsOn: ["[resourceId('Microsoft.Cache/redis', parameters('cacheName'))]"] }),
    ],
    { parameters: { cacheName: { type: 'string' } } },
  ),
);
// ...and without dependsOn: matched by the first segment of its name expression.
const byNameOnly = textOf(
  template(
    [
      { ...publicCache(), name: "[parameters('cacheName')]" },
      { ...rule("[concat(parameters('cacheName'), '/partner')]", '20.0.0.0', '20.0.255.255'), dependsOn: undefined },
    ],
    { parameters: { cacheName: { type: 'string' } } },
  ),
);
const noRulesAbsent = textOf(template([cache({ minimumTlsVersion: '1.2' })]));
const noRulesEnabled = textOf(template([publicCache()]));
const noRulesParam = textOf(
  template([cache({ publicNetworkAccess: "[parameters('access')]" })], { parameters: { access: { type: 'string', defaultValue: 'Enabled' } } }),
);
const noProperties = textOf(template([cache(undefined)]));
const small32 = textOf(template([publicCache(), rule('cache1/office', '203.0.113.0', '203.0.113.31')]));
const loop = textOf(
  template(
    [
      publicCache(),
      {
        type: FW,
        apiVersion: '2024-11-01',
        name: "[format('cache1/{0}', parameters('ranges')[copyIndex()].name)]",
        copy: { name: 'rules', count: "[length(parameters('ranges'))]" },
        properties: { startIP: "[parameters('ranges')[copyIndex()].start]", endIP: "[parameters('ranges')[copyIndex()].end]" },
        dependsOn: dependsOnCache,
      },
    ],
    {
      parameters: {
        ranges: {
          type: 'array',
          defaultValue: [
            { name: 'office', start: '203.0.113.1', end: '203.0.113.9' },
            { name: 'vendor', start: '40.64.0.0', end: '40.127.255.255' },
          ],
        },
      },
    },
  ),
);

ruleTester('redis-firewall-narrow', {
  valid: [
    { name: 'a narrow rule on a public cache', template: template([publicCache({ resources: [nested('office', '203.0.113.16', '203.0.113.31')] })]) },
    { name: 'a single address', template: template([publicCache(), rule('cache1/nat', '198.51.100.10', '198.51.100.10')]) },
    { name: 'private ranges hold no public address', template: template([publicCache(), rule('cache1/vnet', '10.0.0.0', '10.255.255.255')]) },
    { name: 'exactly maxAddresses public addresses', template: template([publicCache(), rule('cache1/c', '203.0.113.0', '203.0.113.255')]) },
    { name: 'a wider maxAddresses from config', template: template([publicCache(), rule('cache1/c', '203.0.112.0', '203.0.113.255')]), config: { firewall: { maxAddresses: 512 } } },
    { name: 'public access disabled: firewall rules are redis-firewall-unused', template: template([cache({ publicNetworkAccess: 'Disabled' }), rule('cache1/all', '0.0.0.0', '255.255.255.255')]) },
    { name: 'VNet-injected cache', template: template([cache({ subnetId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'redis')]" })]) },
    {
      name: 'no rules but a private endpoint',
      template: template([
        publicCache(),
        {
          type: 'Microsoft.Network/privateEndpoints',
          apiVersion: '2023-11-01',
          name: 'pe',
          location: 'westeurope',
          properties: {
            subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')]" },
            privateLinkServiceConnections: [{ name: 'c', properties: { privateLinkServiceId: "[resourceId('Microsoft.Cache/redis', 'cache1')]", groupIds: ['redisCache'] } }],
          },
        },
      ]),
    },
    {
      name: 'a rule whose range is a required parameter: unknown, but it is a rule',
      template: template([publicCache(), rule('cache1/r', "[parameters('start')]", "[parameters('end')]")], { parameters: { start: { type: 'string' }, end: { type: 'string' } } }),
    },
    {
      name: 'public access unknown',
      template: template([cache({ publicNetworkAccess: "[parameters('access')]" })], { parameters: { access: { type: 'string' } } }),
    },
    { name: 'a rule of another cache does not count against this one', template: template([publicCache({ resources: [nested('office', '203.0.113.16', '203.0.113.31')] }), rule('cache2/all', '0.0.0.0', '255.255.255.255', { dependsOn: ["[resourceId('Microsoft.Cache/redis', 'cache2')]"] })]) },
  ],
  invalid: [
    {
      name: 'nested rule spanning a /8: on its endIP, with the span',
      template: wideNested,
      findings: [{ line: lineOf(wideNested, '"endIP"'), message: /20\.0\.0\.0–20\.255\.255\.255: 16,777,216 public addresses, more than the 256/, path: 'properties.endIP', resource: 'cache1/partner' }],
    },
    { name: '0.0.0.0–0.0.0.0 admits every Azure-internal address', template: azureInternal, findings: [{ line: lineOf(azureInternal, '"endIP"'), message: /every Azure-internal address/ }] },
    { name: '0.0.0.0–255.255.255.255 counts only public addresses', template: everything, findings: [{ line: lineOf(everything, '"endIP"'), message: /3,\d{3},\d{3},\d{3} public addresses/ }] },
    { name: 'top-level rule with an unevaluable name, linked by dependsOn', template: unevaluable, findings: [{ line: lineOf(unevaluable, '"endIP"'), message: /65,536 public addresses/ }] },
    { name: 'top-level rule matched by the first segment of its name', template: byNameOnly, findings: [{ line: lineOf(byNameOnly, '"endIP"') }] },
    {
      name: 'no rules, no endpoint, no VNet, publicNetworkAccess absent: on the properties key',
      template: noRulesAbsent,
      findings: [{ line: lineOf(noRulesAbsent, '"properties"'), message: /not set; for 2024-11-01 the default is 'Enabled'.*every address/, path: 'properties.publicNetworkAccess' }],
    },
    { name: 'no rules, publicNetworkAccess written: on it', template: noRulesEnabled, findings: [{ line: lineOf(noRulesEnabled, 'publicNetworkAccess') }] },
    { name: 'no rules, publicNetworkAccess from a parameter default: on the default', template: noRulesParam, findings: [{ line: lineOf(noRulesParam, '"defaultValue"') }] },
    { name: 'no properties at all: on the type line', template: noProperties, findings: [{ line: lineOf(noProperties, '"type"') }] },
    { name: 'maxAddresses from config', template: small32, config: { firewall: { maxAddresses: 16 } }, findings: [{ line: lineOf(small32, '"endIP"'), message: /32 public addresses, more than the 16/ }] },
    {
      name: 'loop over a known array: on the offending element',
      template: loop,
      findings: [{ line: lineOf(loop, '"end": "40.127.255.255"'), message: /40\.64\.0\.0–40\.127\.255\.255/ }],
    },
  ],
});
