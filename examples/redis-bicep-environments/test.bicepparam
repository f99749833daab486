using './main.bicep'

// A test environment that someone opened up "just for a day".
param cacheName = 'redis-payments-test'
param enableNonSslPort = true
param publicNetworkAccess = 'Enabled'
param subnetId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-payments-test/providers/Microsoft.Network/virtualNetworks/vnet-test/subnets/private-endpoints'
param workspaceId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-test'
