// rules, live, --help, --version.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, cli } from './helpers';

describe('redis-posture rules', () => {
  it('lists id, severity, title and doc link', () => {
    const r = cli(['rules']);
    assert.equal(r.code, 0, r.stderr);
    const line = r.stdout.split('\n').find((l) => l.startsWith('redis-min-tls '));
    assert.ok(line, r.stdout);
    assert.match(line, /^redis-min-tls\s+high\s+\S.*TLS/);
    assert.match(r.stdout, /https:\/\/\S+\/redis-min-tls\.md/);
  });

  it('--format json', () => {
    const r = cli(['rules', '--format', 'json']);
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout) as { version: number; rules: { id: string; severity: string; title: string; docUrl: string; fixable: boolean }[] };
    assert.equal(out.version, 1);
    const tls = out.rules.find((x) => x.id === 'redis-min-tls');
    assert.ok(tls);
    assert.equal(tls.severity, 'high');
    assert.ok(tls.title.length > 0);
    assert.match(tls.docUrl, /^https:\/\/.*\/redis-min-tls\.md$/);
    for (const id of ['parse-error', 'unused-suppression']) assert.ok(out.rules.some((x) => x.id === id), id);
    assert.equal(new Set(out.rules.map((x) => x.id)).size, out.rules.length);
  });

  it('rejects an unknown format', () => {
    assert.equal(cli(['rules', '--format', 'sarif']).code, 2);
  });
});

describe('redis-posture live', () => {
  it('is not available yet: a clear message and exit 2', () => {
    const r = cli(['live', '--subscription', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not available in this version/);
  });
});

describe('help and version', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const r = cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('--help and scan --help exit 0 with usage', () => {
    const a = cli(['--help']);
    assert.equal(a.code, 0);
    assert.match(a.stdout, /redis-posture scan/);
    const b = cli(['scan', '--help']);
    assert.equal(b.code, 0);
    for (const flag of ['--format', '--output', '--config', '--parameters', '--fail-on', '--rule', '--fix']) assert.ok(b.stdout.includes(flag), flag);
  });

  it('no command or an unknown one is a usage error', () => {
    assert.equal(cli([]).code, 2);
    const r = cli(['insecure']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "insecure" \(to scan it: redis-posture scan insecure\)/);
  });
});
