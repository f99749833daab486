// Conformance over the real-template corpus, `.bicep` rows: every expected finding reported on its
// line for its resource, every `none` row silent, nothing reported that is not listed. Known gaps
// are listed in known-gaps-bicep.txt with the reason; a mismatch not listed fails, and so does a
// listed gap that no longer occurs (so the list only shrinks).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPUS, REPO_ROOT, compare, readExpected, scanCorpusFile } from './corpus';

function knownGaps(): Set<string> {
  const file = join(REPO_ROOT, 'test', 'conformance', 'known-gaps-bicep.txt');
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split(' # ')[0]),
  );
}

test('corpus conformance: Bicep rows of expected.tsv', { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside the clone' }, () => {
  const rows = readExpected().filter((r) => r.file.endsWith('.bicep'));
  const result = compare(rows, scanCorpusFile);
  const gaps = knownGaps();
  const pct = ((100 * result.agreed) / result.rows).toFixed(1);
  console.log(`corpus agreement (Bicep): ${result.agreed}/${result.rows} rows (${pct}%), ${result.mismatches.length} mismatch(es)`);
  for (const m of result.mismatches) console.log(`  ${gaps.has(m.key) ? 'known' : 'NEW  '} ${m.key.replace(/\t/g, ' | ')} :: ${m.detail}`);
  const unexpected = result.mismatches.filter((m) => !gaps.has(m.key));
  const seen = new Set(result.mismatches.map((m) => m.key));
  const stale = [...gaps].filter((g) => !seen.has(g));
  assert.deepEqual(unexpected.map((m) => `${m.key} :: ${m.detail}`), [], 'mismatches not in known-gaps-bicep.txt');
  assert.deepEqual(stale, [], 'known gaps that now pass: remove them from known-gaps-bicep.txt');
});
