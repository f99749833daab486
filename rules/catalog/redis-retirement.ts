import { Rule } from '../rule';
import { REDIS, effective, resourcesOf } from '../judge';

export const redisRetirement: Rule = {
  meta: {
    id: 'redis-retirement',
    title: 'Azure Cache for Redis (Basic/Standard/Premium) is being retired: plan the move to Azure Managed Redis',
    severity: 'low',
    resourceTypes: [REDIS],
    fixable: false,
  },
  check({ deployment, report }) {
    for (const cache of resourcesOf(deployment.resources, REDIS)) {
      // Every Microsoft.Cache/redis SKU is Basic, Standard or Premium, so the notice holds whatever the value.
      const j = effective(cache, ['properties', 'sku', 'name'], undefined);
      const sku = typeof j.value === 'string' ? ` (${j.value})` : '';
      report({
        resource: cache,
        path: 'properties.sku.name',
        message: `Azure Cache for Redis${sku}: creating new caches is blocked for new customers from 2026-04-01 and the service retires on 2028-09-30. Plan the move to Azure Managed Redis (Microsoft.Cache/redisEnterprise).`,
        at: j.at,
      });
    }
  },
};
