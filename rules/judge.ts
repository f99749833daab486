// Shared judging helpers: effective values (written, parameter, API default), where a finding
// sits, apiVersion comparisons. Rules call these so they all place findings the same way.

import { Json, Member, Origin, Resource, Span, Val, member, ofType, prim, toJson } from './model';

/** How a property path resolves on a resource. */
export interface Resolved {
  /** The written member at the full path, if any. */
  member?: Member;
  /** Its value, when written. */
  val?: Val;
  /** Whether the value (or an ancestor) arrived through a reference (parameter, variable, argument). */
  viaRef: boolean;
  /** Where a finding about this path sits. */
  at: Span;
  /** The parameter whose allowed list governs the value, when it comes straight from one. */
  allowed?: Origin['allowed'];
  /** The written value is null (a nullable parameter, a `null()` expression): treated as absent. */
  isNull: boolean;
}

export function resolve(resource: Resource, path: string[]): Resolved {
  let cur: Val = resource.body;
  let viaRef = false;
  let at: Span = resource.declAt;
  let found: Member | undefined;
  for (let i = 0; i < path.length; i++) {
    const m = member(cur, path[i]);
    if (!m) return { viaRef, at, isNull: false };
    const v = m.value;
    viaRef = viaRef || !!v.origin;
    const own = viaRef ? v.at ?? m.keyAt ?? at : m.keyAt ?? v.at ?? at;
    at = own;
    found = m;
    if (i < path.length - 1) {
      if (v.kind === 'prim' && v.value === null) return { viaRef, at, isNull: true };
      if (v.kind !== 'object') {
        // An unknown or non-object container: the rest of the path cannot be known.
        return { viaRef, at, isNull: false, val: v.kind === 'unknown' ? v : undefined, member: v.kind === 'unknown' ? m : undefined };
      }
      cur = v;
    }
  }
  const val = found!.value;
  return {
    member: found,
    val,
    viaRef,
    at,
    allowed: val.origin?.allowed,
    isNull: val.kind === 'prim' && val.value === null,
  };
}

/** True when the resolution stopped at an unknown container before reaching the path. */
export function blockedByUnknown(r: Resolved, path: string[]): boolean {
  return r.val?.kind === 'unknown' && r.member?.key.toLowerCase() !== path[path.length - 1].toLowerCase();
}

export function apiAtLeast(apiVersion: string | undefined, since: string): boolean {
  if (!apiVersion) return true;
  return apiVersion.slice(0, 10) >= since;
}

export function lower(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v.toLowerCase() : v === undefined || v === null ? undefined : String(v).toLowerCase();
}

export interface ValueJudgement {
  /** `written` value known; `default` absent or null, API default applies; `unknown` cannot be known. */
  state: 'written' | 'default' | 'unknown';
  value?: Json;
  at: Span;
  resolved: Resolved;
}

/** The effective value of a property: what is written, else the API default. */
export function effective(resource: Resource, path: string[], dflt: Json | undefined): ValueJudgement {
  const r = resolve(resource, path);
  if (r.val && !r.isNull) {
    if (r.val.kind === 'unknown') return { state: 'unknown', at: r.at, resolved: r };
    if (blockedByUnknown(r, path)) return { state: 'unknown', at: r.at, resolved: r };
    return { state: 'written', value: toJson(r.val), at: r.at, resolved: r };
  }
  return { state: dflt === undefined ? 'unknown' : 'default', value: dflt, at: r.at, resolved: r };
}

/**
 * Judges a value-valued setting the way rules.md says: an insecure effective value is a finding
 * where it is written; a secure (or unknown) value whose parameter's allowed list admits an
 * insecure one is a finding on the list.
 */
export function judgeValue(
  resource: Resource,
  path: string[],
  dflt: Json | undefined,
  insecure: (v: Json) => boolean,
): { kind: 'value'; judgement: ValueJudgement } | { kind: 'allowed'; at: Span; values: Json[]; judgement: ValueJudgement } | undefined {
  const j = effective(resource, path, dflt);
  if (j.state !== 'unknown' && j.value !== undefined && insecure(j.value)) return { kind: 'value', judgement: j };
  const allowed = j.resolved.allowed;
  if (allowed) {
    const bad = allowed.values.filter((v) => insecure(v));
    if (bad.length) return { kind: 'allowed', at: allowed.at, values: bad, judgement: j };
  }
  return undefined;
}

export function resourcesOf(resources: Resource[], type: string): Resource[] {
  return ofType(resources, type).filter((r) => !r.existing);
}

export function str(v: Val | undefined): string | undefined {
  const p = prim(v);
  return typeof p === 'string' ? p : undefined;
}

/** The oldest stable apiVersion of `type` that is at least every one of `needed`, never lower than the current one. */
export function raiseTo(current: string | undefined, stable: readonly string[], needed: string): string | undefined {
  if (current && current.slice(0, 10) >= needed) return undefined;
  return stable.find((v) => v >= needed);
}

export const REDIS_STABLE = [
  '2015-08-01', '2016-04-01', '2017-02-01', '2017-10-01', '2018-03-01', '2019-07-01', '2020-06-01', '2020-12-01',
  '2021-06-01', '2022-05-01', '2022-06-01', '2023-04-01', '2023-08-01', '2024-03-01', '2024-11-01',
] as const;
export const ENTERPRISE_STABLE = [
  '2021-03-01', '2021-08-01', '2022-01-01', '2023-07-01', '2023-11-01', '2024-02-01', '2024-10-01', '2025-04-01', '2025-07-01', '2026-09-01',
] as const;

export const REDIS = 'Microsoft.Cache/redis';
export const ENTERPRISE = 'Microsoft.Cache/redisEnterprise';
export const ENTERPRISE_DB = 'Microsoft.Cache/redisEnterprise/databases';
