// Every .bicep / .bicepparam file of the shared real-template corpus parses with zero errors.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { findAll, parseBicepFile } from '../../../../rules/readers/bicep';
import { CORPUS, assertWellFormed, formatErrors, listFiles, toCrlf } from './helpers';

const skip = !existsSync(CORPUS) && 'no ../shared/corpus beside the clone';

describe('Bicep parser on the shared corpus', { skip }, () => {
  const files = skip ? [] : listFiles(CORPUS, /\.bicep(param)?$/);

  it('finds the corpus files', () => {
    assert.ok(files.length >= 20, `expected the corpus to hold Bicep files, found ${files.length}`);
  });

  for (const file of files) {
    const name = relative(CORPUS, file);
    it(`parses ${name} with zero errors`, () => {
      const text = readFileSync(file, 'utf8');
      const result = parseBicepFile(file, text);
      assert.deepEqual(result.errors, [], `errors in ${name}:\n${formatErrors(text, result)}`);
      assertWellFormed(text, result, name);
      assert.ok(result.program.statements.length > 0);
      assert.ok(!result.program.statements.some((s) => s.kind === 'Skipped'));
      // the same file with CRLF line endings parses identically
      const crlf = parseBicepFile(file, toCrlf(text));
      assert.deepEqual(crlf.errors, []);
      assert.equal(crlf.program.statements.length, result.program.statements.length);
    });
  }

  it('sees the Redis resources of the corpus', () => {
    let redis = 0;
    for (const file of files) {
      const result = parseBicepFile(file, readFileSync(file, 'utf8'));
      for (const r of findAll(result.program, 'ResourceDeclaration')) {
        if (r.typeString.kind === 'StringLiteral' && /^Microsoft\.Cache\/redis/i.test(r.typeString.value ?? '')) redis++;
      }
    }
    assert.ok(redis >= 10, `found ${redis} Microsoft.Cache/redis* resources`);
  });
});
