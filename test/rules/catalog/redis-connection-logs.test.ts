import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const DS = 'Microsoft.Insights/diagnosticSettings';
const workspace = "[resourceId('Microsoft.OperationalInsights/workspaces', 'logs')]";
const setting = (properties: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: DS,
  apiVersion: '2021-05-01-preview',
  scope: "[resourceId('Microsoft.Cache/redis', 'cache1')]",
  name: 'cache1-logs',
  ...(properties ? { properties } : {}),
  dependsOn: ["[resourceId('Microsoft.Cache/redis', 'cache1')]"],
  ...extra,
});
const c = cache({ minimumTlsVersion: '1.2' });

const none = textOf(template([c]));
const metricsOnly = textOf(template([c, setting({ workspaceId: workspace, metrics: [{ category: 'AllMetrics', enabled: true }] })]));
const auditOnly = textOf(template([c, setting({ workspaceId: workspace, logs: [{ categoryGroup: 'audit', enabled: true }] })]));
const disabled = textOf(template([c, setting({ workspaceId: workspace, logs: [{ category: 'ConnectedClientList', enabled: false }] })]));
const noDestination = textOf(template([c, setting({ logs: [{ categoryGroup: 'allLogs', enabled: true }] })]));
const noProperties = textOf(template([c, setting(undefined)]));
const entra = textOf(template([cache({ redisConfiguration: { 'aad-enabled': 'true' } })]));
const otherCache = textOf(
  template([c, cache({}, { name: 'cache2' }), setting({ workspaceId: workspace, logs: [{ categoryGroup: 'allLogs', enabled: true }] }, { scope: 'Microsoft.Cache/redis/cache2', dependsOn: [] })]),
);
const requiredName = textOf(
  template(
    [
      { ...c, name: "[parameters('cacheName')]" },
      setting(
        { storageAccountId: "[parameters('storageId')]", metrics: [{ timeGrain: 'AllMetrics', enabled: true }] },
        { scope: "[format('Microsoft.Cache/redis/{0}', parameters('cacheName'))]", name: "[parameters('cacheName')]", dependsOn: ["[resourceId('Microsoft.Cache/redis', parameters('cacheName'))]"] },
      ),
    ],
    { parameters: { cacheName: { type: 'string' }, storageId: { type: 'string' } } },
  ),
);

