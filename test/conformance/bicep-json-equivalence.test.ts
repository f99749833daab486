// Convention 16: a `.bicep` file and its compiled JSON forms give the same findings. For every corpus
// folder with a main.bicep and a compiled form beside it (main.json, main.symbolicnames.json, or the
// quickstarts' azuredeploy.json), the number of findings per (rule, resource type) must agree.
// Known differences are listed in known-differences-bicep-json.txt with the reason; an unlisted
// difference fails, and so does a listed one that no longer occurs (so the list only shrinks).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ReportedFinding } from '../../rules/engine';
import { CORPUS, readRatchetList, scanCorpusFile } from './corpus';

const COMPILED = ['main.json', 'main.symbolicnames.json', 'azuredeploy.json'];

function pairs(): [string, string][] {
  const out: [string, string][] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
    }
    if (!existsSync(join(dir, 'main.bicep'))) return;
    for (const c of COMPILED) if (existsSync(join(dir, c))) out.push([relative(CORPUS, join(dir, 'main.bicep')), relative(CORPUS, join(dir, c))]);
  };
  visit(CORPUS);
  return out;
}

function counts(findings: ReportedFinding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) {
    const k = `${f.ruleId}\t${f.resource?.type.toLowerCase() ?? '-'}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}


test('a .bicep file and its compiled JSON give the same findings per (rule, resource type)', { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside the clone' }, () => {
  const diffs: string[] = [];
  let compared = 0;
  for (const [bicep, json] of pairs()) {
    const b = counts(scanCorpusFile(bicep));
    const j = counts(scanCorpusFile(json));
    compared++;
    for (const k of [...new Set([...b.keys(), ...j.keys()])].sort()) {
      if ((b.get(k) ?? 0) !== (j.get(k) ?? 0)) diffs.push(`${bicep}\t${json}\t${k}\tbicep=${b.get(k) ?? 0}\tjson=${j.get(k) ?? 0}`);
    }
  }
  const known = readRatchetList('known-differences-bicep-json.txt');
  console.log(`bicep/json equivalence: ${compared} pairs compared, ${diffs.length} difference(s)`);
  for (const d of diffs) console.log(`  ${known.has(d) ? 'known' : 'NEW  '} ${d.replace(/\t/g, ' | ')}`);
  const seen = new Set(diffs);
  assert.deepEqual(diffs.filter((d) => !known.has(d)), [], 'differences not in known-differences-bicep-json.txt');
  assert.deepEqual([...known].filter((k) => !seen.has(k)), [], 'known differences that no longer occur: remove them');
});
