import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster, database, dbDiagnostics } from './_enterprise';

const WS = "[resourceId('Microsoft.OperationalInsights/workspaces', 'logs')]";
const allLogs = { workspaceId: WS, logs: [{ categoryGroup: 'allLogs', enabled: true }] };

const none = textOf(template([cluster({}), database({ clientProtocol: 'Encrypted' })]));
const metricsOnly = textOf(template([cluster({}), database({}), dbDiagnostics({ workspaceId: WS, metrics: [{ category: 'AllMetrics', enabled: true }] })]));
const auditOnly = textOf(template([cluster({}), database({}), dbDiagnostics({ workspaceId: WS, logs: [{ categoryGroup: 'audit', enabled: true }] })]));
const disabled = textOf(template([cluster({}), database({}), dbDiagnostics({ workspaceId: WS, logs: [{ category: 'ConnectionEvents', enabled: false }] })]));
const noDestination = textOf(template([cluster({}), database({}), dbDiagnostics({ logs: [{ category: 'ConnectionEvents', enabled: true }] })]));
const clusterScoped = textOf(
  template([cluster({}), database({}), { ...dbDiagnostics(allLogs), scope: "[resourceId('Microsoft.Cache/redisEnterprise', 'amr1')]", dependsOn: [] }]),
);
const twoDbs = textOf(
  template([cluster({}), database({}), database({}, { name: 'amr1/second' }), dbDiagnostics(allLogs)]),
);
const emptyLoop = textOf(
  template([cluster({}), database({}), { ...dbDiagnostics(allLogs), copy: { name: 'diag', count: "[length(parameters('settings'))]" } }], { parameters: { settings: { type: 'array', defaultValue: [] } } }),
);

/** A nested deployment deploying the database and its (optional) diagnostic settings. */
function moduleCall(args: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: 'database',
    properties: {
      mode: 'Incremental',
      expressionEvaluationOptions: { scope: 'inner' },
      parameters: args,
      template: {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        parameters: { clusterName: { type: 'string' }, diagnosticSettings: { type: 'array', nullable: true } },
        resources: [
          { type: 'Microsoft.Cache/redisEnterprise/databases', apiVersion: '2025-07-01', name: "[format('{0}/default', parameters('clusterName'))]", properties: {} },
          {
            copy: { name: 'diag', count: "[length(coalesce(parameters('diagnosticSettings'), createArray()))]" },
            type: 'Microsoft.Insights/diagnosticSettings',
            apiVersion: '2021-05-01-preview',
            name: "[format('diag-{0}', copyIndex())]",
            scope: "[format('Microsoft.Cache/redisEnterprise/{0}/databases/default', parameters('clusterName'))]",
            properties: { workspaceId: "[parameters('diagnosticSettings')[copyIndex()].workspaceId]", logs: [{ categoryGroup: 'allLogs', enabled: true }] },
          },
        ],
      },
    },
  };
}
const moduleNull = textOf(template([cluster({}), moduleCall({ clusterName: { value: 'amr1' }, diagnosticSettings: { value: null } })]));
const moduleOmitted = textOf(template([cluster({}), moduleCall({ clusterName: { value: 'amr1' } })]));

const exportedNone = JSON.stringify(
  {
    value: [
      {
        id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Cache/redisEnterprise/amr1/databases/default',
        type: 'Microsoft.Cache/redisEnterprise/databases',
        name: 'default',
        properties: { clientProtocol: 'Encrypted' },
        resources: [],
      },
    ],
  },
  null,
  2,
);

