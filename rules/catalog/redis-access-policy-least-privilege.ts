import { Rule } from '../rule';
import { judgeValue, lower, resourcesOf } from '../judge';
import { Json } from '../model';
import { ACCESS_POLICIES, ACCESS_POLICY_ASSIGNMENTS } from './_redis-related';

const isDataOwner = (v: Json): boolean => lower(v)?.replace(/\s+/g, ' ').trim() === 'data owner';

/** The permission tokens of a custom access policy that grant every command or the dangerous ones. */
export function broadGrants(v: Json): string[] {
  if (typeof v !== 'string') return [];
  return [...new Set(v.split(/\s+/).filter((t) => /^\+@(all|dangerous)$/i.test(t)).map((t) => t.toLowerCase()))];
}

export const redisAccessPolicyLeastPrivilege: Rule = {
  meta: {
    id: 'redis-access-policy-least-privilege',
    title: 'Azure Cache for Redis access policies grant least privilege',
    severity: 'low',
    resourceTypes: [ACCESS_POLICY_ASSIGNMENTS, ACCESS_POLICIES],
    fixable: false,
    // The live reader does not read access policies.
    templateOnly: true,
  },
  check({ deployment: dep, report }) {
    for (const a of resourcesOf(dep.resources, ACCESS_POLICY_ASSIGNMENTS)) {
      const j = judgeValue(a, ['properties', 'accessPolicyName'], undefined, isDataOwner);
      if (!j) continue;
      if (j.kind === 'value') {
        const r = j.judgement.resolved;
        report({
          resource: a,
          path: 'properties.accessPolicyName',
          message:
            "this assignment grants the built-in 'Data Owner' access policy: every command on every key and channel (+@all). Applications rarely need it: assign 'Data Contributor', 'Data Reader' or a custom access policy with only the commands the application uses.",
          at: j.judgement.at,
          related: r.viaRef && r.member?.keyAt && r.member.keyAt !== j.judgement.at ? [r.member.keyAt] : undefined,
        });
      } else {
        report({
          resource: a,
          path: 'properties.accessPolicyName',
          message:
            "the allowed values of this parameter admit the built-in 'Data Owner' access policy, so a deployment can grant every command on the cache. Drop 'Data Owner' from the list; 'Data Contributor' or a custom policy covers what applications need.",
          at: j.at,
        });
      }
    }
    for (const p of resourcesOf(dep.resources, ACCESS_POLICIES)) {
      const j = judgeValue(p, ['properties', 'permissions'], undefined, (v) => broadGrants(v).length > 0);
      if (!j) continue;
      if (j.kind === 'value') {
        const grants = broadGrants(j.judgement.value!).join(' and ');
        const r = j.judgement.resolved;
        report({
          resource: p,
          path: 'properties.permissions',
          message: `this custom access policy grants ${grants}: ${grants.includes('all') ? 'every command' : 'the dangerous commands'} (such as FLUSHALL and KEYS), more than an application needs. List only the command categories and commands it uses (for example '+@read +@write').`,
          at: j.judgement.at,
          related: r.viaRef && r.member?.keyAt && r.member.keyAt !== j.judgement.at ? [r.member.keyAt] : undefined,
        });
      } else {
        report({
          resource: p,
          path: 'properties.permissions',
          message: `the allowed values of this parameter admit permissions that grant +@all or +@dangerous. Allow only narrower permission strings.`,
          at: j.at,
        });
      }
    }
  },
};
