import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const keys = "listKeys(resourceId('Microsoft.Cache/redis', 'cache1'), '2024-11-01')";
const c = cache({ minimumTlsVersion: '1.2' });
const site = (siteConfig: Record<string, unknown>): Record<string, unknown> => ({
  type: 'Microsoft.Web/sites',
  apiVersion: '2023-12-01',
  name: 'web1',
  location: 'westeurope',
  properties: { serverFarmId: "[resourceId('Microsoft.Web/serverfarms', 'plan')]", siteConfig },
});

const appSettingsChild = textOf(
  template([
    c,
    {
      type: 'Microsoft.Web/sites/config',
      apiVersion: '2023-12-01',
      name: 'web1/appsettings',
      properties: {
        REDIS_HOST: 'cache1.redis.cache.windows.net',
        REDIS_PASSWORD: `[${keys}.primaryKey]`,
        REDIS_CONNECTION: `[format('cache1.redis.cache.windows.net:6380,password={0},ssl=True', ${keys}.secondaryKey)]`,
      },
    },
  ]),
);
const siteArray = textOf(template([c, site({ appSettings: [{ name: 'REDIS_HOST', value: 'cache1.redis.cache.windows.net' }, { name: 'REDIS_PASSWORD', value: `[${keys}.primaryKey]` }] })]));
const connectionStrings = textOf(template([c, site({ connectionStrings: [{ name: 'Redis', connectionString: `[format('cache1:6380,password={0}', ${keys}.primaryKey)]`, type: 'Custom' }] })]));
const viaVariable = textOf(template([c, site({ appSettings: [{ name: 'REDIS', value: "[variables('redisConnection')]" }] })], { variables: { redisConnection: `[format('cache1:6380,password={0}', ${keys}.primaryKey)]` } }));
const command = textOf(
  template([
    c,
    {
      type: 'Microsoft.Compute/virtualMachines/extensions',
      apiVersion: '2024-03-01',
      name: 'vm1/setup',
      location: 'westeurope',
      properties: {
        publisher: 'Microsoft.Azure.Extensions',
        type: 'CustomScript',
        typeHandlerVersion: '2.1',
        settings: { commandToExecute: `[concat('bash setup.sh --redis-key ', ${keys}.primaryKey)]` },
      },
    },
  ]),
);
// JSON escapes can spell the call without its letters showing in the text.
const escapedCall = appSettingsChild.replace(/listKeys\(/g, '\\u006cist\\u004beys(');
const apimCache = textOf(
  template([
    c,
    {
      type: 'Microsoft.ApiManagement/service/caches',
      apiVersion: '2022-08-01',
      name: 'apim1/redis',
      properties: { connectionString: `[format('cache1.redis.cache.windows.net,password={0},ssl=True', ${keys}.primaryKey)]`, useFromLocation: 'default' },
    },
  ]),
);

ruleTester('redis-keys-in-app-settings', {
  valid: [
    { name: 'host name only', template: template([c, site({ appSettings: [{ name: 'REDIS_HOST', value: "[reference(resourceId('Microsoft.Cache/redis', 'cache1'), '2024-11-01').hostName]" }] })]) },
    {
      name: 'a Key Vault secret is where a key belongs',
      template: template([c, { type: 'Microsoft.KeyVault/vaults/secrets', apiVersion: '2023-07-01', name: 'kv1/redis-key', properties: { value: `[${keys}.primaryKey]` } }]),
    },
    { name: "a storage account's key is not a cache's", template: template([c, site({ appSettings: [{ name: 'STORAGE', value: "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-05-01').keys[0].value]" }] })]) },
    { name: 'an output is redis-keys-in-outputs, not this rule', template: template([c], { outputs: { k: { type: 'string', value: `[${keys}.primaryKey]` } } }) },
    {
      name: 'a Key Vault secret in a nested deployment',
      template: template([
        c,
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'secrets',
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { key: { value: `[${keys}.primaryKey]` } },
            template: {
              $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
              contentVersion: '1.0.0.0',
              parameters: { key: { type: 'securestring' } },
              resources: [{ type: 'Microsoft.KeyVault/vaults/secrets', apiVersion: '2023-07-01', name: 'kv1/redis-key', properties: { value: "[parameters('key')]" } }],
            },
          },
        },
      ]),
    },
  ],
  invalid: [
    {
      name: 'one finding per app setting that receives a key',
      template: appSettingsChild,
      findings: [
        { line: lineOf(appSettingsChild, 'REDIS_PASSWORD'), message: /^app setting 'REDIS_PASSWORD' receives a cache access key/, resource: 'web1/appsettings', path: 'properties.REDIS_PASSWORD' },
        { line: lineOf(appSettingsChild, 'REDIS_CONNECTION'), message: /app setting 'REDIS_CONNECTION'/ },
      ],
    },
    { name: 'siteConfig.appSettings array: on the value, named by the setting', template: siteArray, findings: [{ line: lineOf(siteArray, `.primaryKey]"`), message: /app setting 'REDIS_PASSWORD'/ }] },
    { name: 'siteConfig.connectionStrings', template: connectionStrings, findings: [{ line: lineOf(connectionStrings, '"connectionString"'), message: /^connection string 'Redis'/ }] },
    { name: 'through a variable: where the key lands', template: viaVariable, findings: [{ line: lineOf(viaVariable, '"value"'), message: /'REDIS'/ }] },
    { name: 'a commandToExecute', template: command, findings: [{ line: lineOf(command, 'commandToExecute'), message: /^command line 'commandToExecute'/ }] },
    { name: "another resource's configuration (API Management external cache)", template: apimCache, findings: [{ line: lineOf(apimCache, '"connectionString"') }] },
    {
      name: 'listKeys written with JSON escapes',
      template: escapedCall,
      findings: [{ line: lineOf(escapedCall, 'REDIS_PASSWORD'), message: /app setting 'REDIS_PASSWORD'/ }, { line: lineOf(escapedCall, 'REDIS_CONNECTION') }],
    },
  ],
});

it('redis-keys-in-app-settings: messages never echo the key expression', () => {
  for (const f of findingsOf({ name: 'msg', template: appSettingsChild }, 'redis-keys-in-app-settings')) {
    assert.doesNotMatch(f.message, /primaryKey|secondaryKey|password=/);
  }
});
