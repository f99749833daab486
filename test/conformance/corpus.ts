// Reads ../shared/corpus/expected.tsv and compares it with what the engine reports, file by file.

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ReportedFinding, scanText } from '../../rules/engine';

/** A module cache that does not exist. */
const NO_MODULE_CACHE = '/nonexistent/redis-posture-module-cache';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpus');

export interface ExpectedRow {
  file: string;
  resource: string;
  ruleId: string;
  expect: 'finding' | 'none';
  line?: number;
  note: string;
}

export function readExpected(): ExpectedRow[] {
  const lines = readFileSync(join(CORPUS, 'expected.tsv'), 'utf8').split('\n').slice(1);
  return lines
    .filter((l) => l.trim())
    .map((l) => {
      const [file, resource, ruleId, expect, line, note] = l.split('\t');
      return { file, resource, ruleId, expect: expect as 'finding' | 'none', line: line ? Number(line) : undefined, note: note ?? '' };
    });
}

/** A resource cell: alternatives joined by `|`, `*` any characters, case-insensitive. */
export function resourcePattern(cell: string): RegExp {
  const alts = cell.split('|').map((a) => a.replace(/\\$/, '').split('*').map((p) => p.replace(/[.+?^${}()[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^(?:${alts.join('|')})$`, 'i');
}

export function qualifiedName(f: ReportedFinding): string {
  return f.resource ? `${f.resource.type}/${f.resource.name}` : '';
}

/** Scans a corpus file the way the CLI does: its sibling `<t>.parameters.json` applied. */
export function scanCorpusFile(rel: string): ReportedFinding[] {
  const path = join(CORPUS, rel);
  const text = readFileSync(path, 'utf8');
  const sibling = join(dirname(path), basename(path).replace(/\.json$/, '.parameters.json'));
  const parameters = sibling !== path && existsSync(sibling) ? { file: sibling, text: readFileSync(sibling, 'utf8') } : undefined;
  // expected.tsv is about the corpus alone: registry modules this machine may have restored stay out of it.
  return scanText(path, text, { parameters, moduleCacheRoot: NO_MODULE_CACHE }).findings.filter((f) => f.ruleId !== 'unused-suppression' && f.ruleId !== 'module-not-followed');
}

export interface Mismatch {
  key: string;
  detail: string;
}

export interface Agreement {
  rows: number;
  agreed: number;
  mismatches: Mismatch[];
}

export function compare(rows: ExpectedRow[], scan: (file: string) => ReportedFinding[]): Agreement {
  const byFile = new Map<string, ExpectedRow[]>();
  for (const r of rows) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const mismatches: Mismatch[] = [];
  let agreed = 0;
  for (const [file, fileRows] of byFile) {
    const found = scan(file);
    const claimed = new Set<ReportedFinding>();
    for (const row of fileRows) {
      const key = `${row.file}\t${row.ruleId}\t${row.resource}\t${row.expect}\t${row.line ?? ''}`;
      const pat = resourcePattern(row.resource);
      if (row.ruleId === '*') {
        if (found.length === 0) agreed++;
        else mismatches.push({ key, detail: `expected no findings, got ${found.map((f) => `${f.ruleId}@${(f.range?.start.line ?? -1) + 1}`).join(', ')}` });
        found.forEach((f) => claimed.add(f));
        continue;
      }
      const same = found.filter((f) => f.ruleId === row.ruleId && pat.test(qualifiedName(f)));
      if (row.expect === 'finding') {
        const hit = same.find((f) => !claimed.has(f) && (row.line === undefined || (f.range?.start.line ?? -1) + 1 === row.line));
        if (hit) {
          agreed++;
          // Duplicates of the same finding (loops deploying the same resource) belong to the row too.
          same.filter((f) => (f.range?.start.line ?? -1) === (hit.range?.start.line ?? -1)).forEach((f) => claimed.add(f));
        } else {
          mismatches.push({
            key,
            detail: same.length ? `reported on line(s) ${same.map((f) => (f.range?.start.line ?? -1) + 1).join(', ')} instead` : `not reported (resources seen: ${[...new Set(found.filter((f) => f.ruleId === row.ruleId).map(qualifiedName))].join(', ') || 'none'})`,
          });
        }
      } else if (same.every((f) => claimed.has(f))) agreed++; // a finding another row claimed (names a parameter file makes equal) is not this row's
      else {
        same.forEach((f) => claimed.add(f));
        mismatches.push({ key, detail: `unexpected finding on line(s) ${same.map((f) => (f.range?.start.line ?? -1) + 1).join(', ')}: ${same[0].message}` });
      }
    }
    for (const f of found) {
      if (claimed.has(f)) continue;
      mismatches.push({ key: `${file}\t${f.ruleId}\t${qualifiedName(f)}\textra\t${(f.range?.start.line ?? -1) + 1}`, detail: `finding not in expected.tsv: ${f.message}` });
    }
  }
  return { rows: rows.length, agreed, mismatches };
}

/** A ratchet list beside the tests: one key a line, `# reason` after it, `#` lines are comments. */
export function readRatchetList(name: string): Set<string> {
  const file = join(REPO_ROOT, 'test', 'conformance', name);
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => l.split(' # ')[0]),
  );
}

// Findings a fix is expected to surface: the next step rules.md asks for, not a regression.
// Disabling public access makes the cache reachable only privately, so the private-endpoint
// rules start to apply.
export const FOLLOW_UPS: Record<string, string[]> = {
  'redis-disable-public-network': ['redis-private-link'],
  'redis-enterprise-disable-public-network': ['redis-enterprise-private-link'],
};

// Fixes that rules.md defines as partial: the finding stays until the user finishes by hand.
// The persistence fix switches the auth method and adds an identity; the storage key in the
// connection string can only be removed once the user names the blob endpoint to use.
export const PARTIAL: Record<string, string> = {
  'redis-persistence-identity': 'connection string rewritten by hand',
};

/** What identifies a finding across a fix (its position moves): rule, resource type and name. */
export function findingKey(f: { ruleId: string; resource?: { type: string; name: string } }): string {
  return `${f.ruleId}|${f.resource?.type.toLowerCase()}|${f.resource?.name.toLowerCase()}`;
}
