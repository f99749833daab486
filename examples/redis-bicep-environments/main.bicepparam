using './main.bicep'

// Production: the template's secure defaults.
param cacheName = 'redis-payments-prod'
param subnetId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-payments-prod/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/private-endpoints'
param workspaceId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-prod'
