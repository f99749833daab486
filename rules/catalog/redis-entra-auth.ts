import { REDIS, lower } from '../judge';
import { valueRule } from './_value-rule';

export const AAD_PATH = ['properties', 'redisConfiguration', 'aad-enabled'];

export const redisEntraAuth = valueRule({
  id: 'redis-entra-auth',
  title: 'Azure Cache for Redis uses Microsoft Entra ID authentication',
  severity: 'high',
  type: REDIS,
  path: AAD_PATH,
  default: () => 'false',
  insecure: (v) => lower(v) !== 'true',
  message: (_v, absent) =>
    `Microsoft Entra ID authentication is ${absent ? "not enabled (redisConfiguration 'aad-enabled' is not set)" : 'off'}: clients can only use shared access keys, which cannot be scoped to one identity or revoked without rotation. Set redisConfiguration 'aad-enabled' to 'true'.`,
  allowedMessage: () => "the allowed values of this parameter admit turning 'aad-enabled' off. Allow only 'true'.",
  secureValue: 'true',
});
