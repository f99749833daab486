// A table-driven tester for one rule, after ESLint's RuleTester: each case is a small ARM
// template (an object or its text); valid cases produce no finding of the rule, invalid cases
// produce exactly the listed findings.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Config, defaultConfig, mergeConfig } from '../../rules/config';
import { ReportedFinding, scanText } from '../../rules/engine';

export interface CaseTemplate {
  name: string;
  /** An ARM template object (wrapped into a deployment template when it has no $schema) or template text. */
  template: unknown;
  config?: Partial<Config>;
  /** An ARM parameter file's `parameters` object to evaluate with. */
  parameters?: Record<string, unknown>;
}

export interface InvalidCase extends CaseTemplate {
  findings: { line: number; message?: RegExp; path?: string; resource?: string }[];
}

export const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** A deployment template around the given resources (and optional parameters/outputs). */
export function template(resources: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { $schema: SCHEMA, contentVersion: '1.0.0.0', ...extra, resources };
}

export function textOf(t: unknown): string {
  if (typeof t === 'string') return t;
  const obj = t as Record<string, unknown>;
  const full = obj.$schema ? obj : template(Array.isArray(obj) ? obj : [obj]);
  return JSON.stringify(full, null, 2);
}

export function findingsOf(c: CaseTemplate, ruleId?: string): ReportedFinding[] {
  const config = c.config ? mergeConfig(defaultConfig, c.config) : defaultConfig;
  const parameters = c.parameters
    ? { file: 'case.parameters.json', text: JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: c.parameters }, null, 2) }
    : undefined;
  const result = scanText('case.json', textOf(c.template), { config, parameters });
  assert.deepEqual(result.errors, [], `case "${c.name}" did not scan cleanly`);
  return ruleId ? result.findings.filter((f) => f.ruleId === ruleId) : result.findings;
}

export function ruleTester(ruleId: string, cases: { valid: CaseTemplate[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const found = findingsOf(c, ruleId);
        assert.deepEqual(
          found.map((f) => `${(f.range?.start.line ?? -1) + 1}: ${f.message}`),
          [],
        );
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const found = findingsOf(c, ruleId);
        assert.equal(found.length, c.findings.length, `expected ${c.findings.length} finding(s), got: ${found.map((f) => `${(f.range?.start.line ?? -1) + 1}: ${f.message}`).join(' | ')}`);
        const sorted = [...found].sort((a, b) => (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0));
        const wanted = [...c.findings].sort((a, b) => a.line - b.line);
        wanted.forEach((w, i) => {
          const f = sorted[i];
          assert.equal((f.range?.start.line ?? -1) + 1, w.line, `finding ${i} line (message: ${f.message})`);
          if (w.message) assert.match(f.message, w.message);
          if (w.path) assert.equal(f.path, w.path);
          if (w.resource) assert.equal(f.resource?.name, w.resource);
          assert.ok(f.docUrl.endsWith(`/${ruleId}.md`));
        });
      });
    }
  });
}

/** The 1-based line of the first line of `text` containing `needle` (for readable expectations). */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) if (lines[i].includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found`);
}
