// Findings → LSP diagnostics.

import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import { ReportedFinding } from '../rules/engine';
import { Severity } from '../rules/model';
import { Range, SOURCE } from './protocol';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  high: DiagnosticSeverity.Error,
  medium: DiagnosticSeverity.Warning,
  low: DiagnosticSeverity.Information,
};

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Rule ids the engine reports that have no documentation page. */
const UNDOCUMENTED = new Set(['internal-error']);

export interface DiagnosticData {
  fixable: boolean;
}

export function findingDiagnostic(f: ReportedFinding, uriOf: (file: string) => string): Diagnostic {
  const d: Diagnostic = {
    range: f.range ? { start: { ...f.range.start }, end: { ...f.range.end } } : ZERO,
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Information,
    code: f.ruleId,
    source: SOURCE,
    message: f.message,
    data: { fixable: !!f.fix } satisfies DiagnosticData,
  };
  if (!UNDOCUMENTED.has(f.ruleId)) d.codeDescription = { href: f.docUrl };
  if (f.related.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: uriOf(r.file), range: { start: { ...r.range.start }, end: { ...r.range.end } } }, message: r.message }));
  }
  if (f.ruleId === 'unused-suppression') d.tags = [DiagnosticTag.Unnecessary];
  return d;
}

/** A file the server did not read, said once at its top. */
export function noticeDiagnostic(message: string, code: string, severity: DiagnosticSeverity = DiagnosticSeverity.Information, range: Range = ZERO): Diagnostic {
  return { range, severity, code, source: SOURCE, message };
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Whether two ranges overlap or touch (an empty range at a diagnostic's edge counts). */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']): boolean => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function diagnosticKey(d: Diagnostic): string {
  const r = d.range;
  return `${String(d.code)}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${d.message}`;
}
