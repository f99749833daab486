import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cmkCluster, cmkDeployment, vault } from './_enterprise';

const noPurge = textOf(template(cmkDeployment({ vault: { ...vault(), properties: { tenantId: '[subscription().tenantId]', sku: { family: 'A', name: 'standard' }, enableSoftDelete: true } } })));
const purgeFalse = textOf(template(cmkDeployment({ vault: vault({ enablePurgeProtection: false }) })));
const softFalse = textOf(template(cmkDeployment({ vault: vault({ enableSoftDelete: false, enablePurgeProtection: true }) })));
const paramDefault = textOf(
  template(cmkDeployment({ vault: vault({ enablePurgeProtection: "[parameters('purge')]" }) }), { parameters: { purge: { type: 'bool', defaultValue: false } } }),
);
const literalUrl = textOf(
  template(cmkDeployment({ vault: vault({ enablePurgeProtection: false }), cluster: cmkCluster({ keyEncryptionKeyUrl: 'https://kv-amr1.vault.azure.net/keys/cmk/0123456789abcdef' }) })),
);
const unknownNames = textOf(
  template(
    [
      { ...vault({ enablePurgeProtection: false }), name: "[parameters('kv')]" },
      { type: 'Microsoft.KeyVault/vaults/keys', apiVersion: '2023-07-01', name: "[format('{0}/{1}', parameters('kv'), 'cmk')]", properties: { kty: 'RSA' } },
      cmkCluster({ keyEncryptionKeyUrl: "[reference(resourceId('Microsoft.KeyVault/vaults/keys', parameters('kv'), 'cmk'), '2023-07-01').keyUriWithVersion]" }),
    ],
    { parameters: { kv: { type: 'string', defaultValue: "[format('kv-{0}', uniqueString(resourceGroup().id))]" } } },
  ),
);

ruleTester('keyvault-cmk-recoverable', {
  valid: [
    { name: 'soft delete and purge protection on', template: template(cmkDeployment()) },
    { name: 'soft delete absent (on by default), purge protection on', template: template(cmkDeployment({ vault: vault({ enableSoftDelete: undefined }) })) },
    { name: 'a vault that holds no cluster key is not judged', template: template([vault({ enablePurgeProtection: false })]) },
    { name: 'vault not in the deployment: silent', template: template([cmkCluster()]) },
    {
      name: 'existing vault declared nowhere: its settings are unknown',
      template: template([{ type: 'Microsoft.KeyVault/vaults', apiVersion: '2023-07-01', name: 'kv-amr1', existing: true }, cmkCluster()]),
    },
    { name: 'purge protection from a required parameter: unknown', template: template(cmkDeployment({ vault: vault({ enablePurgeProtection: "[parameters('p')]" }) }), { parameters: { p: { type: 'bool' } } }) },
  ],
  invalid: [
    {
      name: 'purge protection absent: on properties',
      template: noPurge,
      findings: [{ line: lineOf(noPurge, '"properties"', lineOf(noPurge, 'Microsoft.KeyVault/vaults"')), message: /enablePurgeProtection is not set/, resource: 'kv-amr1' }],
    },
    { name: 'purge protection false', template: purgeFalse, findings: [{ line: lineOf(purgeFalse, 'enablePurgeProtection'), message: /enablePurgeProtection is false/ }] },
    { name: 'soft delete false', template: softFalse, findings: [{ line: lineOf(softFalse, 'enableSoftDelete'), message: /enableSoftDelete is false/ }] },
    { name: 'parameter default false: on the default', template: paramDefault, findings: [{ line: lineOf(paramDefault, 'defaultValue') }] },
    { name: 'vault found from a literal key URL', template: literalUrl, findings: [{ line: lineOf(literalUrl, 'enablePurgeProtection') }] },
    { name: 'vault and key names unknown (uniqueString): still followed', template: unknownNames, findings: [{ line: lineOf(unknownNames, 'enablePurgeProtection') }] },
  ],
});
