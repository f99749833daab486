// Each Azure Managed Redis / Redis Enterprise database declared in the deployment sends its
// connection events to a log destination.

import { Rule } from '../rule';
import { FixOp } from '../model';
import { databasesOf, ENTERPRISE_DB, templateFixes } from './_enterprise';
import { judgeLogs } from './_diagnostics';
import { DIAGNOSTIC_SETTINGS, diagnosticSettingsFor, label, missingAt, resourceIdFor, scopeFor } from './_related';

const WORKSPACE_PARAM = 'logAnalyticsWorkspaceId';

export const redisEnterpriseConnectionLogs: Rule = {
  meta: {
    id: 'redis-enterprise-connection-logs',
    title: 'Azure Managed Redis / Redis Enterprise databases log connection events',
    severity: 'medium',
    resourceTypes: [ENTERPRISE_DB],
    fixable: true,
  },
  check(rawCtx) {
    const { deployment: dep, report } = templateFixes(rawCtx);
    for (const db of databasesOf(dep)) {
      const settings = diagnosticSettingsFor(dep, db);
      if (!settings) continue; // child collections not read: unknown
      if (!settings.length) {
        const scope = scopeFor(dep, db);
        const id = resourceIdFor(dep, db);
        const ops: FixOp[] = scope
          ? [
              {
                op: 'addResource',
                near: db,
                resource: {
                  type: DIAGNOSTIC_SETTINGS,
                  apiVersion: '2021-05-01-preview',
                  name: 'connection-logs',
                  scope,
                  ...(id ? { dependsOn: [id] } : {}),
                  properties: { workspaceId: `[parameters('${WORKSPACE_PARAM}')]`, logs: [{ categoryGroup: 'allLogs', enabled: true }] },
                },
                parameters: { [WORKSPACE_PARAM]: { type: 'string', metadata: { description: 'Resource id of the Log Analytics workspace that receives the database connection logs.' } } },
              },
            ]
          : [];
        report({
          resource: db,
          path: '',
          message:
            "No diagnostic setting is scoped to this database, so client connections and disconnections are not logged. Add a Microsoft.Insights/diagnosticSettings resource scoped to the database that sends 'ConnectionEvents' (or the 'allLogs' group) to a Log Analytics workspace, storage account or event hub.",
          at: missingAt(dep, db, ['diagnosticSettings']),
          fix: ops.length ? { title: 'Add a diagnostic setting that sends connection logs (workspace id from a new parameter)', ops } : undefined,
        });
        continue;
      }
      const verdicts = settings.map((s) => ({ s, v: judgeLogs(s, ['ConnectionEvents']) }));
      if (verdicts.some((x) => x.v.verdict !== 'no')) continue;
      const first = verdicts[0];
      const canSet = !/destination/.test(first.v.why ?? '');
      report({
        resource: db,
        path: 'properties.logs',
        message: `The diagnostic setting${label(first.s) ? ` '${label(first.s)}'` : ''} scoped to this database does not log connections: ${first.v.why}. Send 'ConnectionEvents' (or the 'allLogs' group) to a log destination.`,
        at: first.v.at ?? first.s.declAt,
        related: first.v.at && first.v.at.start !== db.declAt.start ? [db.declAt] : undefined,
        fix: canSet ? { title: "Enable the 'allLogs' category group", ops: [{ op: 'set', resource: first.s, path: ['properties', 'logs'], value: [{ categoryGroup: 'allLogs', enabled: true }] }] } : undefined,
      });
    }
  },
};
