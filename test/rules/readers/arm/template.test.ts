import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readDeployment } from '../../../../rules/engine';
import { ObjectVal, prim, prop, toJson } from '../../../../rules/model';
import { editTree, parseJsonDoc } from '../../../../rules/readers/arm/json';
import { ArmTemplateReader, keepsReading } from '../../../../rules/readers/arm/template';
import { SCHEMA } from '../../../helpers/rule-tester';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanText } from '../../../../rules/engine';
import { fixEdits } from '../../../../rules/writers/arm';

function read(t: Record<string, unknown>, parameters?: Record<string, unknown>) {
  const text = JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...t }, null, 2);
  const p = parameters ? { file: 't.parameters.json', text: JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', parameters }) } : undefined;
  const r = readDeployment('t.json', text, { parameters: p });
  assert.ok(r.deployment, 'read as a template');
  return r.deployment;
}

const cache = { type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'c1', properties: { minimumTlsVersion: '1.2' } };

describe('ARM template reader', () => {
  it('reads child resources written three ways into the same tree', () => {
    const d = read({
      resources: [
        { ...cache, resources: [{ type: 'firewallRules', apiVersion: '2024-11-01', name: 'nested', properties: {} }] },
        { type: 'Microsoft.Cache/redis/firewallRules', apiVersion: '2024-11-01', name: 'c1/slashed', properties: {} },
        { type: 'Microsoft.Cache/redis/firewallRules', apiVersion: '2024-11-01', name: "[format('{0}/{1}', 'c1', 'formatted')]", properties: {} },
      ],
    });
    const c = d.resources.find((r) => r.type === 'Microsoft.Cache/redis')!;
    assert.deepEqual(c.children.map((x) => x.fullName).sort(), ['c1/formatted', 'c1/nested', 'c1/slashed']);
    assert.ok(c.children.every((x) => x.type.toLowerCase() === 'microsoft.cache/redis/firewallrules'));
  });

  it('reads languageVersion 2.0 symbolic-name resources', () => {
    const d = read({ languageVersion: '2.0', resources: { cache } });
    assert.equal(d.resources.length, 1);
    assert.equal(d.resources[0].fullName, 'c1');
  });

  it('expands copy loops over known counts and skips false conditions', () => {
    const d = read({
      parameters: { names: { type: 'array', defaultValue: ['a', 'b', 'c'] }, deploy: { type: 'bool', defaultValue: false } },
      resources: [
        { ...cache, name: "[parameters('names')[copyIndex()]]", copy: { name: 'caches', count: "[length(parameters('names'))]" } },
        { ...cache, name: 'skipped', condition: "[parameters('deploy')]" },
        { ...cache, name: 'none', copy: { name: 'zero', count: 0 } },
      ],
    });
    assert.deepEqual(d.resources.map((r) => r.fullName), ['a', 'b', 'c']);
  });

  it('checks a loop with an unknown count once', () => {
    const d = read({ parameters: { n: { type: 'int' } }, resources: [{ ...cache, name: "[format('c{0}', copyIndex())]", copy: { name: 'l', count: "[parameters('n')]" } }] });
    assert.equal(d.resources.length, 1);
  });

  it('binds inner-scope nested deployment parameters from the caller, outer scope sees the caller', () => {
    const d = read({
      parameters: { tls: { type: 'string', defaultValue: '1.0' } },
      resources: [
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'inner',
          properties: {
            expressionEvaluationOptions: { scope: 'inner' },
            mode: 'Incremental',
            parameters: { tls: { value: "[parameters('tls')]" } },
            template: { $schema: SCHEMA, contentVersion: '1.0.0.0', parameters: { tls: { type: 'string', defaultValue: '1.2' }, port: { type: 'bool', defaultValue: true } }, resources: [{ ...cache, name: 'innerCache', properties: { minimumTlsVersion: "[parameters('tls')]", enableNonSslPort: "[parameters('port')]" } }] },
          },
        },
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'outer',
          properties: { mode: 'Incremental', template: { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [{ ...cache, name: 'outerCache', properties: { minimumTlsVersion: "[parameters('tls')]" } }] } },
        },
      ],
    });
    const inner = d.resources.find((r) => r.fullName === 'innerCache')!;
    assert.equal(prim(prop(inner.body, 'properties', 'minimumTlsVersion')), '1.0');
    assert.equal(prim(prop(inner.body, 'properties', 'enableNonSslPort')), true);
    assert.equal(prop(inner.body, 'properties', 'enableNonSslPort')?.origin?.kind, 'moduleDefault');
    assert.ok(inner.module, 'inner resources know their module call');
    const outer = d.resources.find((r) => r.fullName === 'outerCache')!;
    assert.equal(prim(prop(outer.body, 'properties', 'minimumTlsVersion')), '1.0');
    assert.equal(d.moduleCalls.length, 2);
  });

  it('takes parameter values from the parameter file over defaults, with their location', () => {
    const d = read({ parameters: { tls: { type: 'string', defaultValue: '1.0' } }, resources: [{ ...cache, properties: { minimumTlsVersion: "[parameters('tls')]" } }] }, { tls: { value: '1.2' } });
    const v = prop(d.resources[0].body, 'properties', 'minimumTlsVersion')!;
    assert.equal(prim(v), '1.2');
    assert.equal(v.origin?.kind, 'parameterFile');
    assert.equal(v.at?.file, 't.parameters.json');
  });

  it('treats nullable parameters without default as null and others as unknown', () => {
    const d = read({ parameters: { a: { type: 'string', nullable: true }, b: { type: 'string' } }, resources: [{ ...cache, properties: { x: "[parameters('a')]", y: "[parameters('b')]" } }] });
    assert.equal(prim(prop(d.resources[0].body, 'properties', 'x')), null);
    assert.equal(prop(d.resources[0].body, 'properties', 'y')?.kind, 'unknown');
  });

  it('evaluates user-defined functions', () => {
    const d = read({
      functions: [{ namespace: 'ns', members: { name: { parameters: [{ name: 'p', type: 'string' }], output: { type: 'string', value: "[format('redis-{0}', parameters('p'))]" } } } }],
      resources: [{ ...cache, name: "[ns.name('x')]" }],
    });
    assert.equal(d.resources[0].fullName, 'redis-x');
  });

  it('expands property iteration (properties.copy) into the named array', () => {
    const d = read({
      parameters: { categories: { type: 'array', defaultValue: ['ConnectedClientList', 'MSEntraAuthenticationAuditLog'] } },
      resources: [
        cache,
        {
          type: 'Microsoft.Insights/diagnosticSettings',
          apiVersion: '2021-05-01-preview',
          name: 'logs',
          scope: "[format('Microsoft.Cache/redis/{0}', 'c1')]",
          properties: {
            workspaceId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w',
            copy: [{ name: 'logs', count: "[length(parameters('categories'))]", input: { category: "[parameters('categories')[copyIndex('logs')]]", enabled: true } }],
          },
        },
      ],
    });
    const setting = d.resources.find((r) => r.type === 'Microsoft.Insights/diagnosticSettings')!;
    const logs = prop(setting.body, 'properties', 'logs');
    assert.equal(logs?.kind, 'array');
    assert.deepEqual(logs?.kind === 'array' && logs.items.map((l) => prim(prop(l, 'category'))), ['ConnectedClientList', 'MSEntraAuthenticationAuditLog']);
    assert.equal(prop(setting.body, 'properties', 'copy'), undefined);
  });

  it('expands property iteration in objects below properties, and leaves a plain property called copy alone', () => {
    const d = read({
      parameters: { subnetIds: { type: 'array', defaultValue: ['/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a', '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/b'] } },
      resources: [
        {
          type: 'Microsoft.Compute/virtualMachines',
          apiVersion: '2024-07-01',
          name: 'vm1',
          properties: {
            storageProfile: { copy: [{ name: 'dataDisks', count: 2, input: { lun: "[copyIndex('dataDisks')]", createOption: 'Empty', diskSizeGB: 64 } }] },
            networkProfile: { networkInterfaceConfigurations: [{ name: 'nic', properties: { copy: [{ name: 'ipConfigurations', count: "[length(parameters('subnetIds'))]", input: { name: "[format('ip{0}', copyIndex('ipConfigurations'))]", subnet: "[parameters('subnetIds')[copyIndex('ipConfigurations')]]" } }] } }] },
            osProfile: { copy: ['not', 'an iteration'] },
          },
        },
      ],
    });
    const vm = d.resources[0];
    const disks = prop(vm.body, 'properties', 'storageProfile', 'dataDisks');
    assert.deepEqual(disks?.kind === 'array' && disks.items.map((x) => prim(prop(x, 'lun'))), [0, 1]);
    assert.equal(prop(vm.body, 'properties', 'storageProfile', 'copy'), undefined);
    const nics = prop(vm.body, 'properties', 'networkProfile', 'networkInterfaceConfigurations');
    const ips = nics?.kind === 'array' ? prop(nics.items[0], 'properties', 'ipConfigurations') : undefined;
    assert.deepEqual(ips?.kind === 'array' && ips.items.map((x) => prim(prop(x, 'name'))), ['ip0', 'ip1']);
    assert.deepEqual(ips?.kind === 'array' && ips.items.map((x) => String(prim(prop(x, 'subnet'))).split('/').pop()), ['a', 'b']);
    assert.equal(prop(vm.body, 'properties', 'osProfile', 'copy')?.kind, 'array', 'a copy property without name/input stays a property');
  });

  it('expands resource copy loops up to ARM\'s limit of 800', () => {
    const d = read({
      resources: [{ ...cache, name: "[format('c{0}', copyIndex())]", copy: { name: 'caches', count: 300 } }],
    });
    assert.equal(d.resources.length, 300);
    assert.equal(d.resources[299].name, 'c299');
  });

  it('keeps an existing resource marked existing', () => {
    const d = read({ resources: [{ ...cache, existing: true }] });
    assert.equal(d.resources[0].existing, true);
  });
});

