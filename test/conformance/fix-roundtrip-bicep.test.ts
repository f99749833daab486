// Every fixable finding on the Bicep corpus: apply its fix, the file still parses (parseBicep gives
// no error), the finding is gone, and every edit is in the scanned file (a finding sits, and is
// fixed, where the reader of that file can fix it). Findings a fix makes appear are logged: the JSON
// round trip has the same ones (a cache whose public access the fix disables now wants a private
// endpoint), they are the rules' business, not the writer's.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanText } from '../../rules/engine';
import { parseBicep } from '../../rules/readers/bicep/index';
import { applyEdits, fixEdits } from '../../rules/writers/arm';
import { CORPUS, readExpected } from './corpus';

/**
 * Fixes that by the rule's own definition leave the finding in place (the JSON round trip has the
 * same one): listed with the reason; a listed entry whose finding does go away fails (stale).
 */
const STAYS: Record<string, string> = {
  'azure-quickstart-templates/quickstarts/microsoft.cache/redis-premium-persistence/main.bicep redis-persistence-identity':
    'the fix sets the managed-identity auth method and adds an identity; the connection string carrying the key must be changed by hand (the message says how)',
};

const key = (f: { ruleId: string; resource?: { type: string; name: string } }): string => `${f.ruleId}|${f.resource?.type.toLowerCase()}|${f.resource?.name.toLowerCase()}`;

test('fix round trip on every fixable Bicep corpus finding', { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside the clone' }, () => {
  const files = [...new Set(readExpected().map((r) => r.file).filter((f) => f.endsWith('.bicep')))];
  let applied = 0;
  const unwritable: string[] = [];
  const introduced: string[] = [];
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
      const listed = `${rel} ${f.ruleId}` in STAYS;
      if (stays && !listed) failures.push(`${where}: finding still reported after the fix`);
      if (!stays && listed) failures.push(`${where}: listed in STAYS but the fix now removes the finding: remove it from the list`);
      const added = after.findings.filter((g) => !beforeKeys.has(key(g)) && g.ruleId !== 'unused-suppression');
      if (added.length) introduced.push(`${where}: ${added.map((g) => g.ruleId).join(', ')}`);
      applied++;
    }
  }
  console.log(`fix round trip (Bicep): ${applied} fixes applied and verified, ${unwritable.length} fixes the writer could not express as edits`);
  for (const u of unwritable) console.log(`  not writable: ${u}`);
  for (const i of introduced) console.log(`  introduced: ${i}`);
  assert.deepEqual(failures, []);
  assert.ok(applied > 0, 'no fix was exercised');
});
