// server/checker.ts and server/actions.ts without a connection: failures inside the engine become
// a diagnostic, never an exception; fix-all stays bounded.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../rules/config';
import { fixAll } from '../../server/actions';
import { MAX_DOCUMENT_CHARS, check, looksLikeArm } from '../../server/checker';
import { ignoreMatcher } from '../../server/ignore';
import { bicepparamTemplate, siblingBicepparam } from '../../rules/readers/bicep/using';
import { engineFileName, siblingParametersUri, templateCandidates, uriNear, uriToPath } from '../../server/paths';
import { parseConfigFile, readEditorSettings } from '../../server/settings';
import { FIXTURES, fixture, uriOf } from './client';

const readNothing = (): undefined => undefined;

describe('server checker', () => {
  it('turns an engine failure into one "not checked" diagnostic', () => {
    // A config the engine cannot read makes it throw inside scanText.
    const out = check({
      uri: 'file:///w/main.json',
      file: '/w/main.json',
      text: fixture('insecure.json'),
      config: { ...defaultConfig, rules: null as unknown as Record<string, 'off'> },
      readFile: readNothing,
    });
    assert.ok(out.failure, 'the failure is reported for the log');
    const d = out.diagnostics.get('file:///w/main.json')!;
    assert.equal(d.length, 1);
    assert.equal(d[0].code, 'not-checked');
  });

  it('maps findings in the parameter file to its URI, with the template as related information', () => {
    const tpl = path.join(FIXTURES, 'params', 'azuredeploy.json');
    const par = path.join(FIXTURES, 'params', 'azuredeploy.parameters.json');
    const out = check({
      uri: uriOf(tpl),
      file: tpl,
      text: fixture('params/azuredeploy.json'),
      params: { uri: uriOf(par), file: par, text: fixture('params/azuredeploy.parameters.json').replace('"1.2"', '"1.0"') },
      config: defaultConfig,
      readFile: readNothing,
    });
    const inParams = out.diagnostics.get(uriOf(par))!;
    assert.deepEqual(inParams.map((d) => d.code), ['redis-min-tls']);
    assert.equal(inParams[0].relatedInformation?.[0].location.uri, uriOf(tpl));
  });

  it('reports a broken parameter file beside the template on that file', () => {
    const out = check({
      uri: 'file:///w/t.json',
      file: '/w/t.json',
      text: fixture('params/azuredeploy.json'),
      params: { uri: 'file:///w/t.parameters.json', file: '/w/t.parameters.json', text: '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": { ' },
      config: defaultConfig,
      readFile: readNothing,
    });
    assert.deepEqual(out.diagnostics.get('file:///w/t.parameters.json')?.map((d) => d.code), ['parse-error']);
  });

  it('reports a .bicepparam that does not parse on that file, beside the findings its values that parsed give', () => {
    const tpl = path.join(FIXTURES, 'bicepparam', 'main.bicep');
    const bp = path.join(FIXTURES, 'bicepparam', 'main.bicepparam');
    const out = check({
      uri: uriOf(tpl),
      file: tpl,
      text: fixture('bicepparam/main.bicep'),
      params: { uri: uriOf(bp), file: bp, text: `${fixture('bicepparam/main.bicepparam')}param location = \n` },
      config: defaultConfig,
      readFile: readNothing,
    });
    assert.deepEqual(out.diagnostics.get(uriOf(bp))?.map((d) => d.code).sort(), ['parse-error', 'redis-min-tls']);
    assert.ok(!out.diagnostics.get(uriOf(tpl))?.some((d) => d.code === 'parse-error'));
  });

  it('skips documents over the size limit', () => {
    const text = `{"$schema":"https://schema.management.azure.com/x","resources":[],"p":"${'x'.repeat(MAX_DOCUMENT_CHARS)}"}`;
    const out = check({ uri: 'file:///w/big.json', file: '/w/big.json', text, config: defaultConfig, readFile: readNothing });
    assert.deepEqual(out.diagnostics.get('file:///w/big.json')?.map((d) => d.code), ['file-too-large']);
  });

  it('fix-all stops when a fix does not resolve its finding', () => {
    const out = check({ uri: 'file:///w/t.json', file: '/w/t.json', text: fixture('two-caches.json'), config: defaultConfig, readFile: readNothing });
    const r = fixAll(out, 'file:///w/t.json');
    assert.ok(r.applied > 0 && r.applied < 50, `applied ${r.applied}`);
    assert.ok(r.edit?.changes?.['file:///w/t.json']);
    const none = fixAll(out, 'file:///w/other.json');
    assert.equal(none.applied, 0);
  });

  it('recognises ARM by content', () => {
    assert.ok(looksLikeArm(fixture('malformed.json')));
    assert.ok(!looksLikeArm('{ "name": "x", "version": "1.0.0" }'));
  });
});

