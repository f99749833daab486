// The common kind of rule: one property of one resource judged by its effective value (written,
// parameter default, API default) and by its parameter's allowed list, the way rules.md says.
// `reportSetting` judges one resource and reports; `valueRule` builds a whole rule from it for
// the simple case (Azure Cache for Redis), while the Redis Enterprise rules call `reportSetting`
// from their own checks, which have branches of their own (old apiVersions, SKU families).

import { FixOp, Json, Resource, Severity, Span, ofType } from '../model';
import { ValueJudgement, apiAtLeast, effective, judgeValue, raiseTo } from '../judge';
import { Rule, RuleContext } from '../rule';

/** One setting of one resource, as `reportSetting` judges it. */
export interface Setting {
  path: string[];
  /** The API default for the resource's apiVersion; undefined = unknown when absent. */
  dflt: Json | undefined;
  insecure(v: Json): boolean;
  /** The value the fix writes. */
  secure: Json;
  /** Why the effective value is a problem; `absent` when the API default applies. */
  message(value: Json, absent: boolean): string;
  allowedMessage(values: Json[]): string;
  /** Default: "Set <property> to <secure value>". */
  fixTitle?: string;
  /** Default: names the values it removes. */
  allowedFixTitle?: string;
  /** Ops the fix needs beyond setting the value (raising apiVersion, a companion setting). */
  extraOps?(): FixOp[];
  /**
   * Whether the resource's apiVersion has the property (default: yes). Strict mode asks for a
   * secure default to be written only where it can be written.
   */
  writable?: boolean;
}

/**
 * Judges one setting and reports: an insecure effective value where it is written (or, when
 * absent, where the missing property sits); a value whose allowed list admits insecure ones, on
 * the list; and with `strict`, a property left to a secure default. An insecure default is already
 * the first finding, so strict mode never reports a property twice.
 */
export function reportSetting(ctx: RuleContext, resource: Resource, s: Setting): void {
  const dotted = s.path.join('.');
  const name = s.path[s.path.length - 1];
  const fixTitle = s.fixTitle ?? `Set ${name} to ${show(s.secure)}`;
  const setOps = (): FixOp[] => [{ op: 'set', resource, path: s.path, value: s.secure }, ...(s.extraOps?.() ?? [])];
  const j = judgeValue(resource, s.path, s.dflt, s.insecure);
  if (j?.kind === 'value') {
    const jj = j.judgement;
    const ops = setOps();
    // A parameter whose allowed list admits insecure values would be the next finding: drop them too.
    const origin = jj.resolved.val?.origin;
    const badAllowed = origin?.allowed?.values.filter((v) => s.insecure(v)) ?? [];
    if (origin && badAllowed.length) ops.push({ op: 'dropAllowed', origin, values: badAllowed });
    ctx.report({
      resource,
      path: dotted,
      message: s.message(jj.value!, jj.state === 'default'),
      at: jj.at,
      related: relatedOf(jj),
      fix: { title: fixTitle, ops },
    });
    return;
  }
  if (j?.kind === 'allowed') {
    const origin = j.judgement.resolved.val?.origin;
    ctx.report({
      resource,
      path: dotted,
      message: s.allowedMessage(j.values),
      at: j.at,
      fix: origin
        ? { title: s.allowedFixTitle ?? `Remove ${j.values.map(show).join(', ')} from the allowed values`, ops: [{ op: 'dropAllowed', origin, values: j.values }] }
        : undefined,
    });
    return;
  }
  if (ctx.config.strict && s.dflt !== undefined && s.writable !== false) {
    const e = effective(resource, s.path, s.dflt);
    if (e.state !== 'default') return;
    ctx.report({
      resource,
      path: dotted,
      message: `${name} is not set (the default is ${show(s.dflt)}); strict mode asks for it to be written. Set it to ${show(s.secure)}.`,
      at: e.at,
      fix: { title: fixTitle, ops: setOps() },
    });
  }
}

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
  /** The property can be written from this apiVersion, when that is not `since` (strict mode asks for it from there). */
  writableFrom?: string;
  /** Extra ops the fix needs beyond setting the value. */
  extraOps?(resource: Resource): FixOp[];
}

export function valueRule(spec: ValueRuleSpec): Rule {
  const name = spec.path[spec.path.length - 1];
  const writableFrom = spec.writableFrom ?? spec.since?.version;
  return {
    meta: { id: spec.id, title: spec.title, severity: spec.severity, resourceTypes: [spec.type], fixable: true },
    check(rawCtx) {
      // A live resource has no template to edit (an exported file keeps its fixes).
      const ctx: RuleContext = { ...rawCtx, report: (f) => rawCtx.report(f.resource?.source === 'live' ? { ...f, fix: undefined } : f) };
      for (const r of ofType(ctx.deployment.resources, spec.type)) {
        if (r.existing) continue;
        if (spec.applies && !spec.applies(r, ctx)) continue;
        const dflt = spec.default(r);
        // Most resources pass: judge first, and make what a report needs only for one that does not.
        if (!ctx.config.strict && !judgeValue(r, spec.path, dflt, (v) => spec.insecure(v, r))) continue;
        const raise = (): FixOp[] => {
          if (!spec.since || r.source === 'live' || r.source === 'exported') return [];
          const to = raiseTo(r.apiVersion, spec.since.stable, spec.since.version);
          return to ? [{ op: 'raiseApiVersion', resource: r, version: to }] : [];
        };
        reportSetting(ctx, r, {
          path: spec.path,
          dflt,
          insecure: (v) => spec.insecure(v, r),
          secure: spec.secureValue,
          message: (v, absent) => spec.message(v, absent, r),
          allowedMessage: spec.allowedMessage,
          fixTitle: `Set ${name} to ${show(spec.secureValue)}`,
          allowedFixTitle: 'Remove the insecure allowed values',
          extraOps: () => [...raise(), ...(spec.extraOps?.(r) ?? [])],
          writable: !writableFrom || apiAtLeast(r.apiVersion, writableFrom),
        });
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

/** The template-side span to show as related information when the value is written elsewhere (a parameter default). */
export function relatedOf(j: ValueJudgement): Span[] | undefined {
  const keyAt = j.resolved.member?.keyAt;
  if (!j.resolved.viaRef || !keyAt) return undefined;
  return keyAt.file !== j.at.file || keyAt.start !== j.at.start ? [keyAt] : undefined;
}

export function show(v: Json | undefined): string {
  return typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
}
