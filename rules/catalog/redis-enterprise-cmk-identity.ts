// The customer-managed key of an Azure Managed Redis / Redis Enterprise cluster is reached through
// a user-assigned identity attached to the cluster, with a versioned key URL.

import { Rule } from '../rule';
import { FixOp, Json, Span, Val, prim, prop } from '../model';
import { effective, lower, resolve } from '../judge';
import { clustersOf, ENTERPRISE, mergeSets, templateFixes } from './_enterprise';
import { refOf } from './_related';

const CMK = ['properties', 'encryption', 'customerManagedKeyEncryption'];
const KID = [...CMK, 'keyEncryptionKeyIdentity'];

function norm(s: string): string {
  return s.replace(/\s+/g, '').toLowerCase();
}

/** Whether an `identity.userAssignedIdentities` key names the identity `id` refers to: true, false, or undefined when it cannot be known. */
function keyMatches(key: string, id: Val): boolean | undefined {
  const keyIsExpr = key.startsWith('[') && !key.startsWith('[[');
  if (id.kind === 'unknown') {
    if (norm(id.text) === norm(key)) return true;
    if (keyIsExpr) return undefined;
    const a = refOf(id);
    const b = refOf({ kind: 'prim', value: key });
    if (!a || !b) return undefined;
    if (a.name.startsWith('[') || a.name.includes('[')) return undefined;
    return lower(a.type) === lower(b.type) && lower(a.name) === lower(b.name);
  }
  const p = prim(id);
  if (typeof p !== 'string') return undefined;
  if (keyIsExpr) return undefined;
  return norm(p) === norm(key);
}

