// Bad input never throws: it becomes one parse-error finding and an error entry with a position.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from '../../rules/engine';
import { SCHEMA } from '../helpers/rule-tester';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('engine on bad input', () => {
  it('reports malformed JSON at the first error, with line and column', () => {
    const text = `{\n  "$schema": "${SCHEMA}",\n  "resources": [\n    { "type": "Microsoft.Cache/redis" "name": "x" }\n  ]\n}`;
    const r = scanText('bad.json', text);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].message, /invalid JSON: comma expected/);
    assert.deepEqual(r.errors[0].range.start, { line: 3, character: 38 });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['parse-error']);
    assert.equal(r.findings[0].severity, 'high');
  });

  it('refuses 5,000-deep nesting with a clear message instead of overflowing the stack', () => {
    const text = '['.repeat(5000) + ']'.repeat(5000);
    const r = scanText('deep.json', text);
    assert.match(r.errors[0]?.message ?? '', /nested deeper than 512 levels/);
  });

  it('recognises binary content', () => {
    const r = scanText('blob.json', 'PK\u0003\u0004\u0000\u0000binary');
    assert.match(r.errors[0]?.message ?? '', /binary/);
  });

  it('skips JSON that is not a template, a parameter file or exported resources', () => {
    const r = scanText('package.json', '{ "name": "x", "version": "1.0.0" }');
    assert.equal(r.kind, 'other');
    assert.deepEqual([r.errors, r.findings], [[], []]);
  });

  it('reads a 10 MB template', () => {
    const resources = [];
    for (let i = 0; resources.length < 20000; i++) {
      resources.push({ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: `st${i}`, location: 'westeurope', properties: { description: 'x'.repeat(400) } });
    }
    resources.push({ type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: 'big', properties: { minimumTlsVersion: '1.0' } });
    const text = JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', resources });
    assert.ok(text.length > 10_000_000);
    const r = scanText('big.json', text);
    assert.deepEqual(r.errors, []);
    assert.ok(r.findings.some((f) => f.ruleId === 'redis-min-tls'));
  });

  it('never throws on truncated prefixes of a real template', () => {
    const text = JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', parameters: { p: { type: 'string', defaultValue: "[concat('a', " } }, resources: [{ type: 'Microsoft.Cache/redis', apiVersion: '2024-11-01', name: "[parameters('p')]", properties: { minimumTlsVersion: "[parameters('p')]" } }] }, null, 2);
    for (let cut = 0; cut <= text.length; cut += 7) {
      const r = scanText('cut.json', text.slice(0, cut));
      assert.ok(Array.isArray(r.findings));
    }
  });

  it('does not read a device or a folder a module or linked template names (a read of /dev/zero never ends)', { skip: process.platform === 'win32' }, () => {
    const up = '../'.repeat(40);
    const linked = (relativePath: string) => ({ type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: relativePath, properties: { mode: 'Incremental', templateLink: { relativePath } } });
    const arm = scanText(join(tmpdir(), 'main.json'), JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [linked(`${up}dev/zero`), linked(`${up}tmp`)] }));
    assert.deepEqual(
      arm.findings.map((f) => f.message),
      [`linked template '${up}dev/zero' could not be read: what it deploys is not checked`, `linked template '${up}tmp' could not be read: what it deploys is not checked`],
    );
    const bicep = scanText(join(tmpdir(), 'main.bicep'), `module m '${up}dev/zero' = {\n  name: 'm'\n}\n`);
    assert.deepEqual(bicep.findings.map((f) => f.ruleId), ['module-not-followed']);
  });
});

