import { Rule } from '../rule';
import { REDIS, REDIS_STABLE, Resolved, effective, lower, raiseTo, resolve, resourcesOf } from '../judge';
import { FixOp, Resource, Val, member } from '../model';
import { fromTemplate } from './_redis-related';

export const CONNECTION_STRINGS = ['rdb-storage-connection-string', 'aof-storage-connection-string-0', 'aof-storage-connection-string-1'];
const AUTH_METHOD = 'preferred-data-persistence-auth-method';
const IDENTITY_SINCE = '2021-06-01';

const ACCOUNT_KEY = /AccountKey\s*=/i;

/**
 * Why a connection-string value holds a storage account key: a literal `AccountKey=`, a
 * listKeys() result, or a parameter that is not secure. Undefined when it holds none, or when that
 * cannot be known (a secure parameter, a value computed at deployment time).
 */
export function accountKeyIn(v: Val): 'literal' | 'listKeys' | 'parameter' | undefined {
  if (v.kind === 'prim') return typeof v.value === 'string' && ACCOUNT_KEY.test(v.value) ? 'literal' : undefined;
  if (v.kind !== 'unknown') return undefined;
  if (v.keysOf?.length) return 'listKeys';
  if (ACCOUNT_KEY.test(v.text)) return 'literal';
  if (v.secureParam) return undefined;
  if (v.origin && (v.origin.kind === 'parameter' || v.origin.kind === 'parameterFile')) return 'parameter';
  return undefined;
}

/** The cache's identity: `yes` when it has one, `no` when none (absent, null or `None`), `unknown`. */
function identityState(cache: Resource): 'yes' | 'no' | 'unknown' {
  const j = effective(cache, ['identity', 'type'], 'None');
  if (j.state === 'unknown') return 'unknown';
  const t = lower(j.value) ?? 'none';
  if (t === 'none' || t === '') return 'no';
  return /systemassigned|userassigned/.test(t.replace(/[\s,_-]/g, '')) ? 'yes' : 'unknown';
}

const WHY: Record<'literal' | 'listKeys' | 'parameter', string> = {
  literal: 'carries a storage account key (AccountKey=)',
  listKeys: 'carries a storage account key (from listKeys())',
  parameter: 'comes from a parameter that is not secure, so the storage account key it carries is stored in clear text in the deployment history',
};

export const redisPersistenceIdentity: Rule = {
  meta: {
    id: 'redis-persistence-identity',
    title: 'Azure Cache for Redis persistence uses a managed identity, not a storage account key',
    severity: 'high',
    resourceTypes: [REDIS],
    fixable: true,
  },
  check({ deployment: dep, report }) {
    for (const cache of resourcesOf(dep.resources, REDIS)) {
      const strings: { name: string; r: Resolved }[] = [];
      for (const name of CONNECTION_STRINGS) {
        const r = resolve(cache, ['properties', 'redisConfiguration', name]);
        if (!r.val || r.isNull || r.member?.key.toLowerCase() !== name) continue;
        if (r.val.kind === 'prim' && (r.val.value === '' || r.val.value === null)) continue;
        strings.push({ name, r });
      }
      if (!strings.length) continue; // no persistence connection string: nothing to judge

      const auth = effective(cache, ['properties', 'redisConfiguration', AUTH_METHOD], 'SAS');
      const authMi = auth.state !== 'unknown' && lower(auth.value) === 'managedidentity';
      const identity = identityState(cache);

      let offending: { name: string; r: Resolved } | undefined;
      let problem: string | undefined;
      for (const s of strings) {
        const why = accountKeyIn(s.r.val!);
        if (why) {
          offending = s;
          problem = `${s.name} ${WHY[why]}; that key grants full control of the whole storage account, every snapshot included.`;
          break;
        }
      }
      if (!offending) {
        if (auth.state === 'unknown') continue;
        if (!authMi) {
          offending = strings[0];
          problem = `persistence authenticates with the storage account's key or a SAS token (${AUTH_METHOD} is ${auth.state === 'default' ? "not set, so 'SAS'" : `'${String(auth.value)}'`}).`;
        } else if (identity === 'no') {
          offending = strings[0];
          problem = `${AUTH_METHOD} is 'ManagedIdentity' but the cache has no managed identity, so persistence cannot reach the storage account.`;
        } else continue;
      }

      const ops: FixOp[] = [];
      if (!authMi) ops.push({ op: 'set', resource: cache, path: ['properties', 'redisConfiguration', AUTH_METHOD], value: 'ManagedIdentity' });
      if (identity === 'no') {
        const written = member(cache.body, 'identity');
        if (written && written.value.kind === 'object') ops.push({ op: 'set', resource: cache, path: ['identity', 'type'], value: 'SystemAssigned' });
        else ops.push({ op: 'set', resource: cache, path: ['identity'], value: { type: 'SystemAssigned' } });
        const to = raiseTo(cache.apiVersion, REDIS_STABLE, IDENTITY_SINCE);
        if (to) ops.push({ op: 'raiseApiVersion', resource: cache, version: to });
      }
      const endpointOnly = 'change the connection string to name only the blob endpoint (BlobEndpoint=https://<account>.blob.core.windows.net/), without AccountKey or SAS';
      const advice =
        authMi && identity !== 'no'
          ? `The cache already persists with a managed identity: ${endpointOnly}.`
          : `Use '${AUTH_METHOD}': 'ManagedIdentity' with an identity on the cache that has Storage Blob Data Contributor on the account, and ${endpointOnly}.`;
      const r = offending!.r;
      report({
        resource: cache,
        path: `properties.redisConfiguration.${offending!.name}`,
        message: `${problem} ${advice}`,
        at: r.at,
        related: r.viaRef && r.member?.keyAt && r.member.keyAt !== r.at ? [r.member.keyAt] : undefined,
        fix:
          ops.length && fromTemplate(cache)
            ? { title: `Persist with a managed identity${identity === 'no' ? ' (adds a system-assigned identity)' : ''}`, ops }
            : undefined,
      });
    }
  },
};
