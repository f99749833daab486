import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cmkCluster, cmkDeployment, vault } from './_enterprise';

const otherRegion = textOf(template(cmkDeployment({ vault: vault({}, { location: 'northeurope' }) })));
const viaParam = textOf(
  template(cmkDeployment({ vault: vault({}, { location: "[parameters('kvLocation')]" }) }), { parameters: { kvLocation: { type: 'string', defaultValue: 'eastus' } } }),
);

ruleTester('keyvault-cmk-same-region', {
  valid: [
    { name: 'same region', template: template(cmkDeployment()) },
    { name: 'same region, spelled differently', template: template(cmkDeployment({ vault: vault({}, { location: 'West Europe' }) })) },
    {
      name: 'both from resourceGroup().location: same unknown value',
      template: template(cmkDeployment({ vault: vault({}, { location: "[parameters('location')]" }), cluster: cmkCluster({}, { location: "[parameters('location')]" }) }), {
        parameters: { location: { type: 'string', defaultValue: '[resourceGroup().location]' } },
      }),
    },
    { name: 'vault region unknown: never a guess', template: template(cmkDeployment({ vault: vault({}, { location: '[resourceGroup().location]' }) })) },
    { name: 'vault not in the deployment', template: template([cmkCluster()]) },
  ],
  invalid: [
    { name: 'vault in another region: on its location', template: otherRegion, findings: [{ line: lineOf(otherRegion, '"location": "northeurope"'), message: /'northeurope'.*'westeurope'/, resource: 'kv-amr1' }] },
    { name: 'region from a parameter default: on the default', template: viaParam, findings: [{ line: lineOf(viaParam, 'defaultValue') }] },
  ],
});
