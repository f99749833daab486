import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cluster } from './_enterprise';

const e10 = textOf(template([cluster({}, { sku: { name: 'Enterprise_E10', capacity: 2 } })]));
const flash = textOf(template([cluster({}, { sku: { name: 'EnterpriseFlash_F300', capacity: 3 } })]));
const paramDefault = textOf(template([cluster({}, { sku: { name: "[parameters('sku')]" } })], { parameters: { sku: { type: 'string', defaultValue: 'Enterprise_E20' } } }));
const allowed = textOf(
  template([cluster({}, { sku: { name: "[parameters('sku')]" } })], {
    parameters: { sku: { type: 'string', defaultValue: 'Balanced_B5', allowedValues: ['Balanced_B5', 'Balanced_B10', 'Enterprise_E1', 'Enterprise_E5', 'Enterprise_E10', 'Enterprise_E20', 'EnterpriseFlash_F300'] } },
  }),
);
const requiredWithList = textOf(
  template([cluster({}, { sku: { name: "[parameters('sku')]" } })], { parameters: { sku: { type: 'string', allowedValues: ['Balanced_B1', 'Enterprise_E10'] } } }),
);

ruleTester('redis-enterprise-retired-sku', {
  valid: [
    { name: 'Balanced', template: cluster({}) },
    { name: 'MemoryOptimized', template: cluster({}, { sku: { name: 'MemoryOptimized_M20' } }) },
    { name: 'ComputeOptimized', template: cluster({}, { sku: { name: 'ComputeOptimized_X5' } }) },
    { name: 'FlashOptimized', template: cluster({}, { sku: { name: 'FlashOptimized_A250' } }) },
    { name: 'required parameter without list: unknown', template: template([cluster({}, { sku: { name: "[parameters('sku')]" } })], { parameters: { sku: { type: 'string' } } }) },
    { name: 'AMR-only allowed list', template: template([cluster({}, { sku: { name: "[parameters('sku')]" } })], { parameters: { sku: { type: 'string', defaultValue: 'Balanced_B1', allowedValues: ['Balanced_B1', 'Balanced_B3'] } } }) },
    { name: 'Microsoft.Cache/redis is redis-retirement, not this rule', template: { type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', properties: { sku: { name: 'Premium', family: 'P', capacity: 1 } } } },
  ],
  invalid: [
    {
      name: 'Enterprise_E10: on sku.name, with the dates',
      template: e10,
      findings: [{ line: lineOf(e10, '"name": "Enterprise_E10"'), message: /'Enterprise_E10'.*2026-04-01.*2027-03-31.*Azure Managed Redis/, path: 'sku.name', resource: 'amr1' }],
    },
    { name: 'EnterpriseFlash', template: flash, findings: [{ line: lineOf(flash, 'EnterpriseFlash_F300') }] },
    { name: 'from a parameter default: on the default', template: paramDefault, findings: [{ line: lineOf(paramDefault, 'defaultValue') }] },
    {
      name: 'AMR default whose list admits Enterprise SKUs: one finding, on the list',
      template: allowed,
      findings: [{ line: lineOf(allowed, 'allowedValues'), message: /'Enterprise_E1', 'Enterprise_E5', 'Enterprise_E10', 'Enterprise_E20' and 1 more/ }],
    },
    { name: 'required parameter whose list admits an Enterprise SKU: on the list', template: requiredWithList, findings: [{ line: lineOf(requiredWithList, 'allowedValues') }] },
  ],
});
