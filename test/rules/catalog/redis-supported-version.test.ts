import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const four = textOf(template([cache({ redisVersion: '4' })]));
const allowedFour = textOf(template([cache({ redisVersion: "[parameters('v')]" })], { parameters: { v: { type: 'string', defaultValue: '6', allowedValues: ['4', '6'] } } }));

ruleTester('redis-supported-version', {
  valid: [
    { name: 'absent: latest', template: cache({}) },
    { name: "'6'", template: cache({ redisVersion: '6' }) },
    { name: "'latest'", template: cache({ redisVersion: 'latest' }) },
    { name: 'exported shape 6.0', template: cache({ redisVersion: '6.0' }) },
  ],
  invalid: [
    { name: "'4'", template: four, findings: [{ line: lineOf(four, 'redisVersion'), message: /retired/ }] },
    { name: 'allowed list admits 4: on the list', template: allowedFour, findings: [{ line: lineOf(allowedFour, 'allowedValues') }] },
  ],
});
