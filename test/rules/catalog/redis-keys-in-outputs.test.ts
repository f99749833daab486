import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const keys = "listKeys(resourceId('Microsoft.Cache/redis', 'cache1'), '2024-11-01')";
const c = cache({ minimumTlsVersion: '1.2' });
const withOutputs = (outputs: Record<string, unknown>): string => textOf(template([c], { outputs }));

const primary = withOutputs({ hostName: { type: 'string', value: "[reference(resourceId('Microsoft.Cache/redis', 'cache1'), '2024-11-01').hostName]" }, primaryKey: { type: 'string', value: `[${keys}.primaryKey]` } });
const connection = withOutputs({ redisConnection: { type: 'string', value: `[format('cache1.redis.cache.windows.net:6380,password={0},ssl=True', ${keys}.primaryKey)]` } });
const object = withOutputs({ cacheInfo: { type: 'object', value: { host: 'cache1.redis.cache.windows.net', key: `[${keys}.secondaryKey]` } } });
const enterprise = withOutputs({ dbKey: { type: 'string', value: "[listKeys(resourceId('Microsoft.Cache/redisEnterprise/databases', 'amr', 'default'), '2025-07-01').primaryKey]" } });

ruleTester('redis-keys-in-outputs', {
  valid: [
    { name: 'secure string output', template: template([c], { outputs: { primaryKey: { type: 'securestring', value: `[${keys}.primaryKey]` } } }) },
    { name: 'secure object output', template: template([c], { outputs: { all: { type: 'secureObject', value: `[${keys}]` } } }) },
    { name: 'host name only', template: template([c], { outputs: { hostName: { type: 'string', value: "[reference(resourceId('Microsoft.Cache/redis', 'cache1'), '2024-11-01').hostName]" } } }) },
    { name: "a storage account's keys are not a cache's", template: template([c], { outputs: { k: { type: 'string', value: "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-05-01').keys[0].value]" } } }) },
  ],
  invalid: [
    { name: 'listKeys().primaryKey in a string output: on the output', template: primary, findings: [{ line: lineOf(primary, '"primaryKey"'), message: /output 'primaryKey' carries a cache access key/, path: 'outputs.primaryKey', resource: 'cache1' }] },
    { name: 'a connection string built with format()', template: connection, findings: [{ line: lineOf(connection, '"redisConnection"') }] },
    { name: 'a key inside an object output', template: object, findings: [{ line: lineOf(object, '"cacheInfo"') }] },
    { name: 'an Azure Managed Redis database key', template: enterprise, findings: [{ line: lineOf(enterprise, '"dbKey"'), message: /redisEnterprise\/databases/ }] },
  ],
});

it('redis-keys-in-outputs: the fix removes the output; the message does not echo the key expression', () => {
  const [f] = findingsOf({ name: 'fix', template: primary }, 'redis-keys-in-outputs');
  assert.equal(f.fix?.ops[0].op, 'removeOutput');
  assert.equal(f.fix?.ops[0].op === 'removeOutput' && f.fix.ops[0].output.name, 'primaryKey');
  assert.doesNotMatch(f.message, /primaryKey\]|listKeys\(resourceId/);
});
