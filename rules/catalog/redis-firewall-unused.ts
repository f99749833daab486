import { Rule } from '../rule';
import { REDIS, resourcesOf } from '../judge';
import { FIREWALL_RULES, firewallRulesOf, fromTemplate, publicAccessOf } from './_redis-related';

export const redisFirewallUnused: Rule = {
  meta: {
    id: 'redis-firewall-unused',
    title: 'No firewall rules on an Azure Cache for Redis whose public access is disabled',
    severity: 'low',
    resourceTypes: [REDIS, FIREWALL_RULES],
    fixable: true,
  },
  check({ deployment: dep, report }) {
    for (const cache of resourcesOf(dep.resources, REDIS)) {
      if (publicAccessOf(cache).state !== 'disabled') continue;
      for (const rule of firewallRulesOf(dep, cache)) {
        const label = rule.knownName ? `firewall rule '${rule.name}'` : 'this firewall rule';
        report({
          resource: rule,
          path: '',
          message: `${label} does nothing: the cache's public network access is 'Disabled', so firewall rules are not applied. It misleads reviewers and comes back into force if public access is ever re-enabled. Remove it.`,
          // A rule produced by a loop sits on its element (R9), otherwise on its declaration.
          at: rule.loopAt ?? rule.declAt,
          fix: fromTemplate(rule) ? { title: 'Remove the firewall rule', ops: [{ op: 'removeResource', resource: rule }] } : undefined,
        });
      }
    }
  },
};
