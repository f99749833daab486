// Report formatters for the CLI's JSON and text outputs. Pure: no fs, no process.

import { Range, ReportedFinding } from './engine';
import { Severity } from './model';
import { ENGINE_RULES, docUrl } from './rule';
import { FileEdit } from './writers/arm';

export { ENGINE_RULES };

export interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  fixable: boolean;
  docUrl: string;
}

/** One finding in a report, with the text edits its fix makes when it has one that can be written. */
export interface ReportEntry {
  finding: ReportedFinding;
  edits?: FileEdit[];
}

export interface ReportError {
  file: string;
  message: string;
  range?: Range;
  /** `file` is a command-line pattern or argument, not a file that exists (no location in SARIF). */
  pattern?: boolean;
}

export interface Report {
  entries: ReportEntry[];
  errors: ReportError[];
  /** Files recognised but not read in this version (Bicep), or parameter files without a template. */
  skipped: { file: string; reason: string }[];
  /** Number of templates / exported-resource files scanned. */
  filesScanned: number;
  /** With --fix: how many fixes were applied. */
  fixesApplied?: number;
  /** With --fix: problems met while fixing (a fix that did not apply). */
  fixNotes?: string[];
  /** The text of every file a finding or an edit points into, as scanned (for SARIF fix regions). */
  texts: ReadonlyMap<string, string>;
}

export const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export function isFixable(e: ReportEntry): boolean {
  return !!e.edits && e.edits.length > 0;
}

/** Findings sorted by file, then position, then rule id. */
export function sortEntries(entries: readonly ReportEntry[]): ReportEntry[] {
  const pos = (e: ReportEntry): [number, number] => [e.finding.range?.start.line ?? -1, e.finding.range?.start.character ?? -1];
  return [...entries].sort((a, b) => {
    if (a.finding.file !== b.finding.file) return a.finding.file < b.finding.file ? -1 : 1;
    const [la, ca] = pos(a);
    const [lb, cb] = pos(b);
    if (la !== lb) return la - lb;
    if (ca !== cb) return ca - cb;
    return a.finding.ruleId < b.finding.ruleId ? -1 : a.finding.ruleId > b.finding.ruleId ? 1 : 0;
  });
}

// ---------------------------------------------------------------- JSON

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  file: string;
  range?: Range;
  resource?: { type: string; name: string };
  path: string;
  message: string;
  fixable: boolean;
}

export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  errors: { file: string; message: string }[];
}

export function jsonReport(report: Report): JsonReport {
  return {
    version: 1,
    findings: sortEntries(report.entries).map((e) => {
      const f = e.finding;
      return {
        ruleId: f.ruleId,
        severity: f.severity,
        file: f.file,
        ...(f.range ? { range: { start: { ...f.range.start }, end: { ...f.range.end } } } : {}),
        ...(f.resource ? { resource: { type: f.resource.type, name: f.resource.name } } : {}),
        path: f.path,
        message: f.message,
        fixable: isFixable(e),
      };
    }),
    errors: report.errors.map((e) => ({ file: e.file, message: e.message })),
  };
}

export function formatJson(report: Report): string {
  return `${JSON.stringify(jsonReport(report), null, 2)}\n`;
}

// ---------------------------------------------------------------- text

