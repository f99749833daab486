// Report formats: text, JSON and SARIF 2.1.0 shapes, colour, --output.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ANSI_RE, FIXTURES, SarifRegion, assertSarifShape, cli, json, lineIndexOf, minTls, tempDir } from './helpers';

const INSECURE = path.join(FIXTURES, 'insecure', 'azuredeploy.json');
const insecureText = fs.readFileSync(INSECURE, 'utf8');
const TLS_LINE = lineIndexOf(insecureText, '"minimumTlsVersion": "1.0"');
const TLS_TEXT = insecureText.split('\n')[TLS_LINE];
/** The finding sits on the property or its value (the engine decides); either way on this line. */
const TLS_COLS = [TLS_TEXT.indexOf('"minimumTlsVersion"'), TLS_TEXT.indexOf('"1.0"')];
const TLS_END = TLS_TEXT.indexOf('"1.0"') + '"1.0"'.length;

describe('scan --format text', () => {
  it('groups findings by file with line:col severity message rule-id and a summary', () => {
    const r = cli(['scan', 'insecure']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    const header = lines.indexOf('insecure/azuredeploy.json');
    assert.ok(header >= 0, r.stdout);
    const tls = lines.find((l) => l.includes('redis-min-tls'));
    assert.ok(tls, r.stdout);
    const m = new RegExp(`^\\s+${TLS_LINE + 1}:(\\d+)\\s+high\\s+minimumTlsVersion is '1\\.0'.*\\sredis-min-tls$`).exec(tls);
    assert.ok(m, tls);
    assert.ok(TLS_COLS.includes(Number(m[1]) - 1), tls);
    // the JSON report says the same position, 0-based
    assert.equal(minTls(json(cli(['scan', 'insecure', '--format', 'json'])))[0].range?.start.character, Number(m[1]) - 1);
    assert.ok(lines.indexOf(tls) > header);
    assert.match(r.stdout, /\n\d+ findings? \(\d+ high, \d+ medium, \d+ low\) in 1 file scanned/);
    assert.doesNotMatch(r.stdout, ANSI_RE, 'no colour when stdout is not a terminal');
  });

  it('reports a clean scan', () => {
    const r = cli(['scan', 'noredis']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No findings in 1 file scanned\./);
  });

  it('colours with FORCE_COLOR, and NO_COLOR wins', () => {
    assert.match(cli(['scan', 'insecure'], { env: { FORCE_COLOR: '1' } }).stdout, ANSI_RE);
    assert.doesNotMatch(cli(['scan', 'insecure'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, ANSI_RE);
  });
});

describe('scan --format json', () => {
  it('is {version: 1, findings, errors} with the fields of cli.md', () => {
    const r = cli(['scan', 'insecure', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = json(r);
    assert.deepEqual(Object.keys(out).sort(), ['errors', 'findings', 'version']);
    assert.equal(out.version, 1);
    assert.deepEqual(out.errors, []);
    const allowed = new Set(['ruleId', 'severity', 'file', 'range', 'resource', 'path', 'message', 'fixable']);
    for (const f of out.findings) {
      for (const k of Object.keys(f)) assert.ok(allowed.has(k), `unexpected key ${k}`);
      assert.ok(['high', 'medium', 'low'].includes(f.severity));
      assert.equal(typeof f.fixable, 'boolean');
      assert.equal(typeof f.path, 'string');
    }
    const [tls, ...more] = minTls(out);
    assert.equal(more.length, 0);
    assert.equal(tls.severity, 'high');
    assert.equal(tls.file, 'insecure/azuredeploy.json');
    assert.equal(tls.range?.start.line, TLS_LINE);
    assert.ok(TLS_COLS.includes(tls.range!.start.character), JSON.stringify(tls.range));
    assert.equal(tls.range?.end.line, TLS_LINE);
    assert.ok(tls.range!.end.character > tls.range!.start.character && tls.range!.end.character <= TLS_END);
    assert.deepEqual(tls.resource, { type: 'Microsoft.Cache/redis', name: 'redis-cli-insecure' });
    assert.equal(tls.path, 'properties.minimumTlsVersion');
    assert.match(tls.message, /'1\.0'/);
  });

  it('paths are relative to the current directory, with forward slashes', () => {
    const out = json(cli(['scan', path.join('..', 'insecure'), '--format', 'json'], { cwd: path.join(FIXTURES, 'noredis') }));
    assert.equal(minTls(out)[0].file, '../insecure/azuredeploy.json');
  });
});

describe('scan --format sarif', () => {
  it('has the structure cli.md specifies', () => {
    const r = cli(['scan', 'insecure', '--format', 'sarif']);
    assert.equal(r.code, 1, r.stderr);
    const run = assertSarifShape(JSON.parse(r.stdout));
    assert.equal(run.invocations[0].executionSuccessful, true);
    assert.deepEqual(run.invocations[0].toolExecutionNotifications, []);
    const results = run.results.filter((x: { ruleId: string }) => x.ruleId === 'redis-min-tls');
    assert.equal(results.length, 1);
    const res = results[0];
    assert.equal(res.level, 'error');
    assert.match(res.message.text, /'1\.0'/);
    const loc = res.locations[0];
    assert.equal(loc.physicalLocation.artifactLocation.uri, 'insecure/azuredeploy.json');
    // SARIF regions are the JSON ranges, 1-based
    const jf = minTls(json(cli(['scan', 'insecure', '--format', 'json'])))[0];
    assert.deepEqual(loc.physicalLocation.region, {
      startLine: jf.range!.start.line + 1,
      startColumn: jf.range!.start.character + 1,
      endLine: jf.range!.end.line + 1,
      endColumn: jf.range!.end.character + 1,
    });
    assert.equal(loc.physicalLocation.region.startLine, TLS_LINE + 1);
    assert.deepEqual(loc.logicalLocations[0], { kind: 'resource', name: 'redis-cli-insecure', fullyQualifiedName: 'Microsoft.Cache/redis/redis-cli-insecure' });
    const rule = run.tool.driver.rules[res.ruleIndex];
    assert.equal(rule.defaultConfiguration.level, 'error');
    assert.match(rule.helpUri, /\/redis-min-tls\.md$/);
  });

  it('maps severities to levels: high error, medium warning, low note', () => {
    const jsonOut = json(cli(['scan', 'insecure', '--format', 'json', '--rule', 'redis-min-tls=medium']));
    const run = assertSarifShape(JSON.parse(cli(['scan', 'insecure', '--format', 'sarif', '--rule', 'redis-min-tls=medium']).stdout));
    const want: Record<string, string> = { high: 'error', medium: 'warning', low: 'note' };
    assert.equal(run.results.length, jsonOut.findings.length);
    const sortKey = (rule: string, line: number, col: number): string => `${rule}|${line}|${col}`;
    const levels = new Map<string, string>(
      run.results.map((x: { ruleId: string; level: string; locations: { physicalLocation: { region: SarifRegion } }[] }) => [
        sortKey(x.ruleId, x.locations[0].physicalLocation.region.startLine - 1, x.locations[0].physicalLocation.region.startColumn - 1),
        x.level,
      ]),
    );
    for (const f of jsonOut.findings) assert.equal(levels.get(sortKey(f.ruleId, f.range!.start.line, f.range!.start.character)), want[f.severity], f.ruleId);
    const tls = run.results.find((x: { ruleId: string }) => x.ruleId === 'redis-min-tls');
    assert.equal(tls.level, 'warning');
    const override = run.invocations[0].ruleConfigurationOverrides.find((o: { descriptor: { id: string } }) => o.descriptor.id === 'redis-min-tls');
    assert.deepEqual(override.configuration, { level: 'warning' });
  });
});

describe('scan --output', () => {
  it('writes the report to the file (creating directories) and nothing to stdout', () => {
    const dir = tempDir();
    const file = path.join(dir, 'reports', 'posture.sarif');
    const r = cli(['scan', 'insecure', '--format', 'sarif', '--output', file]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assertSarifShape(JSON.parse(fs.readFileSync(file, 'utf8')));
  });

  it('writes text without colour even when colour is forced', () => {
    const file = path.join(tempDir(), 'report.txt');
    const r = cli(['scan', 'insecure', '--output', file], { env: { FORCE_COLOR: '1' } });
    assert.equal(r.code, 1);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /redis-min-tls/);
    assert.doesNotMatch(text, ANSI_RE);
  });

  it('an unwritable output is a clear error, exit 2', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    const r = cli(['scan', 'insecure', '--output', path.join(dir, 'file', 'report.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write --output/);
  });
});
