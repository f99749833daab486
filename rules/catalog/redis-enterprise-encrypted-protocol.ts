// Azure Managed Redis / Redis Enterprise databases accept TLS-encrypted client connections only.

import { Rule } from '../rule';
import { Json } from '../model';
import { lower } from '../judge';
import { apiHas, databasesOf, ENTERPRISE_DB, reportSetting, show, templateFixes } from './_enterprise';

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
      reportSetting(ctx, db, ['properties', 'clientProtocol'], {
        dflt: 'Encrypted',
        insecure: plaintext,
        secure: 'Encrypted',
        written: (v) =>
          `clientProtocol is ${show(v)}: clients connect without TLS, so data and access keys cross the network in clear text. Set it to 'Encrypted'.`,
        missing: () => '',
        allowed: (values) =>
          `the allowed values of this parameter admit clientProtocol ${values.map(show).join(', ')}: a deployment can turn off TLS for the database. Allow only 'Encrypted'.`,
        strict: exists
          ? () => `clientProtocol is not set (the default is 'Encrypted'); strict mode asks for it to be written. Set it to 'Encrypted'.`
          : undefined,
        fixTitle: "Set clientProtocol to 'Encrypted'",
      });
    }
  },
};
