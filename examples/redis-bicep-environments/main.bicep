// An Azure Cache for Redis deployed once per environment: each .bicepparam in this folder is one
// environment's configuration. The template's defaults are secure; what an environment changes is
// checked in its own parameter file.

@description('Name of the cache.')
param cacheName string

@description('Region of the cache and its private endpoint.')
param location string = resourceGroup().location

@description('Whether clients may connect on the non-TLS port 6379.')
param enableNonSslPort bool = false

@description('Lowest TLS version clients may use.')
@allowed([
  '1.2'
])
param minimumTlsVersion string = '1.2'

@description('Whether the cache endpoint is reachable from public networks.')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Disabled'

@description('Subnet of the private endpoint.')
param subnetId string

@description('Log Analytics workspace that receives the connection logs.')
param workspaceId string

resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: cacheName
  location: location
  tags: {
    owner: 'payments-team'
    dataClassification: 'confidential'
  }
  properties: {
    sku: {
      name: 'Premium'
      family: 'P'
      capacity: 1
    }
    redisVersion: '6'
    enableNonSslPort: enableNonSslPort
    minimumTlsVersion: minimumTlsVersion
    publicNetworkAccess: publicNetworkAccess
    disableAccessKeyAuthentication: true
    redisConfiguration: {
      'aad-enabled': 'true'
    }
  }
}

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: '${cacheName}-pe'
  location: location
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: '${cacheName}-pe'
        properties: {
          privateLinkServiceId: cache.id
          groupIds: [
            'redisCache'
          ]
        }
      }
    ]
  }
}

resource connectionLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'redis-connection-logs'
  scope: cache
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}