describe('server paths, settings and ignore globs', () => {
  it('links templates and parameter files by name, keeping the URI spelling', () => {
    assert.equal(siblingParametersUri('file:///c%3A/infra/azuredeploy.json'), 'file:///c%3A/infra/azuredeploy.parameters.json');
    assert.equal(siblingParametersUri('file:///infra/azuredeploy.parameters.json'), undefined);
    assert.equal(siblingParametersUri('file:///infra/main.bicep'), undefined);
    assert.deepEqual(templateCandidates('file:///infra/a.parameters.json'), ['file:///infra/a.json', 'file:///infra/a.jsonc']);
    assert.equal(uriToPath('untitled:Untitled-1'), undefined);
    assert.equal(engineFileName('untitled:Untitled-1', 'bicep'), 'untitled:Untitled-1.bicep');
    assert.equal(engineFileName('untitled:Untitled-2', 'bicep-params'), 'untitled:Untitled-2.bicepparam');
  });

  it('pairs a .bicepparam with the template its using names, <name>.bicepparam first, through the given view of the folder', () => {
    const infra = path.resolve('/infra');
    const at = (name: string): string => path.join(infra, name);
    const texts: Record<string, string> = {
      [at('main.bicepparam')]: "using './other.bicep'\n",
      [at('dev.bicepparam')]: "using 'main.bicep'\n",
      [at('prod.bicepparam')]: "using './main.bicep'\n",
      [at('registry.bicepparam')]: "using 'br/public:avm/res/cache/redis:0.9.0'\n",
    };
    const folder = { list: () => ['main.bicep', ...Object.keys(texts).map((f) => path.basename(f))], read: (abs: string) => texts[abs] };
    assert.equal(siblingBicepparam(at('main.bicep'), folder), at('dev.bicepparam'), 'main.bicepparam names another template');
    texts[at('main.bicepparam')] = "// the open text\nusing './main.bicep'\n";
    assert.equal(siblingBicepparam(at('main.bicep'), folder), at('main.bicepparam'));
    assert.equal(siblingBicepparam(at('none.bicep'), folder), undefined);
    assert.equal(siblingBicepparam(at('main.bicep'), { list: () => undefined, read: () => undefined }), undefined, 'an unreadable folder');
    assert.equal(bicepparamTemplate(at('registry.bicepparam'), texts[at('registry.bicepparam')]), undefined);
    assert.equal(bicepparamTemplate(at('x.bicepparam'), "using 'ts:0000/rg/spec:1.0'"), undefined);
    assert.equal(bicepparamTemplate(at('x.bicepparam'), 'using none\nparam a = 1'), undefined);
    assert.equal(bicepparamTemplate(at('x.bicepparam'), "using '../shared/main.bicep'"), path.resolve('/shared/main.bicep'));
  });

  it('spells a URI found by path like the URI it was found from', () => {
    const near = 'file:///c%3A/infra/main.bicepparam';
    const nearPath = uriToPath(near)!;
    const dir = path.dirname(nearPath);
    assert.equal(uriNear(path.join(dir, 'main.bicep'), near, nearPath), 'file:///c%3A/infra/main.bicep');
    assert.equal(uriNear(path.join(dir, '..', 'shared', 'my main.bicep'), near, nearPath), 'file:///c%3A/shared/my%20main.bicep');
    assert.equal(uriNear(path.join(dir, 'a#b.bicep'), near, nearPath), 'file:///c%3A/infra/a%23b.bicep');
  });

  it('reads settings leniently', () => {
    const s = readEditorSettings({ rules: { 'redis-min-tls': 'off', bogus: 'off', 'redis-retirement': 'loud' }, strict: 'yes', allowedLocations: ['UK South'], debounceMs: 99999 });
    assert.deepEqual(s.config.rules, { 'redis-min-tls': 'off' });
    assert.equal(s.config.strict, false);
    assert.deepEqual(s.config.allowedLocations, ['uksouth']);
    assert.equal(s.debounceMs, 10000);
    assert.equal(s.problems.length, 3);
  });

  it('locates errors in redis-posture.json', () => {
    assert.equal(parseConfigFile('{ "rules": { "redis-min-tls": "off" } }').error, undefined);
    const bad = parseConfigFile('{\n  "strict": true,\n  "colour": 1\n}');
    assert.match(bad.error!.message, /unknown configuration key "colour"/);
    assert.equal(bad.error!.range.start.line, 2);
    assert.match(parseConfigFile('{ "rules": ').error!.message, /invalid JSON/);
  });

  it('matches ignore globs like the CLI', () => {
    const m = ignoreMatcher(['**/test/**', '*.generated.json', 'build/', '/only-root.json']);
    assert.ok(m('a/test/x.json'));
    assert.ok(m('deep/x.generated.json'));
    assert.ok(m('build/a/b.json'));
    assert.ok(m('only-root.json'));
    assert.ok(!m('sub/only-root.json'));
    assert.ok(!m('src/main.json'));
  });
});
