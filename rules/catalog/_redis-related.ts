// Azure Cache for Redis facts the related-resource rules share: public access, VNet injection,
// the cache's firewall rules, whether a private endpoint reaches it. Built on the general
// relations in _related.ts (which this file does not change); only the Redis-specific
// judgements and the "cannot be known" cases live here.

import { REDIS, ValueJudgement, effective, lower, resolve } from '../judge';
import { Deployment, Resource, Val, member, ofType, prim, prop } from '../model';
import { Expr, isExpressionString, parseExpression } from '../readers/arm/expression-parser';
import { PRIVATE_ENDPOINTS, bound, namesOf, parentOf, privateEndpointsFor, refOf, sameResource } from './_related';
import { Memo } from '../memo';

export const FIREWALL_RULES = `${REDIS}/firewallRules`;
export const ACCESS_POLICIES = `${REDIS}/accessPolicies`;
export const ACCESS_POLICY_ASSIGNMENTS = `${REDIS}/accessPolicyAssignments`;

/** True when the resource is read from a template (so a fix can be offered). */
export function fromTemplate(r: Resource): boolean {
  return r.source === 'arm' || r.source === 'bicep';
}

export interface PublicAccess {
  state: 'enabled' | 'disabled' | 'unknown';
  judgement: ValueJudgement;
}

/**
 * The cache's effective `publicNetworkAccess`: written value, else `Enabled` (the API default, and
 * what the service does for apiVersions before the property existed).
 */
export function publicAccessOf(cache: Resource): PublicAccess {
  const j = effective(cache, ['properties', 'publicNetworkAccess'], 'Enabled');
  if (j.state === 'unknown') return { state: 'unknown', judgement: j };
  const v = lower(j.value);
  return { state: v === 'disabled' ? 'disabled' : v === 'enabled' ? 'enabled' : 'unknown', judgement: j };
}

/**
 * Whether the cache is VNet-injected (`properties.subnetId`): `yes` for a literal id or a value
 * known to be a resource id, `no` when absent, null or empty, `unknown` otherwise (a required
 * parameter could be empty; never a guess).
 */
export function subnetState(cache: Resource): 'yes' | 'no' | 'unknown' {
  const r = resolve(cache, ['properties', 'subnetId']);
  if (!r.val || r.isNull) return 'no';
  if (r.member?.key.toLowerCase() !== 'subnetid') return 'unknown'; // `properties` itself is unknown
  const v = r.val;
  if (v.kind === 'prim') return typeof v.value === 'string' && v.value.trim() !== '' ? 'yes' : 'no';
  if (v.kind === 'unknown') return v.ref || refOf(v) ? 'yes' : 'unknown';
  return 'unknown';
}

interface RuleParents {
  rules: Resource[];
  /** Index (into `rules`) lists by parent, parents in order of first appearance. */
  byParent: Map<Resource, number[]>;
  /** Rules without a parent: index and the name term their name starts with. */
  orphans: { i: number; term: NameTerm | undefined }[];
  /** Parents by each name they answer to, and by id: the candidates sameResource may accept. */
  byName: Map<string, Resource[]>;
  byId: Map<string, Resource[]>;
  /** The rules found for each cache asked about (the answer depends on the cache alone). */
  byCache: Map<Resource, Resource[]>;
}

const ruleParents = new Memo<Deployment, RuleParents>('ruleParents');

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function ruleParentsOf(dep: Deployment): RuleParents {
  let entry = ruleParents.get(dep);
  if (entry) return entry;
  const rules = ofType(dep.resources, FIREWALL_RULES).filter((r) => !r.existing);
  entry = { rules, byParent: new Map(), orphans: [], byName: new Map(), byId: new Map(), byCache: new Map() };
  for (let i = 0; i < rules.length; i++) {
    const parent = parentOf(dep, rules[i]);
    if (!parent) {
      entry.orphans.push({ i, term: parentNameTerm(rules[i]) });
      continue;
    }
    const list = entry.byParent.get(parent);
    if (list) {
      list.push(i);
      continue;
    }
    entry.byParent.set(parent, [i]);
    const b = bound(dep, parent);
    for (const n of namesOf(b)) push(entry.byName, n, parent);
    if (b.id) push(entry.byId, b.id.trim().toLowerCase(), parent);
  }
  ruleParents.set(dep, entry);
  return entry;
}

