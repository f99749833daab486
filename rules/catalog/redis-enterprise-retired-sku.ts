// Enterprise / EnterpriseFlash tiers are being retired in favour of Azure Managed Redis SKUs.

import { Rule } from '../rule';
import { Json } from '../model';
import { judgeValue } from '../judge';
import { ENTERPRISE, clustersOf, isEnterpriseSku, relatedOf, show } from './_enterprise';

const retired = (v: Json): boolean => typeof v === 'string' && isEnterpriseSku(v);
const DATES = 'creating Enterprise and Enterprise Flash caches is blocked since 2026-04-01 and they are retired on 2027-03-31';
const ADVICE = 'Move to an Azure Managed Redis SKU (Balanced_*, MemoryOptimized_*, ComputeOptimized_* or FlashOptimized_*).';

function list(values: Json[]): string {
  const shown = values.slice(0, 4).map(show).join(', ');
  return values.length > 4 ? `${shown} and ${values.length - 4} more` : shown;
}

export const redisEnterpriseRetiredSku: Rule = {
  meta: {
    id: 'redis-enterprise-retired-sku',
    title: 'Redis Enterprise tiers are retired: use an Azure Managed Redis SKU',
    severity: 'medium',
    resourceTypes: [ENTERPRISE],
    fixable: false,
  },
  check({ deployment, report }) {
    for (const cluster of clustersOf(deployment)) {
      const j = judgeValue(cluster, ['sku', 'name'], undefined, retired);
      if (!j) continue;
      if (j.kind === 'value') {
        report({
          resource: cluster,
          path: 'sku.name',
          message: `sku.name is ${show(j.judgement.value)}: ${DATES}. ${ADVICE}`,
          at: j.judgement.at,
          related: relatedOf(j.judgement),
        });
      } else {
        report({
          resource: cluster,
          path: 'sku.name',
          message: `the allowed values of this parameter admit the retired SKUs ${list(j.values)}: ${DATES}. ${ADVICE}`,
          at: j.at,
        });
      }
    }
  },
};