describe('ARM template reader: values evaluated when read', () => {
  const d = () =>
    read({
      parameters: { tls: { type: 'string', defaultValue: '1.2' } },
      variables: { sku: { name: 'Premium', family: 'P', capacity: 1 } },
      resources: [
        {
          ...cache,
          dependsOn: ["[resourceId('Microsoft.Network/virtualNetworks', 'vnet')]"],
          properties: { minimumTlsVersion: "[parameters('tls')]", sku: "[variables('sku')]", enableNonSslPort: false },
          resources: [{ type: 'firewallRules', apiVersion: '2024-11-01', name: 'r1', properties: {} }],
        },
      ],
    });

  it('gives the same members by key, by iteration and as JSON', () => {
    const c = d().resources.find((r) => r.type === 'Microsoft.Cache/redis')!;
    assert.equal(prim(prop(c.body, 'properties', 'minimumTlsVersion')), '1.2');
    assert.deepEqual(toJson(prop(c.body, 'properties')), { minimumTlsVersion: '1.2', sku: { name: 'Premium', family: 'P', capacity: 1 }, enableNonSslPort: false });
    assert.deepEqual([...c.body.members.keys()], ['type', 'apiversion', 'name', 'properties', 'dependson']);
    // The nested resources are children, not part of the body.
    assert.equal(c.body.members.has('resources'), false);
    assert.equal(c.body.members.size, 5);
    assert.equal(prop(c.body, 'dependson')?.kind, 'array');
  });

  it('can be written to like any map (the members it has are kept, evaluated)', () => {
    const c = d().resources.find((r) => r.type === 'Microsoft.Cache/redis')!;
    const props = prop(c.body, 'properties')!;
    assert.equal(props.kind, 'object');
    if (props.kind !== 'object') return;
    props.members.delete('enablenonsslport');
    props.members.set('redisversion', { key: 'redisVersion', value: { kind: 'prim', value: '6' } });
    assert.deepEqual(toJson(props), { minimumTlsVersion: '1.2', sku: { name: 'Premium', family: 'P', capacity: 1 }, redisVersion: '6' });
  });
});