ruleTester('redis-enterprise-connection-logs', {
  valid: [
    { name: 'allLogs to a workspace', template: template([cluster({}), database({}), dbDiagnostics(allLogs)]) },
    { name: 'ConnectionEvents to a storage account', template: template([cluster({}), database({}), dbDiagnostics({ storageAccountId: "[resourceId('Microsoft.Storage/storageAccounts', 'st')]", logs: [{ category: 'ConnectionEvents', enabled: true }] })]) },
    {
      name: 'literal scope string',
      template: template([cluster({}), database({}), { ...dbDiagnostics(allLogs), scope: 'Microsoft.Cache/redisEnterprise/amr1/databases/default' }]),
    },
    {
      name: 'legacy providers/diagnosticSettings form',
      template: template([
        cluster({}),
        database({}),
        { type: 'Microsoft.Cache/redisEnterprise/databases/providers/diagnosticSettings', apiVersion: '2021-05-01-preview', name: 'amr1/default/Microsoft.Insights/logs', properties: allLogs },
      ]),
    },
    {
      name: 'setting nested under the database',
      template: template([cluster({}), { ...database({}), resources: [{ type: 'Microsoft.Insights/diagnosticSettings', apiVersion: '2021-05-01-preview', name: 'logs', properties: allLogs }] }]),
    },
    {
      name: 'cluster and database names unknown (uniqueString): matched through the rendered names',
      template: template(
        [
          cluster({}, { name: "[parameters('name')]" }),
          database({}, { name: "[format('{0}/{1}', parameters('name'), 'default')]", dependsOn: [] }),
          { ...dbDiagnostics(allLogs), scope: "[format('Microsoft.Cache/redisEnterprise/{0}/databases/{1}', parameters('name'), 'default')]", dependsOn: [] },
        ],
        { parameters: { name: { type: 'string', defaultValue: "[format('amr-{0}', uniqueString(resourceGroup().id))]" } } },
      ),
    },
    { name: 'logs computed by a property copy loop: unknown', template: template([cluster({}), database({}), dbDiagnostics({ workspaceId: WS, copy: [{ name: 'logs', count: "[length(parameters('c'))]", input: { category: "[parameters('c')[copyIndex('logs')]]", enabled: true } }] })], { parameters: { c: { type: 'array' } } }) },
    { name: 'workspace from a required parameter counts as a destination', template: template([cluster({}), database({}), dbDiagnostics({ ...allLogs, workspaceId: "[parameters('ws')]" })], { parameters: { ws: { type: 'string' } } }) },
    { name: 'no database declared: nothing to check', template: cluster({}) },
    {
      name: 'exported database without its child collection: unknown',
      template: JSON.stringify({ id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Cache/redisEnterprise/amr1/databases/default', type: 'Microsoft.Cache/redisEnterprise/databases', name: 'default', properties: {} }, null, 2),
    },
  ],
  invalid: [
    {
      name: 'no diagnostic setting: on the database type line',
      template: none,
      findings: [{ line: lineOf(none, 'redisEnterprise/databases'), message: /No diagnostic setting.*'ConnectionEvents'.*'allLogs'/, resource: 'amr1/default' }],
    },
    { name: 'metrics only: on the setting properties key', template: metricsOnly, findings: [{ line: lineOf(metricsOnly, '"properties"', lineOf(metricsOnly, 'diagnosticSettings')), message: /neither 'ConnectionEvents' nor the 'allLogs' group/ }] },
    { name: "only the 'audit' group: the message says it may not carry connection logs", template: auditOnly, findings: [{ line: lineOf(auditOnly, '"logs"'), message: /'audit' category group, which may not carry connection logs/ }] },
    { name: 'ConnectionEvents disabled', template: disabled, findings: [{ line: lineOf(disabled, '"logs"') }] },
    { name: 'no destination: on the setting properties', template: noDestination, findings: [{ line: lineOf(noDestination, '"properties"', lineOf(noDestination, 'diagnosticSettings')), message: /no destination/ }] },
    { name: 'a setting scoped to the cluster does not cover the database', template: clusterScoped, findings: [{ line: lineOf(clusterScoped, 'redisEnterprise/databases') }] },
    { name: 'each database is checked', template: twoDbs, findings: [{ line: lineOf(twoDbs, '"name": "amr1/second"') - 2, resource: 'amr1/second' }] },
    { name: 'copy loop over an empty array deploys nothing', template: emptyLoop, findings: [{ line: lineOf(emptyLoop, 'redisEnterprise/databases') }] },
    { name: 'module deploys the database, caller passes null: on the argument', template: moduleNull, findings: [{ line: lineOf(moduleNull, '"diagnosticSettings": {') }] },
    { name: 'module deploys the database, caller passes nothing: on the module declaration', template: moduleOmitted, findings: [{ line: lineOf(moduleOmitted, 'Microsoft.Resources/deployments') }] },
    { name: 'exported database with an empty child collection: none', template: exportedNone, findings: [{ line: lineOf(exportedNone, '"type"') }] },
  ],
});

it('redis-enterprise-connection-logs: the fix adds a diagnostic setting scoped to the database', () => {
  const [f] = findingsOf({ name: 'none', template: none }, 'redis-enterprise-connection-logs');
  const add = f.fix!.ops[0] as { op: string; resource: Record<string, unknown>; parameters?: Record<string, unknown> };
  assert.equal(add.op, 'addResource');
  assert.equal(add.resource.scope, 'Microsoft.Cache/redisEnterprise/amr1/databases/default');
  assert.deepEqual((add.resource.properties as { logs: unknown }).logs, [{ categoryGroup: 'allLogs', enabled: true }]);
  assert.ok(add.parameters?.logAnalyticsWorkspaceId);
});
