// Every fixable finding on the Bicep corpus: apply its fix, the file still parses (parseBicep gives
// no error), the finding is gone, every edit is in the scanned file (a finding sits, and is fixed,
// where the reader of that file can fix it), and no finding appears that was not there before
// (beyond the follow-ups and partial fixes the JSON round trip allows too).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanText } from '../../rules/engine';
import { parseBicep } from '../../rules/readers/bicep/index';
import { applyEdits, fixEdits } from '../../rules/writers/arm';
import { CORPUS, FOLLOW_UPS, PARTIAL, findingKey as key, readExpected } from './corpus';

test('fix round trip on every fixable Bicep corpus finding', { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside the clone' }, () => {
  const files = [...new Set(readExpected().map((r) => r.file).filter((f) => f.endsWith('.bicep')))];
  let applied = 0;
  const unwritable: string[] = [];
  const failures: string[] = [];
  for (const rel of files) {
    const path = join(CORPUS, rel);
    const text = readFileSync(path, 'utf8');
    const before = scanText(path, text);
    const beforeKeys = new Set(before.findings.map(key));
    for (const f of before.findings) {
      if (!f.fix) continue;
      const where = `${rel} ${f.ruleId} line ${(f.range?.start.line ?? 0) + 1}`;
      const edits = fixEdits(before.deployment!, f.fix);
      if (!edits) {
        unwritable.push(where);
        continue;
      }
      const elsewhere = edits.filter((e) => e.file !== path);
      if (elsewhere.length) failures.push(`${where}: the fix edits ${elsewhere.map((e) => e.file).join(', ')}, not the scanned file`);
      const fixed = applyEdits(text, edits.filter((e) => e.file === path));
      const errors = parseBicep(fixed).errors;
      if (errors.length) {
        failures.push(`${where}: fixed file does not parse: ${errors[0].message}`);
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
  console.log(`fix round trip (Bicep): ${applied} fixes applied and verified, ${unwritable.length} fixes the writer could not express as edits`);
  for (const u of unwritable) console.log(`  not writable: ${u}`);
  assert.deepEqual(failures, []);
  assert.ok(applied > 0, 'no fix was exercised');
});
