// Azure Managed Redis / Redis Enterprise and Key Vault resources for rule tables.

export function cluster(properties: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.Cache/redisEnterprise',
    apiVersion: '2025-07-01',
    name: 'amr1',
    location: 'westeurope',
    tags: { owner: 'team-a' },
    sku: { name: 'Balanced_B1' },
    ...extra,
    ...(properties ? { properties } : {}),
  };
}

export function database(properties: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.Cache/redisEnterprise/databases',
    apiVersion: '2025-07-01',
    name: 'amr1/default',
    dependsOn: ["[resourceId('Microsoft.Cache/redisEnterprise', 'amr1')]"],
    ...extra,
    ...(properties ? { properties } : {}),
  };
}

/** A diagnostic setting scoped to the `amr1/default` database. */
export function dbDiagnostics(properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.Insights/diagnosticSettings',
    apiVersion: '2021-05-01-preview',
    name: 'db-logs',
    scope: "[resourceId('Microsoft.Cache/redisEnterprise/databases', 'amr1', 'default')]",
    dependsOn: ["[resourceId('Microsoft.Cache/redisEnterprise/databases', 'amr1', 'default')]"],
    properties,
    ...extra,
  };
}

export function privateEndpoint(serviceId: string, groupIds: string[] = ['redisEnterprise']): Record<string, unknown> {
  return {
    type: 'Microsoft.Network/privateEndpoints',
    apiVersion: '2023-11-01',
    name: 'pe-amr1',
    location: 'westeurope',
    properties: {
      subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'pe')]" },
      privateLinkServiceConnections: [{ name: 'amr1', properties: { privateLinkServiceId: serviceId, groupIds } }],
    },
  };
}

export const IDENTITY_ID = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-amr1')]";
export const KEY_URL = "[reference(resourceId('Microsoft.KeyVault/vaults/keys', 'kv-amr1', 'cmk'), '2023-07-01').keyUriWithVersion]";

export function identity(): Record<string, unknown> {
  return { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', apiVersion: '2023-01-31', name: 'id-amr1', location: 'westeurope' };
}

/** A cluster encrypted with `cmk` (from vault `kv-amr1`) through the `id-amr1` identity. */
export function cmkCluster(cmk: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return cluster(
    {
      minimumTlsVersion: '1.2',
      publicNetworkAccess: 'Disabled',
      encryption: {
        customerManagedKeyEncryption: {
          keyEncryptionKeyIdentity: { identityType: 'userAssignedIdentity', userAssignedIdentityResourceId: IDENTITY_ID },
          keyEncryptionKeyUrl: KEY_URL,
          ...cmk,
        },
      },
    },
    { identity: { type: 'UserAssigned', userAssignedIdentities: { [IDENTITY_ID]: {} } }, ...extra },
  );
}

export function vault(properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.KeyVault/vaults',
    apiVersion: '2023-07-01',
    name: 'kv-amr1',
    location: 'westeurope',
    properties: {
      tenantId: '[subscription().tenantId]',
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
      enableSoftDelete: true,
      enablePurgeProtection: true,
      ...properties,
    },
    ...extra,
  };
}

export function key(properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.KeyVault/vaults/keys',
    apiVersion: '2023-07-01',
    name: 'kv-amr1/cmk',
    dependsOn: ["[resourceId('Microsoft.KeyVault/vaults', 'kv-amr1')]"],
    properties: { kty: 'RSA', keySize: 2048, keyOps: ['wrapKey', 'unwrapKey'], ...properties },
    ...extra,
  };
}

export const CRYPTO_SERVICE_ENCRYPTION_USER = 'e147488a-f6f5-4113-8e2d-b22465e65bf6';

/** A role assignment of `role` to the `id-amr1` identity at vault scope. */
export function roleAssignment(role = CRYPTO_SERVICE_ENCRYPTION_USER, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.Authorization/roleAssignments',
    apiVersion: '2022-04-01',
    name: "[guid('kv-amr1', 'id-amr1', 'cmk')]",
    scope: 'Microsoft.KeyVault/vaults/kv-amr1',
    properties: {
      roleDefinitionId: `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${role}')]`,
      principalId: "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-amr1'), '2023-01-31').principalId]",
      principalType: 'ServicePrincipal',
    },
    ...extra,
  };
}

/** The whole reference deployment: identity, vault, key, role assignment, cluster. */
export function cmkDeployment(over: { cluster?: Record<string, unknown>; vault?: Record<string, unknown>; key?: Record<string, unknown>; role?: Record<string, unknown> | null } = {}): unknown[] {
  return [identity(), over.vault ?? vault(), over.key ?? key(), ...(over.role === null ? [] : [over.role ?? roleAssignment()]), over.cluster ?? cmkCluster()];
}
