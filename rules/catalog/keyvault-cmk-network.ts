// A Key Vault firewall in front of a customer-managed key lets trusted Azure services through,
// or the cluster cannot reach its key.

import { Rule } from '../rule';
import { Json } from '../model';
import { effective, judgeValue, lower } from '../judge';
import { relatedOf, show, templateFixes } from './_enterprise';
import { VAULT, cmkVaults } from './_keyvault';

const blocksServices = (v: Json): boolean => lower(v) === 'none';

export const keyvaultCmkNetwork: Rule = {
  meta: {
    id: 'keyvault-cmk-network',
    title: 'A Key Vault firewall lets trusted Azure services reach the customer-managed key',
    severity: 'medium',
    resourceTypes: [VAULT],
    fixable: true,
  },
  check(rawCtx) {
    const { deployment: dep, report } = templateFixes(rawCtx);
    for (const vault of cmkVaults(dep)) {
      const action = effective(vault, ['properties', 'networkAcls', 'defaultAction'], 'Allow');
      const pna = effective(vault, ['properties', 'publicNetworkAccess'], 'Enabled');
      const deny = action.state !== 'unknown' && lower(action.value) === 'deny';
      const noPublic = pna.state !== 'unknown' && lower(pna.value) === 'disabled';
      // Firewall open (or not known to be closed): the bypass does not matter.
      if (!deny && !noPublic) continue;
      const j = judgeValue(vault, ['properties', 'networkAcls', 'bypass'], 'AzureServices', blocksServices);
      if (!j) continue;
      const closed = deny ? "networkAcls.defaultAction is 'Deny'" : "publicNetworkAccess is 'Disabled'";
      if (j.kind === 'value') {
        report({
          resource: vault,
          path: 'properties.networkAcls.bypass',
          message: `This Key Vault holds a Redis cluster's customer-managed key and its firewall is closed (${closed}), but networkAcls.bypass is ${show(j.judgement.value)}: trusted Azure services are blocked, so the cluster cannot reach its key. Set bypass to 'AzureServices'.`,
          at: j.judgement.at,
          related: relatedOf(j.judgement),
          fix: { title: "Set networkAcls.bypass to 'AzureServices'", ops: [{ op: 'set', resource: vault, path: ['properties', 'networkAcls', 'bypass'], value: 'AzureServices' }] },
        });
      } else {
        const origin = j.judgement.resolved.val?.origin;
        report({
          resource: vault,
          path: 'properties.networkAcls.bypass',
          message: `the allowed values of this parameter admit networkAcls.bypass 'None': with the vault's firewall closed (${closed}) that would block trusted Azure services, and the Redis cluster could not reach its customer-managed key. Allow only 'AzureServices'.`,
          at: j.at,
          fix: origin ? { title: "Remove 'None' from the allowed values", ops: [{ op: 'dropAllowed', origin, values: j.values }] } : undefined,
        });
      }
    }
  },
};
