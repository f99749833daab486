// The user-assigned identity a cluster names for its customer-managed key may use the key:
// get, wrapKey and unwrapKey through an access policy, or a Key Vault crypto role at vault or key scope.

import { Rule } from '../rule';
import { Deployment, Resource, Span, Val, member, prim, prop, sameType } from '../model';
import { lower } from '../judge';
import { ResourceRef, label, parentOf, refOf, refersTo, resolveRef } from './_related';
import { VAULT, cmkTargets, declared } from './_keyvault';

const ROLE_ASSIGNMENTS = 'Microsoft.Authorization/roleAssignments';
const ACCESS_POLICIES = 'Microsoft.KeyVault/vaults/accessPolicies';
/** Key Vault Crypto Service Encryption User (least privilege), Crypto User, Crypto Officer, Administrator. */
const ROLES = ['e147488a-f6f5-4113-8e2d-b22465e65bf6', '12338af0-0e69-4776-bea7-57ae8d297424', '14b46e9e-c2b7-41b4-b07b-48a6ebf60603', '00482a5a-887f-4fb3-b363-3b7fe8e74483'];
const NEEDED = ['get', 'wrapkey', 'unwrapkey'];

type Tri = boolean | undefined;

function norm(s: string): string {
  return s.replace(/\s+/g, '').toLowerCase();
}

/** Whether a principal id value (`reference(identity).principalId`) is the identity's: true, false, or undefined when it cannot be known. */
function isPrincipalOf(v: Val | undefined, identity: ResourceRef): Tri {
  if (!v) return false;
  if (v.kind !== 'unknown' || !v.ref) return undefined;
  if (!sameType(v.ref.type, identity.type)) return /userAssignedIdentities/i.test(v.ref.type) ? false : undefined;
  return norm(v.ref.name) === norm(identity.name);
}

function textOf(v: Val | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'unknown') return v.ref ? `${v.ref.type}/${v.ref.name}` : v.text;
  const p = prim(v);
  return typeof p === 'string' ? p : undefined;
}

/** Whether a role definition id is one of the crypto roles that may wrap and unwrap. */
function grantingRole(v: Val | undefined): Tri {
  const t = textOf(v)?.toLowerCase();
  if (t === undefined) return undefined;
  if (ROLES.some((r) => t.includes(r))) return true;
  if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(t)) return false;
  return undefined;
}

function keyPermissions(v: Val | undefined): Tri {
  if (!v) return false;
  if (v.kind !== 'array') return v.kind === 'unknown' ? undefined : false;
  const perms: string[] = [];
  for (const x of v.items) {
    const p = prim(x);
    if (x.kind === 'unknown') return undefined;
    if (typeof p === 'string') perms.push(p.toLowerCase());
  }
  return perms.includes('all') || NEEDED.every((n) => perms.includes(n));
}

interface Verdict {
  grant: Tri;
  /** A related resource that names the identity but grants too little: where the finding sits. */
  at?: Span;
  why?: string;
}

function fold(vs: Verdict[]): Verdict {
  if (vs.some((v) => v.grant === true)) return { grant: true };
  if (vs.some((v) => v.grant === undefined)) return { grant: undefined };
  return vs.find((v) => v.at) ?? { grant: false };
}

function policies(dep: Deployment, vault: Resource): Val[] {
  const out: Val[] = [];
  const own = prop(vault.body, 'properties', 'accessPolicies');
  if (own?.kind === 'array') out.push(...own.items);
  else if (own?.kind === 'unknown') out.push(own);
  for (const r of dep.resources) {
    if (!sameType(r.type, ACCESS_POLICIES) || r.existing) continue;
    const p = parentOf(dep, r);
    if (p !== vault) continue;
    const list = prop(r.body, 'properties', 'accessPolicies');
    if (list?.kind === 'array') out.push(...list.items);
    else if (list) out.push(list);
  }
  return out;
}

function judgePolicy(p: Val, identity: ResourceRef): Verdict {
  if (p.kind !== 'object') return { grant: p.kind === 'unknown' ? undefined : false };
  const who = isPrincipalOf(member(p, 'objectId')?.value, identity);
  if (who === false) return { grant: false };
  const keys = prop(p, 'permissions', 'keys');
  const perms = keyPermissions(keys);
  if (who === true && perms === false) {
    return { grant: false, at: keys?.at ?? member(p, 'permissions')?.keyAt ?? p.at, why: "its access policy's key permissions lack get, wrapKey or unwrapKey" };
  }
  if (who === true && perms === true) return { grant: true };
  return { grant: perms === false ? false : undefined };
}

