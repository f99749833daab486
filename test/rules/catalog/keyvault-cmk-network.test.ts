import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cmkDeployment, vault } from './_enterprise';

const denyNone = textOf(template(cmkDeployment({ vault: vault({ networkAcls: { defaultAction: 'Deny', bypass: 'None' } }) })));
const privateNone = textOf(template(cmkDeployment({ vault: vault({ publicNetworkAccess: 'Disabled', networkAcls: { bypass: 'None', defaultAction: 'Allow' } }) })));
const allowed = textOf(
  template(cmkDeployment({ vault: vault({ networkAcls: { defaultAction: 'Deny', bypass: "[parameters('bypass')]" } }) }), {
    parameters: { bypass: { type: 'string', defaultValue: 'AzureServices', allowedValues: ['AzureServices', 'None'] } },
  }),
);

ruleTester('keyvault-cmk-network', {
  valid: [
    { name: 'Deny with AzureServices bypass', template: template(cmkDeployment({ vault: vault({ networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } }) })) },
    { name: 'Deny, bypass absent (AzureServices by default)', template: template(cmkDeployment({ vault: vault({ networkAcls: { defaultAction: 'Deny' } }) })) },
    { name: 'open firewall: bypass does not matter', template: template(cmkDeployment({ vault: vault({ networkAcls: { defaultAction: 'Allow', bypass: 'None' } }) })) },
    { name: 'no networkAcls', template: template(cmkDeployment()) },
    { name: 'a vault no cluster uses is not judged', template: template([vault({ networkAcls: { defaultAction: 'Deny', bypass: 'None' } })]) },
  ],
  invalid: [
    { name: "Deny with bypass 'None': on bypass", template: denyNone, findings: [{ line: lineOf(denyNone, '"bypass"'), message: /'Deny'.*bypass is 'None'.*'AzureServices'/, resource: 'kv-amr1' }] },
    { name: "public access disabled with bypass 'None'", template: privateNone, findings: [{ line: lineOf(privateNone, '"bypass"'), message: /publicNetworkAccess is 'Disabled'/ }] },
    { name: "allowed list admits 'None': on the list", template: allowed, findings: [{ line: lineOf(allowed, 'allowedValues') }] },
  ],
});
