import { REDIS, REDIS_STABLE, effective, lower } from '../judge';
import { FixOp, Resource } from '../model';
import { AAD_PATH } from './redis-entra-auth';
import { absentNote, valueRule } from './_value-rule';

export function entraEnabled(cache: Resource): boolean | undefined {
  const j = effective(cache, AAD_PATH, 'false');
  return j.state === 'unknown' ? undefined : lower(j.value) === 'true';
}

export const redisDisableAccessKeys = valueRule({
  id: 'redis-disable-access-keys',
  title: 'Azure Cache for Redis disables access-key authentication',
  severity: 'high',
  type: REDIS,
  path: ['properties', 'disableAccessKeyAuthentication'],
  default: () => false,
  insecure: (v) => !(v === true || lower(v) === 'true'),
  message: (_v, absent, r) =>
    `access-key authentication is ${absent ? `on (disableAccessKeyAuthentication ${absentNote(r, 'false', '2024-03-01')})` : 'on (disableAccessKeyAuthentication is false)'}: anyone holding a key has full access. Set disableAccessKeyAuthentication to true and use Microsoft Entra ID.`,
  allowedMessage: () => 'the allowed values of this parameter admit false for disableAccessKeyAuthentication. Allow only true.',
  secureValue: true,
  since: { version: '2024-03-01', stable: REDIS_STABLE },
  extraOps: (r): FixOp[] => (entraEnabled(r) === false ? [{ op: 'set', resource: r, path: AAD_PATH, value: 'true' }] : []),
});