function judgeAssignment(dep: Deployment, ra: Resource, vault: Resource, key: Resource | undefined, identity: ResourceRef): Verdict {
  const who = isPrincipalOf(prop(ra.body, 'properties', 'principalId'), identity);
  if (who === false) return { grant: false };
  // Scope: the vault or the key (an extension `scope`, or the legacy `<vault>/providers/roleAssignments` child).
  let atScope: Tri;
  if (ra.scope && !(ra.scope.kind === 'prim' && ra.scope.value === null)) {
    atScope = refersTo(dep, ra.scope, vault) || (!!key && refersTo(dep, ra.scope, key)) ? true : refOf(ra.scope) ? false : undefined;
  } else if (/\/providers\/roleAssignments$/i.test(ra.type)) {
    const target = resolveRef(dep, { kind: 'prim', value: ra.type.replace(/\/providers\/roleAssignments$/i, '') + '/' + ra.fullName.split(/\/Microsoft\.Authorization\//i)[0] });
    atScope = target === vault || (!!key && target === key);
  } else if (ra.parent) {
    const p = parentOf(dep, ra) ?? ra.parent;
    atScope = p === vault || (!!key && p === key); // nested under the vault or key: scoped to it
  } else atScope = false; // resource group scope: not at the vault or the key
  if (atScope === false) return { grant: false };
  const roleVal = prop(ra.body, 'properties', 'roleDefinitionId');
  const role = grantingRole(roleVal);
  if (who === true && atScope === true && role === false) {
    return { grant: false, at: member(prop(ra.body, 'properties'), 'roleDefinitionId')?.keyAt ?? ra.declAt, why: 'its role assignment at the vault grants a role without wrapKey/unwrapKey' };
  }
  if (who === true && atScope === true && role === true) return { grant: true };
  return { grant: role === false ? false : undefined };
}

export const keyvaultCmkAccess: Rule = {
  meta: {
    id: 'keyvault-cmk-access',
    title: 'The customer-managed key identity may use the key',
    severity: 'medium',
    resourceTypes: [VAULT],
    fixable: false,
  },
  check({ deployment: dep, report }) {
    const seen = new Set<string>();
    for (const t of cmkTargets(dep)) {
      const vault = t.vault;
      if (!declared(vault)) continue;
      const kid = prop(t.cluster.body, 'properties', 'encryption', 'customerManagedKeyEncryption', 'keyEncryptionKeyIdentity');
      const type = prim(prop(kid, 'identityType'));
      // A system-assigned (or unset) identity is redis-enterprise-cmk-identity's finding.
      if (lower(typeof type === 'string' ? type : undefined) !== 'userassignedidentity') continue;
      const identity = refOf(prop(kid, 'userAssignedIdentityResourceId'));
      if (!identity || !/userAssignedIdentities$/i.test(identity.type)) continue;
      const dedupe = `${vault.fullName}|${norm(identity.name)}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const verdicts: Verdict[] = policies(dep, vault).map((p) => judgePolicy(p, identity));
      for (const r of dep.resources) {
        if (r.existing || !(sameType(r.type, ROLE_ASSIGNMENTS) || /\/providers\/roleAssignments$/i.test(r.type))) continue;
        verdicts.push(judgeAssignment(dep, r, vault, t.key, identity));
      }
      const v = fold(verdicts);
      if (v.grant !== false) continue;
      const name = identity.name.split('/').pop();
      report({
        resource: vault,
        path: v.at ? 'properties.accessPolicies' : '',
        message:
          `The identity${name && !name.includes('[') ? ` '${name}'` : ''} that the Redis cluster${label(t.cluster) ? ` '${label(t.cluster)}'` : ''} uses for its customer-managed key cannot use the key in this vault` +
          `${v.why ? `: ${v.why}` : ': no access policy or role assignment in the deployment grants it'}. ` +
          "Assign it 'Key Vault Crypto Service Encryption User' (e147488a-f6f5-4113-8e2d-b22465e65bf6) at the vault or key scope, or an access policy with key permissions get, wrapKey and unwrapKey.",
        at: v.at ?? vault.declAt,
      });
    }
  },
};
