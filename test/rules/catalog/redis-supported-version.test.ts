import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const four = textOf(template([cache({ redisVersion: '4' })]));
const strictAbsent = textOf(template([cache({ minimumTlsVersion: '1.2' })]));
const strictOldestWritable = textOf(template([cache({}, { apiVersion: '2020-12-01' })]));
const allowedFour = textOf(template([cache({ redisVersion: "[parameters('v')]" })], { parameters: { v: { type: 'string', defaultValue: '6', allowedValues: ['4', '6'] } } }));

ruleTester('redis-supported-version', {
  valid: [
    { name: 'absent: latest', template: cache({}) },
    { name: "'6'", template: cache({ redisVersion: '6' }) },
    { name: "'latest'", template: cache({ redisVersion: 'latest' }) },
    { name: 'exported shape 6.0', template: cache({ redisVersion: '6.0' }) },
    { name: "strict mode: '6'", template: cache({ redisVersion: '6' }), config: { strict: true } },
    { name: "strict mode: 'latest'", template: cache({ redisVersion: 'latest' }), config: { strict: true } },
    { name: 'strict mode off: absent is not reported', template: cache({ minimumTlsVersion: '1.2' }), config: { strict: false } },
    { name: 'strict mode: read-only before 2020-12-01, nothing to write', template: cache({}, { apiVersion: '2020-06-01' }), config: { strict: true } },
  ],
  invalid: [
    { name: "'4'", template: four, findings: [{ line: lineOf(four, 'redisVersion'), message: /retired/ }] },
    { name: 'allowed list admits 4: on the list', template: allowedFour, findings: [{ line: lineOf(allowedFour, 'allowedValues') }] },
    {
      name: 'strict mode: absent is reported on properties',
      template: strictAbsent,
      config: { strict: true },
      findings: [{ line: lineOf(strictAbsent, '"properties"'), message: /^redisVersion is not set \(the default is 'latest'\); strict mode asks for it to be written\. Set it to '6'\.$/, path: 'properties.redisVersion' }],
    },
    { name: 'strict mode: from 2020-12-01, where it can be written', template: strictOldestWritable, config: { strict: true }, findings: [{ line: lineOf(strictOldestWritable, '"properties"'), message: /strict/ }] },
    { name: "strict mode: '4' is reported once, as retired", template: four, config: { strict: true }, findings: [{ line: lineOf(four, 'redisVersion'), message: /retired/ }] },
  ],
});
