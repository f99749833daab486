import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cmkDeployment, key, vault } from './_enterprise';

const ec = textOf(template(cmkDeployment({ key: key({ kty: 'EC', keySize: undefined, curveName: 'P-256' }) })));
const small = textOf(template(cmkDeployment({ key: key({ keySize: 1024 }) })));
const allowed = textOf(
  template(cmkDeployment({ key: key({ kty: "[parameters('kty')]" }) }), { parameters: { kty: { type: 'string', defaultValue: 'RSA', allowedValues: ['RSA', 'EC'] } } }),
);
const nested = textOf(template([{ ...vault(), resources: [{ type: 'keys', apiVersion: '2023-07-01', name: 'cmk', dependsOn: ['kv-amr1'], properties: { kty: 'oct-HSM' } }] }, ...cmkDeployment().filter((r) => (r as { type: string }).type !== 'Microsoft.KeyVault/vaults' && (r as { type: string }).type !== 'Microsoft.KeyVault/vaults/keys')]));

ruleTester('keyvault-cmk-rsa-key', {
  valid: [
    { name: 'RSA 2048', template: template(cmkDeployment()) },
    { name: 'RSA-HSM 3072', template: template(cmkDeployment({ key: key({ kty: 'RSA-HSM', keySize: 3072 }) })) },
    { name: 'keySize absent: 2048', template: template(cmkDeployment({ key: key({ keySize: undefined }) })) },
    { name: 'an EC key no cluster uses is not judged', template: template([vault(), key({ kty: 'EC' })]) },
    { name: 'kty from a required parameter: unknown', template: template(cmkDeployment({ key: key({ kty: "[parameters('kty')]" }) }), { parameters: { kty: { type: 'string' } } }) },
  ],
  invalid: [
    { name: 'EC key: on kty', template: ec, findings: [{ line: lineOf(ec, '"kty"'), message: /kty is 'EC'.*only RSA/, resource: 'kv-amr1/cmk' }] },
    { name: '1024-bit RSA key: on keySize', template: small, findings: [{ line: lineOf(small, '"keySize"'), message: /keySize is 1024/ }] },
    { name: 'RSA default, list admits EC: on the list', template: allowed, findings: [{ line: lineOf(allowed, 'allowedValues'), message: /'EC'/ }] },
    { name: 'key nested under the vault', template: nested, findings: [{ line: lineOf(nested, '"kty"'), message: /'oct-HSM'/ }] },
  ],
});
