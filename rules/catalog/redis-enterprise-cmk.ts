// Azure Managed Redis / Redis Enterprise data encrypted with a customer-managed key (config
// `requireCustomerManagedKey`, on by default).

import { Rule } from '../rule';
import { Deployment, FixOp, Json, Resource, member, prim, prop } from '../model';
import { blockedByUnknown, resolve } from '../judge';
import { apiHas, appendDependsOn, clustersOf, ENTERPRISE, mergeSets, raiseOps, templateFixes } from './_enterprise';
import { armString, sourceExpression } from './_related';

const SINCE = '2023-11-01';
const PATH = ['properties', 'encryption', 'customerManagedKeyEncryption'];
const IDENTITY_PARAM = 'cmkIdentityName';
const KEY_URL_PARAM = 'cmkKeyEncryptionKeyUrl';

/** The fix: a new user-assigned identity (name from a new parameter), attached to the cluster and named in the CMK block, with the key URL from a new parameter. */
function cmkFix(dep: Deployment, cluster: Resource): FixOp[] {
  const identityId = `[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('${IDENTITY_PARAM}'))]`;
  const location = sourceExpression(dep, member(cluster.body, 'location'));
  const identityType = prim(prop(cluster.body, 'identity', 'type'));
  const type = typeof identityType === 'string' && /systemassigned/i.test(identityType) ? 'SystemAssigned, UserAssigned' : 'UserAssigned';
  const block: Json = {
    keyEncryptionKeyIdentity: { identityType: 'userAssignedIdentity', userAssignedIdentityResourceId: identityId },
    keyEncryptionKeyUrl: `[parameters('${KEY_URL_PARAM}')]`,
  };
  return [
    ...raiseOps(cluster, SINCE),
    {
      op: 'addResource',
      near: cluster,
      resource: {
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        apiVersion: '2023-01-31',
        name: `[parameters('${IDENTITY_PARAM}')]`,
        ...(location ? { location: armString(location) } : {}),
      },
      parameters: {
        [IDENTITY_PARAM]: { type: 'string', metadata: { description: 'Name of the user-assigned identity the cluster uses to reach its customer-managed key.' } },
        [KEY_URL_PARAM]: {
          type: 'string',
          metadata: { description: 'Versioned URL of the key encryption key (https://<vault>.vault.azure.net/keys/<key>/<version>); grant the identity get, wrapKey and unwrapKey on it.' },
        },
      },
    },
    ...[appendDependsOn(dep, cluster, identityId)].filter((o): o is FixOp => !!o),
    { op: 'set', resource: cluster, path: ['identity', 'type'], value: type },
    { op: 'set', resource: cluster, path: ['identity', 'userAssignedIdentities', identityId], value: {} },
    { op: 'set', resource: cluster, path: PATH, value: block },
  ];
}

export const redisEnterpriseCmk: Rule = {
  meta: {
    id: 'redis-enterprise-cmk',
    title: 'Azure Managed Redis / Redis Enterprise encrypts data with a customer-managed key',
    severity: 'medium',
    resourceTypes: [ENTERPRISE],
    fixable: true,
  },
  check(rawCtx) {
    const ctx = templateFixes(rawCtx);
    if (!ctx.config.requireCustomerManagedKey) return;
    const dep = ctx.deployment;
    for (const cluster of clustersOf(dep)) {
      const r = resolve(cluster, PATH);
      if (r.val && !r.isNull) {
        if (blockedByUnknown(r, PATH) || r.val.kind === 'unknown') continue; // cannot be known
        continue; // configured; its identity settings are redis-enterprise-cmk-identity's
      }
      const exists = apiHas(cluster.apiVersion, SINCE, '2022-11-01');
      const why = exists
        ? 'encryption.customerManagedKeyEncryption is not configured: data at rest is encrypted with Microsoft-managed keys only, which you cannot rotate or revoke.'
        : `encryption.customerManagedKeyEncryption does not exist in apiVersion ${cluster.apiVersion} (it exists from ${SINCE}): data at rest is encrypted with Microsoft-managed keys only, which you cannot rotate or revoke.`;
      ctx.report({
        resource: cluster,
        path: PATH.join('.'),
        message: `${why} ${exists ? '' : `Raise apiVersion to ${SINCE} and `}${exists ? 'Add' : 'add'} a customer-managed key from Key Vault with a user-assigned identity (identityType 'userAssignedIdentity') that may use it.`,
        at: r.at,
        fix: { title: 'Add a customer-managed key and a user-assigned identity (from new parameters)', ops: mergeSets(cmkFix(dep, cluster)) },
      });
    }
  },
};