describe('ARM template reader: which edits leave what it read true (keepsReading)', () => {
  /** Reads `t`, edits it with `change` through editTree, and asks keepsReading about that edit. */
  function keeps(t: Record<string, unknown>, change: (text: string) => string): boolean {
    const text = JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...t }, null, 2);
    const root = parseJsonDoc('t.json', text).doc!.root;
    const reader = new ArmTemplateReader('t.json');
    reader.read(root as ObjectVal);
    const next = change(text);
    assert.notEqual(next, text, 'the edit applies');
    const doc = editTree(root, next);
    assert.ok(doc?.edit?.value, 'an edit within one value');
    return keepsReading(reader, root, doc.edit.value);
  }
  const withTags = { ...cache, tags: { owner: 'team-a' }, location: 'westeurope' };

  it('vouches for a plain value in properties, tags or location, also in a child resource', () => {
    assert.equal(keeps({ resources: [withTags] }, (t) => t.replace('"1.2"', '"1.0"')), true);
    assert.equal(keeps({ resources: [withTags] }, (t) => t.replace('team-a', 'team-b')), true);
    assert.equal(keeps({ resources: [withTags] }, (t) => t.replace('westeurope', 'uksouth')), true);
    const child = { type: 'firewallRules', apiVersion: '2024-11-01', name: 'office', properties: { startIP: '10.0.0.1' } };
    assert.equal(keeps({ resources: [{ ...cache, resources: [child] }] }, (t) => t.replace('10.0.0.1', '10.0.0.2')), true);
  });

  it('does not vouch for what the reader evaluates itself, or for a value outside resources', () => {
    assert.equal(keeps({ resources: [cache] }, (t) => t.replace('"c1"', '"c2"')), false, 'a name');
    assert.equal(keeps({ resources: [cache] }, (t) => t.replace('"2024-11-01"', '"2023-08-01"')), false, 'an apiVersion');
    assert.equal(keeps({ resources: [{ ...cache, condition: true }] }, (t) => t.replace('"condition": true', '"condition": false')), false, 'a condition');
    assert.equal(keeps({ resources: [{ ...cache, metadata: { note: 'a' } }] }, (t) => t.replace('"note": "a"', '"note": "b"')), false, 'metadata (suppressions)');
    assert.equal(keeps({ parameters: { tls: { type: 'string', defaultValue: '1.0' } }, resources: [cache] }, (t) => t.replace('"1.0"', '"1.1"')), false, 'a parameter default');
    assert.equal(keeps({ variables: { tls: '1.0' }, resources: [cache] }, (t) => t.replace('"1.0"', '"1.1"')), false, 'a variable');
  });

  it('does not vouch for a string starting with [ (evaluation turns it into another value)', () => {
    const escaped = { ...cache, properties: { minimumTlsVersion: '[[1.2]' } };
    assert.equal(keeps({ resources: [escaped] }, (t) => t.replace('[[1.2]', '[[1.0]')), false);
    assert.equal(keeps({ resources: [cache] }, (t) => t.replace('"1.2"', '"[1.2"')), false);
  });
});

