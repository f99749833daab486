import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const literal = textOf(template([cache({ sku: { name: 'Standard', family: 'C', capacity: 1 } })]));
const param = textOf(template([cache({ sku: { name: "[parameters('sku')]", family: 'C', capacity: 1 } })], { parameters: { sku: { type: 'string', defaultValue: 'Basic', allowedValues: ['Basic', 'Standard', 'Premium'] } } }));
const required = textOf(template([cache({ sku: { name: "[parameters('sku')]", family: 'C', capacity: 1 } })], { parameters: { sku: { type: 'string' } } }));

ruleTester('redis-retirement', {
  valid: [
    { name: 'an existing cache is not deployed here', template: { ...cache({}), existing: true } },
    { name: 'Azure Managed Redis is not concerned', template: { type: 'Microsoft.Cache/redisEnterprise', apiVersion: '2025-07-01', name: 'amr', location: 'westeurope', sku: { name: 'Balanced_B1' } } },
  ],
  invalid: [
    { name: 'a Standard cache: on sku.name, with the dates', template: literal, findings: [{ line: lineOf(literal, '"name": "Standard"'), message: /2026-04-01.*2028-09-30/ }] },
    { name: 'SKU from a parameter default: on the default, once', template: param, findings: [{ line: lineOf(param, 'defaultValue') }] },
    { name: 'SKU from a required parameter: still a finding, on sku.name', template: required, findings: [{ line: lineOf(required, "[parameters('sku')]") }] },
  ],
});
