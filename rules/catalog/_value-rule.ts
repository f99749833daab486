// Builds the common kind of rule: one property of one resource type judged by its effective
// value (written, parameter default, API default) and by its parameter's allowed list.

import { Fix, FixOp, Json, Resource, Severity, ofType } from '../model';
import { judgeValue, raiseTo } from '../judge';
import { Rule, RuleContext } from '../rule';

export interface ValueRuleSpec {
  id: string;
  title: string;
  severity: Severity;
  type: string;
  path: string[];
  /** The API default for the resource (may depend on its apiVersion); undefined = unknown when absent. */
  default(resource: Resource): Json | undefined;
  insecure(value: Json, resource: Resource): boolean;
  /** Skip resources the rule does not apply to (VNet-injected caches, non-AMR SKUs, ...). */
  applies?(resource: Resource, ctx: RuleContext): boolean;
  /** Message for an insecure effective value; `absent` when the API default applies. */
  message(value: Json, absent: boolean, resource: Resource): string;
  allowedMessage(values: Json[]): string;
  secureValue: Json;
  /** The secure property exists from this apiVersion (fix raises to the oldest stable one that has it). */
  since?: { version: string; stable: readonly string[] };
  /** Extra ops the fix needs beyond setting the value. */
  extraOps?(resource: Resource): FixOp[];
}

export function valueRule(spec: ValueRuleSpec): Rule {
  return {
    meta: { id: spec.id, title: spec.title, severity: spec.severity, resourceTypes: [spec.type], fixable: true },
    check(ctx) {
      for (const r of ofType(ctx.deployment.resources, spec.type)) {
        if (r.existing) continue;
        if (spec.applies && !spec.applies(r, ctx)) continue;
        const dflt = spec.default(r);
        const j = judgeValue(r, spec.path, dflt, (v) => spec.insecure(v, r));
        if (!j) continue;
        const path = spec.path.join('.');
        if (j.kind === 'value') {
          const ops: FixOp[] = [{ op: 'set', resource: r, path: spec.path, value: spec.secureValue }];
          if (spec.since && r.source !== 'live' && r.source !== 'exported') {
            const to = raiseTo(r.apiVersion, spec.since.stable, spec.since.version);
            if (to) ops.push({ op: 'raiseApiVersion', resource: r, version: to });
          }
          ops.push(...(spec.extraOps?.(r) ?? []));
          // A parameter whose allowed list admits insecure values would be the next finding: drop them too.
          const origin = j.judgement.resolved.val?.origin;
          const badAllowed = origin?.allowed?.values.filter((v) => spec.insecure(v, r)) ?? [];
          if (origin && badAllowed.length) ops.push({ op: 'dropAllowed', origin, values: badAllowed });
          const fix: Fix = { title: `Set ${spec.path[spec.path.length - 1]} to ${JSON.stringify(spec.secureValue)}`, ops };
          const templateSide = j.judgement.resolved.viaRef ? j.judgement.resolved.member?.keyAt : undefined;
          ctx.report({
            resource: r,
            path,
            message: spec.message(j.judgement.value!, j.judgement.state === 'default', r),
            at: j.judgement.at,
            related: templateSide && templateSide !== j.judgement.at ? [templateSide] : undefined,
            fix: r.source === 'live' ? undefined : fix,
          });
        } else {
          const origin = j.judgement.resolved.val?.origin;
          ctx.report({
            resource: r,
            path,
            message: spec.allowedMessage(j.values),
            at: j.at,
            fix: origin ? { title: 'Remove the insecure allowed values', ops: [{ op: 'dropAllowed', origin, values: j.values }] } : undefined,
          });
        }
      }
    },
  };
}

/** "not set; for 2023-08-01 the default is `x`" — the wording rules.md asks for on missing properties. */
export function absentNote(resource: Resource, dflt: string, since?: string): string {
  if (since && resource.apiVersion && resource.apiVersion.slice(0, 10) < since) {
    return `not available in apiVersion ${resource.apiVersion} (from ${since}); without it the service uses ${dflt}`;
  }
  return resource.apiVersion ? `not set; for ${resource.apiVersion} the default is ${dflt}` : `not set; the default is ${dflt}`;
}
