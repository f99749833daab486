import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cmkCluster, cmkDeployment, roleAssignment, vault } from './_enterprise';

const PRINCIPAL = "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-amr1'), '2023-01-31').principalId]";
const OTHER = "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-other'), '2023-01-31').principalId]";
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

const nothing = textOf(template(cmkDeployment({ role: null })));
const wrongRole = textOf(template(cmkDeployment({ role: roleAssignment(READER) })));
const otherPrincipal = textOf(template(cmkDeployment({ role: { ...roleAssignment(), properties: { ...(roleAssignment().properties as object), principalId: OTHER } } })));
const rgScope = textOf(template(cmkDeployment({ role: { ...roleAssignment(), scope: undefined } })));
const policyLacks = textOf(
  template(
    cmkDeployment({
      role: null,
      vault: vault({ enableRbacAuthorization: false, accessPolicies: [{ tenantId: '[subscription().tenantId]', objectId: PRINCIPAL, permissions: { keys: ['get', 'wrapKey'] } }] }),
    }),
  ),
);

ruleTester('keyvault-cmk-access', {
  valid: [
    { name: 'Crypto Service Encryption User at vault scope', template: template(cmkDeployment()) },
    { name: 'Crypto Officer (broader) at vault scope', template: template(cmkDeployment({ role: roleAssignment('14b46e9e-c2b7-41b4-b07b-48a6ebf60603') })) },
    { name: 'at key scope', template: template(cmkDeployment({ role: { ...roleAssignment(), scope: "[resourceId('Microsoft.KeyVault/vaults/keys', 'kv-amr1', 'cmk')]" } })) },
    {
      name: 'an access policy with get, wrapKey, unwrapKey',
      template: template(
        cmkDeployment({
          role: null,
          vault: vault({ enableRbacAuthorization: false, accessPolicies: [{ tenantId: '[subscription().tenantId]', objectId: PRINCIPAL, permissions: { keys: ['Get', 'WrapKey', 'UnwrapKey'] } }] }),
        }),
      ),
    },
    {
      name: 'an accessPolicies child resource',
      template: template([
        ...cmkDeployment({ role: null }),
        { type: 'Microsoft.KeyVault/vaults/accessPolicies', apiVersion: '2023-07-01', name: 'kv-amr1/add', properties: { accessPolicies: [{ tenantId: 't', objectId: PRINCIPAL, permissions: { keys: ['all'] } }] } },
      ]),
    },
    { name: 'principal a literal object id: cannot be known, silent', template: template(cmkDeployment({ role: { ...roleAssignment(), properties: { ...(roleAssignment().properties as object), principalId: '11111111-2222-3333-4444-555555555555' } } })) },
    { name: 'system-assigned key identity is redis-enterprise-cmk-identity\'s finding', template: template(cmkDeployment({ role: null, cluster: cmkCluster({ keyEncryptionKeyIdentity: { identityType: 'systemAssignedIdentity' } }) })) },
    { name: 'vault not in the deployment', template: template([cmkCluster()]) },
  ],
  invalid: [
    { name: 'no grant at all: on the vault declaration', template: nothing, findings: [{ line: lineOf(nothing, '"type": "Microsoft.KeyVault/vaults"'), message: /identity 'id-amr1'.*'amr1'.*Crypto Service Encryption User/, resource: 'kv-amr1' }] },
    { name: 'a role without wrap/unwrap: on its roleDefinitionId', template: wrongRole, findings: [{ line: lineOf(wrongRole, 'roleDefinitionId'), message: /role without wrapKey\/unwrapKey/ }] },
    { name: 'a grant to another identity does not count', template: otherPrincipal, findings: [{ line: lineOf(otherPrincipal, '"type": "Microsoft.KeyVault/vaults"') }] },
    { name: 'a resource-group scoped assignment is not at vault or key scope', template: rgScope, findings: [{ line: lineOf(rgScope, '"type": "Microsoft.KeyVault/vaults"') }] },
    { name: 'access policy lacks unwrapKey: on its key permissions', template: policyLacks, findings: [{ line: lineOf(policyLacks, '"keys"'), message: /lack get, wrapKey or unwrapKey/ }] },
  ],
});