/**
 * The firewall rules of a cache: nested children, top-level `cache/rule` resources the engine
 * linked, and top-level ones whose parent _related.ts can still find (by name prefix or
 * `dependsOn`), `existing` parents bound to the declared cache, and, as a last resort, top-level
 * ones whose unevaluable name starts with the parameter / variable that names the cache.
 */
export function firewallRulesOf(dep: Deployment, cache: Resource): Resource[] {
  const entry = ruleParentsOf(dep);
  let found = entry.byCache.get(cache);
  if (!found) {
    // sameResource(parent, cache) holds only for parents that share a name or an id with the
    // cache once both are bound: test those, then list their rules in declaration order.
    const b = bound(dep, cache);
    const candidates = new Set<Resource>();
    for (const n of namesOf(b)) for (const p of entry.byName.get(n) ?? []) candidates.add(p);
    if (b.id) for (const p of entry.byId.get(b.id.trim().toLowerCase()) ?? []) candidates.add(p);
    const hits: number[] = [];
    for (const p of candidates) if (sameResource(dep, p, cache)) hits.push(...entry.byParent.get(p)!);
    for (const { i, term } of entry.orphans) if (term && parentNamedBy(term, cache)) hits.push(i);
    hits.sort((x, y) => x - y);
    found = hits.map((i) => entry.rules[i]);
    entry.byCache.set(cache, found);
  }
  return [...found];
}

type NameTerm = { param: string } | { variable: string } | { lit: string };

function termOf(e: Expr): NameTerm | undefined {
  if (e.kind === 'string') return { lit: e.value };
  if (e.kind === 'call' && e.args.length === 1 && e.args[0].kind === 'string') {
    const n = e.name.toLowerCase();
    if (n === 'parameters') return { param: e.args[0].value };
    if (n === 'variables') return { variable: e.args[0].value };
  }
  return undefined;
}

/**
 * The first name segment of a child declared at the top level with an unevaluable name
 * (`[format('{0}/{1}', parameters('cache'), 'rule')]`, `[concat(variables('cache'), '/rule')]`),
 * as the parameter, variable or literal it is written with.
 */
export function parentNameTerm(child: Resource): NameTerm | undefined {
  const v = member(child.body, 'name')?.value;
  if (v?.kind !== 'unknown' || !isExpressionString(v.text)) return undefined;
  let e: Expr;
  try {
    e = parseExpression(v.text.slice(1, -1));
  } catch {
    return undefined;
  }
  if (e.kind !== 'call') return undefined;
  const name = e.name.toLowerCase();
  if (name === 'format' && e.args[0]?.kind === 'string') {
    const m = /^\{(\d+)\}\//.exec(e.args[0].value);
    const arg = m ? e.args[Number(m[1]) + 1] : undefined;
    return arg ? termOf(arg) : undefined;
  }
  if (name === 'concat' && e.args.length >= 2) {
    const second = e.args[1];
    if (second.kind === 'string' && second.value.startsWith('/')) return termOf(e.args[0]);
  }
  return undefined;
}

/** Whether a child that neither the engine nor parentOf could link names `parent` as its first segment. */
function parentNamedBy(t: NameTerm, parent: Resource): boolean {
  if ('lit' in t) return !!parent.knownName && parent.knownName.toLowerCase() === t.lit.toLowerCase();
  const origin = member(parent.body, 'name')?.value.origin;
  if (!origin) return false;
  if ('param' in t) return (origin.kind === 'parameter' || origin.kind === 'parameterFile') && origin.name.toLowerCase() === t.param.toLowerCase();
  return origin.kind === 'variable' && origin.name.toLowerCase() === t.variable.toLowerCase();
}

