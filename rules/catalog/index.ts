// The rule catalog, in the order of rules.md.

import { Rule } from '../rule';
import { enterpriseRules } from './enterprise-index';
import { redisRelatedRules } from './redis-related-index';
import { redisAllowedLocations } from './redis-allowed-locations';
import { redisAuthLockout } from './redis-auth-lockout';
import { redisDisableAccessKeys } from './redis-disable-access-keys';
import { redisDisablePublicNetwork } from './redis-disable-public-network';
import { redisEntraAuth } from './redis-entra-auth';
import { redisMinTls } from './redis-min-tls';
import { redisNoNonSslPort } from './redis-no-non-ssl-port';
import { redisRequiredTags } from './redis-required-tags';
import { redisRetirement } from './redis-retirement';
import { redisSupportedVersion } from './redis-supported-version';

export const catalog: Rule[] = [
  redisEntraAuth,
  redisDisableAccessKeys,
  redisAuthLockout,
  redisNoNonSslPort,
  redisMinTls,
  redisDisablePublicNetwork,
  redisSupportedVersion,
  redisRetirement,
  ...redisRelatedRules,
  redisAllowedLocations,
  redisRequiredTags,
  ...enterpriseRules,
];