export interface TextOptions {
  color: boolean;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  underline: '\u001b[4m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  green: '\u001b[32m',
};

type Style = keyof typeof ANSI;

function painter(color: boolean): (text: string, ...styles: Style[]) => string {
  return (text, ...styles) => (color && styles.length ? `${styles.map((s) => ANSI[s]).join('')}${text}${ANSI.reset}` : text);
}

const SEVERITY_STYLE: Record<Severity, Style> = { high: 'red', medium: 'yellow', low: 'cyan' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Removes control characters (terminal escapes) from text that came from a scanned file. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

function lineCol(r: Range | undefined): string {
  return r ? `${r.start.line + 1}:${r.start.character + 1}` : '-';
}

/**
 * Text report: findings grouped by file (`line:col  severity  message  rule-id`), then errors
 * as `file:line:col  error  message`, notes about skipped files, and a summary line.
 */
export function formatText(report: Report, opts: TextOptions): string {
  const c = painter(opts.color);
  const lines: string[] = [];
  const errorFiles = new Set(report.errors.map((e) => e.file));
  // A parse error is shown once, as an error line: its parse-error finding would repeat it.
  const entries = sortEntries(report.entries.filter((e) => !(e.finding.ruleId === 'parse-error' && errorFiles.has(e.finding.file))));

  const byFile = new Map<string, ReportEntry[]>();
  for (const e of entries) {
    const list = byFile.get(e.finding.file);
    if (list) list.push(e);
    else byFile.set(e.finding.file, [e]);
  }
  for (const [file, list] of byFile) {
    lines.push(c(clean(file), 'underline'));
    const width = Math.max(...list.map((e) => lineCol(e.finding.range).length));
    for (const e of list) {
      const f = e.finding;
      const pos = lineCol(f.range).padEnd(width);
      const sev = c(f.severity.padEnd(6), SEVERITY_STYLE[f.severity]);
      const fix = isFixable(e) ? c(' (fixable)', 'dim') : '';
      lines.push(`  ${c(pos, 'dim')}  ${sev}  ${clean(f.message)}${fix}  ${c(f.ruleId, 'dim')}`);
    }
    lines.push('');
  }

  for (const e of report.errors) {
    const where = e.range ? `${clean(e.file)}:${e.range.start.line + 1}:${e.range.start.character + 1}` : clean(e.file);
    lines.push(`${where}  ${c('error', 'red', 'bold')}  ${clean(e.message)}`);
  }
  if (report.errors.length) lines.push('');

  for (const s of report.skipped) lines.push(c(`note: skipped ${clean(s.file)}: ${clean(s.reason)}`, 'dim'));
  for (const n of report.fixNotes ?? []) lines.push(c(`note: ${clean(n)}`, 'dim'));
  if (report.fixesApplied !== undefined) lines.push(`Applied ${report.fixesApplied} fix${report.fixesApplied === 1 ? '' : 'es'}.`);

  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const e of entries) counts[e.finding.severity]++;
  const total = entries.length;
  const fixable = entries.filter(isFixable).length;
  const scanned = `${plural(report.filesScanned, 'file')} scanned`;
  const errs = report.errors.length ? `, ${plural(report.errors.length, 'error')}` : '';
  let summary: string;
  if (total === 0) {
    summary = report.errors.length ? c(`No findings in ${scanned}${errs}.`, 'red', 'bold') : c(`No findings in ${scanned}.`, 'green');
  } else {
    const worst: Severity = counts.high ? 'high' : counts.medium ? 'medium' : 'low';
    const detail = `${counts.high} high, ${counts.medium} medium, ${counts.low} low`;
    summary = c(`${plural(total, 'finding')} (${detail}) in ${scanned}${errs}${fixable ? `; ${fixable} fixable with --fix` : ''}.`, SEVERITY_STYLE[worst], 'bold');
  }
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- rules listing

export function rulesJson(rules: readonly RuleInfo[]): string {
  return `${JSON.stringify({ version: 1, rules: rules.map((r) => ({ id: r.id, severity: r.severity, title: r.title, docUrl: r.docUrl, fixable: r.fixable })) }, null, 2)}\n`;
}

export function rulesText(rules: readonly RuleInfo[], opts: TextOptions): string {
  const c = painter(opts.color);
  const idW = Math.max(2, ...rules.map((r) => r.id.length));
  const lines = [c(`${'ID'.padEnd(idW)}  SEVERITY  TITLE`, 'bold')];
  for (const r of rules) {
    lines.push(`${r.id.padEnd(idW)}  ${c(r.severity.padEnd(8), SEVERITY_STYLE[r.severity])}  ${r.title}`);
    lines.push(`${''.padEnd(idW)}  ${''.padEnd(8)}  ${c(r.docUrl, 'dim')}`);
  }
  lines.push('', `${plural(rules.length, 'rule')}.`);
  return `${lines.join('\n')}\n`;
}

export function ruleInfos(catalogMetas: readonly { id: string; title: string; severity: Severity; fixable: boolean }[]): RuleInfo[] {
  return [...catalogMetas, ...ENGINE_RULES].map((m) => ({ id: m.id, title: m.title, severity: m.severity, fixable: m.fixable, docUrl: docUrl(m.id) }));
}
