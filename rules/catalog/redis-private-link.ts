import { Rule } from '../rule';
import { REDIS, resolve, resourcesOf } from '../judge';
import { missingAt } from './_related';
import { privateEndpointState, publicAccessOf, subnetState } from './_redis-related';

export const redisPrivateLink: Rule = {
  meta: {
    id: 'redis-private-link',
    title: 'Azure Cache for Redis is isolated with a private endpoint',
    severity: 'medium',
    resourceTypes: [REDIS, 'Microsoft.Network/privateEndpoints'],
    fixable: false,
  },
  check({ deployment: dep, report }) {
    for (const cache of resourcesOf(dep.resources, REDIS)) {
      const vnet = subnetState(cache);
      if (vnet === 'unknown') continue;
      if (vnet === 'yes') {
        const r = resolve(cache, ['properties', 'subnetId']);
        report({
          resource: cache,
          path: 'properties.subnetId',
          message:
            'the cache is VNet-injected (subnetId), the legacy isolation model: it is fixed at creation, needs the Premium tier and depends on the subnet letting many Azure dependencies through. Prefer a private endpoint (group redisCache) with public network access disabled.',
          at: r.at,
          related: r.viaRef && r.member?.keyAt && r.member.keyAt !== r.at ? [r.member.keyAt] : undefined,
        });
        continue;
      }
      if (publicAccessOf(cache).state !== 'disabled') continue;
      if (privateEndpointState(dep, cache, 'redisCache') !== 'no') continue;
      report({
        resource: cache,
        path: 'properties.publicNetworkAccess',
        message:
          "public network access is 'Disabled' but no private endpoint (group redisCache) in this deployment connects to the cache: unless one is created elsewhere, clients have no way in. Add a Microsoft.Network/privateEndpoints resource whose privateLinkServiceId is the cache's id.",
        at: missingAt(dep, cache, ['privateEndpoints']),
      });
    }
  },
};
