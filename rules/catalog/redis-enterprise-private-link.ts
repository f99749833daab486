// An Azure Managed Redis / Redis Enterprise cluster with public access disabled is reached through
// a private endpoint declared in the same deployment.

import { Rule } from '../rule';
import { effective, lower } from '../judge';
import { ENTERPRISE, apiHas, clustersOf } from './_enterprise';
import { missingAt, privateEndpointsFor } from './_related';

export const redisEnterprisePrivateLink: Rule = {
  meta: {
    id: 'redis-enterprise-private-link',
    title: 'Azure Managed Redis / Redis Enterprise without public access has a private endpoint',
    severity: 'low',
    resourceTypes: [ENTERPRISE],
    fixable: false,
  },
  check({ deployment: dep, report }) {
    for (const cluster of clustersOf(dep)) {
      // publicNetworkAccess only exists from 2025-07-01; before it the cluster is public (another rule's finding).
      if (!apiHas(cluster.apiVersion, '2025-07-01')) continue;
      const pna = effective(cluster, ['properties', 'publicNetworkAccess'], null);
      if (pna.state !== 'written' || lower(pna.value) !== 'disabled') continue;
      if (privateEndpointsFor(dep, cluster, 'redisEnterprise').length) continue;
      report({
        resource: cluster,
        path: 'properties.publicNetworkAccess',
        message:
          "Public network access is disabled, but no private endpoint (group 'redisEnterprise') reaches this cluster in the deployment: unless one is created elsewhere, no client can connect. Add a Microsoft.Network/privateEndpoints resource (or a private-endpoint module call) whose privateLinkServiceId is the cluster's id.",
        at: missingAt(dep, cluster, ['privateEndpoints']),
        related: [pna.at],
      });
    }
  },
};
