// --fix round trips, and SARIF fixes that apply to the original text.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { JsonOut, SarifRegion, assertSarifShape, cli, copyFixture, json, minTls, tempDir } from './helpers';

/** 1-based SARIF line/column → offset in text (UTF-16 columns, \n or \r\n line ends). */
function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    assert.ok(nl >= 0, `line ${line} beyond the end`);
    off = nl + 1;
  }
  return off + column - 1;
}

function applySarifReplacements(text: string, reps: { deletedRegion: SarifRegion; insertedContent: { text: string } }[]): string {
  const edits = reps.map((r) => ({
    start: offsetOf(text, r.deletedRegion.startLine, r.deletedRegion.startColumn),
    end: offsetOf(text, r.deletedRegion.endLine, r.deletedRegion.endColumn),
    content: r.insertedContent.text,
  }));
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.content + out.slice(e.end);
  return out;
}

describe('scan --fix', () => {
  it('fixes redis-min-tls in place, re-scans, and reports what is left', () => {
    const dir = copyFixture('insecure');
    const file = path.join(dir, 'azuredeploy.json');
    const before = json(cli(['scan', '.', '--format', 'json'], { cwd: dir }));
    assert.equal(minTls(before).length, 1);
    assert.equal(minTls(before)[0].fixable, true, 'the finding has a fix the writer can apply');

    const r = cli(['scan', '.', '--fix'], { cwd: dir });
    assert.match(r.stdout, /Applied [1-9]\d* fix(es)?\./, r.stdout);
    assert.doesNotMatch(r.stdout, /redis-min-tls/);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /"minimumTlsVersion": "1\.2"/);
    JSON.parse(text);

    const after = json(cli(['scan', '.', '--format', 'json'], { cwd: dir }));
    assert.deepEqual(minTls(after), []);
    assert.equal(after.findings.filter((f) => f.fixable).length, 0, 'every fixable finding was fixed');
  });

  it('edits the parameter file when the value comes from it; JSON output says how many fixes', () => {
    const dir = copyFixture('params');
    const r = cli(['scan', '.', '--fix', '--format', 'json'], { cwd: dir });
    assert.match(r.stderr, /applied [1-9]\d* fix/);
    assert.deepEqual(minTls(json(r)), []);
    const params = JSON.parse(fs.readFileSync(path.join(dir, 'azuredeploy.parameters.json'), 'utf8'));
    assert.equal(params.parameters.minimumTlsVersion.value, '1.2');
    // the template keeps its reference and its default (other rules' fixes may add to it)
    const template = JSON.parse(fs.readFileSync(path.join(dir, 'azuredeploy.json'), 'utf8'));
    assert.equal(template.parameters.minimumTlsVersion.defaultValue, '1.2');
    const cache = template.resources.find((r: { type: string }) => r.type === 'Microsoft.Cache/redis');
    assert.equal(cache.properties.minimumTlsVersion, "[parameters('minimumTlsVersion')]");
  });

  it('keeps a UTF-16 file UTF-16', () => {
    const dir = copyFixture('insecure');
    const file = path.join(dir, 'azuredeploy.json');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    cli(['scan', '.', '--fix'], { cwd: dir });
    const buf = fs.readFileSync(file);
    assert.deepEqual([buf[0], buf[1]], [0xff, 0xfe]);
    assert.match(buf.subarray(2).toString('utf16le'), /"minimumTlsVersion": "1\.2"/);
  });

  it('appends the diagnostic settings of 30 caches in one round, in cache order, past the round limit', () => {
    // One round per appended resource, as when two insertions at one place never shared a round,
    // would stop at the 25-round limit with five caches left.
    const caches = Array.from({ length: 30 }, (_, i) => ({
      type: 'Microsoft.Cache/redis',
      apiVersion: '2024-03-01',
      name: `cache${String(i).padStart(2, '0')}`,
      location: 'westeurope',
      tags: { owner: 'platform' },
      properties: { sku: { name: 'Premium', family: 'P', capacity: 1 }, minimumTlsVersion: '1.2', publicNetworkAccess: 'Disabled', redisConfiguration: { 'aad-enabled': 'true' }, disableAccessKeyAuthentication: true },
    }));
    const dir = tempDir();
    const file = path.join(dir, 'azuredeploy.json');
    fs.writeFileSync(file, JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources: caches }, null, 2));
    const logs = (out: JsonOut) => out.findings.filter((f) => f.ruleId === 'redis-connection-logs');
    assert.equal(logs(json(cli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir }))).length, 30);

    const r = cli(['scan', '.', '--fix', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    assert.doesNotMatch(r.stderr, /stopped applying fixes|would not parse|did not resolve/, r.stderr);
    assert.deepEqual(logs(json(r)), []);
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    const scopes = template.resources.filter((x: { type: string }) => x.type === 'Microsoft.Insights/diagnosticSettings').map((x: { scope: string }) => x.scope);
    assert.deepEqual(scopes, caches.map((c) => `Microsoft.Cache/redis/${c.name}`));
  });

  it('gives insertions into one empty object a round each when together they would not parse', () => {
    const dir = tempDir();
    const file = path.join(dir, 'azuredeploy.json');
    const cache = { type: 'Microsoft.Cache/redis', apiVersion: '2024-03-01', name: 'cache1', location: 'westeurope', properties: {} };
    fs.writeFileSync(file, JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources: [cache] }, null, 2));
    const before = json(cli(['scan', '.', '--format', 'json', '--fail-on', 'none'], { cwd: dir }));
    const fixable = new Set(before.findings.filter((f) => f.fixable).map((f) => f.ruleId));
    for (const id of ['redis-entra-auth', 'redis-disable-access-keys', 'redis-disable-public-network']) assert.ok(fixable.has(id), id);

    const r = cli(['scan', '.', '--fix', '--format', 'json', '--fail-on', 'none'], { cwd: dir });
    assert.doesNotMatch(r.stderr, /would not parse|did not resolve/, r.stderr);
    assert.deepEqual(json(r).findings.filter((f) => f.fixable), []);
    const props = JSON.parse(fs.readFileSync(file, 'utf8')).resources[0].properties;
    assert.equal(props.publicNetworkAccess, 'Disabled');
    assert.equal(props.disableAccessKeyAuthentication, true);
    assert.equal(props.redisConfiguration['aad-enabled'], 'true');
  });

  it('with nothing to fix, changes nothing', () => {
    const dir = copyFixture('noredis');
    const file = path.join(dir, 'azuredeploy.json');
    const before = fs.readFileSync(file, 'utf8');
    const r = cli(['scan', '.', '--fix'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Applied 0 fixes\./);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });
});

describe('SARIF fixes[]', () => {
  it('carry regions of the original text that, applied, remove the finding', () => {
    const dir = copyFixture('insecure');
    const r = cli(['scan', '.', '--format', 'sarif'], { cwd: dir });
    const run = assertSarifShape(JSON.parse(r.stdout));
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'redis-min-tls');
    assert.ok(res.fixes?.length, 'redis-min-tls has a fix');
    const change = res.fixes[0].artifactChanges[0];
    assert.equal(change.artifactLocation.uri, 'azuredeploy.json');
    const file = path.join(dir, change.artifactLocation.uri);
    const fixed = applySarifReplacements(fs.readFileSync(file, 'utf8'), change.replacements);
    JSON.parse(fixed);
    fs.writeFileSync(file, fixed);
    assert.deepEqual(minTls(json(cli(['scan', '.', '--format', 'json'], { cwd: dir }))), []);
  });
});
