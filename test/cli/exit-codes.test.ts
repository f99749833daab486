// Exit codes, --fail-on, --rule overrides, the configuration file and usage errors.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, cli, json, minTls, only, tempDir } from './helpers';

describe('exit codes', () => {
  it('0 without findings, 1 with a high finding, 2 for unparseable input', () => {
    assert.equal(cli(['scan', 'noredis']).code, 0);
    assert.equal(cli(['scan', 'insecure']).code, 1);
    assert.equal(cli(['scan', 'errors/broken.json']).code, 2);
  });

  it('2 for a path that does not exist, while the rest is still scanned', () => {
    const r = cli(['scan', 'does-not-exist.json', 'insecure', '--format', 'json']);
    assert.equal(r.code, 2);
    const out = json(r);
    assert.deepEqual(out.errors.map((e) => e.file), ['does-not-exist.json']);
    assert.equal(minTls(out).length, 1);
  });
});

describe('--fail-on and --rule', () => {
  const tlsOnly = (): string[] => ['scan', 'insecure', ...only('redis-min-tls')];

  it('defaults to high', () => {
    assert.equal(cli(tlsOnly()).code, 1);
  });

  it('none never fails on findings', () => {
    assert.equal(cli(['scan', 'insecure', '--fail-on', 'none']).code, 0);
  });

  it('a severity override moves the finding below or above the threshold', () => {
    assert.equal(cli([...tlsOnly(), '--rule', 'redis-min-tls=medium']).code, 0);
    assert.equal(cli([...tlsOnly(), '--rule', 'redis-min-tls=medium', '--fail-on', 'medium']).code, 1);
    assert.equal(cli([...tlsOnly(), '--rule', 'redis-min-tls=low', '--fail-on', 'medium']).code, 0);
    assert.equal(cli([...tlsOnly(), '--rule', 'redis-min-tls=low', '--fail-on', 'low']).code, 1);
  });

  it('the override shows in the report severity', () => {
    const out = json(cli([...tlsOnly(), '--rule', 'redis-min-tls=low', '--format', 'json']));
    assert.deepEqual(minTls(out).map((f) => f.severity), ['low']);
  });

  it('off removes the rule', () => {
    const r = cli([...tlsOnly(), '--rule', 'redis-min-tls=off', '--format', 'json']);
    assert.equal(r.code, 0);
    assert.deepEqual(minTls(json(r)), []);
  });

  it('unknown rule id, unknown level, bad --fail-on or --format are usage errors (exit 2)', () => {
    for (const args of [
      ['--rule', 'no-such-rule=off'],
      ['--rule', 'redis-min-tls=critical'],
      ['--rule', 'redis-min-tls'],
      ['--fail-on', 'critical'],
      ['--format', 'xml'],
      ['--no-such-option'],
    ]) {
      const r = cli(['scan', 'insecure', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '', 'no report on a usage error');
      assert.match(r.stderr, /^redis-posture: /, args.join(' '));
    }
  });
});

describe('configuration file', () => {
  it('redis-posture.json is found upward from the cwd', () => {
    const r = cli(['scan', '.', '--format', 'json'], { cwd: path.join(FIXTURES, 'config', 'nested') });
    const out = json(r);
    assert.ok(out.findings.length > 0, 'other rules still report');
    assert.deepEqual(minTls(out), [], 'the config turns redis-min-tls off');
  });

  it('--config names it explicitly; --rule wins over it', () => {
    assert.deepEqual(minTls(json(cli(['scan', 'insecure', '--config', 'config/redis-posture.json', '--format', 'json']))), []);
    const both = json(cli(['scan', 'insecure', '--config', 'config/redis-posture.json', '--rule', 'redis-min-tls=medium', '--format', 'json']));
    assert.deepEqual(minTls(both).map((f) => f.severity), ['medium']);
  });

  it('ignore globs skip walked files, relative to the config file', () => {
    const out = json(cli(['scan', '--format', 'json', '--rule', 'redis-min-tls=high'], { cwd: path.join(FIXTURES, 'config') }));
    const files = new Set(out.findings.map((f) => f.file));
    assert.ok(files.has('azuredeploy.json') && files.has('nested/azuredeploy.json'), [...files].join(', '));
    assert.ok(![...files].some((f) => f.startsWith('ignored/')), [...files].join(', '));
  });

  it('a broken config file is a clear error, exit 2', () => {
    const r = cli(['scan'], { cwd: path.join(FIXTURES, 'broken-config') });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /configuration file redis-posture\.json:\d+:\d+: invalid JSON/);
  });

  it('invalid content and a missing --config file are errors too', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bad-rule.json'), JSON.stringify({ rules: { 'no-such-rule': 'off' } }));
    fs.writeFileSync(path.join(dir, 'bad-key.json'), JSON.stringify({ colour: true }));
    const a = cli(['scan', 'insecure', '--config', path.join(dir, 'bad-rule.json')]);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /unknown rule id "no-such-rule"/);
    const b = cli(['scan', 'insecure', '--config', path.join(dir, 'bad-key.json')]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /unknown configuration key "colour"/);
    const c = cli(['scan', 'insecure', '--config', path.join(dir, 'missing.json')]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /cannot read configuration file/);
  });
});
