import { REDIS } from '../judge';
import { Json } from '../model';
import { valueRule } from './_value-rule';

const weak = (v: Json): boolean => v === '1.0' || v === '1.1' || v === 1 || v === 1.1;

// Before 2018-03-01 the property does not exist and the service enforces 1.2 today, so the
// default is 1.2 for every apiVersion (and strict mode cannot ask for it to be written there).
export const redisMinTls = valueRule({
  id: 'redis-min-tls',
  title: 'Azure Cache for Redis requires TLS 1.2 or newer',
  severity: 'high',
  type: REDIS,
  path: ['properties', 'minimumTlsVersion'],
  default: () => '1.2',
  insecure: weak,
  message: (v) => `minimumTlsVersion is '${String(v)}': clients may connect with TLS below 1.2. Set it to '1.2'.`,
  allowedMessage: (vs) => `the allowed values of this parameter admit TLS ${vs.join(', ')}: a deployment can weaken the cache. Allow only '1.2'.`,
  secureValue: '1.2',
  writableFrom: '2018-03-01',
});
