import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const absent = textOf(template([cache({ minimumTlsVersion: '1.2' })]));
const oldApi = textOf(template([cache({ minimumTlsVersion: '1.2' }, { apiVersion: '2019-07-01' })]));
const enabled = textOf(template([cache({ publicNetworkAccess: 'Enabled' })]));
const viaVariable = textOf(template([cache({ publicNetworkAccess: "[variables('access')]" })], { variables: { access: 'Enabled' } }));

ruleTester('redis-disable-public-network', {
  valid: [
    { name: 'Disabled', template: cache({ publicNetworkAccess: 'Disabled' }) },
    { name: 'VNet-injected cache', template: cache({ subnetId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'redis')]" }) },
    { name: 'strict mode: Disabled', template: cache({ publicNetworkAccess: 'Disabled' }), config: { strict: true } },
    { name: 'strict mode: a VNet-injected cache is still not judged', template: cache({ subnetId: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'redis')]" }), config: { strict: true } },
    { name: 'an if() that yields Disabled', template: template([cache({ publicNetworkAccess: "[if(parameters('private'), 'Disabled', 'Enabled')]" })], { parameters: { private: { type: 'bool', defaultValue: true } } }) },
  ],
  invalid: [
    { name: 'absent: API default Enabled', template: absent, findings: [{ line: lineOf(absent, '"properties"'), message: /not set; for 2024-11-01 the default is 'Enabled'/ }] },
    { name: 'old apiVersion: message says the property does not exist', template: oldApi, findings: [{ line: lineOf(oldApi, '"properties"'), message: /from 2020-06-01/ }] },
    { name: 'Enabled', template: enabled, findings: [{ line: lineOf(enabled, 'publicNetworkAccess') }] },
    { name: 'through a variable: on the variable', template: viaVariable, findings: [{ line: lineOf(viaVariable, '"access"') }] },
    // The default is Enabled, which is insecure: strict mode has nothing to add.
    { name: 'strict mode: absent is reported once, as Enabled', template: absent, config: { strict: true }, findings: [{ line: lineOf(absent, '"properties"'), message: /the default is 'Enabled'/ }] },
  ],
});
