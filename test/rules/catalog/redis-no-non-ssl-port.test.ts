import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const open = textOf(template([cache({ enableNonSslPort: true })]));
const paramTrue = textOf(template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: true } } }));
const allowedTrue = textOf(template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: false, allowedValues: [false, true] } } }));

ruleTester('redis-no-non-ssl-port', {
  valid: [
    { name: 'absent: default false', template: cache({}) },
    { name: 'false', template: cache({ enableNonSslPort: false }) },
    { name: 'parameter default false', template: template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: false } } }) },
    { name: 'the parameter file sets false over an insecure default', template: template([cache({ enableNonSslPort: "[parameters('nonSsl')]" })], { parameters: { nonSsl: { type: 'bool', defaultValue: true } } }), parameters: { nonSsl: { value: false } } },
  ],
  invalid: [
    { name: 'true', template: open, findings: [{ line: lineOf(open, 'enableNonSslPort'), message: /6379/ }] },
    { name: 'parameter default true: on the default', template: paramTrue, findings: [{ line: lineOf(paramTrue, 'defaultValue') }] },
    { name: 'allowed list admits true: on the list', template: allowedTrue, findings: [{ line: lineOf(allowedTrue, 'allowedValues') }] },
  ],
});
