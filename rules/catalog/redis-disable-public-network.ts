import { REDIS, REDIS_STABLE, lower, resolve } from '../judge';
import { Resource } from '../model';
import { absentNote, valueRule } from './_value-rule';

/** A cache deployed into a subnet (VNet injection) has no public endpoint to disable. */
export function isVnetInjected(cache: Resource): boolean {
  const r = resolve(cache, ['properties', 'subnetId']);
  if (!r.val || r.isNull) return false;
  return !(r.val.kind === 'prim' && r.val.value === '');
}

export const redisDisablePublicNetwork = valueRule({
  id: 'redis-disable-public-network',
  title: 'Azure Cache for Redis disables public network access',
  severity: 'medium',
  type: REDIS,
  path: ['properties', 'publicNetworkAccess'],
  default: () => 'Enabled',
  insecure: (v) => lower(v) === 'enabled',
  applies: (r) => !isVnetInjected(r),
  message: (_v, absent, r) =>
    `publicNetworkAccess is ${absent ? absentNote(r, "'Enabled'", '2020-06-01') : "'Enabled'"}: the cache endpoint is reachable from the internet. Set it to 'Disabled' and connect through a private endpoint.`,
  allowedMessage: () => "the allowed values of this parameter admit 'Enabled' for publicNetworkAccess. Allow only 'Disabled'.",
  secureValue: 'Disabled',
  since: { version: '2020-06-01', stable: REDIS_STABLE },
});
