// The Key Vault holding a cluster's customer-managed key is in the cluster's region.

import { Rule } from '../rule';
import { effective } from '../judge';
import { VAULT, cmkTargets, declared } from './_keyvault';
import { label } from './_related';

const region = (v: unknown): string | undefined => (typeof v === 'string' ? v.replace(/\s+/g, '').toLowerCase() : undefined);

export const keyvaultCmkSameRegion: Rule = {
  meta: {
    id: 'keyvault-cmk-same-region',
    title: "The Key Vault of a customer-managed key is in the cluster's region",
    severity: 'high',
    resourceTypes: [VAULT],
    fixable: false,
  },
  check({ deployment: dep, report }) {
    const seen = new Set<string>();
    for (const t of cmkTargets(dep)) {
      const vault = t.vault;
      if (!declared(vault)) continue;
      const v = effective(vault, ['location'], undefined);
      const c = effective(t.cluster, ['location'], undefined);
      if (v.state !== 'written' || c.state !== 'written') continue; // unknown: never a guess
      const vr = region(v.value);
      const cr = region(c.value);
      if (!vr || !cr || vr === cr) continue;
      const key = `${vault.fullName}|${cr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({
        resource: vault,
        path: 'location',
        message: `This Key Vault is in '${String(v.value)}' but the Redis cluster${label(t.cluster) ? ` '${label(t.cluster)}'` : ''} that uses its key as customer-managed key is in '${String(c.value)}': the key must be in a vault in the cluster's region. Put the vault (and key) in '${String(c.value)}'.`,
        at: v.at,
        related: [c.at],
      });
    }
  },
};
