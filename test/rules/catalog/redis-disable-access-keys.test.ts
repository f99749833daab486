import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const absent = textOf(template([cache({ redisConfiguration: { 'aad-enabled': 'true' } })]));
const oldApi = textOf(template([cache({ enableNonSslPort: false }, { apiVersion: '2023-08-01' })]));
const explicitFalse = textOf(template([cache({ disableAccessKeyAuthentication: false })]));
const paramDefault = textOf(
  template([cache({ disableAccessKeyAuthentication: "[parameters('disableKeys')]" })], { parameters: { disableKeys: { type: 'bool', defaultValue: false } } }),
);

ruleTester('redis-disable-access-keys', {
  valid: [
    { name: 'keys disabled', template: cache({ disableAccessKeyAuthentication: true, redisConfiguration: { 'aad-enabled': 'true' } }) },
    { name: 'strict mode: keys disabled', template: cache({ disableAccessKeyAuthentication: true, redisConfiguration: { 'aad-enabled': 'true' } }), config: { strict: true } },
    { name: 'required bool parameter is unknown', template: template([cache({ disableAccessKeyAuthentication: "[parameters('d')]" })], { parameters: { d: { type: 'bool' } } }) },
  ],
  invalid: [
    { name: 'absent: default false', template: absent, findings: [{ line: lineOf(absent, '"properties"'), message: /not set; for 2024-11-01 the default is false/ }] },
    { name: 'apiVersion without the property: message says so', template: oldApi, findings: [{ line: lineOf(oldApi, '"properties"'), message: /not available in apiVersion 2023-08-01 \(from 2024-03-01\)/ }] },
    { name: 'written false', template: explicitFalse, findings: [{ line: lineOf(explicitFalse, 'disableAccessKeyAuthentication') }] },
    { name: 'parameter default false: on the default', template: paramDefault, findings: [{ line: lineOf(paramDefault, 'defaultValue') }] },
    // The default is false, which is insecure: strict mode has nothing to add.
    { name: 'strict mode: absent is reported once, as on', template: absent, config: { strict: true }, findings: [{ line: lineOf(absent, '"properties"'), message: /not set; for 2024-11-01 the default is false/ }] },
  ],
});
