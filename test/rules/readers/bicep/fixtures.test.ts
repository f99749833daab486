// Hand-written fixtures under test/fixtures/bicep: valid/ must parse with zero errors, invalid/
// must report errors without throwing and keep the well-formed statements around the broken ones.
//
// The fixtures are our own code. Each one exercises the constructs of one of the upstream Bicep
// test samples (Azure/bicep, src/Bicep.Core.Samples/Files) listed in UPSTREAM_SAMPLES: those
// samples cannot be fetched at test time, so they were read through the code-search tool and
// checked by hand with a scratch script under /tmp against this parser (results recorded below).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { findAll, parseBicepFile, type Statement } from '../../../../rules/readers/bicep';
import { FIXTURES, assertWellFormed, formatErrors, listFiles, toCrlf } from './helpers';

interface UpstreamSample {
  /** Path under src/Bicep.Core.Samples/Files of Azure/bicep. */
  path: string;
  /** true: the sample is meant to be syntactically valid. */
  valid: boolean;
  /** Our fixture covering the same constructs. */
  fixture: string;
  /** What the hand run gave: error count for valid samples (must be 0); for invalid ones, errors reported (no throw). */
  handRun: string;
}

/**
 * Upstream samples read and hand-checked (scratch run of this parser over their text).
 * "formatted" = main.formatted.bicep was used where main.bicep is not in the index (same source,
 * reformatted); "abridged"/"part" = only part of the sample was transcribed for the scratch run.
 */
