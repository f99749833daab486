// Conformance over the real-template corpus, ARM JSON and Bicep rows alike: every expected finding reported on its line for
// its resource, every `none` row silent, nothing reported that is not listed. Known gaps are
// listed in known-gaps.txt / known-gaps-bicep.txt with the reason; a mismatch not listed fails, and so does a listed
// gap that no longer occurs (so the list only shrinks).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { CORPUS, compare, readExpected, readRatchetList, scanCorpusFile } from './corpus';


for (const form of [
  { label: 'JSON', ext: '.json', gapsFile: 'known-gaps.txt' },
  { label: 'Bicep', ext: '.bicep', gapsFile: 'known-gaps-bicep.txt' },
]) {
  test(`corpus conformance: ${form.label} rows of expected.tsv`, { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside the clone' }, () => {
    const rows = readExpected().filter((r) => r.file.endsWith(form.ext));
    const result = compare(rows, scanCorpusFile);
    const gaps = readRatchetList(form.gapsFile);
    const pct = ((100 * result.agreed) / result.rows).toFixed(1);
    console.log(`corpus agreement (${form.label}): ${result.agreed}/${result.rows} rows (${pct}%), ${result.mismatches.length} mismatch(es)`);
    for (const m of result.mismatches) console.log(`  ${gaps.has(m.key) ? 'known' : 'NEW  '} ${m.key.replace(/\t/g, ' | ')} :: ${m.detail}`);
    const unexpected = result.mismatches.filter((m) => !gaps.has(m.key));
    const seen = new Set(result.mismatches.map((m) => m.key));
    const stale = [...gaps].filter((g) => !seen.has(g));
    assert.deepEqual(unexpected.map((m) => `${m.key} :: ${m.detail}`), [], `mismatches not in ${form.gapsFile}`);
    assert.deepEqual(stale, [], `known gaps that now pass: remove them from ${form.gapsFile}`);
  });
}
