import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const assignment = (accessPolicyName: unknown, name = 'cache1/app'): Record<string, unknown> => ({
  type: 'Microsoft.Cache/redis/accessPolicyAssignments',
  apiVersion: '2024-11-01',
  name,
  properties: { accessPolicyName, objectId: '00000000-0000-0000-0000-000000000001', objectIdAlias: 'app' },
  dependsOn: ["[resourceId('Microsoft.Cache/redis', 'cache1')]"],
});
const policy = (permissions: unknown, name = 'cache1/custom'): Record<string, unknown> => ({
  type: 'Microsoft.Cache/redis/accessPolicies',
  apiVersion: '2024-11-01',
  name,
  properties: { permissions },
  dependsOn: ["[resourceId('Microsoft.Cache/redis', 'cache1')]"],
});
const c = cache({ redisConfiguration: { 'aad-enabled': 'true' } });

const owner = textOf(template([c, assignment('Data Owner')]));
const ownerDefault = textOf(template([c, assignment("[parameters('policy')]")], { parameters: { policy: { type: 'string', defaultValue: 'Data Owner' } } }));
const ownerAllowed = textOf(
  template([c, assignment("[parameters('policy')]")], { parameters: { policy: { type: 'string', defaultValue: 'Data Reader', allowedValues: ['Data Owner', 'Data Contributor', 'Data Reader'] } } }),
);
const all = textOf(template([c, policy('+@all allkeys')]));
const dangerous = textOf(template([c, policy('+@read +@dangerous ~app:*')]));
const both = textOf(template([c, policy('+@read'), policy('+@all', 'cache1/admin'), assignment('Data Owner'), assignment('Data Owner', 'cache1/ops')]));

ruleTester('redis-access-policy-least-privilege', {
  valid: [
    { name: 'Data Contributor', template: template([c, assignment('Data Contributor')]) },
    { name: 'Data Reader', template: template([c, assignment('Data Reader')]) },
    { name: 'a custom policy assigned', template: template([c, policy('+@read +get'), assignment('custom')]) },
    { name: 'narrow custom permissions', template: template([c, policy('+@connection +get +hget allkeys')]) },
    { name: '-@all is not a grant', template: template([c, policy('-@all +get ~cache:*')]) },
    { name: 'assignment from a required parameter: unknown', template: template([c, assignment("[parameters('policy')]")], { parameters: { policy: { type: 'string' } } }) },
    { name: 'permissions from a required parameter: unknown', template: template([c, policy("[parameters('perms')]")], { parameters: { perms: { type: 'string' } } }) },
  ],
  invalid: [
    { name: "built-in 'Data Owner': on accessPolicyName", template: owner, findings: [{ line: lineOf(owner, 'accessPolicyName'), message: /'Data Owner'/, path: 'properties.accessPolicyName', resource: 'cache1/app' }] },
    { name: "'Data Owner' as the parameter default: on the default", template: ownerDefault, findings: [{ line: lineOf(ownerDefault, '"defaultValue"') }] },
    { name: "secure default, but the allowed list admits 'Data Owner': on the list", template: ownerAllowed, findings: [{ line: lineOf(ownerAllowed, '"allowedValues"'), message: /allowed values/ }] },
    { name: '+@all: on permissions', template: all, findings: [{ line: lineOf(all, '"permissions"'), message: /\+@all: every command/ }] },
    { name: '+@dangerous', template: dangerous, findings: [{ line: lineOf(dangerous, '"permissions"'), message: /\+@dangerous/ }] },
    {
      name: 'one finding per policy and per assignment',
      template: both,
      findings: [
        { line: lineOf(both, '"+@all"'), resource: 'cache1/admin' },
        { line: lineOf(both, 'accessPolicyName'), resource: 'cache1/app' },
        { line: lineOf(both, 'accessPolicyName', lineOf(both, 'accessPolicyName') + 1), resource: 'cache1/ops' },
      ],
    },
  ],
});
