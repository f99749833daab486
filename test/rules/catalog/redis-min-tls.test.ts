import { ruleTester, template, textOf, lineOf } from '../../helpers/rule-tester';

const cache = (properties: Record<string, unknown> | undefined, apiVersion = '2024-11-01'): Record<string, unknown> => ({
  type: 'Microsoft.Cache/redis',
  apiVersion,
  name: 'cache1',
  location: 'westeurope',
  ...(properties ? { properties } : {}),
});

const paramDefault10 = textOf(
  template([cache({ sku: { name: 'Premium', family: 'P', capacity: 1 }, minimumTlsVersion: "[parameters('tls')]" })], {
    parameters: { tls: { type: 'string', defaultValue: '1.0' } },
  }),
);
const allowedAdmits = textOf(
  template([cache({ minimumTlsVersion: "[parameters('tls')]" })], {
    parameters: { tls: { type: 'string', defaultValue: '1.2', allowedValues: ['1.0', '1.1', '1.2'] } },
  }),
);
const literal11 = textOf(template([cache({ minimumTlsVersion: '1.1' })]));
const strictAbsent = textOf(template([cache({ enableNonSslPort: false })]));
const strictOldestWritable = textOf(template([cache(undefined, '2018-03-01')]));
const upperCaseType = textOf(template([{ ...cache({ minimumTlsVersion: '1.0' }), type: 'Microsoft.Cache/Redis' }]));

ruleTester('redis-min-tls', {
  valid: [
    { name: "literal '1.2'", template: cache({ minimumTlsVersion: '1.2' }) },
    { name: 'absent: the default is 1.2', template: cache({ enableNonSslPort: false }) },
    { name: 'no properties at all', template: cache(undefined) },
    { name: 'old apiVersion without the property: the service enforces 1.2', template: cache({}, '2015-08-01') },
    {
      name: 'parameter default 1.2 with only 1.2 allowed',
      template: template([cache({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string', defaultValue: '1.2', allowedValues: ['1.2'] } } }),
    },
    {
      name: 'required parameter without allowed list is unknown',
      template: template([cache({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string' } } }),
    },
    { name: "strict mode: literal '1.2'", template: cache({ minimumTlsVersion: '1.2' }), config: { strict: true } },
    { name: 'strict mode off: absent is not reported', template: cache({ enableNonSslPort: false }), config: { strict: false } },
    { name: 'strict mode: an apiVersion without the property cannot write it', template: cache({}, '2017-10-01'), config: { strict: true } },
    {
      name: 'strict mode: parameter default 1.2',
      template: template([cache({ minimumTlsVersion: "[parameters('tls')]" })], { parameters: { tls: { type: 'string', defaultValue: '1.2' } } }),
      config: { strict: true },
    },
    {
      name: 'another resource type is not judged',
      template: { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 's', properties: { minimumTlsVersion: 'TLS1_0' } },
    },
  ],
  invalid: [
    { name: "literal '1.1'", template: literal11, findings: [{ line: lineOf(literal11, 'minimumTlsVersion'), message: /'1\.1'/, path: 'properties.minimumTlsVersion', resource: 'cache1' }] },
    { name: 'parameter default 1.0: on the default', template: paramDefault10, findings: [{ line: lineOf(paramDefault10, 'defaultValue') }] },
    { name: 'allowed list admits 1.0 and 1.1: on the list', template: allowedAdmits, findings: [{ line: lineOf(allowedAdmits, 'allowedValues'), message: /1\.0, 1\.1/ }] },
    {
      name: 'strict mode: absent is reported on properties',
      template: strictAbsent,
      config: { strict: true },
      findings: [{ line: lineOf(strictAbsent, '"properties"'), message: /^minimumTlsVersion is not set \(the default is '1\.2'\); strict mode asks for it to be written\. Set it to '1\.2'\.$/, path: 'properties.minimumTlsVersion' }],
    },
    { name: 'strict mode: from 2018-03-01, where the property exists', template: strictOldestWritable, config: { strict: true }, findings: [{ line: lineOf(strictOldestWritable, '"type"'), message: /strict/ }] },
    { name: 'strict mode: 1.1 is reported once, as insecure', template: literal11, config: { strict: true }, findings: [{ line: lineOf(literal11, 'minimumTlsVersion'), message: /'1\.1'/ }] },
    {
      name: 'type compared case-insensitively',
      template: upperCaseType,
      findings: [{ line: lineOf(upperCaseType, 'minimumTlsVersion') }],
    },
  ],
});
