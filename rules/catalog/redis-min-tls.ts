import { Rule } from '../rule';
import { REDIS, apiAtLeast, judgeValue, resourcesOf } from '../judge';
import { Json } from '../model';

const weak = (v: Json): boolean => v === '1.0' || v === '1.1' || v === 1 || v === 1.1;

export const redisMinTls: Rule = {
  meta: {
    id: 'redis-min-tls',
    title: 'Azure Cache for Redis requires TLS 1.2 or newer',
    severity: 'high',
    resourceTypes: [REDIS],
    fixable: true,
  },
  check({ deployment, report }) {
    for (const cache of resourcesOf(deployment.resources, REDIS)) {
      // Before 2018-03-01 the property does not exist and the service enforces 1.2 today.
      const dflt = apiAtLeast(cache.apiVersion, '2018-03-01') ? '1.2' : '1.2';
      const j = judgeValue(cache, ['properties', 'minimumTlsVersion'], dflt, weak);
      if (!j) continue;
      if (j.kind === 'value') {
        report({
          resource: cache,
          path: 'properties.minimumTlsVersion',
          message: `minimumTlsVersion is '${String(j.judgement.value)}': clients may connect with TLS below 1.2. Set it to '1.2'.`,
          at: j.judgement.at,
          related: j.judgement.resolved.viaRef && j.judgement.resolved.member?.keyAt ? [j.judgement.resolved.member.keyAt] : undefined,
          fix: { title: "Set minimumTlsVersion to '1.2'", ops: [{ op: 'set', resource: cache, path: ['properties', 'minimumTlsVersion'], value: '1.2' }] },
        });
      } else {
        report({
          resource: cache,
          path: 'properties.minimumTlsVersion',
          message: `the allowed values of this parameter admit TLS ${j.values.join(', ')}: a deployment can weaken the cache. Allow only '1.2'.`,
          at: j.at,
          fix: { title: 'Remove TLS 1.0/1.1 from the allowed values', ops: [{ op: 'dropAllowed', origin: j.judgement.resolved.val!.origin!, values: j.values }] },
        });
      }
    }
  },
};
