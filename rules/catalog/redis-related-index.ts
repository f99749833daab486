// Azure Cache for Redis rules about related resources and secrets: firewall rules, private
// endpoints, diagnostic settings, access policies, keys in outputs and settings, persistence.

import { Rule } from '../rule';
import { redisAccessPolicyLeastPrivilege } from './redis-access-policy-least-privilege';
import { redisConnectionLogs } from './redis-connection-logs';
import { redisFirewallNarrow } from './redis-firewall-narrow';
import { redisFirewallUnused } from './redis-firewall-unused';
import { redisKeysInAppSettings } from './redis-keys-in-app-settings';
import { redisKeysInOutputs } from './redis-keys-in-outputs';
import { redisPersistenceIdentity } from './redis-persistence-identity';
import { redisPrivateLink } from './redis-private-link';

// In the order of rules.md.
export const redisRelatedRules: Rule[] = [
  redisFirewallNarrow,
  redisFirewallUnused,
  redisPrivateLink,
  redisPersistenceIdentity,
  redisConnectionLogs,
  redisAccessPolicyLeastPrivilege,
  redisKeysInOutputs,
  redisKeysInAppSettings,
];