ruleTester('redis-connection-logs', {
  valid: [
    { name: 'ConnectedClientList to a workspace', template: template([c, setting({ workspaceId: workspace, logs: [{ category: 'ConnectedClientList', enabled: true }] })]) },
    { name: 'allLogs to a storage account given by a parameter', template: template([c, setting({ storageAccountId: "[parameters('storage')]", logs: [{ categoryGroup: 'allLogs', enabled: true }] })], { parameters: { storage: { type: 'string' } } }) },
    { name: 'an Event Hub destination', template: template([c, setting({ eventHubAuthorizationRuleId: "[parameters('hub')]", logs: [{ categoryGroup: 'AllLogs', enabled: 'true' }] })], { parameters: { hub: { type: 'string' } } }) },
    {
      name: 'nested under the cache without a scope',
      template: cache({ minimumTlsVersion: '1.2' }, { resources: [{ type: DS, apiVersion: '2021-05-01-preview', name: 'logs', properties: { workspaceId: workspace, logs: [{ categoryGroup: 'allLogs', enabled: true }] } }] }),
    },
    {
      name: 'legacy providers/diagnosticSettings named cache/Microsoft.Insights/name',
      template: template([
        c,
        { type: 'Microsoft.Cache/redis/providers/diagnosticSettings', apiVersion: '2021-05-01-preview', name: 'cache1/Microsoft.Insights/logs', properties: { workspaceId: workspace, logs: [{ category: 'ConnectedClientList', enabled: true }] } },
      ]),
    },
    {
      name: 'a scope that cannot be read, on a setting that depends on the cache',
      template: template([c, setting({ workspaceId: workspace, logs: [{ categoryGroup: 'allLogs', enabled: true }] }, { scope: "[parameters('scopeId')]" })], { parameters: { scopeId: { type: 'string' } } }),
    },
    { name: 'scope as a literal id', template: template([c, setting({ workspaceId: workspace, logs: [{ categoryGroup: 'allLogs', enabled: true }] }, { scope: 'Microsoft.Cache/redis/cache1', dependsOn: [] })]) },
    {
      name: 'one good setting among others',
      template: template([c, setting({ workspaceId: workspace, metrics: [{ category: 'AllMetrics', enabled: true }] }), setting({ workspaceId: workspace, logs: [{ categoryGroup: 'allLogs', enabled: true }] }, { name: 'cache1-logs2' })]),
    },
    { name: 'logs from a required parameter: unknown', template: template([c, setting({ workspaceId: workspace, logs: "[parameters('logs')]" })], { parameters: { logs: { type: 'array' } } }) },
    { name: 'enabled unknown', template: template([c, setting({ workspaceId: workspace, logs: [{ categoryGroup: 'allLogs', enabled: "[parameters('on')]" }] })], { parameters: { on: { type: 'bool' } } }) },
  ],
  invalid: [
    { name: 'no diagnostic setting: on the cache declaration', template: none, findings: [{ line: lineOf(none, '"type"'), message: /no diagnostic setting is scoped to this cache/, resource: 'cache1' }] },
    { name: 'metrics only: on the setting properties key', template: metricsOnly, findings: [{ line: lineOf(metricsOnly, '"properties"', lineOf(metricsOnly, `"type": "${DS}"`)), message: /collects no logs/, resource: 'cache1-logs' }] },
    { name: 'audit group only: on logs, saying audit may not carry connection logs', template: auditOnly, findings: [{ line: lineOf(auditOnly, '"logs"'), message: /audit group alone may not carry connection logs/ }] },
    { name: 'ConnectedClientList disabled: on enabled', template: disabled, findings: [{ line: lineOf(disabled, '"enabled": false'), message: /disables it/ }] },
    { name: 'no destination: on the setting properties key', template: noDestination, findings: [{ line: lineOf(noDestination, '"properties"', lineOf(noDestination, `"type": "${DS}"`)), message: /no destination/ }] },
    { name: 'setting without properties: on its type line', template: noProperties, findings: [{ line: lineOf(noProperties, `"type": "${DS}"`) }] },
    { name: 'Entra ID on: the message recommends MSEntraAuthenticationAuditLog', template: entra, findings: [{ line: lineOf(entra, '"type"'), message: /MSEntraAuthenticationAuditLog/ }] },
    { name: "a setting of another cache does not count for this one", template: otherCache, findings: [{ line: lineOf(otherCache, '"type"'), resource: 'cache1' }] },
    {
      name: 'scope written with format() over a required parameter: matched, metrics only',
      template: requiredName,
      findings: [{ line: lineOf(requiredName, '"properties"', lineOf(requiredName, `"type": "${DS}"`)) }],
    },
  ],
});

it('redis-connection-logs: the fix adds a diagnostic setting and a workspace parameter', () => {
  const [f] = findingsOf({ name: 'fix', template: template([c]) }, 'redis-connection-logs');
  const op = f.fix!.ops[0];
  assert.equal(op.op, 'addResource');
  if (op.op !== 'addResource') return;
  assert.equal(op.near.fullName, 'cache1');
  assert.equal(op.resource.type, DS);
  assert.equal(op.resource.scope, 'Microsoft.Cache/redis/cache1');
  assert.deepEqual((op.resource.properties as Record<string, unknown>).logs, [{ categoryGroup: 'allLogs', enabled: true }]);
  assert.equal((op.resource.properties as Record<string, unknown>).workspaceId, "[parameters('redisLogsWorkspaceId')]");
  assert.ok(op.parameters?.redisLogsWorkspaceId);
});
