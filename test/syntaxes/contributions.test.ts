// package.json registers the grammars as VS Code expects, and every regular expression in them
// compiles: in Oniguruma for the grammars, in JavaScript for the language configuration.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JSON_HOSTS, REPO_ROOT, loadOnigLib, packageJson } from './textmate';

const INJECTION = 'arm-expression.injection';

function readJson(rel: string): any {
  const file = join(REPO_ROOT, rel);
  assert.ok(existsSync(file), `${rel} exists`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every regular expression of a grammar, with where it is. */
function regexes(node: unknown, path: string, out: { where: string; source: string }[] = []): { where: string; source: string }[] {
  if (Array.isArray(node)) node.forEach((x, i) => regexes(x, `${path}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end' || k === 'while') && typeof v === 'string') out.push({ where: `${path}.${k}`, source: v });
      else regexes(v, `${path}.${k}`, out);
    }
  }
  return out;
}

test('contributes.grammars: the injection and the Bicep grammar', () => {
  const { grammars = [], languages = [] } = packageJson().contributes;
  const injection = grammars.find((g) => g.scopeName === INJECTION);
  assert.ok(injection, 'the ARM expression injection is contributed');
  assert.deepEqual([...(injection.injectTo ?? [])].sort(), Object.values(JSON_HOSTS).map((h) => h.scopeName).sort());
  const injectionGrammar = readJson(injection.path);
  assert.equal(injectionGrammar.scopeName, INJECTION);
  assert.equal(injection.injectionSelector, injectionGrammar.injectionSelector, 'package.json and the grammar agree on the selector');
  assert.match(injection.injectionSelector ?? '', /^L:string\.quoted\.double\.json -comment$/);
  assert.equal(injection.language, undefined, 'an injection has no language of its own');

  const bicep = grammars.find((g) => g.scopeName === 'source.bicep');
  assert.ok(bicep, 'the Bicep grammar is contributed');
  assert.equal(bicep.language, 'bicep');
  assert.equal(readJson(bicep.path).scopeName, 'source.bicep');

  const lang = languages.find((l) => l.id === 'bicep');
  assert.ok(lang, 'the bicep language is contributed');
  assert.deepEqual(lang.extensions, ['.bicep']);
  // .bicepparam files get the Bicep extension's language id (so onLanguage:bicep-params activates us without it too).
  const params = languages.find((l) => l.id === 'bicep-params');
  assert.deepEqual(params?.extensions, ['.bicepparam']);
  assert.equal(params?.configuration, lang.configuration);
  assert.ok(!grammars.some((g) => g.language === 'bicep-params'), 'no grammar of its own: the Bicep extension brings one');
  assert.ok(lang.aliases?.includes('Bicep'));
  assert.ok(lang.configuration, 'the language has a configuration');
  const config = readJson(lang.configuration);
  assert.equal(config.comments.lineComment, '//');
  assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
  for (const pair of ['{}', '[]', '()']) {
    assert.ok(config.brackets.some((b: string[]) => b.join('') === pair), `brackets ${pair}`);
    assert.ok(config.autoClosingPairs.some((p: { open: string; close: string }) => p.open + p.close === pair), `auto-closing ${pair}`);
  }
  assert.ok(config.autoClosingPairs.some((p: { open: string; close: string; notIn?: string[] }) => p.open === "'" && p.notIn?.includes('string')));
  for (const re of [config.indentationRules.increaseIndentPattern, config.indentationRules.decreaseIndentPattern, config.wordPattern, config.folding.markers.start, config.folding.markers.end]) {
    assert.doesNotThrow(() => new RegExp(re), re);
  }
});

test('every grammar regular expression compiles in Oniguruma', async () => {
  const onig = await loadOnigLib();
  const files = packageJson().contributes.grammars!.map((g) => g.path);
  files.push('test/fixtures/syntaxes/json.tmLanguage.json');
  let count = 0;
  for (const rel of files) {
    for (const { where, source } of regexes(readJson(rel), rel)) {
      // \1 in an end pattern refers to the begin match; vscode-textmate substitutes it first.
      const compilable = source.replace(/\\(\d)/g, 'x');
      assert.doesNotThrow(() => onig.createOnigScanner([compilable]).dispose?.(), `${where}: ${source}`);
      count++;
    }
  }
  assert.ok(count > 50, `${count} regular expressions`);
});
