import { REDIS } from '../judge';
import { valueRule } from './_value-rule';

export const redisNoNonSslPort = valueRule({
  id: 'redis-no-non-ssl-port',
  title: 'Azure Cache for Redis keeps the non-TLS port (6379) closed',
  severity: 'high',
  type: REDIS,
  path: ['properties', 'enableNonSslPort'],
  default: () => false,
  insecure: (v) => v === true || (typeof v === 'string' && v.toLowerCase() === 'true'),
  message: () => 'enableNonSslPort is true: port 6379 accepts unencrypted connections, so keys and data cross the network in clear text. Set it to false.',
  allowedMessage: () => 'the allowed values of this parameter admit true for enableNonSslPort: a deployment can open the non-TLS port. Allow only false.',
  secureValue: false,
});
