import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache, premium } from './_cache';

const noConfig = textOf(template([cache({ sku: premium, enableNonSslPort: false })]));
const configWithoutAad = textOf(template([cache({ sku: premium, redisConfiguration: { 'maxmemory-policy': 'allkeys-lru' } })]));
const aadFalse = textOf(template([cache({ sku: premium, redisConfiguration: { 'aad-enabled': 'false' } })]));
const noProperties = textOf(template([cache(undefined)]));
const fromParam = textOf(
  template([cache({ redisConfiguration: { 'aad-enabled': "[parameters('aad')]" } })], { parameters: { aad: { type: 'string', defaultValue: 'False' } } }),
);

ruleTester('redis-entra-auth', {
  valid: [
    { name: "'aad-enabled': 'true'", template: cache({ redisConfiguration: { 'aad-enabled': 'true' } }) },
    { name: 'string booleans compare case-insensitively', template: cache({ redisConfiguration: { 'aad-enabled': 'True' } }) },
    { name: 'redisConfiguration from a required parameter is unknown', template: template([cache({ redisConfiguration: "[parameters('cfg')]" })], { parameters: { cfg: { type: 'object' } } }) },
    { name: "strict mode: 'aad-enabled': 'true'", template: cache({ redisConfiguration: { 'aad-enabled': 'true' } }), config: { strict: true } },
    { name: 'parameter default true', template: template([cache({ redisConfiguration: { 'aad-enabled': "[parameters('aad')]" } })], { parameters: { aad: { type: 'string', defaultValue: 'true' } } }) },
  ],
  invalid: [
    { name: 'no redisConfiguration: on the properties key', template: noConfig, findings: [{ line: lineOf(noConfig, '"properties"'), message: /not enabled/ }] },
    { name: 'redisConfiguration without aad-enabled: on redisConfiguration', template: configWithoutAad, findings: [{ line: lineOf(configWithoutAad, 'redisConfiguration') }] },
    { name: "'aad-enabled': 'false'", template: aadFalse, findings: [{ line: lineOf(aadFalse, 'aad-enabled'), message: /is off/ }] },
    { name: 'no properties: on the type line', template: noProperties, findings: [{ line: lineOf(noProperties, '"type"') }] },
    { name: 'parameter default False: on the default', template: fromParam, findings: [{ line: lineOf(fromParam, 'defaultValue') }] },
    // The default is off, which is insecure: strict mode has nothing to add.
    { name: 'strict mode: absent is reported once, as off', template: noConfig, config: { strict: true }, findings: [{ line: lineOf(noConfig, '"properties"'), message: /not enabled/ }] },
  ],
});
