import { REDIS, lower } from '../judge';
import { Json } from '../model';
import { valueRule } from './_value-rule';

function retiredVersion(v: Json): boolean {
  const s = lower(v);
  if (s === undefined || s === 'latest') return false;
  const major = Number.parseInt(s, 10);
  return Number.isFinite(major) && major < 6;
}

export const redisSupportedVersion = valueRule({
  id: 'redis-supported-version',
  title: 'Azure Cache for Redis runs a supported Redis version (6 or latest)',
  severity: 'medium',
  type: REDIS,
  path: ['properties', 'redisVersion'],
  default: () => 'latest',
  insecure: retiredVersion,
  message: (v) => `redisVersion is '${String(v)}': Redis 4 is retired and no longer receives security fixes. Set it to '6'.`,
  allowedMessage: (vs) => `the allowed values of this parameter admit retired Redis version ${vs.join(', ')}. Allow only '6' (or 'latest').`,
  secureValue: '6',
  // Read-only before 2020-12-01: strict mode asks for it only where a template can write it.
  writableFrom: '2020-12-01',
});
