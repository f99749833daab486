// Azure Cache for Redis facts the related-resource rules share: public access, VNet injection,
// the cache's firewall rules, whether a private endpoint reaches it. Built on the general
// relations in _related.ts (which this file does not change); only the Redis-specific
// judgements and the "cannot be known" cases live here.

import { REDIS, ValueJudgement, effective, lower, resolve } from '../judge';
import { Deployment, Resource, Val, member, ofType, prim, prop, sameType } from '../model';
import { Expr, isExpressionString, parseExpression } from '../readers/arm/expression-parser';
import { PRIVATE_ENDPOINTS, parentOf, privateEndpointsFor, refOf, sameResource } from './_related';

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

/**
 * The firewall rules of a cache: nested children, top-level `cache/rule` resources the engine
 * linked, and top-level ones whose parent _related.ts can still find (by name prefix or
 * `dependsOn`), `existing` parents bound to the declared cache, and, as a last resort, top-level
 * ones whose unevaluable name starts with the parameter / variable that names the cache.
 */
const ruleParents = new WeakMap<Deployment, { rule: Resource; parent: Resource | undefined }[]>();

export function firewallRulesOf(dep: Deployment, cache: Resource): Resource[] {
  let pairs = ruleParents.get(dep);
  if (!pairs) {
    pairs = ofType(dep.resources, FIREWALL_RULES)
      .filter((r) => !r.existing)
      .map((rule) => ({ rule, parent: parentOf(dep, rule) }));
    ruleParents.set(dep, pairs);
  }
  const out: Resource[] = [];
  for (const { rule, parent } of pairs) if (parent ? sameResource(dep, parent, cache) : parentNamedBy(rule, cache)) out.push(rule);
  return out;
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
function parentNamedBy(child: Resource, parent: Resource): boolean {
  const t = parentNameTerm(child);
  if (!t) return false;
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
  for (const r of ofType(dep.resources, PRIVATE_ENDPOINTS)) {
    const props = prop(r.body, 'properties');
    if (!props || props.kind === 'unknown') return 'unknown';
    for (const key of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
      const list = member(props, key)?.value;
      if (!list) continue;
      if (list.kind === 'unknown') return 'unknown';
      if (list.kind !== 'array') continue;
      for (const c of list.items) {
        if (c.kind === 'unknown') return 'unknown';
        const id = prop(prop(c, 'properties') ?? c, 'privateLinkServiceId');
        if (unknownLink(id)) return 'unknown';
      }
    }
  }
  for (const call of dep.moduleCalls) if (hasUnknownLink(call.args)) return 'unknown';
  return 'no';
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

/** A primitive as text, for names in messages (never used on secret values). */
export function primText(v: Val | undefined): string | undefined {
  const p = prim(v);
  return typeof p === 'string' ? p : undefined;
}
