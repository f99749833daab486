import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';

const c = (location: string): Record<string, unknown> => ({ type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c', location, tags: { a: 'b' }, properties: {} });
const outside = textOf(template([c('westeurope')]));
const linked = textOf(
  template([c('uksouth'), { type: 'Microsoft.Cache/redis/linkedServers', apiVersion: '2024-11-01', name: 'c/secondary', properties: { linkedRedisCacheId: "[resourceId('Microsoft.Cache/redis', 'c2')]", linkedRedisCacheLocation: 'North Europe', serverRole: 'Secondary' } }]),
);
const uk = { allowedLocations: ['uksouth', 'ukwest'] };

ruleTester('redis-allowed-locations', {
  valid: [
    { name: 'no allowed list configured: inactive', template: c('westeurope') },
    { name: 'inside the list (display name spelling)', template: c('UK South'), config: uk },
    { name: 'location from resourceGroup() is unknown', template: c('[resourceGroup().location]'), config: uk },
  ],
  invalid: [
    { name: 'outside the list', template: outside, config: uk, findings: [{ line: lineOf(outside, '"location"'), message: /westeurope/ }] },
    { name: 'geo-replica outside the list', template: linked, config: uk, findings: [{ line: lineOf(linked, 'linkedRedisCacheLocation') }] },
  ],
});