describe('ARM template reader: linked templates (templateLink)', () => {
  /** A folder with these files (objects written as JSON), removed after `f`. */
  function inFolder(files: Record<string, unknown>, f: (dir: string) => void): void {
    const dir = mkdtempSync(join(tmpdir(), 'redis-posture-linked-'));
    try {
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      }
      f(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const template = (t: Record<string, unknown>): Record<string, unknown> => ({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...t });
  const cacheTemplate = template({
    parameters: { tls: { type: 'string', defaultValue: '1.2' } },
    resources: [{ ...cache, properties: { minimumTlsVersion: "[parameters('tls')]", publicNetworkAccess: 'Disabled' } }],
  });
  const deployment = (properties: Record<string, unknown>): Record<string, unknown> => ({ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'cache', properties: { mode: 'Incremental', ...properties } });
  const scan = (dir: string, name = 'main.json') => {
    const file = join(dir, name);
    return scanText(file, require('node:fs').readFileSync(file, 'utf8') as string);
  };

  it('follows relativePath (from the template\'s folder, a leading / too) with the parameters passed; findings sit on the value passed or the deployment line, and no fix edits the linked file', () => {
    const main = template({ resources: [deployment({ templateLink: { relativePath: '/nested/cache.json' }, parameters: { tls: { value: '1.0' } } })] });
    inFolder({ 'main.json': main, 'nested/cache.json': cacheTemplate }, (dir) => {
      const r = scan(dir);
      assert.deepEqual(r.errors, []);
      const tls = r.findings.filter((f) => f.ruleId === 'redis-min-tls');
      assert.equal(tls.length, 1, JSON.stringify(r.findings.map((f) => f.ruleId)));
      assert.equal(tls[0].file, join(dir, 'main.json'));
      const text = require('node:fs').readFileSync(join(dir, 'main.json'), 'utf8') as string;
      // On the value passed (where the insecure value is written), in the scanned file.
      assert.equal(tls[0].range!.start.line, text.split('\n').findIndex((l) => l.includes('"value": "1.0"')));
      const retirement = r.findings.find((f) => f.ruleId === 'redis-retirement');
      assert.equal(retirement?.range!.start.line, text.split('\n').findIndex((l) => l.includes('"type": "Microsoft.Resources/deployments"')), 'what is written in the linked file sits on the deployment');
      // Neither a value passed to a module (as for a nested deployment) nor the linked file is rewritten by a fix.
      assert.equal(fixEdits(r.deployment!, tls[0].fix!), undefined);
      const keys = r.findings.find((f) => f.ruleId === 'redis-disable-access-keys');
      assert.ok(keys?.fix, 'a fixable finding on what the linked file writes');
      assert.equal(fixEdits(r.deployment!, keys.fix), undefined);
      assert.ok(r.deployment!.texts.has(join(dir, 'nested', 'cache.json')));
    });
  });

  it("follows the _artifactsLocation convention (uri() over deployment().properties.templateLink.uri) and a parametersLink", () => {
    const main = template({
      parameters: {
        _artifactsLocation: { type: 'string', defaultValue: '[deployment().properties.templateLink.uri]' },
        _artifactsLocationSasToken: { type: 'securestring', defaultValue: '' },
      },
      resources: [
        deployment({
          templateLink: { uri: "[uri(parameters('_artifactsLocation'), concat('cache.json', parameters('_artifactsLocationSasToken')))]" },
          parametersLink: { uri: "[uri(parameters('_artifactsLocation'), 'cache.parameters.json')]" },
        }),
      ],
    });
    const params = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { tls: { value: '1.1' } } };
    inFolder({ 'main.json': main, 'cache.json': cacheTemplate, 'cache.parameters.json': params }, (dir) => {
      const r = scan(dir);
      assert.deepEqual(r.findings.filter((f) => f.ruleId === 'module-not-followed'), []);
      assert.match(r.findings.find((f) => f.ruleId === 'redis-min-tls')?.message ?? '', /1\.1/);
      assert.ok(r.deployment!.texts.has(join(dir, 'cache.parameters.json')), 'the parameter file is a file the deployment depends on');
    });
  });

  it('says what it does not follow: a remote link, a missing file, a link back to the template', () => {
    const remote = template({ resources: [deployment({ templateLink: { uri: 'https://contoso.example/cache.json' } })] });
    const missing = template({ resources: [deployment({ templateLink: { relativePath: 'gone.json' } })] });
    const loop = template({ resources: [deployment({ templateLink: { relativePath: 'main.json' } })] });
    inFolder({ 'remote.json': remote, 'missing.json': missing, 'main.json': loop }, (dir) => {
      const note = (name: string): string[] => scan(dir, name).findings.filter((f) => f.ruleId === 'module-not-followed').map((f) => f.message);
      assert.deepEqual(note('remote.json'), ["linked template 'https://contoso.example/cache.json' is not read (not a local file): what it deploys is not checked"]);
      assert.deepEqual(note('missing.json'), ["linked template 'gone.json' could not be read: what it deploys is not checked"]);
      assert.ok(scan(dir, 'missing.json').deployment!.unread!.has(join(dir, 'gone.json')), 'remembered, so that creating it re-checks');
      assert.deepEqual(note('main.json'), ["linked template 'main.json' is this template: not read again"]);
    });
  });
});
