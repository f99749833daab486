import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster, database } from './_enterprise';

const plaintext = textOf(template([cluster({}), database({ clientProtocol: 'Plaintext' })]));
const nested = textOf(template([{ ...cluster({}), resources: [{ type: 'databases', apiVersion: '2025-07-01', name: 'default', dependsOn: ['amr1'], properties: { clientProtocol: 'Plaintext' } }] }]));
const allowed = textOf(
  template([cluster({}), database({ clientProtocol: "[parameters('protocol')]" })], {
    parameters: { protocol: { type: 'string', defaultValue: 'Encrypted', allowedValues: ['Encrypted', 'Plaintext'] } },
  }),
);
const viaVariable = textOf(template([cluster({}), database({ clientProtocol: "[variables('protocol')]" })], { variables: { protocol: 'Plaintext' } }));
const strict = textOf(template([cluster({}), database({ port: 10000 })]));

/** A nested deployment (inner scope) deploying the database; `args` are its parameters. */
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
        parameters: {
          clusterName: { type: 'string' },
          clientProtocol: { type: 'string', defaultValue: 'Encrypted', allowedValues: ['Encrypted', 'Plaintext'] },
        },
        resources: [
          {
            type: 'Microsoft.Cache/redisEnterprise/databases',
            apiVersion: '2025-07-01',
            name: "[format('{0}/default', parameters('clusterName'))]",
            properties: { clientProtocol: "[parameters('clientProtocol')]" },
          },
        ],
      },
    },
  };
}
const passesPlaintext = textOf(template([cluster({}), moduleCall({ clusterName: { value: 'amr1' }, clientProtocol: { value: 'Plaintext' } })]));

ruleTester('redis-enterprise-encrypted-protocol', {
  valid: [
    { name: 'Encrypted', template: template([cluster({}), database({ clientProtocol: 'Encrypted' })]) },
    { name: 'absent: the default is Encrypted', template: template([cluster({}), database({ port: 10000 })]) },
    { name: 'no properties', template: template([cluster({}), database(undefined)]) },
    {
      name: 'parameter default Encrypted, only Encrypted allowed',
      template: template([cluster({}), database({ clientProtocol: "[parameters('p')]" })], { parameters: { p: { type: 'string', defaultValue: 'Encrypted', allowedValues: ['Encrypted'] } } }),
    },
    {
      name: "module default 'Encrypted': the module's allowed list is not the caller's finding",
      template: template([cluster({}), moduleCall({ clusterName: { value: 'amr1' } })]),
    },
    { name: 'an existing database is not judged', template: { type: 'Microsoft.Cache/redisEnterprise/databases', apiVersion: '2025-07-01', name: 'amr1/default', existing: true } },
  ],
  invalid: [
    {
      name: 'Plaintext',
      template: plaintext,
      findings: [{ line: lineOf(plaintext, 'clientProtocol'), message: /'Plaintext'.*'Encrypted'/, path: 'properties.clientProtocol', resource: 'amr1/default' }],
    },
    { name: 'database nested in the cluster', template: nested, findings: [{ line: lineOf(nested, 'clientProtocol'), resource: 'amr1/default' }] },
    { name: 'through a variable: on the variable', template: viaVariable, findings: [{ line: lineOf(viaVariable, '"protocol": "Plaintext"') }] },
    { name: 'secure default, list admits Plaintext: on the list', template: allowed, findings: [{ line: lineOf(allowed, 'allowedValues'), message: /admit clientProtocol 'Plaintext'/ }] },
    { name: 'a module call passing Plaintext: on the argument', template: passesPlaintext, findings: [{ line: lineOf(passesPlaintext, '"value": "Plaintext"'), resource: 'amr1/default' }] },
    { name: 'strict mode: absent is reported', template: strict, config: { strict: true }, findings: [{ line: lineOf(strict, '"properties"', lineOf(strict, 'databases')), message: /strict/ }] },
  ],
});
