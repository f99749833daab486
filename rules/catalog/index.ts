// The rule catalog, in the order of rules.md.

import { Rule } from '../rule';
import { enterpriseRules } from './enterprise-index';
import { redisMinTls } from './redis-min-tls';

export const catalog: Rule[] = [redisMinTls, ...enterpriseRules];
