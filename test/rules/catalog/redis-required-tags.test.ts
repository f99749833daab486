import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';

const untagged = textOf(template([{ type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', location: 'uksouth', properties: {} }]));
const partly = textOf(template([{ type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', location: 'uksouth', tags: { owner: 'x' }, properties: {} }]));
const nullTags = textOf(
  template([{ type: 'Microsoft.Cache/redisEnterprise', apiVersion: '2025-07-01', name: 'amr', location: 'uksouth', tags: "[parameters('tags')]", sku: { name: 'Balanced_B1' } }], {
    parameters: { tags: { type: 'object', nullable: true } },
  }),
);

ruleTester('redis-required-tags', {
  valid: [
    { name: 'one tag satisfies the default', template: { type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', tags: { env: 'prod' } } },
    { name: 'tags from a required parameter are unknown', template: template([{ type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', tags: "[parameters('tags')]" }], { parameters: { tags: { type: 'object' } } }) },
    { name: 'configured tags present', template: { type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', tags: { Owner: 'a', dataClassification: 'b' } }, config: { requiredTags: ['owner', 'dataClassification'] } },
  ],
  invalid: [
    { name: 'no tags: on the type line', template: untagged, findings: [{ line: lineOf(untagged, '"type"') }] },
    { name: 'configured tag missing: on tags', template: partly, config: { requiredTags: ['owner', 'dataClassification'] }, findings: [{ line: lineOf(partly, '"tags"'), message: /dataClassification/ }] },
    { name: 'nullable tags parameter is null: on the written tags property', template: nullTags, findings: [{ line: lineOf(nullTags, '"tags": "[') }] },
  ],
});
