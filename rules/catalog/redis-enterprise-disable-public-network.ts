// Azure Managed Redis / Redis Enterprise clusters should not accept traffic from the public internet.

import { Rule } from '../rule';
import { Json } from '../model';
import { lower, resolve } from '../judge';
import { apiHas, clustersOf, ENTERPRISE, raiseOps, templateFixes } from './_enterprise';
import { reportSetting, show } from './_value-rule';
import { privateEndpointsFor } from './_related';

const PNA_SINCE = '2025-07-01';
const notDisabled = (v: Json): boolean => lower(v) !== 'disabled';
const PATH = ['properties', 'publicNetworkAccess'];

export const redisEnterpriseDisablePublicNetwork: Rule = {
  meta: {
    id: 'redis-enterprise-disable-public-network',
    title: 'Azure Managed Redis / Redis Enterprise disables public network access',
    severity: 'medium',
    resourceTypes: [ENTERPRISE],
    fixable: true,
  },
  check(rawCtx) {
    const ctx = templateFixes(rawCtx);
    const dep = ctx.deployment;
    for (const cluster of clustersOf(dep)) {
      if (!apiHas(cluster.apiVersion, PNA_SINCE)) {
        // The property does not exist in this apiVersion: the cluster is public unless a private endpoint exists.
        if (privateEndpointsFor(dep, cluster, 'redisEnterprise').length) continue;
        const r = resolve(cluster, PATH);
        const written = r.val && !r.isNull;
        ctx.report({
          resource: cluster,
          path: PATH.join('.'),
          message:
            `publicNetworkAccess ${written ? 'has no effect' : 'does not exist'} in apiVersion ${cluster.apiVersion} (it exists from ${PNA_SINCE}), ` +
            `and no private endpoint reaches this cluster: it is reachable from the public internet. ` +
            `Raise apiVersion to ${PNA_SINCE} and set publicNetworkAccess to 'Disabled', with a private endpoint (group 'redisEnterprise') for clients.`,
          at: r.at,
          fix: {
            title: `Raise apiVersion to ${PNA_SINCE} and set publicNetworkAccess to 'Disabled'`,
            ops: [...raiseOps(cluster, PNA_SINCE), { op: 'set', resource: cluster, path: PATH, value: 'Disabled' }],
          },
        });
        continue;
      }
      reportSetting(ctx, cluster, {
        path: PATH,
        // From 2025-07-01 the property is required on create: absent is not 'Disabled'.
        dflt: null,
        insecure: notDisabled,
        secure: 'Disabled',
        message: (v, absent) =>
          absent
            ? `publicNetworkAccess is not set; for ${cluster.apiVersion ?? 'the current API'} there is no default (it is required when a cluster is created), and anything but 'Disabled' leaves the cluster reachable from the public internet. Set it to 'Disabled' and reach the cluster through a private endpoint (group 'redisEnterprise').`
            : `publicNetworkAccess is ${show(v)}: the cluster accepts connections from the public internet. Set it to 'Disabled' and reach the cluster through a private endpoint (group 'redisEnterprise').`,
        allowedMessage: (values) =>
          `the allowed values of this parameter admit publicNetworkAccess ${values.map(show).join(', ')}: a deployment can open the cluster to the public internet. Allow only 'Disabled'.`,
      });
    }
  },
};
