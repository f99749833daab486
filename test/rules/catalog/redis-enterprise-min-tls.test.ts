import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster } from './_enterprise';

const literal10 = textOf(template([cluster({ minimumTlsVersion: '1.0' })]));
const paramDefault11 = textOf(
  template([cluster({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string', defaultValue: '1.1' } } }),
);
const allowedAdmits = textOf(
  template([cluster({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string', defaultValue: '1.2', allowedValues: ['1.0', '1.1', '1.2'] } } }),
);
const enterpriseSku = textOf(template([cluster({ minimumTlsVersion: '1.1' }, { sku: { name: 'Enterprise_E10', capacity: 2 } })]));
const strictAbsent = textOf(template([cluster({ publicNetworkAccess: 'Disabled' })]));
const paramFile = textOf(template([cluster({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string', defaultValue: '1.2' } } }));
const loop = textOf(
  template(
    [
      {
        ...cluster({ minimumTlsVersion: "[parameters('clusters')[copyIndex()].tls]" }),
        name: "[parameters('clusters')[copyIndex()].name]",
        copy: { name: 'clusters', count: "[length(parameters('clusters'))]" },
      },
    ],
    {
      parameters: {
        clusters: {
          type: 'array',
          defaultValue: [
            { name: 'amr-a', tls: '1.2' },
            { name: 'amr-b', tls: '1.0' },
          ],
        },
      },
    },
  ),
);

ruleTester('redis-enterprise-min-tls', {
  valid: [
    { name: "literal '1.2'", template: cluster({ minimumTlsVersion: '1.2' }) },
    { name: 'absent: the default is 1.2', template: cluster({ publicNetworkAccess: 'Disabled' }) },
    { name: 'no properties at all', template: cluster(undefined) },
    { name: 'preview apiVersion before the property: the service enforces 1.2', template: cluster({}, { apiVersion: '2020-10-01-preview' }) },
    {
      name: 'parameter default 1.2, only 1.2 allowed',
      template: template([cluster({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string', defaultValue: '1.2', allowedValues: ['1.2'] } } }),
    },
    { name: 'required parameter: unknown', template: template([cluster({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string' } } }) },
    {
      name: 'nullable parameter without default: absent, default 1.2',
      template: template([cluster({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string', nullable: true } } }),
    },
    { name: 'condition false: not deployed', template: { ...cluster({ minimumTlsVersion: '1.0' }), condition: false } },
    { name: 'an existing cluster is not judged', template: { type: 'Microsoft.Cache/redisEnterprise', apiVersion: '2025-07-01', name: 'amr1', existing: true } },
    { name: 'a Microsoft.Cache/redis cache is not this rule', template: { type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', properties: { minimumTlsVersion: '1.0' } } },
  ],
  invalid: [
    {
      name: "literal '1.0'",
      template: literal10,
      findings: [{ line: lineOf(literal10, 'minimumTlsVersion'), message: /'1\.0'.*Set it to '1\.2'/, path: 'properties.minimumTlsVersion', resource: 'amr1' }],
    },
    { name: 'Enterprise SKUs too', template: enterpriseSku, findings: [{ line: lineOf(enterpriseSku, 'minimumTlsVersion') }] },
    { name: 'parameter default 1.1: on the default', template: paramDefault11, findings: [{ line: lineOf(paramDefault11, 'defaultValue'), message: /'1\.1'/ }] },
    { name: 'allowed list admits 1.0 and 1.1: on the list', template: allowedAdmits, findings: [{ line: lineOf(allowedAdmits, 'allowedValues'), message: /1\.0, 1\.1/ }] },
    {
      name: 'parameter file sets 1.0: on the parameter file',
      template: paramFile,
      parameters: { tls: { value: '1.0' } },
      findings: [{ line: 6, message: /'1\.0'/ }], // case.parameters.json: the "value" line
    },
    {
      name: 'loop over a known array: on the offending element',
      template: loop,
      findings: [{ line: lineOf(loop, '"tls": "1.0"'), resource: 'amr-b' }],
    },
    {
      name: 'strict mode: absent is reported on properties',
      template: strictAbsent,
      config: { strict: true },
      findings: [{ line: lineOf(strictAbsent, '"properties"'), message: /not set.*strict/ }],
    },
  ],
});
