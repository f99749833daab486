// Every fixable finding on the JSON corpus: apply its fix, the file still parses, the finding
// is gone, and no finding appears that was not there before.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError, parseTree } from 'jsonc-parser';
import { scanText } from '../../rules/engine';
import { applyEdits, fixEdits } from '../../rules/writers/arm';
import { CORPUS, FOLLOW_UPS, PARTIAL, findingKey as key, readExpected } from './corpus';

test('fix round trip on every fixable JSON corpus finding', { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside the clone' }, () => {
  const files = [...new Set(readExpected().map((r) => r.file).filter((f) => f.endsWith('.json')))];
  let applied = 0;
  let unwritable = 0;
  const failures: string[] = [];
  for (const rel of files) {
    const path = join(CORPUS, rel);
    const text = readFileSync(path, 'utf8');
    const before = scanText(path, text);
    const beforeKeys = new Set(before.findings.map(key));
    for (const f of before.findings) {
      if (!f.fix) continue;
      const edits = fixEdits(before.deployment!, f.fix);
      if (!edits) {
        unwritable++;
        continue;
      }
      // Fixes on parameter files are checked with the template's own edits only.
      const own = edits.filter((e) => e.file === path);
      const fixed = applyEdits(text, own);
      const errors: ParseError[] = [];
      parseTree(fixed, errors, { allowTrailingComma: true });
      const where = `${rel} ${f.ruleId} line ${(f.range?.start.line ?? 0) + 1}`;
      if (errors.length) {
        failures.push(`${where}: fixed file does not parse`);
        continue;
      }
      const after = scanText(path, fixed);
      const stays = after.findings.some((g) => key(g) === key(f) && g.path === f.path);
      if (stays && !PARTIAL[f.ruleId]) failures.push(`${where}: finding still reported after the fix`);
      if (!stays && PARTIAL[f.ruleId]) failures.push(`${where}: listed as a partial fix but the finding is gone: remove ${f.ruleId} from PARTIAL`);
      const added = after.findings.filter((g) => !beforeKeys.has(key(g)) && !(FOLLOW_UPS[f.ruleId] ?? []).includes(g.ruleId));
      if (added.length) failures.push(`${where}: fix introduced ${added.map((g) => g.ruleId).join(', ')}`);
      applied++;
    }
  }
  console.log(`fix round trip: ${applied} fixes applied and verified, ${unwritable} fixes the writer could not express as edits`);
  assert.deepEqual(failures, []);
  assert.ok(applied > 0, 'no fix was exercised');
});
