// Azure Managed Redis / Redis Enterprise databases accept TLS-encrypted client connections only.

import { Rule } from '../rule';
import { Json } from '../model';
import { lower } from '../judge';
import { apiHas, databasesOf, ENTERPRISE_DB, templateFixes } from './_enterprise';
import { reportSetting, show } from './_value-rule';

const plaintext = (v: Json): boolean => lower(v) === 'plaintext';

export const redisEnterpriseEncryptedProtocol: Rule = {
  meta: {
    id: 'redis-enterprise-encrypted-protocol',
    title: 'Azure Managed Redis / Redis Enterprise databases use the encrypted client protocol',
    severity: 'high',
    resourceTypes: [ENTERPRISE_DB],
    fixable: true,
  },
  check(rawCtx) {
    const ctx = templateFixes(rawCtx);
    for (const db of databasesOf(ctx.deployment)) {
      const exists = apiHas(db.apiVersion, '2021-03-01', '2020-10-01');
      reportSetting(ctx, db, {
        path: ['properties', 'clientProtocol'],
        dflt: 'Encrypted',
        insecure: plaintext,
        secure: 'Encrypted',
        message: (v) =>
          `clientProtocol is ${show(v)}: clients connect without TLS, so data and access keys cross the network in clear text. Set it to 'Encrypted'.`,
        allowedMessage: (values) =>
          `the allowed values of this parameter admit clientProtocol ${values.map(show).join(', ')}: a deployment can turn off TLS for the database. Allow only 'Encrypted'.`,
        writable: exists,
      });
    }
  },
};
