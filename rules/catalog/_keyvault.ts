// Following a customer-managed key from an Azure Managed Redis / Redis Enterprise cluster's
// `keyEncryptionKeyUrl` to the Key Vault and key declared in the same deployment.

import { Deployment, Resource, Val, prim, prop, sameType } from '../model';
import { ENTERPRISE, resourcesOf } from '../judge';
import { ResourceRef, bound, parentOf, refOf, splitSegments } from './_related';

export const VAULT = 'Microsoft.KeyVault/vaults';
export const KEY = 'Microsoft.KeyVault/vaults/keys';

export interface CmkTarget {
  cluster: Resource;
  /** The `keyEncryptionKeyUrl` value. */
  url: Val;
  /** The vault, bound to its declaration when `existing`; undefined when the deployment does not name it. */
  vault?: Resource;
  /** The key, when the URL names one the deployment declares. */
  key?: Resource;
}

function norm(s: string): string {
  return s.trim().toLowerCase();
}

function find(dep: Deployment, type: string, name: string): Resource | undefined {
  const n = norm(name);
  const hits = dep.resources.filter((r) => sameType(r.type, type) && (norm(r.fullName) === n || (r.knownName !== undefined && norm(r.knownName) === n)));
  const hit = hits.find((r) => !r.existing) ?? hits[0];
  return hit ? bound(dep, hit) : undefined;
}

/** Vault and key names in a key URL (`https://<vault>.vault.azure.net/keys/<key>[/<version>]`), unknown parts as their text. */
export function parseKeyUrl(s: string): { vault: string; key?: string } | undefined {
  const m = /^https:\/\/(.+?)\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net|microsoftazure\.de)\/?(.*)$/i.exec(s.trim());
  if (!m) return undefined;
  const rest = splitSegments(m[2]).filter((x) => x !== '');
  return { vault: m[1], key: rest[0]?.toLowerCase() === 'keys' ? rest[1] : undefined };
}

function targetNames(url: Val): { ref?: ResourceRef; vault?: string; key?: string } | undefined {
  if (url.kind === 'unknown' && url.ref) {
    const ref = url.ref;
    const segs = splitSegments(ref.name);
    if (sameType(ref.type, KEY) && segs.length >= 2) return { vault: segs[0], key: segs.slice(0, 2).join('/') };
    if (sameType(ref.type, `${KEY}/versions`) && segs.length >= 2) return { vault: segs[0], key: segs.slice(0, 2).join('/') };
    if (sameType(ref.type, VAULT)) return { vault: segs[0] };
    return undefined;
  }
  const s = url.kind === 'unknown' ? (url.text.startsWith('[') ? undefined : url.text) : typeof prim(url) === 'string' ? String(prim(url)) : undefined;
  if (!s) {
    const r = refOf(url);
    return r && sameType(r.type, KEY) ? { vault: splitSegments(r.name)[0], key: r.name } : undefined;
  }
  const p = parseKeyUrl(s);
  return p ? { vault: p.vault, key: p.key !== undefined ? `${p.vault}/${p.key}` : undefined } : undefined;
}

/** Every cluster with a customer-managed key, with the vault and key its URL leads to. */
export function cmkTargets(dep: Deployment): CmkTarget[] {
  const out: CmkTarget[] = [];
  for (const cluster of resourcesOf(dep.resources, ENTERPRISE)) {
    const url = prop(cluster.body, 'properties', 'encryption', 'customerManagedKeyEncryption', 'keyEncryptionKeyUrl');
    if (!url || (url.kind === 'prim' && url.value === null)) continue;
    const names = targetNames(url);
    if (!names) {
      out.push({ cluster, url });
      continue;
    }
    const key = names.key ? find(dep, KEY, names.key) : undefined;
    const vault = (key && parentOf(dep, key)) ?? (names.vault ? find(dep, VAULT, names.vault) : undefined);
    out.push({ cluster, url, vault, key });
  }
  return out;
}

/** A vault or key whose properties are known: declared in the deployment (not an unbound `existing`). */
export function declared(r: Resource | undefined): r is Resource {
  return !!r && !r.existing;
}

/** Each vault declared in the deployment that holds a cluster's customer-managed key, once. */
export function cmkVaults(dep: Deployment): Resource[] {
  const out = new Set<Resource>();
  for (const t of cmkTargets(dep)) if (declared(t.vault)) out.add(t.vault);
  return [...out];
}
