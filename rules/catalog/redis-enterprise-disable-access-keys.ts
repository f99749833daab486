// Azure Managed Redis databases authenticate clients with Microsoft Entra ID, not access keys.
// Enterprise / EnterpriseFlash tiers have no Entra ID (keys are their only way in): not judged.

import { Rule } from '../rule';
import { Json } from '../model';
import { lower, resolve } from '../judge';
import { apiHas, clusterOf, databasesOf, ENTERPRISE_DB, raiseOps, skuFamily, templateFixes } from './_enterprise';
import { reportSetting, show } from './_value-rule';

const SINCE = '2025-07-01';
const PATH = ['properties', 'accessKeysAuthentication'];
const enabled = (v: Json): boolean => lower(v) !== 'disabled';

export const redisEnterpriseDisableAccessKeys: Rule = {
  meta: {
    id: 'redis-enterprise-disable-access-keys',
    title: 'Azure Managed Redis databases disable access-key authentication',
    severity: 'high',
    resourceTypes: [ENTERPRISE_DB],
    fixable: true,
  },
  check(rawCtx) {
    const ctx = templateFixes(rawCtx);
    const dep = ctx.deployment;
    for (const db of databasesOf(dep)) {
      if (skuFamily(clusterOf(dep, db)) !== 'amr') continue;
      const api = db.apiVersion;
      const setOp = { op: 'set' as const, resource: db, path: PATH, value: 'Disabled' };
      if (!apiHas(api, '2025-04-01', '2024-09-01')) {
        // The property does not exist in this apiVersion: access keys are always on.
        const r = resolve(db, PATH);
        ctx.report({
          resource: db,
          path: PATH.join('.'),
          message:
            `accessKeysAuthentication ${r.val && !r.isNull ? 'has no effect' : 'does not exist'} in apiVersion ${api} (it exists from 2025-04-01): ` +
            `access keys stay enabled, and anyone holding a key gets in. Raise apiVersion to ${SINCE}, set accessKeysAuthentication to 'Disabled' and give clients Microsoft Entra ID access (access policy assignments).`,
          at: r.at,
          fix: { title: `Raise apiVersion to ${SINCE} and set accessKeysAuthentication to 'Disabled'`, ops: [...raiseOps(db, SINCE), setOp] },
        });
        continue;
      }
      // Documented default 'Disabled' from 2025-07-01; 2025-04-01 and 2025-05-01-preview: unknown when absent
      // (so strict mode, which needs a known secure default, asks for it only from 2025-07-01).
      reportSetting(ctx, db, {
        path: PATH,
        dflt: apiHas(api, SINCE) ? 'Disabled' : undefined,
        insecure: enabled,
        secure: 'Disabled',
        message: (v) =>
          `accessKeysAuthentication is ${show(v)}: clients can connect with a shared access key, which cannot be scoped or traced to a caller. Set it to 'Disabled' and give clients Microsoft Entra ID access (access policy assignments).`,
        allowedMessage: (values) =>
          `the allowed values of this parameter admit accessKeysAuthentication ${values.map(show).join(', ')}: a deployment can turn access keys back on. Allow only 'Disabled'.`,
      });
    }
  },
};