/** Whether a key URL carries a version: true, false, or undefined when it cannot be known. */
export function versionedKeyUrl(v: Val): boolean | undefined {
  let s: string | undefined;
  if (v.kind === 'unknown') {
    if (/keyUriWithVersion/i.test(v.text)) return true;
    if (/\.keyUri\s*\]$/i.test(v.text)) return false;
    if (v.text.startsWith('[')) return undefined;
    s = v.text; // partially rendered (`https://[parameters('vault')].vault.azure.net/keys/k`)
  } else {
    const p = prim(v);
    if (typeof p !== 'string') return undefined;
    s = p;
  }
  const m = /\/keys\/([^/]+)(?:\/([^/?#]*))?\/?(?:[?#].*)?$/i.exec(s);
  if (!m) return undefined;
  return !!m[2];
}

interface Problem {
  at: Span;
  text: string;
  ops: FixOp[];
}

export const redisEnterpriseCmkIdentity: Rule = {
  meta: {
    id: 'redis-enterprise-cmk-identity',
    title: 'Azure Managed Redis / Redis Enterprise reaches its customer-managed key through a user-assigned identity',
    severity: 'high',
    resourceTypes: [ENTERPRISE],
    fixable: true,
  },
  check(rawCtx) {
    const { deployment, report } = templateFixes(rawCtx);
    for (const cluster of clustersOf(deployment)) {
      const cmk = prop(cluster.body, ...CMK);
      if (cmk?.kind !== 'object') continue; // none (redis-enterprise-cmk's finding) or unknown
      const problems: Problem[] = [];
      const uais = prop(cluster.body, 'identity', 'userAssignedIdentities');
      const uaiKeys = uais?.kind === 'object' ? [...uais.members.values()].map((m) => m.key) : undefined;

      // keyEncryptionKeyIdentity.identityType and userAssignedIdentityResourceId.
      const kid = resolve(cluster, KID);
      let idVal: Val | undefined;
      if (!kid.val || kid.isNull) {
        problems.push({
          at: kid.at,
          text: "keyEncryptionKeyIdentity is not set: name the user-assigned identity that may use the key (identityType 'userAssignedIdentity')",
          ops: uaiKeys?.length === 1 ? [{ op: 'set', resource: cluster, path: KID, value: { identityType: 'userAssignedIdentity', userAssignedIdentityResourceId: uaiKeys[0] } }] : [],
        });
      } else if (kid.val.kind === 'object') {
        const t = effective(cluster, [...KID, 'identityType'], null);
        if (t.state !== 'unknown' && lower(t.value as Json) !== 'userassignedidentity') {
          const ops: FixOp[] = [{ op: 'set', resource: cluster, path: [...KID, 'identityType'], value: 'userAssignedIdentity' }];
          const hasId = prop(kid.val, 'userAssignedIdentityResourceId');
          if ((!hasId || prim(hasId) === null) && uaiKeys?.length === 1) ops.push({ op: 'set', resource: cluster, path: [...KID, 'userAssignedIdentityResourceId'], value: uaiKeys[0] });
          problems.push({
            at: t.at,
            text:
              t.state === 'default'
                ? "identityType is not set: use 'userAssignedIdentity' with the identity's resource id"
                : `identityType is '${String(t.value)}': a customer-managed key needs identityType 'userAssignedIdentity'`,
            ops,
          });
        } else if (t.state !== 'unknown') {
          const id = resolve(cluster, [...KID, 'userAssignedIdentityResourceId']);
          if (!id.val || id.isNull) {
            problems.push({
              at: id.at,
              text: 'userAssignedIdentityResourceId is not set: name the identity attached to the cluster',
              ops: uaiKeys?.length === 1 ? [{ op: 'set', resource: cluster, path: [...KID, 'userAssignedIdentityResourceId'], value: uaiKeys[0] }] : [],
            });
          } else idVal = id.val;
        }
      }

      // identity.type includes UserAssigned.
      const itype = effective(cluster, ['identity', 'type'], null);
      const idSource = idVal ? (idVal.kind === 'unknown' ? idVal.text : typeof prim(idVal) === 'string' ? String(prim(idVal)) : undefined) : uaiKeys?.length === 1 ? uaiKeys[0] : undefined;
      if (itype.state !== 'unknown' && !/userassigned/i.test(String(itype.value ?? ''))) {
        const sys = /systemassigned/i.test(String(itype.value ?? ''));
        const ops: FixOp[] = [{ op: 'set', resource: cluster, path: ['identity', 'type'], value: sys ? 'SystemAssigned, UserAssigned' : 'UserAssigned' }];
        if (idSource && !uaiKeys?.length) ops.push({ op: 'set', resource: cluster, path: ['identity', 'userAssignedIdentities', idSource], value: {} });
        problems.push({
          at: itype.at,
          text: itype.state === 'default' ? "the cluster has no user-assigned identity (identity.type does not include 'UserAssigned')" : `identity.type is '${String(itype.value)}': it must include 'UserAssigned'`,
          ops,
        });
      } else if (itype.state !== 'unknown' && idVal && uais?.kind !== 'unknown') {
        // The CMK identity is one of identity.userAssignedIdentities.
        const verdicts = (uaiKeys ?? []).map((k) => keyMatches(k, idVal!));
        if (!verdicts.includes(true) && !verdicts.includes(undefined)) {
          const at = resolve(cluster, ['identity', 'userAssignedIdentities']).at;
          problems.push({
            at,
            text: 'the identity named in userAssignedIdentityResourceId is not attached to the cluster (identity.userAssignedIdentities)',
            ops: idSource ? [{ op: 'set', resource: cluster, path: ['identity', 'userAssignedIdentities', idSource], value: {} }] : [],
          });
        }
      }

      // keyEncryptionKeyUrl is versioned.
      const url = resolve(cluster, [...CMK, 'keyEncryptionKeyUrl']);
      if (!url.val || url.isNull) {
        problems.push({ at: url.at, text: 'keyEncryptionKeyUrl is not set: give the versioned URL of the key', ops: [] });
      } else if (versionedKeyUrl(url.val) === false) {
        problems.push({
          at: url.at,
          text: 'keyEncryptionKeyUrl has no key version: use the versioned key URL (https://<vault>.vault.azure.net/keys/<key>/<version>, keyUriWithVersion)',
          ops: [],
        });
      }

      if (!problems.length) continue;
      const ops = mergeSets(problems.flatMap((p) => p.ops));
      report({
        resource: cluster,
        path: CMK.join('.'),
        message: `The customer-managed key cannot be used as configured: ${problems.map((p) => p.text).join('; ')}.`,
        at: problems[0].at,
        fix: ops.length ? { title: 'Set the customer-managed key identity fields', ops } : undefined,
      });
    }
  },
};


