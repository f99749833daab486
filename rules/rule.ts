// What a rule is: metadata plus a check over one deployment.

import { Config } from './config';
import { Deployment, Finding, Severity } from './model';

export const DOCS_BASE = 'https://github.com/azure-redis-posture/azure-redis-posture/blob/main/docs/rules/';

export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  /** Resource types the rule judges (for the catalog listing and live scans). */
  resourceTypes: string[];
  /** Whether findings can carry a fix. */
  fixable: boolean;
  /** The rule needs template-only facts (parameters, outputs): it does not run on live resources. */
  templateOnly?: boolean;
}

export type RawFinding = Omit<Finding, 'ruleId' | 'severity'>;

export interface RuleContext {
  deployment: Deployment;
  config: Config;
  report(f: RawFinding): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

const docUrls = new Map<string, string>();

/** The address of a rule's doc page (one string per rule, however many findings carry it). */
export function docUrl(id: string): string {
  let url = docUrls.get(id);
  if (url === undefined) {
    url = `${DOCS_BASE}${id}.md`;
    if (docUrls.size < 1000) docUrls.set(id, url);
  }
  return url;
}

/** Rules the engine itself reports (not in the catalog), with their defaults. */
export const ENGINE_RULES: readonly { id: string; title: string; severity: Severity; fixable: boolean }[] = [
  { id: 'parse-error', title: 'The file could not be parsed', severity: 'high', fixable: false },
  { id: 'unused-suppression', title: 'A suppression comment matches no finding', severity: 'low', fixable: false },
  { id: 'module-not-followed', title: 'A module or nested deployment is not followed, so what it deploys is not checked', severity: 'low', fixable: false },
];
