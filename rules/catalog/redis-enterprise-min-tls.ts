// Azure Managed Redis / Redis Enterprise clusters accept TLS 1.2 or newer only.

import { Rule } from '../rule';
import { Json } from '../model';
import { lower } from '../judge';
import { apiHas, clustersOf, ENTERPRISE, templateFixes } from './_enterprise';
import { reportSetting, show } from './_value-rule';

const weak = (v: Json): boolean => ['1.0', '1.1', '1'].includes(lower(v) ?? '');

export const redisEnterpriseMinTls: Rule = {
  meta: {
    id: 'redis-enterprise-min-tls',
    title: 'Azure Managed Redis / Redis Enterprise requires TLS 1.2 or newer',
    severity: 'high',
    resourceTypes: [ENTERPRISE],
    fixable: true,
  },
  check(rawCtx) {
    const ctx = templateFixes(rawCtx);
    for (const cluster of clustersOf(ctx.deployment)) {
      // Absent (or before 2021-03-01, when the property did not exist): 1.2, enforced by the service.
      const exists = apiHas(cluster.apiVersion, '2021-03-01', '2020-10-01');
      reportSetting(ctx, cluster, {
        path: ['properties', 'minimumTlsVersion'],
        dflt: '1.2',
        insecure: weak,
        secure: '1.2',
        message: (v) =>
          `minimumTlsVersion is ${show(v)}: TLS 1.0 and 1.1 are obsolete and clients could negotiate them with this cluster. Set it to '1.2'.`,
        allowedMessage: (values) =>
          `the allowed values of this parameter admit TLS ${values.map(String).join(', ')}: a deployment can weaken the cluster. Allow only '1.2'.`,
        writable: exists,
      });
    }
  },
};