export const UPSTREAM_SAMPLES: UpstreamSample[] = [
  { path: 'baselines/Lambdas_LF/main.bicep', valid: true, fixture: 'valid/lambdas.bicep', handRun: '0 errors' },
  { path: 'baselines/TypeDeclarations_LF/main.bicep', valid: true, fixture: 'valid/type-declarations.bicep', handRun: '0 errors' },
  { path: 'baselines/Functions_LF/main.bicep', valid: true, fixture: 'valid/functions.bicep', handRun: '0 errors' },
  { path: 'baselines/Imports_LF/main.bicep', valid: true, fixture: 'valid/imports.bicep', handRun: '0 errors' },
  { path: 'baselines/Variables_LF/main.bicep', valid: true, fixture: 'valid/variables.bicep', handRun: '0 errors' },
  { path: 'baselines/Parameters_LF/main.bicep', valid: true, fixture: 'valid/parameters.bicep', handRun: '0 errors' },
  { path: 'baselines/Outputs_CRLF/main.formatted.bicep', valid: true, fixture: 'valid/outputs-crlf.bicep', handRun: '0 errors (CRLF)' },
  { path: 'baselines/Resources_CRLF/main.bicep', valid: true, fixture: 'valid/resources-crlf.bicep', handRun: '0 errors (CRLF)' },
  { path: 'baselines/Modules_CRLF/main.bicep', valid: true, fixture: 'valid/modules.bicep', handRun: '0 errors (CRLF)' },
  { path: 'baselines/ResourceDerivedTypes_LF/main.bicep', valid: true, fixture: 'valid/resource-derived-types.bicep', handRun: '0 errors' },
  { path: 'baselines/Extensions_CRLF/main.bicep', valid: true, fixture: 'valid/extensions.bicep', handRun: '0 errors (CRLF)' },
  { path: 'baselines/DisableNextLineDiagnosticsDirective_CRLF/main.bicep', valid: true, fixture: 'valid/disable-directives.bicep', handRun: '0 errors, 5 directives' },
  { path: 'baselines/DisableNextLineDiagnosticsDirective_CRLF/main.bicep (newer version with #disable-diagnostics / #restore-diagnostics)', valid: true, fixture: 'valid/disable-directives.bicep', handRun: '0 errors' },
  { path: 'baselines/TypedVariables_LF/main.formatted.bicep', valid: true, fixture: 'valid/typed-variables.bicep', handRun: '0 errors' },
  { path: 'baselines/Metadata_CRLF/main.bicep', valid: true, fixture: 'valid/metadata.bicep', handRun: '0 errors (CRLF)' },
  { path: 'baselines/LoopsIndexed_LF/main.formatted.bicep (abridged: 2 of 30 declarations left out)', valid: true, fixture: 'valid/loops-indexed.bicep', handRun: '0 errors' },
  { path: 'baselines/Registry_LF/main.formatted.bicep', valid: true, fixture: 'valid/registry-modules.bicep', handRun: '0 errors' },
  { path: 'baselines/ModulesSubscription_LF/main.formatted.bicep', valid: true, fixture: 'valid/modules-subscription.bicep', handRun: '0 errors' },
  { path: 'user_submitted/000/10-string-functions/main.bicep', valid: true, fixture: 'valid/user-submitted-string-functions.bicep', handRun: '0 errors' },
  { path: 'user_submitted/000/22-array-lookup-complex/main.bicep', valid: true, fixture: 'valid/user-submitted-array-lookup.bicep', handRun: '0 errors' },
  { path: 'user_submitted/101/key-vault-create/main.bicep', valid: true, fixture: 'valid/user-submitted-key-vault.bicep', handRun: '0 errors' },
  { path: 'user_submitted/201/key-vault-secret-create/main.bicep (abridged: 3 parameters left out)', valid: true, fixture: 'valid/user-submitted-key-vault.bicep', handRun: '0 errors' },
  { path: 'baselines_bicepparam/Parameters/parameters.bicepparam', valid: true, fixture: 'valid/parameters.bicepparam', handRun: '0 errors' },
  { path: 'baselines_bicepparam/Expressions/parameters.bicepparam', valid: true, fixture: 'valid/expressions.bicepparam', handRun: '0 errors' },
  { path: 'baselines_bicepparam/Extensions/parameters.bicepparam', valid: true, fixture: 'valid/extensions.bicepparam', handRun: '0 errors' },
  { path: 'baselines_bicepparam/Extends/parameters.bicepparam', valid: true, fixture: 'valid/extends.bicepparam', handRun: '0 errors' },
  { path: 'baselines_bicepparam/Imports/parameters.bicepparam', valid: true, fixture: 'valid/imports.bicepparam', handRun: '0 errors' },
  { path: 'baselines_bicepparam/Inline_Decorator/parameters.bicepparam', valid: true, fixture: 'valid/inline-decorator.bicepparam', handRun: '0 errors' },
  { path: 'baselines_bicepparam/External_Inputs/parameters.bicepparam', valid: true, fixture: 'valid/external-inputs.bicepparam', handRun: '0 errors' },
  { path: 'baselines_bicepparam/Invalid_Imports/parameters.bicepparam (semantic errors only)', valid: true, fixture: 'valid/imports.bicepparam', handRun: '0 errors' },
  { path: 'baselines/InvalidExpressions_LF/main.bicep', valid: false, fixture: 'invalid/invalid-expressions.bicep', handRun: '70 errors, 135 statements, no throw' },
  { path: 'baselines/InvalidResources_CRLF/main.bicep (part: first ~16,000 of 52,706 chars)', valid: false, fixture: 'invalid/invalid-resources.bicep', handRun: '21 errors, 49 statements, no throw' },
  { path: 'baselines/InvalidTypeDeclarations_LF/main.formatted.bicep', valid: false, fixture: 'invalid/invalid-type-declarations.bicep', handRun: '4 errors, 78 statements, no throw' },
  { path: 'baselines/InvalidLambdas_LF/main.formatted.bicep', valid: false, fixture: 'invalid/invalid-lambdas.bicep', handRun: '5 errors, 55 statements, no throw' },
  { path: 'baselines/InvalidFunctions_LF/main.bicep', valid: false, fixture: 'invalid/invalid-functions.bicep', handRun: '7 errors, 20 statements, no throw' },
  { path: 'baselines/InvalidMultilineString_CRLF/main.formatted.bicep', valid: false, fixture: 'invalid/invalid-multiline-string.bicep', handRun: '1 error, no throw' },
  { path: 'baselines/InvalidMetadata_CRLF/main.formatted.bicep', valid: false, fixture: 'invalid/invalid-metadata.bicep', handRun: '8 errors, 15 statements, no throw' },
  { path: 'baselines_bicepparam/Invalid_Parameters/parameters.bicepparam', valid: false, fixture: 'invalid/invalid-parameters.bicepparam', handRun: '3 errors, no throw' },
  { path: 'baselines_bicepparam/Invalid_Variables/parameters.bicepparam', valid: false, fixture: 'invalid/invalid-variables.bicepparam', handRun: '2 errors, no throw' },
];

