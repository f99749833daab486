// Judging a diagnostic setting for connection logs (shared by the Redis and Redis Enterprise
// connection-log rules).

import { Resource, Span, Val, member, prim, prop } from '../model';
import { resolve } from '../judge';

export interface LogVerdict {
  /** `yes`: sends a qualifying category to a destination; `no`: it does not; `unknown`: cannot be known. */
  verdict: 'yes' | 'no' | 'unknown';
  /** For `no`: what is wrong, and where. */
  why?: string;
  at?: Span;
  /** For `no`: the only enabled groups are `audit`. */
  auditOnly?: boolean;
}

const DESTINATIONS = ['workspaceId', 'storageAccountId', 'eventHubAuthorizationRuleId', 'marketplacePartnerId'];

function present(v: Val | undefined): boolean | undefined {
  if (!v) return false;
  if (v.kind === 'unknown') return undefined;
  const p = prim(v);
  if (v.kind === 'prim') return p !== null && p !== '';
  return true;
}

/**
 * Whether a diagnostic setting enables one of `categories` (case-insensitive) or the `allLogs`
 * group, with a destination.
 */
export function judgeLogs(setting: Resource, categories: string[]): LogVerdict {
  const props = prop(setting.body, 'properties');
  if (!props) return { verdict: 'no', why: 'it has no properties (no logs, no destination)', at: setting.declAt };
  if (props.kind !== 'object') return { verdict: props.kind === 'unknown' ? 'unknown' : 'no', at: setting.declAt };
  // A property copy loop (`properties.copy: [{ name: 'logs', ... }]`) computes the logs: not known here.
  const copies = member(props, 'copy')?.value;
  if (copies?.kind === 'array' && copies.items.some((c) => String(prim(member(c, 'name')?.value) ?? '').toLowerCase() === 'logs')) return { verdict: 'unknown' };
  if (copies?.kind === 'unknown') return { verdict: 'unknown' };

  const wanted = categories.map((c) => c.toLowerCase());
  const logs = resolve(setting, ['properties', 'logs']);
  let qualifying: boolean | undefined = false;
  let auditOnly = false;
  if (logs.val && !logs.isNull) {
    if (logs.val.kind === 'unknown') qualifying = undefined;
    else if (logs.val.kind === 'array') {
      const groups: string[] = [];
      for (const e of logs.val.items) {
        if (e.kind !== 'object') {
          if (e.kind === 'unknown') qualifying = qualifying === true ? true : undefined;
          continue;
        }
        const enabled = member(e, 'enabled')?.value;
        if (enabled && (prim(enabled) === false || prim(enabled) === 'false')) continue;
        const cat = member(e, 'category')?.value;
        const grp = member(e, 'categoryGroup')?.value;
        const c = prim(cat);
        const g = prim(grp);
        if (cat?.kind === 'unknown' || grp?.kind === 'unknown' || enabled?.kind === 'unknown') {
          if (qualifying !== true) qualifying = undefined;
          continue;
        }
        if (typeof c === 'string' && wanted.includes(c.toLowerCase())) qualifying = true;
        if (typeof g === 'string') {
          groups.push(g.toLowerCase());
          if (g.toLowerCase() === 'alllogs') qualifying = true;
        }
      }
      auditOnly = groups.length > 0 && groups.every((g) => g === 'audit');
    }
  }
  if (qualifying === undefined) return { verdict: 'unknown' };
  if (!qualifying) {
    const why = auditOnly
      ? `it enables only the 'audit' category group, which may not carry connection logs: enable ${categories.map((c) => `'${c}'`).join(' or ')} or the 'allLogs' group`
      : `it enables neither ${categories.map((c) => `'${c}'`).join(' nor ')} nor the 'allLogs' group`;
    return { verdict: 'no', why, at: logs.at, auditOnly };
  }
  const dests = DESTINATIONS.map((d) => present(member(props, d)?.value));
  if (dests.includes(true)) return { verdict: 'yes' };
  if (dests.includes(undefined)) return { verdict: 'unknown' };
  return { verdict: 'no', why: 'it has no destination (workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId)', at: resolve(setting, ['properties']).at };
}
