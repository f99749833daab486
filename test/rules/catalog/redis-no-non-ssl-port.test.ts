import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const open = textOf(template([cache({ enableNonSslPort: true })]));
const paramTrue = textOf(template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: true } } }));
const strictAbsent = textOf(template([cache({ minimumTlsVersion: '1.2' })]));
const strictNoProperties = textOf(template([cache(undefined)]));
const allowedTrue = textOf(template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: false, allowedValues: [false, true] } } }));

ruleTester('redis-no-non-ssl-port', {
  valid: [
    { name: 'absent: default false', template: cache({}) },
    { name: 'false', template: cache({ enableNonSslPort: false }) },
    { name: 'parameter default false', template: template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: false } } }) },
    { name: 'strict mode: written false', template: cache({ enableNonSslPort: false }), config: { strict: true } },
    { name: 'strict mode: parameter default false', template: template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: false } } }), config: { strict: true } },
    { name: 'strict mode off: absent is not reported', template: cache({ minimumTlsVersion: '1.2' }), config: { strict: false } },
    { name: 'the parameter file sets false over an insecure default', template: template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: true } } }), parameters: { nonSsl: { value: false } } },
  ],
  invalid: [
    { name: 'true', template: open, findings: [{ line: lineOf(open, 'enableNonSslPort'), message: /6379/ }] },
    { name: 'parameter default true: on the default', template: paramTrue, findings: [{ line: lineOf(paramTrue, 'defaultValue') }] },
    { name: 'allowed list admits true: on the list', template: allowedTrue, findings: [{ line: lineOf(allowedTrue, 'allowedValues') }] },
    {
      name: 'strict mode: absent is reported on properties',
      template: strictAbsent,
      config: { strict: true },
      findings: [{ line: lineOf(strictAbsent, '"properties"'), message: /^enableNonSslPort is not set \(the default is false\); strict mode asks for it to be written\. Set it to false\.$/, path: 'properties.enableNonSslPort' }],
    },
    { name: 'strict mode: no properties, on the type line', template: strictNoProperties, config: { strict: true }, findings: [{ line: lineOf(strictNoProperties, '"type"'), message: /strict/ }] },
    { name: 'strict mode: true is reported once, as insecure', template: open, config: { strict: true }, findings: [{ line: lineOf(open, 'enableNonSslPort'), message: /6379/ }] },
  ],
});
