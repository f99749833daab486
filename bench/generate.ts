// Deterministic generator of a large, realistic ARM deployment template for the benchmark:
// parameters (with allowedValues, object defaults), variables built from expressions, many
// Microsoft.Cache/redis caches (nested and top-level firewall rules, copy loops, access policy
// assignments, private endpoints, diagnostic settings scoped to the cache), and outputs.
// The same (targetChars, seed) always gives the same text, byte for byte.
//
//   node out/bench/generate.js [outFile] [targetChars]   # writes the template (default: stdout)

import { writeFileSync } from 'node:fs';

type J = null | boolean | number | string | J[] | { [k: string]: J };

/** mulberry32: small, fast, deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REDIS_API = ['2020-06-01', '2022-06-01', '2023-04-01', '2023-08-01', '2024-03-01', '2024-11-01'];
const REGIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus3', 'uksouth', 'swedencentral'];
const TEAMS = ['payments', 'catalog', 'identity', 'search', 'checkout', 'telemetry', 'notifications', 'pricing'];
const DIAG_CATEGORIES = ['ConnectedClientList', 'MSEntraAuthenticationAuditLog'];

export interface GeneratedTemplate {
  text: string;
  caches: number;
  resources: number;
  parameters: number;
  variables: number;
}

function build(groups: number, seed: number): { doc: J; resources: number; parameters: number; variables: number } {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number): boolean => rnd() < p;

  const parameters: Record<string, J> = {
    location: { type: 'string', defaultValue: '[resourceGroup().location]', metadata: { description: 'Location for all resources.' } },
    environmentName: { type: 'string', defaultValue: 'prod', allowedValues: ['dev', 'test', 'staging', 'prod'], metadata: { description: 'Environment short name.' } },
    namePrefix: { type: 'string', defaultValue: 'contoso', minLength: 3, maxLength: 12, metadata: { description: 'Prefix for resource names.' } },
    minimumTlsVersion: { type: 'string', defaultValue: '1.2', allowedValues: ['1.0', '1.1', '1.2'], metadata: { description: 'Minimum TLS version clients may use.' } },
    enableNonSslPort: { type: 'bool', defaultValue: false, metadata: { description: 'Whether the non-TLS port 6379 is enabled.' } },
    publicNetworkAccess: { type: 'string', defaultValue: 'Disabled', allowedValues: ['Enabled', 'Disabled'] },
    redisVersion: { type: 'string', defaultValue: '6', allowedValues: ['4', '6', 'latest'] },
    logAnalyticsWorkspaceId: {
      type: 'string',
      defaultValue: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-platform',
      metadata: { description: 'Resource id of the Log Analytics workspace; empty disables diagnostics.' },
    },
    subnetId: { type: 'string', metadata: { description: 'Subnet for private endpoints.' } },
    allowedRanges: {
      type: 'array',
      defaultValue: [
        { name: 'office', start: '203.0.113.0', end: '203.0.113.255' },
        { name: 'vpn', start: '198.51.100.10', end: '198.51.100.20' },
        { name: 'build', start: '192.0.2.4', end: '192.0.2.4' },
      ],
    },
    tags: { type: 'object', defaultValue: { costCenter: 'CC-1234', owner: 'platform-team@contoso.com', dataClassification: 'internal' } },
    deployDiagnostics: { type: 'bool', defaultValue: true },
    entraObjectIds: { type: 'array', defaultValue: ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'] },
  };
  const variables: Record<string, J> = {
    suffix: '[uniqueString(resourceGroup().id, deployment().name)]',
    baseName: "[format('{0}-{1}', parameters('namePrefix'), parameters('environmentName'))]",
    commonTags: "[union(parameters('tags'), createObject('environment', parameters('environmentName'), 'managedBy', 'arm'))]",
    diagnosticsEnabled: "[and(parameters('deployDiagnostics'), not(empty(parameters('logAnalyticsWorkspaceId'))))]",
    skuMap: {
      dev: { name: 'Basic', family: 'C', capacity: 0 },
      test: { name: 'Standard', family: 'C', capacity: 1 },
      staging: { name: 'Standard', family: 'C', capacity: 2 },
      prod: { name: 'Premium', family: 'P', capacity: 1 },
    },
    diagnosticLogs: DIAG_CATEGORIES.map((c) => ({ category: c, enabled: true, retentionPolicy: { enabled: false, days: 0 } })),
    privateDnsZoneName: "[format('privatelink.redis.cache.{0}', environment().suffixes.storage)]",
  };
  const resources: J[] = [];
  const outputs: Record<string, J> = {};

  for (let g = 0; g < groups; g++) {
    const team = pick(TEAMS);
    const id = `${team}${String(g).padStart(3, '0')}`;
    const nameVar = `${id}CacheName`;
    const nameRef = `variables('${nameVar}')`;
    const capParam = `${id}Capacity`;
    parameters[capParam] = {
      type: 'int',
      defaultValue: 1 + Math.floor(rnd() * 4),
      allowedValues: [0, 1, 2, 3, 4, 5, 6],
      metadata: { description: `Cache capacity for the ${team} workload (${id}).` },
    };
    const regionParam = `${id}Location`;
    if (chance(0.3)) parameters[regionParam] = { type: 'string', defaultValue: pick(REGIONS), metadata: { description: `Region of ${id}.` } };
    variables[nameVar] = `[format('{0}-${team}-{1}-{2}', variables('baseName'), '${g}', take(variables('suffix'), 6))]`;
    variables[`${id}Settings`] = {
      maxmemoryPolicy: pick(['volatile-lru', 'allkeys-lru', 'noeviction']),
      maxfragmentationmemoryReserved: String(30 + Math.floor(rnd() * 200)),
      notifyKeyspaceEvents: chance(0.2) ? 'KEA' : '',
      backup: { enabled: chance(0.4), frequencyMinutes: pick([15, 30, 60, 360, 720, 1440]), maxSnapshotCount: 1 },
    };

    // Some caches are written insecurely, some take their value from parameters, some omit it.
    const tls = pick(["[parameters('minimumTlsVersion')]", '1.2', '1.2', '1.0', '1.1', null]);
    const nonSsl = pick(["[parameters('enableNonSslPort')]", false, false, true, null]);
    const pna = pick(["[parameters('publicNetworkAccess')]", 'Disabled', 'Enabled', null]);
    const apiVersion = pick(REDIS_API);
    const premium = chance(0.5);
    const props: Record<string, J> = {
      sku: premium
        ? { name: 'Premium', family: 'P', capacity: `[parameters('${capParam}')]` }
        : {
            name: "[variables('skuMap')[parameters('environmentName')].name]",
            family: "[variables('skuMap')[parameters('environmentName')].family]",
            capacity: "[variables('skuMap')[parameters('environmentName')].capacity]",
          },
      redisConfiguration: {
        'maxmemory-policy': `[variables('${id}Settings').maxmemoryPolicy]`,
        'maxfragmentationmemory-reserved': `[variables('${id}Settings').maxfragmentationmemoryReserved]`,
        'notify-keyspace-events': `[variables('${id}Settings').notifyKeyspaceEvents]`,
        'aad-enabled': pick(['true', 'True', 'false', "[string(not(empty(parameters('entraObjectIds'))))]"]),
        ...(premium
          ? {
              'rdb-backup-enabled': `[string(variables('${id}Settings').backup.enabled)]`,
              'rdb-backup-frequency': `[string(variables('${id}Settings').backup.frequencyMinutes)]`,
              'rdb-backup-max-snapshot-count': `[string(variables('${id}Settings').backup.maxSnapshotCount)]`,
            }
          : {}),
      },
      redisVersion: pick(["[parameters('redisVersion')]", '6', '6.0', '4', 'latest']),
    };
    if (tls !== null) props.minimumTlsVersion = tls;
    if (nonSsl !== null) props.enableNonSslPort = nonSsl;
    if (pna !== null) props.publicNetworkAccess = pna;
    if (chance(0.5)) props.disableAccessKeyAuthentication = chance(0.6);
    if (premium && chance(0.3)) props.shardCount = 1 + Math.floor(rnd() * 3);
    if (premium && chance(0.2)) props.replicasPerPrimary = 1 + Math.floor(rnd() * 2);
    if (chance(0.15)) props.staticIP = `10.${g % 250}.${Math.floor(rnd() * 250)}.${4 + Math.floor(rnd() * 200)}`;

    const nested: J[] = [];
    const nFw = Math.floor(rnd() * 4);
    for (let k = 0; k < nFw; k++) {
      const wide = chance(0.15);
      nested.push({
        type: 'firewallRules',
        apiVersion,
        name: `rule${k}`,
        dependsOn: [`[resourceId('Microsoft.Cache/redis', ${nameRef})]`],
        properties: wide
          ? { startIP: '0.0.0.0', endIP: '255.255.255.255' }
          : { startIP: `10.${k}.${g % 250}.0`, endIP: `10.${k}.${g % 250}.${16 + Math.floor(rnd() * 200)}` },
      });
    }
    const cache: Record<string, J> = {
      type: 'Microsoft.Cache/redis',
      apiVersion,
      name: `[${nameRef}]`,
      location: parameters[regionParam] ? `[parameters('${regionParam}')]` : "[parameters('location')]",
      tags: chance(0.8) ? "[union(variables('commonTags'), createObject('team', '" + team + "', 'workload', '" + id + "'))]" : { team },
      ...(chance(0.1) ? { zones: ['1', '2', '3'] } : {}),
      ...(chance(0.25) ? { identity: { type: 'SystemAssigned' } } : {}),
      properties: props,
    };
    if (nested.length) cache.resources = nested;
    if (chance(0.05)) cache.metadata = { 'redis-posture': { suppress: ['redis-min-tls'] } };
    resources.push(cache);

    // Top-level firewall rules from the allowedRanges parameter (a copy loop).
    if (chance(0.6)) {
      resources.push({
        type: 'Microsoft.Cache/redis/firewallRules',
        apiVersion,
        name: `[format('{0}/{1}', ${nameRef}, parameters('allowedRanges')[copyIndex()].name)]`,
        copy: { name: `${id}FirewallCopy`, count: "[length(parameters('allowedRanges'))]", mode: 'Serial', batchSize: 1 },
        properties: {
          startIP: "[parameters('allowedRanges')[copyIndex()].start]",
          endIP: "[parameters('allowedRanges')[copyIndex()].end]",
        },
        dependsOn: [`[resourceId('Microsoft.Cache/redis', ${nameRef})]`],
      });
    }
    // Entra access policy assignments.
    if (chance(0.4)) {
      resources.push({
        type: 'Microsoft.Cache/redis/accessPolicyAssignments',
        apiVersion: '2024-03-01',
        name: `[format('{0}/{1}', ${nameRef}, guid(resourceGroup().id, ${nameRef}, parameters('entraObjectIds')[copyIndex()]))]`,
        copy: { name: `${id}AccessCopy`, count: "[length(parameters('entraObjectIds'))]" },
        properties: {
          accessPolicyName: pick(['Data Owner', 'Data Contributor', 'Data Reader']),
          objectId: "[parameters('entraObjectIds')[copyIndex()]]",
          objectIdAlias: `[format('${id}-principal-{0}', copyIndex(1))]`,
        },
        dependsOn: [`[resourceId('Microsoft.Cache/redis', ${nameRef})]`],
      });
    }
    // Private endpoint for about half of them.
    if (chance(0.5)) {
      resources.push({
        type: 'Microsoft.Network/privateEndpoints',
        apiVersion: '2023-09-01',
        name: `[format('pe-{0}', ${nameRef})]`,
        location: "[parameters('location')]",
        tags: "[variables('commonTags')]",
        properties: {
          subnet: { id: "[parameters('subnetId')]" },
          privateLinkServiceConnections: [
            {
              name: `[format('plsc-{0}', ${nameRef})]`,
              properties: {
                privateLinkServiceId: `[resourceId('Microsoft.Cache/redis', ${nameRef})]`,
                groupIds: ['redisCache'],
              },
            },
          ],
          customNetworkInterfaceName: `[format('nic-pe-{0}', ${nameRef})]`,
        },
        dependsOn: [`[resourceId('Microsoft.Cache/redis', ${nameRef})]`],
      });
    }
    // Diagnostic settings scoped to the cache.
    if (chance(0.7)) {
      resources.push({
        condition: "[variables('diagnosticsEnabled')]",
        type: 'Microsoft.Insights/diagnosticSettings',
        apiVersion: '2021-05-01-preview',
        scope: `[format('Microsoft.Cache/redis/{0}', ${nameRef})]`,
        name: `[format('{0}-diagnostics', ${nameRef})]`,
        properties: {
          workspaceId: "[parameters('logAnalyticsWorkspaceId')]",
          logs: "[variables('diagnosticLogs')]",
          metrics: [{ category: 'AllMetrics', enabled: true, retentionPolicy: { enabled: false, days: 0 } }],
          logAnalyticsDestinationType: 'Dedicated',
        },
        dependsOn: [`[resourceId('Microsoft.Cache/redis', ${nameRef})]`],
      });
    }
    outputs[`${id}HostName`] = { type: 'string', value: `[reference(resourceId('Microsoft.Cache/redis', ${nameRef}), '${apiVersion}').hostName]` };
    if (chance(0.3)) outputs[`${id}SslPort`] = { type: 'int', value: `[reference(resourceId('Microsoft.Cache/redis', ${nameRef}), '${apiVersion}').sslPort]` };
  }

  const doc: J = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { _generator: { name: 'azure-redis-posture-bench', version: '1.0.0', templateHash: String(seed) } },
    parameters,
    variables,
    resources,
    outputs,
  };
  return { doc, resources: resources.length, parameters: Object.keys(parameters).length, variables: Object.keys(variables).length };
}

/** A template of about `targetChars` characters (the smallest number of cache groups reaching it). */
export function generateTemplate(targetChars = 1_000_000, seed = 0x5eed): GeneratedTemplate {
  const render = (groups: number) => {
    const b = build(groups, seed);
    return { ...b, groups, text: JSON.stringify(b.doc, null, 2) + '\n' };
  };
  // Estimate from a sample, then step to the smallest group count that reaches the target.
  const sample = render(20);
  let groups = Math.max(1, Math.round((20 * targetChars) / sample.text.length));
  let cur = render(groups);
  while (cur.text.length < targetChars) cur = render(++groups);
  while (groups > 1) {
    const prev = render(groups - 1);
    if (prev.text.length < targetChars) break;
    cur = prev;
    groups--;
  }
  return { text: cur.text, caches: cur.groups, resources: cur.resources, parameters: cur.parameters, variables: cur.variables };
}

if (require.main === module) {
  const [out, size] = process.argv.slice(2);
  const t = generateTemplate(size ? Number(size) : undefined);
  if (out) {
    writeFileSync(out, t.text);
    process.stderr.write(`${out}: ${t.text.length} chars, ${t.caches} caches, ${t.resources} top-level resources\n`);
  } else process.stdout.write(t.text);
}
