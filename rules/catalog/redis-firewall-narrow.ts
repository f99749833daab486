import { Rule } from '../rule';
import { REDIS, effective, resourcesOf } from '../judge';
import { Json, Resource } from '../model';
import { FIREWALL_RULES, firewallRulesOf, privateEndpointState, publicAccessOf, subnetState } from './_redis-related';
import { absentNote } from './_value-rule';

/** An IPv4 address as a 32-bit number, undefined when the text is not one. */
export function ipv4(v: Json | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s*$/.exec(v);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
}

function block(cidr: string): [number, number] {
  const [addr, bits] = cidr.split('/');
  const start = ipv4(addr)!;
  return [start, start + 2 ** (32 - Number(bits)) - 1];
}

/** Address blocks that are not reachable public addresses: "this network", RFC 1918, loopback, link-local, multicast and reserved. */
const NOT_PUBLIC: [number, number][] = ['0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3'].map(block);

/** How many public addresses the inclusive range start–end holds. */
export function publicAddresses(start: number, end: number): number {
  let n = end - start + 1;
  for (const [a, b] of NOT_PUBLIC) {
    const lo = Math.max(a, start);
    const hi = Math.min(b, end);
    if (lo <= hi) n -= hi - lo + 1;
  }
  return n;
}

function ruleLabel(rule: Resource): string {
  return rule.knownName ? `firewall rule '${rule.name}'` : 'this firewall rule';
}

export const redisFirewallNarrow: Rule = {
  meta: {
    id: 'redis-firewall-narrow',
    title: 'A public Azure Cache for Redis admits only narrow address ranges',
    severity: 'medium',
    resourceTypes: [REDIS, FIREWALL_RULES],
    fixable: false,
  },
  check({ deployment: dep, config, report }) {
    const max = config.firewall.maxAddresses;
    for (const cache of resourcesOf(dep.resources, REDIS)) {
      const access = publicAccessOf(cache);
      if (access.state !== 'enabled') continue;
      // A VNet-injected cache has no public endpoint; when it cannot be known, nothing is said.
      if (subnetState(cache) !== 'no') continue;
      const rules = firewallRulesOf(dep, cache);
      for (const rule of rules) {
        const s = effective(rule, ['properties', 'startIP'], undefined);
        const e = effective(rule, ['properties', 'endIP'], undefined);
        if (s.state !== 'written' || e.state !== 'written') continue;
        const start = ipv4(s.value);
        const end = ipv4(e.value);
        if (start === undefined || end === undefined || start > end) continue;
        const related = e.resolved.viaRef && e.resolved.member?.keyAt && e.resolved.member.keyAt !== e.at ? [e.resolved.member.keyAt] : undefined;
        if (start === 0 && end === 0) {
          report({
            resource: rule,
            path: 'properties.endIP',
            message: `${ruleLabel(rule)} runs from 0.0.0.0 to 0.0.0.0, which admits every Azure-internal address: workloads of any Azure tenant, not only yours, can reach the cache. Allow the specific public addresses of your services instead, or disable public access and use a private endpoint.`,
            at: e.at,
            related,
          });
          continue;
        }
        const count = publicAddresses(start, end);
        if (count <= max) continue;
        report({
          resource: rule,
          path: 'properties.endIP',
          message: `${ruleLabel(rule)} opens ${String(s.value).trim()}–${String(e.value).trim()}: ${count.toLocaleString('en-US')} public addresses, more than the ${max.toLocaleString('en-US')} allowed (firewall.maxAddresses). Narrow it to the addresses you own, or disable public access and use a private endpoint.`,
          at: e.at,
          related,
        });
      }
      // No rules at all: only when the rule collection is known (exported files may not carry it).
      if (rules.length || !cache.childrenRead) continue;
      if (privateEndpointState(dep, cache, 'redisCache') !== 'no') continue;
      const how = access.judgement.state === 'default' ? `publicNetworkAccess is ${absentNote(cache, "'Enabled'", '2020-06-01')}` : "publicNetworkAccess is 'Enabled'";
      report({
        resource: cache,
        path: 'properties.publicNetworkAccess',
        message: `${how}, and the cache has no firewall rules, no private endpoint and no VNet injection: it accepts connections from every address on the internet. Add firewall rules for the addresses that need it, or disable public access and connect through a private endpoint.`,
        at: access.judgement.at,
        related: access.judgement.resolved.viaRef && access.judgement.resolved.member?.keyAt && access.judgement.resolved.member.keyAt !== access.judgement.at ? [access.judgement.resolved.member.keyAt] : undefined,
      });
    }
  },
};
