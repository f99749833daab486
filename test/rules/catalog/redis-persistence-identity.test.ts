import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache, premium } from './_cache';

const storageKeys = "listKeys(resourceId('Microsoft.Storage/storageAccounts', 'backups'), '2023-05-01').keys[0].value";
const withKey = `[format('DefaultEndpointsProtocol=https;BlobEndpoint=https://backups.blob.core.windows.net/;AccountName=backups;AccountKey={0}', ${storageKeys})]`;
const blobOnly = 'BlobEndpoint=https://backups.blob.core.windows.net/';
const persisted = (config: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  cache({ sku: premium, minimumTlsVersion: '1.2', redisConfiguration: { 'rdb-backup-enabled': 'true', 'rdb-backup-frequency': '60', ...config } }, extra);
const mi = { 'preferred-data-persistence-auth-method': 'ManagedIdentity' };
const systemAssigned = { identity: { type: 'SystemAssigned' } };

const listKeys = textOf(template([persisted({ 'rdb-storage-connection-string': withKey }, { apiVersion: '2020-06-01' })]));
const literal = textOf(template([persisted({ 'aof-backup-enabled': 'true', 'aof-storage-connection-string-0': 'DefaultEndpointsProtocol=https;AccountName=backups;AccountKey=bm90LWEtcmVhbC1rZXk=' })]));
const plainParam = textOf(template([persisted({ 'rdb-storage-connection-string': "[parameters('rdbConnection')]" }, systemAssigned)], { parameters: { rdbConnection: { type: 'string' } } }));
const secondAof = textOf(
  template([persisted({ ...mi, 'aof-storage-connection-string-0': blobOnly, 'aof-storage-connection-string-1': "[parameters('aof1')]" }, systemAssigned)], { parameters: { aof1: { type: 'string' } } }),
);
const sas = textOf(template([persisted({ 'rdb-storage-connection-string': "[parameters('rdbConnection')]" })], { parameters: { rdbConnection: { type: 'securestring' } } }));
const miWithoutIdentity = textOf(template([persisted({ ...mi, 'rdb-storage-connection-string': blobOnly })]));
const keyAndMi = textOf(template([persisted({ ...mi, 'rdb-storage-connection-string': withKey }, systemAssigned)]));
const twoStrings = textOf(template([persisted({ 'rdb-storage-connection-string': withKey, 'aof-storage-connection-string-0': withKey })]));

ruleTester('redis-persistence-identity', {
  valid: [
    { name: 'managed identity, blob endpoint only', template: persisted({ ...mi, 'rdb-storage-connection-string': blobOnly }, systemAssigned) },
    { name: 'managed identity, user-assigned identity', template: persisted({ ...mi, 'rdb-storage-connection-string': blobOnly }, { identity: { type: 'UserAssigned', userAssignedIdentities: { "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id')]": {} } } }) },
    { name: 'no persistence connection string: nothing to judge', template: cache({ sku: premium, redisConfiguration: { 'maxmemory-policy': 'allkeys-lru' } }) },
    { name: 'no redisConfiguration', template: cache({ sku: premium }) },
    {
      name: 'a secure parameter with managed identity',
      template: template([persisted({ ...mi, 'rdb-storage-connection-string': "[parameters('rdb')]" }, systemAssigned)], { parameters: { rdb: { type: 'securestring' } } }),
    },
    { name: 'auth method unknown and no key in sight', template: template([persisted({ 'preferred-data-persistence-auth-method': "[parameters('auth')]", 'rdb-storage-connection-string': blobOnly })], { parameters: { auth: { type: 'string' } } }) },
    { name: 'a nullable connection-string parameter is absent', template: template([persisted({ 'rdb-storage-connection-string': "[parameters('rdb')]" })], { parameters: { rdb: { type: 'string', nullable: true } } }) },
  ],
  invalid: [
    {
      name: 'listKeys() of the storage account: on the connection string',
      template: listKeys,
      findings: [{ line: lineOf(listKeys, 'rdb-storage-connection-string'), message: /rdb-storage-connection-string carries a storage account key \(from listKeys\(\)\)/, path: 'properties.redisConfiguration.rdb-storage-connection-string', resource: 'cache1' }],
    },
    { name: "a literal 'AccountKey='", template: literal, findings: [{ line: lineOf(literal, 'aof-storage-connection-string-0'), message: /AccountKey=\)/ }] },
    { name: 'a plain string parameter, even with managed identity parts present', template: plainParam, findings: [{ line: lineOf(plainParam, 'rdb-storage-connection-string'), message: /not secure/ }] },
    { name: 'aof-storage-connection-string-1', template: secondAof, findings: [{ line: lineOf(secondAof, 'aof-storage-connection-string-1') }] },
    { name: "SAS (the default auth method) with a secure parameter", template: sas, findings: [{ line: lineOf(sas, 'rdb-storage-connection-string'), message: /not set, so 'SAS'/ }] },
    { name: 'ManagedIdentity without an identity on the cache', template: miWithoutIdentity, findings: [{ line: lineOf(miWithoutIdentity, 'rdb-storage-connection-string'), message: /no managed identity/ }] },
    { name: 'a key left in the string although the cache already uses a managed identity', template: keyAndMi, findings: [{ line: lineOf(keyAndMi, 'rdb-storage-connection-string'), message: /already persists with a managed identity/ }] },
    { name: 'one finding per cache, on the first offending string', template: twoStrings, findings: [{ line: lineOf(twoStrings, 'rdb-storage-connection-string') }] },
  ],
});

it('redis-persistence-identity: the fix sets the auth method, adds an identity and raises apiVersion', () => {
  const [f] = findingsOf({ name: 'fix', template: listKeys }, 'redis-persistence-identity');
  const ops = f.fix!.ops.map((o) => ({ ...o, resource: undefined }));
  assert.deepEqual(ops, [
    { op: 'set', resource: undefined, path: ['properties', 'redisConfiguration', 'preferred-data-persistence-auth-method'], value: 'ManagedIdentity' },
    { op: 'set', resource: undefined, path: ['identity'], value: { type: 'SystemAssigned' } },
    { op: 'raiseApiVersion', resource: undefined, version: '2021-06-01' },
  ]);
});

it('redis-persistence-identity: an identity already there is kept, a recent apiVersion is not raised', () => {
  const [f] = findingsOf({ name: 'fix', template: plainParam }, 'redis-persistence-identity');
  assert.deepEqual(f.fix!.ops.map((o) => o.op), ['set']);
});

it('redis-persistence-identity: messages never echo the connection string or key', () => {
  for (const t of [listKeys, literal, plainParam]) {
    for (const f of findingsOf({ name: 'msg', template: t }, 'redis-persistence-identity')) {
      assert.doesNotMatch(f.message, /bm90LWEtcmVhbC1rZXk|keys\[0\]|AccountName=backups/);
    }
  }
});
