// What gets scanned and how: parameter files, directories and globs, encodings, bad input.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, assertSarifShape, cli, copyFixture, json, lineIndexOf, minTls, tempDir } from './helpers';

const insecureText = fs.readFileSync(path.join(FIXTURES, 'insecure', 'azuredeploy.json'), 'utf8');

describe('parameter files', () => {
  it("a template's sibling <t>.parameters.json is applied automatically", () => {
    for (const target of ['params', 'params/azuredeploy.json']) {
      const out = json(cli(['scan', target, '--format', 'json']));
      const tls = minTls(out);
      assert.equal(tls.length, 1, target);
      assert.equal(tls[0].file, 'params/azuredeploy.parameters.json');
      assert.match(tls[0].message, /'1\.0'/);
      const paramsText = fs.readFileSync(path.join(FIXTURES, 'params', 'azuredeploy.parameters.json'), 'utf8');
      assert.equal(tls[0].range?.start.line, lineIndexOf(paramsText, '"1.0"'));
      assert.deepEqual(tls[0].resource, { type: 'Microsoft.Cache/redis', name: 'redis-cli-from-parameter-file' });
    }
  });

  it('--parameters overrides the sibling file', () => {
    const r = cli(['scan', 'params', '--parameters', 'override/tls11.parameters.json', '--format', 'json']);
    const tls = minTls(json(r));
    assert.equal(tls.length, 1);
    assert.equal(tls[0].file, 'override/tls11.parameters.json');
    assert.match(tls[0].message, /'1\.1'/);
    // the sibling's cacheName is not applied either: the template default is used
    assert.equal(tls[0].resource?.name, 'redis-cli-params');
    assert.deepEqual(minTls(json(cli(['scan', 'params', '--parameters', 'override/tls12.parameters.json', '--format', 'json']))), []);
  });

  it('--parameters applies to every template scanned', () => {
    const out = json(cli(['scan', 'params', 'insecure', '--parameters', 'override/tls11.parameters.json', '--format', 'json']));
    const files = minTls(out).map((f) => f.file).sort();
    // insecure/ has a literal '1.0' the parameter file does not change
    assert.deepEqual(files, ['insecure/azuredeploy.json', 'override/tls11.parameters.json']);
  });

  it('--parameters must be an ARM parameter file', () => {
    const r = cli(['scan', 'params', '--parameters', 'insecure/azuredeploy.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not an ARM parameter file/);
    const m = cli(['scan', 'params', '--parameters', 'missing.parameters.json']);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /--parameters missing\.parameters\.json: cannot read file/);
  });

  it('a named parameter file scans its template with it', () => {
    const out = json(cli(['scan', 'params/azuredeploy.parameters.json', '--format', 'json']));
    assert.equal(minTls(out)[0]?.file, 'params/azuredeploy.parameters.json');
  });

  it('a parameter file without a template is skipped, not an error', () => {
    const r = cli(['scan', 'override']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(cli(['scan', 'override/tls11.parameters.json']).stdout, /note: skipped override\/tls11\.parameters\.json/);
  });
});

describe('directories and globs', () => {
  it('walks directories, skipping node_modules, .git, dist and out', () => {
    const dir = tempDir();
    for (const sub of ['a', 'node_modules/pkg', '.git', 'dist', 'out', 'b/c']) {
      fs.mkdirSync(path.join(dir, sub), { recursive: true });
      fs.writeFileSync(path.join(dir, sub, 'azuredeploy.json'), insecureText);
    }
    const out = json(cli(['scan', '--format', 'json'], { cwd: dir }));
    assert.deepEqual([...new Set(minTls(out).map((f) => f.file))].sort(), ['a/azuredeploy.json', 'b/c/azuredeploy.json']);
    // named explicitly, a skipped directory is scanned
    assert.equal(minTls(json(cli(['scan', 'dist', '--format', 'json'], { cwd: dir }))).length, 1);
  });

  it('expands quoted globs with *, ** and ?', () => {
    const files = (pattern: string): string[] => [...new Set(json(cli(['scan', pattern, '--format', 'json'])).findings.map((f) => f.file))].sort();
    assert.deepEqual(files('insecure/*.json'), ['insecure/azuredeploy.json']);
    assert.deepEqual(files('*/azuredeploy.json'), files('**/azuredeploy.json').filter((f) => f.split('/').length === 2));
    const deep = files('**/azuredeploy.json');
    assert.ok(deep.includes('insecure/azuredeploy.json') && deep.includes('config/nested/azuredeploy.json'), deep.join(', '));
    assert.deepEqual(files('insecure/azuredeplo?.json'), ['insecure/azuredeploy.json']);
  });

  it('a glob that matches nothing is an error', () => {
    const r = cli(['scan', 'nothing-here/**/*.json', '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(json(r).errors[0].message, /no files match/);
  });

  it('non-template JSON under a directory is skipped silently; named, it is an error', () => {
    const walked = json(cli(['scan', 'errors', '--format', 'json']));
    assert.ok(!walked.errors.some((e) => e.file === 'errors/notatemplate.json'));
    const named = cli(['scan', 'errors/notatemplate.json', 'errors/good.json', '--format', 'json']);
    assert.equal(named.code, 2);
    const out = json(named);
    assert.deepEqual(out.errors.map((e) => e.file), ['errors/notatemplate.json']);
    assert.match(out.errors[0].message, /not an ARM deployment template/);
    assert.equal(minTls(out)[0]?.file, 'errors/good.json', 'the other file is still scanned');
  });

  it('Bicep files are scanned, walked and named', () => {
    const r = cli(['scan', 'bicep', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const found = minTls(json(r));
    assert.equal(found.length, 1);
    assert.equal(found[0].file, 'bicep/main.bicep');
    assert.equal(found[0].range?.start.line, 5);
    const named = cli(['scan', 'bicep/main.bicep', '--format', 'sarif']);
    assert.equal(named.code, 1);
    assert.ok(JSON.parse(named.stdout).runs[0].results.some((x: { ruleId: string }) => x.ruleId === 'redis-min-tls'));
  });

  it('a .bicepparam beside the template whose using names it is applied', () => {
    const r = cli(['scan', 'bicep-params', '--format', 'json']);
    const ids = json(r).findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('redis-no-non-ssl-port'), 'the parameter file sets false over the insecure default');
    const without = cli(['scan', 'bicep-params/main.bicep', '--format', 'json', '--parameters', 'params/azuredeploy.parameters.json']);
    assert.ok(json(without).findings.some((f) => f.ruleId === 'redis-no-non-ssl-port'), '--parameters replaces the sibling');
  });

  it('every .bicepparam that names a template is a configuration of it, checked on its own', () => {
    const byFile = (r: ReturnType<typeof cli>) => json(r).findings.map((f) => `${f.file}:${f.range?.start.line} ${f.ruleId}`).sort();
    const prod = 'bicep-multi-params/prod.bicepparam:3 redis-no-non-ssl-port';
    const test = 'bicep-multi-params/environments/test.bicepparam:3 redis-min-tls';
    const own = ['bicep-multi-params/main.bicep:5 redis-connection-logs', 'bicep-multi-params/main.bicep:5 redis-private-link', 'bicep-multi-params/main.bicep:10 redis-retirement'].sort();
    // A folder: the template with each of them, its own findings once (each environment names the cache differently).
    const all = cli(['scan', 'bicep-multi-params', '--format', 'json']);
    assert.equal(all.code, 1, all.stderr);
    assert.deepEqual(byFile(all), [test, ...own, prod].sort());
    assert.match(cli(['scan', 'bicep-multi-params']).stdout, /in 1 file scanned/);
    // A parameter file named alone: its template with it, not with the others.
    assert.deepEqual(byFile(cli(['scan', 'bicep-multi-params/prod.bicepparam', '--format', 'json'])), [...own, prod].sort());
    assert.deepEqual(byFile(cli(['scan', 'bicep-multi-params/main.bicepparam', '--format', 'json'])), own);
    // The template named: the parameter files beside it (one in another folder names it too, but is not looked for).
    assert.deepEqual(byFile(cli(['scan', 'bicep-multi-params/main.bicep', '--format', 'json'])), [...own, prod].sort());
    assert.deepEqual(byFile(cli(['scan', 'bicep-multi-params/environments', '--format', 'json'])), [test, ...own].sort());
  });

  it("another .bicepparam the configuration ignores is not read, beside its template or found in a folder; the template's own still is", () => {
    const dir = copyFixture('bicep-multi-params');
    fs.writeFileSync(path.join(dir, 'main.bicepparam'), "using './main.bicep'\n\nparam cacheName = 'redis-dev'\nparam minimumTls = '1.1'\n");
    fs.writeFileSync(path.join(dir, 'redis-posture.json'), JSON.stringify({ ignore: ['*.bicepparam', 'environments/**'] }));
    for (const target of ['.', 'main.bicep']) {
      const files = json(cli(['scan', target, '--format', 'json'], { cwd: dir })).findings.map((f) => `${f.file} ${f.ruleId}`);
      assert.ok(files.includes('main.bicepparam redis-min-tls'), `${target}: the template's own parameter file is read`);
      assert.deepEqual(files.filter((f) => !f.startsWith('main.')), [], `${target}: prod and test are ignored`);
    }
  });

  it('--fix fixes the value in each parameter file that sets it', () => {
    const dir = copyFixture('bicep-multi-params');
    const r = cli(['scan', '.', '--fix', '--format', 'json'], { cwd: dir });
    const left = json(r).findings.map((f) => f.ruleId);
    assert.ok(!left.includes('redis-no-non-ssl-port') && !left.includes('redis-min-tls'), JSON.stringify(left));
    assert.match(fs.readFileSync(path.join(dir, 'prod.bicepparam'), 'utf8'), /param nonSslPort = false/);
    assert.match(fs.readFileSync(path.join(dir, 'environments', 'test.bicepparam'), 'utf8'), /param minimumTls = '1\.2'/);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'main.bicepparam'), 'utf8'), /nonSslPort|minimumTls/, 'the secure one is left alone');
  });

  it('a .bicepparam whose using names no local template: skipped with the reason when named, silently when found in a folder', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'registry.bicepparam'), "using 'br/public:avm/res/cache/redis:0.9.0'\n\nparam name = 'redis-from-registry'\n");
    const named = cli(['scan', 'registry.bicepparam'], { cwd: dir });
    assert.equal(named.code, 0, named.stderr);
    assert.match(named.stdout + named.stderr, /skipped registry\.bicepparam: its `using` names no local template/);
    const walked = cli(['scan', '.'], { cwd: dir });
    assert.equal(walked.code, 0, walked.stderr);
    assert.doesNotMatch(walked.stdout + walked.stderr, /skipped/);
  });

  it('a .bicepparam whose using names a missing file or a folder: an error when named, nothing when found in a folder', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'missing.bicepparam'), "using './missing.bicep'\n\nparam name = 'x'\n");
    fs.writeFileSync(path.join(dir, 'folder.bicepparam'), "using './sub'\n\nparam name = 'x'\n");
    for (const name of ['missing.bicepparam', 'folder.bicepparam']) {
      const r = cli(['scan', name, '--format', 'json'], { cwd: dir });
      assert.equal(r.code, 2, name);
      assert.deepEqual(json(r).errors.map((e) => e.file), [name]);
      assert.match(json(r).errors[0].message, /its `using` names .*which is not a file that can be read/);
    }
    const walked = cli(['scan', '.', '--format', 'json'], { cwd: dir });
    assert.equal(walked.code, 0, walked.stdout);
    assert.deepEqual(json(walked).errors, []);
  });

  it('a .bicepparam that does not parse is an error with its position, and its template is still checked', () => {
    const dir = copyFixture('bicep-multi-params');
    fs.writeFileSync(path.join(dir, 'prod.bicepparam'), "using './main.bicep'\n\nparam cacheName = 'redis-prod'\nparam nonSslPort = \n");
    for (const target of ['.', 'prod.bicepparam']) {
      const r = cli(['scan', target, '--format', 'json'], { cwd: dir });
      assert.equal(r.code, 2, target);
      const out = json(r);
      assert.deepEqual(out.errors.map((e) => e.file), ['prod.bicepparam'], target);
      assert.ok(out.findings.some((f) => f.ruleId === 'parse-error' && f.file === 'prod.bicepparam' && f.range?.start.line === 3), target);
      assert.ok(out.findings.some((f) => f.file === 'main.bicep' && f.ruleId === 'redis-retirement'), `${target}: the template is still checked`);
    }
  });

  it('binary .bicep and .bicepparam files: a clear error, exit 2', () => {
    const dir = tempDir();
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14, 0x00, 0x08, 0x00]);
    fs.writeFileSync(path.join(dir, 'blob.bicep'), bytes);
    fs.writeFileSync(path.join(dir, 'blob.bicepparam'), bytes);
    for (const name of ['blob.bicep', 'blob.bicepparam']) {
      const r = cli(['scan', name, '--format', 'json'], { cwd: dir });
      assert.equal(r.code, 2, name);
      assert.deepEqual(json(r).errors.map((e) => [e.file, e.message]), [[name, 'not a text file (binary content)']]);
    }
  });

  it('malformed Bicep: a parse-error finding and exit 2, what parsed is still checked', () => {
    const r = cli(['scan', 'bicep-broken', '--format', 'json']);
    assert.equal(r.code, 2);
    const out = json(r);
    assert.deepEqual(out.errors.map((e) => e.file), ['bicep-broken/main.bicep']);
    assert.ok(out.findings.some((f) => f.ruleId === 'parse-error' && f.range?.start.line === 4));
    // Checked as far as it parsed, so it counts as scanned; a JSON file that does not parse is not checked at all.
    assert.match(cli(['scan', 'bicep-broken']).stdout, /in 1 file scanned, 1 error/);
    assert.match(cli(['scan', 'errors']).stdout, /in 1 file scanned, 1 error/);
    const copy = copyFixture('bicep-broken');
    const original = fs.readFileSync(path.join(copy, 'main.bicep'), 'utf8');
    const fixed = cli(['scan', '.', '--fix'], { cwd: copy });
    assert.match(fixed.stdout, /fixes for main\.bicep were not applied: the file does not parse/);
    assert.match(fixed.stdout, /Applied 0 fixes/);
    assert.equal(fs.readFileSync(path.join(copy, 'main.bicep'), 'utf8'), original, 'a file that does not parse is never edited');
  });
});