const names = (statements: Statement[]): string[] =>
  statements.map((s) => ('name' in s && s.name && 'name' in s.name ? s.name.name : s.kind));

describe('upstream sample inventory', () => {
  it('lists ~40 hand-checked upstream samples, every valid one with zero errors', () => {
    assert.ok(UPSTREAM_SAMPLES.length >= 35);
    for (const s of UPSTREAM_SAMPLES.filter((x) => x.valid)) assert.match(s.handRun, /^0 errors/, s.path);
    for (const s of UPSTREAM_SAMPLES.filter((x) => !x.valid)) assert.match(s.handRun, /no throw/, s.path);
  });
  it('points every sample at an existing fixture', () => {
    const all = new Set(listFiles(FIXTURES, /\.bicep(param)?$/).map((f) => f.slice(FIXTURES.length + 1).replace(/\\/g, '/')));
    for (const s of UPSTREAM_SAMPLES) assert.ok(all.has(s.fixture), `${s.fixture} is missing`);
  });
});

describe('valid fixtures', () => {
  for (const file of listFiles(join(FIXTURES, 'valid'), /\.bicep(param)?$/)) {
    it(`parses ${basename(file)} with zero errors (LF and CRLF)`, () => {
      const text = readFileSync(file, 'utf8');
      for (const variant of [text, toCrlf(text), text.replace(/\r\n/g, '\n')]) {
        const result = parseBicepFile(file, variant);
        assert.deepEqual(result.errors, [], `errors in ${basename(file)}:\n${formatErrors(variant, result)}`);
        assertWellFormed(variant, result, basename(file));
        assert.ok(!result.program.statements.some((s) => s.kind === 'Skipped' || s.kind === 'MissingDeclaration'));
      }
    });
  }
});

describe('invalid fixtures', () => {
  for (const file of listFiles(join(FIXTURES, 'invalid'), /\.bicep(param)?$/)) {
    it(`reports errors for ${basename(file)} without throwing`, () => {
      const text = readFileSync(file, 'utf8');
      const result = parseBicepFile(file, text);
      assert.ok(result.errors.length > 0, 'expected parse errors');
      assertWellFormed(text, result, basename(file));
    });
  }

  const parse = (name: string) => {
    const file = join(FIXTURES, 'invalid', name);
    return parseBicepFile(file, readFileSync(file, 'utf8'));
  };

  it('keeps the good declarations around the broken ones', () => {
    assert.ok(names(parse('invalid-expressions.bicep').program.statements).includes('twoItems'));
    assert.ok(names(parse('invalid-resources.bicep').program.statements).includes('good'));
    assert.ok(names(parse('invalid-type-declarations.bicep').program.statements).includes('stillParsed'));
    assert.ok(names(parse('invalid-lambdas.bicep').program.statements).includes('fine'));
    assert.ok(names(parse('invalid-functions.bicep').program.statements).includes('ok'));
    assert.ok(names(parse('invalid-metadata.bicep').program.statements).includes('decorated'));
    assert.ok(names(parse('invalid-parameters.bicepparam').program.statements).includes('p2'));
    assert.ok(names(parse('invalid-variables.bicepparam').program.statements).includes('ok'));
    assert.ok(names(parse('invalid-strings-and-tokens.bicep').program.statements).includes('fine'));
  });

  it('reports the expected lexical errors', () => {
    const messages = parse('invalid-strings-and-tokens.bicep').errors.map((e) => e.message).join('\n');
    assert.match(messages, /escape sequence "\\q"/);
    assert.match(messages, /unicode escape/i);
    assert.match(messages, /double quotes/);
    assert.match(messages, /"&"/);
    assert.match(messages, /Unterminated multi-line comment/);
    assert.match(parse('invalid-multiline-string.bicep').errors[0].message, /multi-line string/);
  });

  it('keeps the decorators of a decorated statement with no declaration', () => {
    const result = parse('invalid-expressions.bicep');
    const missing = findAll(result.program, 'MissingDeclaration');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].decorators.length, 2);
  });
});
