import assert from 'node:assert/strict';
import { it } from 'node:test';
import { findingsOf, lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const FW = 'Microsoft.Cache/redis/firewallRules';
const rule = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: FW,
  apiVersion: '2024-11-01',
  name,
  properties: { startIP: '203.0.113.16', endIP: '203.0.113.31' },
  dependsOn: ["[resourceId('Microsoft.Cache/redis', 'cache1')]"],
  ...extra,
});
const closed = cache({ publicNetworkAccess: 'Disabled' });

const nested = textOf(template([cache({ publicNetworkAccess: 'Disabled' }, { resources: [{ type: 'firewallRules', apiVersion: '2024-11-01', name: 'oldoffice', properties: { startIP: '203.0.113.16', endIP: '203.0.113.31' } }] })]));
const twoTopLevel = textOf(template([closed, rule('cache1/office'), rule('cache1/vendor')]));
const viaParameter = textOf(
  template([cache({ publicNetworkAccess: "[parameters('access')]" }), rule('cache1/office')], { parameters: { access: { type: 'string', defaultValue: 'Disabled' } } }),
);
const loop = textOf(
  template([
    closed,
    {
      type: FW,
      apiVersion: '2024-11-01',
      name: "[format('cache1/rule{0}', copyIndex())]",
      copy: { name: 'rules', count: 2 },
      properties: { startIP: '203.0.113.16', endIP: '203.0.113.31' },
      dependsOn: ["[resourceId('Microsoft.Cache/redis', 'cache1')]"],
    },
  ]),
);
const loopBody = lineOf(loop, `"type": "${FW}"`) - 1;

ruleTester('redis-firewall-unused', {
  valid: [
    { name: 'public cache with firewall rules', template: template([cache({ publicNetworkAccess: 'Enabled' }), rule('cache1/office')]) },
    { name: 'public access absent (Enabled) with rules', template: template([cache({ minimumTlsVersion: '1.2' }), rule('cache1/office')]) },
    { name: 'closed cache without firewall rules', template: closed },
    {
      name: 'public access unknown',
      template: template([cache({ publicNetworkAccess: "[parameters('access')]" }), rule('cache1/office')], { parameters: { access: { type: 'string' } } }),
    },
    { name: 'a rule of another cache', template: template([closed, rule('cache2/office', { dependsOn: [] })]) },
  ],
  invalid: [
    { name: 'nested rule on a closed cache: on its declaration', template: nested, findings: [{ line: lineOf(nested, '"type": "firewallRules"'), message: /does nothing.*'Disabled'/, resource: 'cache1/oldoffice' }] },
    {
      name: 'one finding per top-level rule',
      template: twoTopLevel,
      findings: [
        { line: lineOf(twoTopLevel, `"type": "${FW}"`), message: /'cache1\/office'/ },
        { line: lineOf(twoTopLevel, `"type": "${FW}"`, lineOf(twoTopLevel, `"type": "${FW}"`) + 1), message: /'cache1\/vendor'/ },
      ],
    },
    { name: 'public access disabled through a parameter default', template: viaParameter, findings: [{ line: lineOf(viaParameter, `"type": "${FW}"`) }] },
    { name: 'a copy loop: on the loop element', template: loop, findings: [{ line: loopBody }, { line: loopBody }] },
  ],
});

it('redis-firewall-unused: the fix removes the rule resource', () => {
  const [f] = findingsOf({ name: 'fix', template: template([closed, rule('cache1/office')]) }, 'redis-firewall-unused');
  assert.equal(f.fix?.ops.length, 1);
  const op = f.fix!.ops[0];
  assert.equal(op.op, 'removeResource');
  assert.equal(op.op === 'removeResource' && op.resource.fullName, 'cache1/office');
});
