import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { IDENTITY_ID, cluster, cmkCluster } from './_enterprise';

const systemAssigned = textOf(template([cmkCluster({ keyEncryptionKeyIdentity: { identityType: 'systemAssignedIdentity' } }, { identity: { type: 'SystemAssigned' } })]));
const noIdentity = textOf(template([cmkCluster({}, { identity: undefined })]));
const notAttached = textOf(
  template([cmkCluster({ keyEncryptionKeyIdentity: { identityType: 'userAssignedIdentity', userAssignedIdentityResourceId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-b' } }, {
    identity: { type: 'UserAssigned', userAssignedIdentities: { '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-a': {} } },
  })]),
);
const unversioned = textOf(template([cmkCluster({ keyEncryptionKeyUrl: 'https://kv-amr1.vault.azure.net/keys/cmk' })]));
const unversionedRef = textOf(template([cmkCluster({ keyEncryptionKeyUrl: "[reference(resourceId('Microsoft.KeyVault/vaults/keys', 'kv-amr1', 'cmk'), '2023-07-01').keyUri]" })]));
const noUrl = textOf(template([cluster({ encryption: { customerManagedKeyEncryption: { keyEncryptionKeyIdentity: { identityType: 'userAssignedIdentity', userAssignedIdentityResourceId: IDENTITY_ID } } } }, { identity: { type: 'UserAssigned', userAssignedIdentities: { [IDENTITY_ID]: {} } } })]));
const noKid = textOf(template([cluster({ encryption: { customerManagedKeyEncryption: { keyEncryptionKeyUrl: 'https://kv-amr1.vault.azure.net/keys/cmk/0123456789abcdef' } } }, { identity: { type: 'UserAssigned', userAssignedIdentities: { [IDENTITY_ID]: {} } } })]));

ruleTester('redis-enterprise-cmk-identity', {
  valid: [
    { name: 'user-assigned identity attached, versioned URL from keyUriWithVersion', template: cmkCluster() },
    { name: 'literal versioned URL', template: cmkCluster({ keyEncryptionKeyUrl: 'https://kv-amr1.vault.azure.net/keys/cmk/0123456789abcdef0123456789abcdef' }) },
    { name: 'SystemAssigned, UserAssigned', template: cmkCluster({}, { identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [IDENTITY_ID]: {} } } }) },
    { name: 'no CMK configured: nothing to check', template: cluster({ publicNetworkAccess: 'Disabled' }) },
    { name: 'encryption null: nothing to check', template: cluster({ encryption: null }) },
    {
      name: 'identity from a required parameter: unknown',
      template: template([cmkCluster({}, { identity: "[parameters('identity')]" })], { parameters: { identity: { type: 'object' } } }),
    },
    { name: 'key URL from a required parameter: unknown', template: template([cmkCluster({ keyEncryptionKeyUrl: "[parameters('url')]" })], { parameters: { url: { type: 'string' } } }) },
    {
      name: 'identity key written as another expression: cannot be compared, silent',
      template: template([cmkCluster({}, { identity: { type: 'UserAssigned', userAssignedIdentities: { "[variables('id')]": {} } } })], { variables: { id: IDENTITY_ID } }),
    },
  ],
  invalid: [
    {
      name: 'system-assigned key identity and identity: one finding, on identityType',
      template: systemAssigned,
      findings: [{ line: lineOf(systemAssigned, 'identityType'), message: /'systemAssignedIdentity'.*'userAssignedIdentity'.*identity\.type is 'SystemAssigned'/, resource: 'amr1' }],
    },
    { name: 'no identity on the cluster: on the type line', template: noIdentity, findings: [{ line: lineOf(noIdentity, '"type": "Microsoft.Cache/redisEnterprise"'), message: /no user-assigned identity/ }] },
    { name: 'CMK identity not among the attached ones', template: notAttached, findings: [{ line: lineOf(notAttached, 'userAssignedIdentities'), message: /not attached/ }] },
    { name: 'unversioned literal key URL', template: unversioned, findings: [{ line: lineOf(unversioned, 'keyEncryptionKeyUrl'), message: /no key version/ }] },
    { name: 'reference(...).keyUri (no version)', template: unversionedRef, findings: [{ line: lineOf(unversionedRef, 'keyEncryptionKeyUrl'), message: /no key version/ }] },
    { name: 'no key URL: on customerManagedKeyEncryption', template: noUrl, findings: [{ line: lineOf(noUrl, 'customerManagedKeyEncryption'), message: /keyEncryptionKeyUrl is not set/ }] },
    { name: 'no keyEncryptionKeyIdentity', template: noKid, findings: [{ line: lineOf(noKid, 'customerManagedKeyEncryption'), message: /keyEncryptionKeyIdentity is not set/ }] },
  ],
});