describe('bad input', () => {
  it('malformed JSON: an error entry, a parse-error finding, exit 2, other files still scanned', () => {
    const r = cli(['scan', 'errors', '--format', 'json']);
    assert.equal(r.code, 2);
    const out = json(r);
    assert.deepEqual(out.errors.map((e) => e.file), ['errors/broken.json']);
    assert.match(out.errors[0].message, /invalid JSON/);
    assert.ok(out.findings.some((f) => f.ruleId === 'parse-error' && f.file === 'errors/broken.json' && f.severity === 'high'));
    assert.equal(minTls(out)[0]?.file, 'errors/good.json');
  });

  it('malformed JSON in text and SARIF', () => {
    const text = cli(['scan', 'errors']).stdout;
    assert.match(text, /^errors\/broken\.json:\d+:\d+ {2}error {2}invalid JSON/m);
    assert.match(text, /redis-min-tls/);
    const sarif = cli(['scan', 'errors', '--format', 'sarif']);
    assert.equal(sarif.code, 2);
    const run = assertSarifShape(JSON.parse(sarif.stdout));
    assert.equal(run.invocations[0].executionSuccessful, false);
    const notes = run.invocations[0].toolExecutionNotifications;
    assert.equal(notes.length, 1);
    assert.equal(notes[0].level, 'error');
    assert.match(notes[0].message.text, /invalid JSON/);
    assert.equal(notes[0].locations[0].physicalLocation.artifactLocation.uri, 'errors/broken.json');
    assert.ok(run.results.some((x: { ruleId: string }) => x.ruleId === 'parse-error'));
    assert.ok(run.results.some((x: { ruleId: string }) => x.ruleId === 'redis-min-tls'));
  });

  it('a binary file is an error, not a crash', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'image.json'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0x00]));
    fs.writeFileSync(path.join(dir, 'azuredeploy.json'), insecureText);
    const r = cli(['scan', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 2);
    const out = json(r);
    assert.deepEqual(out.errors.map((e) => e.file), ['image.json']);
    assert.match(out.errors[0].message, /binary/);
    assert.equal(minTls(out).length, 1);
  });

  it('text that is not UTF-8 is an error', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'latin1.json'), Buffer.from('{"description": "caf\xe9"}', 'latin1'));
    const out = json(cli(['scan', 'latin1.json', '--format', 'json'], { cwd: dir }));
    assert.match(out.errors[0].message, /not valid UTF-8/);
  });

  it('a 10 MB generated template: a result or an error, quickly, no crash', () => {
    const dir = tempDir();
    const resources: unknown[] = [JSON.parse(insecureText).resources[0]];
    const pad = 'x'.repeat(400);
    for (let size = 0; size < 10 * 1024 * 1024; ) {
      const r = { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: `st${resources.length}`, location: 'westeurope', tags: { note: pad }, properties: { minimumTlsVersion: 'TLS1_2' } };
      resources.push(r);
      size += JSON.stringify(r).length;
    }
    const big = JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources }, null, 2);
    assert.ok(big.length >= 10 * 1024 * 1024);
    fs.writeFileSync(path.join(dir, 'big.json'), big);
    fs.writeFileSync(path.join(dir, 'small.json'), insecureText);
    const r = cli(['scan', '.', '--format', 'json'], { cwd: dir, timeout: 60_000 });
    assert.ok(r.ms < 30_000, `took ${r.ms} ms`);
    assert.ok(r.code === 1 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /internal error|RangeError|heap/i);
    const out = json(r);
    if (r.code === 2) assert.match(out.errors.find((e) => e.file === 'big.json')?.message ?? '', /too large/);
    else assert.ok(minTls(out).some((f) => f.file === 'big.json'));
    assert.ok(minTls(out).some((f) => f.file === 'small.json'), 'the other file is still scanned');
  });

  it('5,000-deep nested JSON: an error, quickly, no crash', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'deep.json'), `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    fs.writeFileSync(path.join(dir, 'deeparray.json'), `${'['.repeat(5000)}${']'.repeat(5000)}`);
    const r = cli(['scan', 'deep.json', 'deeparray.json', '--format', 'sarif'], { cwd: dir });
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|RangeError/);
    const run = assertSarifShape(JSON.parse(r.stdout));
    const notes = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    assert.equal(notes.length, 2);
    for (const n of notes) assert.match(n, /nested deeper/);
  });

  it('UTF-8 BOM and UTF-16 LE/BE files are decoded', () => {
    const dir = tempDir();
    const le = Buffer.from(insecureText, 'utf16le');
    const be = Buffer.from(le);
    for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1], be[i]];
    fs.writeFileSync(path.join(dir, 'bom.json'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(insecureText)]));
    fs.writeFileSync(path.join(dir, 'utf16le.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), le]));
    fs.writeFileSync(path.join(dir, 'utf16be.json'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    const plain = minTls(json(cli(['scan', path.join(FIXTURES, 'insecure'), '--format', 'json'])))[0];
    const out = json(cli(['scan', '.', '--format', 'json'], { cwd: dir }));
    assert.deepEqual(out.errors, []);
    const tls = minTls(out);
    assert.deepEqual(tls.map((f) => f.file).sort(), ['bom.json', 'utf16be.json', 'utf16le.json']);
    for (const f of tls) assert.deepEqual(f.range, plain.range, f.file);
  });
});