function unknownLink(v: Val | undefined): boolean {
  return !!v && v.kind === 'unknown' && !refOf(v);
}

/**
 * Whether a private endpoint (group `groupId`) reaches the resource: `yes` when one does
 * (privateEndpointsFor), `unknown` when an endpoint or a module call in the deployment names a
 * service that cannot be read, or, in an exported file, when the resource's private endpoint
 * connections were not exported; `no` otherwise.
 */
export function privateEndpointState(dep: Deployment, resource: Resource, groupId: string): 'yes' | 'no' | 'unknown' {
  if (privateEndpointsFor(dep, resource, groupId).length) return 'yes';
  if (resource.source === 'exported' && prop(resource.body, 'properties', 'privateEndpointConnections')?.kind !== 'array') return 'unknown';
  let s = unreadableLinks.get(dep);
  if (s === undefined) unreadableLinks.set(dep, (s = unreadableLink(dep)));
  return s ? 'unknown' : 'no';
}

/** Per deployment: whether an endpoint or a module call names a service that cannot be read. */
const unreadableLinks = new Memo<Deployment, boolean>('unreadableLinks');

function unreadableLink(dep: Deployment): boolean {
  for (const r of ofType(dep.resources, PRIVATE_ENDPOINTS)) {
    const props = prop(r.body, 'properties');
    if (!props || props.kind === 'unknown') return true;
    for (const key of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
      const list = member(props, key)?.value;
      if (!list) continue;
      if (list.kind === 'unknown') return true;
      if (list.kind !== 'array') continue;
      for (const c of list.items) {
        if (c.kind === 'unknown') return true;
        const id = prop(prop(c, 'properties') ?? c, 'privateLinkServiceId');
        if (unknownLink(id)) return true;
      }
    }
  }
  for (const call of dep.moduleCalls) if (hasUnknownLink(call.args)) return true;
  return false;
}

function hasUnknownLink(v: Val | undefined, depth = 0): boolean {
  if (!v || depth > 8) return false;
  if (v.kind === 'object') {
    for (const m of v.members.values()) {
      if (m.key.toLowerCase() === 'privatelinkserviceid' && unknownLink(m.value)) return true;
      if (hasUnknownLink(m.value, depth + 1)) return true;
    }
  } else if (v.kind === 'array') return v.items.some((x) => hasUnknownLink(x, depth + 1));
  return false;
}

/** Whether Microsoft Entra ID is on (`redisConfiguration['aad-enabled']` is `'true'`). */
export function entraEnabled(cache: Resource): boolean {
  const j = effective(cache, ['properties', 'redisConfiguration', 'aad-enabled'], 'false');
  return j.state === 'written' && lower(j.value) === 'true';
}

/** The Microsoft.Cache types whose keys a keysOf list carries (listKeys() on a cache or database). */
export function cacheKeyTypes(keysOf: string[] | undefined): string[] {
  return (keysOf ?? []).filter((t) => /^microsoft\.cache\//i.test(t));
}

const LIST_CALL = /list\w*\s*\(/i;
const keyCarrying = new Memo<Deployment, boolean>('keyCarrying');

/**
 * Whether any value of a deployment can carry access keys. The readers mark a value with keys
 * only where a list*() call (listKeys, listConnectionStrings, listOutputsWithSecureValues, ...)
 * is written, so texts with no such call have none. A JSON `\u` escape could spell one without
 * the letters showing: texts with escapes count as carrying keys.
 */
export function mayCarryKeys(dep: Deployment): boolean {
  let known = keyCarrying.get(dep);
  if (known === undefined) {
    known = false;
    for (const text of dep.texts.values()) {
      if (LIST_CALL.test(text) || text.includes('\\u')) {
        known = true;
        break;
      }
    }
    keyCarrying.set(dep, known);
  }
  return known;
}

/** A primitive as text, for names in messages (never used on secret values). */
export function primText(v: Val | undefined): string | undefined {
  const p = prim(v);
  return typeof p === 'string' ? p : undefined;
}
