// Azure Cache for Redis rules about related resources and secrets: firewall rules, private
// endpoints, diagnostic settings, access policies, keys in outputs and settings, persistence.

import { Rule } from '../rule';

export const redisRelatedRules: Rule[] = [];
