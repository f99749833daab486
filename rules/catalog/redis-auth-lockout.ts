import { Rule } from '../rule';
import { REDIS, effective, lower, resourcesOf } from '../judge';
import { AAD_PATH } from './redis-entra-auth';
import { entraEnabled } from './redis-disable-access-keys';

export const redisAuthLockout: Rule = {
  meta: {
    id: 'redis-auth-lockout',
    title: 'Azure Cache for Redis does not disable access keys while Entra ID is off',
    severity: 'high',
    resourceTypes: [REDIS],
    fixable: true,
  },
  check({ deployment, report }) {
    for (const cache of resourcesOf(deployment.resources, REDIS)) {
      const keys = effective(cache, ['properties', 'disableAccessKeyAuthentication'], false);
      if (keys.state !== 'written' || !(keys.value === true || lower(keys.value) === 'true')) continue;
      if (entraEnabled(cache) !== false) continue;
      report({
        resource: cache,
        path: 'properties.disableAccessKeyAuthentication',
        message: "access keys are disabled while Microsoft Entra ID authentication is off: no client can connect to this cache. Set redisConfiguration 'aad-enabled' to 'true'.",
        at: keys.at,
        fix: cache.source === 'live' ? undefined : { title: "Set 'aad-enabled' to 'true'", ops: [{ op: 'set', resource: cache, path: AAD_PATH, value: 'true' }] },
      });
    }
  },
};
