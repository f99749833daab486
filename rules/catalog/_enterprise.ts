// Helpers shared by the Azure Managed Redis / Redis Enterprise rules: SKU families, API-version
// facts from rules.md, and building multi-part fixes. Judging one setting is `reportSetting`,
// shared with the Azure Cache for Redis rules.

import { ENTERPRISE, ENTERPRISE_DB, ENTERPRISE_STABLE, effective, raiseTo, resolve, resourcesOf } from '../judge';
import { Deployment, FixOp, Json, Resource, Val, member } from '../model';
import { RawFinding, RuleContext } from '../rule';
import { parentOf } from './_related';

export { ENTERPRISE, ENTERPRISE_DB, ENTERPRISE_STABLE };
// Judging helpers the Key Vault and SKU rules import from here.
export { relatedOf, show } from './_value-rule';

/** Azure Managed Redis SKUs (Entra ID capable). */
export function isAmrSku(name: string): boolean {
  return /^(Balanced|MemoryOptimized|ComputeOptimized|FlashOptimized)_/i.test(name);
}

/** The retired Redis Enterprise tiers. */
export function isEnterpriseSku(name: string): boolean {
  return /^(Enterprise|EnterpriseFlash)_/i.test(name);
}

export function clustersOf(dep: Deployment): Resource[] {
  return resourcesOf(dep.resources, ENTERPRISE);
}

export function databasesOf(dep: Deployment): Resource[] {
  return resourcesOf(dep.resources, ENTERPRISE_DB);
}

/** The cluster of a database, when the deployment declares it (an `existing` one bound to its declaration). */
export function clusterOf(dep: Deployment, db: Resource): Resource | undefined {
  return parentOf(dep, db);
}

/** The SKU family of a cluster: `amr`, `enterprise`, or `unknown` (undeclared, `existing`, or a value that cannot be known). */
export function skuFamily(cluster: Resource | undefined): 'amr' | 'enterprise' | 'other' | 'unknown' {
  if (!cluster || cluster.existing) return 'unknown';
  const j = effective(cluster, ['sku', 'name'], undefined);
  if (j.state !== 'written' || typeof j.value !== 'string') return 'unknown';
  if (isAmrSku(j.value)) return 'amr';
  if (isEnterpriseSku(j.value)) return 'enterprise';
  return 'other';
}

/** A preview apiVersion (`2024-09-01-preview`). */
export function isPreview(api: string | undefined): boolean {
  return !!api && /preview/i.test(api);
}

/** Whether `api` has a property that exists in stable versions from `stable` and in previews from `preview`. Live/exported (no apiVersion): yes. */
export function apiHas(api: string | undefined, stable: string, preview?: string): boolean {
  if (!api) return true;
  const d = api.slice(0, 10);
  if (d >= stable) return true;
  return !!preview && isPreview(api) && d >= preview;
}

/** Properties that need a newer Redis Enterprise apiVersion than the first stable one, by path. */
const SINCE: { path: string[]; since: string }[] = [
  { path: ['properties', 'publicNetworkAccess'], since: '2025-07-01' },
  { path: ['properties', 'encryption', 'customerManagedKeyEncryption'], since: '2023-11-01' },
  { path: ['properties', 'accessKeysAuthentication'], since: '2025-07-01' },
];

/**
 * The op raising a resource's apiVersion to the oldest stable Redis Enterprise version that has
 * `needed` and every property from SINCE the resource already writes (none when it has them; never lowers).
 */
export function raiseOps(resource: Resource, needed: string): FixOp[] {
  if (!resource.apiVersion) return [];
  let want = needed;
  for (const s of SINCE) if (s.since > want && resolve(resource, s.path).val) want = s.since;
  if (apiHas(resource.apiVersion, want)) return [];
  const v = raiseTo(resource.apiVersion, ENTERPRISE_STABLE, want);
  return v ? [{ op: 'raiseApiVersion', resource, version: v }] : [];
}

/** The index of the first key of `path` the resource does not write (-1 when all are written). */
function firstMissing(resource: Resource, path: string[]): number {
  let cur: Val | undefined = resource.body;
  for (let i = 0; i < path.length; i++) {
    const m = member(cur, path[i]);
    if (!m) return i;
    cur = m.value;
  }
  return -1;
}

function deepMerge(a: Json, b: Json): Json {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: { [k: string]: Json } = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return b;
}

/**
 * Merges `set` ops that would each create the same missing object (`identity.type` and
 * `identity.userAssignedIdentities.x` on a resource without `identity`) into one `set` of that
 * object, so applying them one after the other cannot overwrite each other.
 */
export function mergeSets(ops: FixOp[]): FixOp[] {
  const out: FixOp[] = [];
  const anchors = new Map<string, { op: Extract<FixOp, { op: 'set' }>; index: number }>();
  for (const op of ops) {
    if (op.op !== 'set') {
      out.push(op);
      continue;
    }
    const cut = firstMissing(op.resource, op.path);
    if (cut < 0 || cut === op.path.length - 1) {
      out.push(op);
      continue;
    }
    const anchorPath = op.path.slice(0, cut + 1);
    const value = op.path.slice(cut + 1).reduceRight<Json>((acc, k) => ({ [k]: acc }), op.value);
    const key = anchorPath.map((k) => k.toLowerCase()).join('\u0000');
    const prev = anchors.get(key);
    if (prev && prev.op.resource === op.resource) {
      const merged = { ...prev.op, value: deepMerge(prev.op.value, value) };
      out[prev.index] = merged;
      anchors.set(key, { op: merged, index: prev.index });
      continue;
    }
    const set = { op: 'set' as const, resource: op.resource, path: anchorPath, value };
    anchors.set(key, { op: set, index: out.length });
    out.push(set);
  }
  return out;
}

/** A `set` of the resource's `dependsOn` with `id` appended (the written entries read back from the source), when it can be written. */
export function appendDependsOn(dep: Deployment, resource: Resource, id: string): FixOp | undefined {
  const d = member(resource.body, 'dependsOn')?.value;
  if (!d) return { op: 'set', resource, path: ['dependsOn'], value: [id] };
  if (d.kind !== 'array' || d.origin) return undefined;
  const raw: Json[] = [];
  for (const item of d.items) {
    const at = item.at;
    const text = at && dep.texts.get(at.file);
    if (!at || text === undefined) return undefined;
    try {
      raw.push(JSON.parse(text.slice(at.start, at.end)) as Json);
    } catch {
      return undefined;
    }
  }
  return { op: 'set', resource, path: ['dependsOn'], value: [...raw, id] };
}

/**
 * The context with fixes dropped where nothing can take them: on live resources (no file), and
 * in exported files for fixes that add resources or parameters or raise an apiVersion (an export
 * holds resources as the service returned them). Setting a property in an export is kept, as
 * for the Redis value rules: the file can be sent back to the service.
 */
export function templateFixes(ctx: RuleContext): RuleContext {
  const keep = (f: RawFinding): boolean => {
    const source = f.resource?.source;
    if (!f.fix || source === undefined || source === 'arm' || source === 'bicep') return true;
    return source === 'exported' && f.fix.ops.every((o) => o.op === 'set');
  };
  return { ...ctx, report: (f) => ctx.report(keep(f) ? f : { ...f, fix: undefined }) };
}
