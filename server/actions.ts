// Code actions from a check: the quick fix of each finding, fix-all (one rule or every rule) by
// applying fixes one at a time and re-scanning between them, and the suppression comment.

import { CodeAction, CodeActionKind, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { classify, readDeployment, ReportedFinding, scanText } from '../rules/engine';
import { LineMap } from '../rules/lines';
import { Deployment, Fix, pathOf } from '../rules/model';
import { modify } from 'jsonc-parser';
import { FileEdit, applyEdits, fixEdits, formattingOf } from '../rules/writers/arm';
import { diffEdits } from '../rules/writers/diff';
import { CheckOutput, LocatedFinding, textOf } from './checker';
import { rangesTouch, sameRange } from './diagnostics';
import { pathToUri } from './paths';
import { ActionData, FIX_ALL_KIND, Range } from './protocol';

/** Upper bounds of a fix-all: fixes applied, and time spent. */
export const MAX_FIX_STEPS = 100;
export const FIX_ALL_BUDGET_MS = 3000;

/** Findings the suppression comment does not apply to. */
const NOT_SUPPRESSIBLE = new Set(['parse-error', 'unused-suppression', 'internal-error']);

function isBicep(file: string): boolean {
  return /\.bicep(param)?$/i.test(file);
}

/** Whether the edited text no longer reads where the original did. */
function breaks(file: string, before: string, after: string, readFile: (p: string) => string | undefined): boolean {
  const error = (text: string): boolean => {
    try {
      return isBicep(file) ? !!readDeployment(file, text, { readFile }).error : !!classify(file, text).error;
    } catch {
      return true;
    }
  };
  return error(after) && !error(before);
}

function safeFixEdits(dep: Deployment, fix: Fix): FileEdit[] | undefined {
  try {
    const e = fixEdits(dep, fix);
    return e && e.length ? e : undefined;
  } catch {
    return undefined;
  }
}

/** The edits that turn `before` into `after` (small, separate hunks), as LSP TextEdits on `before`. */
export function diffTextEdits(before: string, after: string): TextEdit[] {
  const lines = new LineMap(before);
  return diffEdits('', before, after).map((e) => ({ range: { start: lines.position(e.offset), end: lines.position(e.offset + e.length) }, newText: e.content }));
}

/** The working files of a check: engine file name → text and URI. */
interface WorkingFile {
  uri: string;
  original: string;
  text: string;
}

class FixSession {
  readonly files = new Map<string, WorkingFile>();

  constructor(private readonly out: CheckOutput) {
    const { input } = out;
    this.files.set(input.file, { uri: input.uri, original: input.text, text: input.text });
    if (input.params) this.files.set(input.params.file, { uri: input.params.uri, original: input.params.text, text: input.params.text });
  }

  /** A file the deployment read (a Bicep module): added on first edit. */
  private fileFor(file: string, dep: Deployment): WorkingFile | undefined {
    let w = this.files.get(file);
    if (!w) {
      const text = dep.texts.get(file);
      if (text === undefined) return undefined;
      w = { uri: pathToUri(file), original: text, text };
      this.files.set(file, w);
    }
    return w;
  }

  readFile = (path: string): string | undefined => this.files.get(path)?.text ?? this.out.input.readFile(path);

  scan() {
    const { input } = this.out;
    const params = input.params ? { file: input.params.file, text: this.files.get(input.params.file)!.text } : undefined;
    return scanText(input.file, this.files.get(input.file)!.text, { config: input.config, parameters: params, readFile: this.readFile });
  }

  /** New texts if the edits apply and leave every file readable. */
  tryEdits(edits: FileEdit[], dep: Deployment): Map<string, string> | undefined {
    const byFile = new Map<string, FileEdit[]>();
    for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    const next = new Map<string, string>();
    for (const [file, list] of byFile) {
      const w = this.fileFor(file, dep);
      if (!w) return undefined;
      const after = applyEdits(w.text, list);
      if (breaks(file, w.text, after, this.readFile)) return undefined;
      next.set(file, after);
    }
    return next;
  }

  apply(next: Map<string, string>): void {
    for (const [file, text] of next) this.files.get(file)!.text = text;
  }

  workspaceEdit(): WorkspaceEdit | undefined {
    const changes: Record<string, TextEdit[]> = {};
    let any = false;
    for (const w of this.files.values()) {
      const edits = diffTextEdits(w.original, w.text);
      if (edits.length) {
        changes[w.uri] = edits;
        any = true;
      }
    }
    return any ? { changes } : undefined;
  }
}

/** What identifies a finding across re-scans (positions move as text is edited). */
function signature(f: ReportedFinding): string {
  return `${f.ruleId}|${f.file}|${f.resource?.type.toLowerCase()}|${f.resource?.name.toLowerCase()}|${f.path}|${f.message}`;
}

/** The edit of one finding's fix, checked to leave the files readable. */
export function quickFixEdit(out: CheckOutput, lf: LocatedFinding): WorkspaceEdit | undefined {
  const dep = out.result?.deployment;
  if (!lf.finding.fix || !dep) return undefined;
  const edits = safeFixEdits(dep, lf.finding.fix);
  if (!edits) return undefined;
  const session = new FixSession(out);
  const next = session.tryEdits(edits, dep);
  if (!next) return undefined;
  session.apply(next);
  return session.workspaceEdit();
}

/** The quick fix of the finding an action's data names (rule and range), or undefined. */
export function resolveQuickFix(out: CheckOutput, uri: string, ruleId: string, range: Range): WorkspaceEdit | undefined {
  const lf = out.findings.find((x) => x.uri === uri && x.finding.ruleId === ruleId && sameRange(x.diagnostic.range, range));
  return lf ? quickFixEdit(out, lf) : undefined;
}

export interface FixAllResult {
  edit?: WorkspaceEdit;
  applied: number;
}

/**
 * Applies the fixes of the findings in `uri` (of one rule, or all), one at a time, re-scanning
 * after each so that no two edits overlap; bounded in steps and time.
 */
export function fixAll(out: CheckOutput, uri: string, ruleId?: string, budgetMs = FIX_ALL_BUDGET_MS): FixAllResult {
  if (!out.result?.deployment) return { applied: 0 };
  const session = new FixSession(out);
  const tried = new Set<string>();
  const started = Date.now();
  let applied = 0;
  let result = out.result;
  const uriOfFile = (file: string): string => session.files.get(file)?.uri ?? (file === out.input.file ? out.input.uri : pathToUri(file));
  for (let step = 0; step < MAX_FIX_STEPS && Date.now() - started < budgetMs; step++) {
    const dep = result.deployment;
    if (!dep) break;
    let progressed = false;
    for (const f of result.findings) {
      if (!f.fix || (ruleId && f.ruleId !== ruleId) || uriOfFile(f.file) !== uri) continue;
      const sig = signature(f);
      if (tried.has(sig)) continue;
      tried.add(sig);
      const edits = safeFixEdits(dep, f.fix);
      const next = edits && session.tryEdits(edits, dep);
      if (!next) continue;
      session.apply(next);
      applied++;
      progressed = true;
      break;
    }
    if (!progressed) break;
    result = session.scan();
  }
  return { edit: applied ? session.workspaceEdit() : undefined, applied };
}

/** The line a finding's suppression comment goes above: where its range starts. */
function suppressionEdit(text: string, line: number, ruleId: string): TextEdit {
  const lines = new LineMap(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = lines.offset(line, 0);
  const lineText = /^[^\r\n]*/.exec(text.slice(lineStart))![0];
  const indent = /^[ \t]*/.exec(lineText)![0];
  if (line > 0) {
    // A comment for other rules just above: add the id to it (a second comment line would move it off the line).
    const prevStart = lines.offset(line - 1, 0);
    const prev = /^[^\r\n]*/.exec(text.slice(prevStart))![0];
    const m = /^(\s*\/\/\s*redis-posture-disable-next-line\s+)([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)/.exec(prev);
    if (m) {
      const ids = m[2].split(',').map((s) => s.trim());
      if (ids.includes(ruleId)) return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: '' };
      const at = m[1].length + m[2].length;
      return { range: { start: { line: line - 1, character: at }, end: { line: line - 1, character: at } }, newText: `, ${ruleId}` };
    }
  }
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: `${indent}// redis-posture-disable-next-line ${ruleId} -- <reason>${eol}`,
  };
}

/**
 * The strict-JSON suppression: `metadata["redis-posture"].suppress` on the finding's resource,
 * written with jsonc-parser in the file's formatting. Undefined when the resource is not an ARM
 * resource object written in this document.
 */
function metadataSuppressionEdit(out: CheckOutput, text: string, lf: LocatedFinding): TextEdit | undefined {
  const r = lf.finding.finding.resource;
  const at = r?.body.at;
  const path = pathOf(at);
  if (!r || r.source !== 'arm' || !at || !path || at.file !== out.input.file || text.charAt(at.start) !== '{') return undefined;
  const ids = [...(r.suppress ?? [])];
  if (ids.includes(lf.finding.ruleId)) return undefined;
  ids.push(lf.finding.ruleId);
  const edits = modify(text, [...path, 'metadata', 'redis-posture', 'suppress'], ids, { formattingOptions: formattingOf(text) });
  if (edits.length !== 1) return undefined;
  const lines = new LineMap(text);
  const e = edits[0];
  return { range: { start: lines.position(e.offset), end: lines.position(e.offset + e.length) }, newText: e.content };
}

/** Removes one id from an unused suppression comment (the whole comment line when it was the only one). */
function removeSuppressionEdit(text: string, lf: LocatedFinding): TextEdit | undefined {
  const f = lf.finding;
  const id = /suppression of ([A-Za-z0-9-]+) matches/.exec(f.message)?.[1] ?? /unknown rule "([A-Za-z0-9-]+)"/.exec(f.message)?.[1];
  if (!id || !f.range) return undefined;
  const lines = new LineMap(text);
  const line = f.range.start.line;
  const start = lines.offset(line, 0);
  const lineText = /^[^\r\n]*/.exec(text.slice(start))![0];
  const m = /^(\s*)(\/\/\s*redis-posture-disable-next-line\s+)([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)(.*)$/.exec(lineText);
  if (!m) return undefined;
  const ids = m[3].split(',').map((x) => x.trim());
  if (!ids.includes(id)) return undefined;
  // The only id: remove the comment line with its line break.
  if (ids.length === 1) return { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' };
  const idsStart = m[1].length + m[2].length;
  return { range: { start: { line, character: idsStart }, end: { line, character: idsStart + m[3].length } }, newText: ids.filter((x) => x !== id).join(', ') };
}

export interface ActionRequest {
  uri: string;
  range: Range;
  diagnostics: Diagnostic[];
  /** Requested kinds (undefined: all). */
  only?: string[];
  /** The client resolves `edit` lazily (codeAction/resolve). */
  lazy: boolean;
  version?: number;
}

function wants(only: string[] | undefined, kind: string): boolean {
  if (!only) return kind.startsWith(CodeActionKind.QuickFix);
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** The code actions for a range of a document. */
export function codeActions(out: CheckOutput, req: ActionRequest): CodeAction[] {
  const actions: CodeAction[] = [];
  const inFile = out.findings.filter((lf) => lf.uri === req.uri);
  const text = textOf(out, req.uri);

  if (wants(req.only, CodeActionKind.QuickFix)) {
    const here = inFile.filter(
      (lf) => rangesTouch(lf.diagnostic.range, req.range) || req.diagnostics.some((d) => d.code === lf.finding.ruleId && sameRange(d.range, lf.diagnostic.range)),
    );
    const fixRules = new Set<string>();
    for (const lf of here) {
      if (!lf.finding.fix) continue;
      const action: CodeAction = { title: lf.finding.fix.title, kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: [lf.diagnostic] };
      if (req.lazy) {
        // Offered when the writer can express the fix; the check that the result still reads
        // (a parse of the edited file) waits for codeAction/resolve: editors ask for code actions
        // on every cursor move.
        const dep = out.result?.deployment;
        if (!dep || !safeFixEdits(dep, lf.finding.fix)) continue;
        action.data = { uri: req.uri, version: req.version, kind: 'fix', ruleId: lf.finding.ruleId, range: lf.diagnostic.range } satisfies ActionData;
      } else {
        const edit = quickFixEdit(out, lf);
        if (!edit) continue;
        action.edit = edit;
      }
      fixRules.add(lf.finding.ruleId);
      actions.push(action);
    }
    // "Fix all" for a rule when the file has more than one fixable finding of it.
    for (const ruleId of fixRules) {
      const same = inFile.filter((lf) => lf.finding.ruleId === ruleId && lf.finding.fix);
      if (same.length < 2) continue;
      const action: CodeAction = { title: `Fix all ${ruleId} problems in this file`, kind: CodeActionKind.QuickFix, diagnostics: same.map((lf) => lf.diagnostic) };
      if (req.lazy) action.data = { uri: req.uri, version: req.version, kind: 'fixRule', ruleId };
      else {
        const r = fixAll(out, req.uri, ruleId);
        if (!r.edit) continue;
        action.edit = r.edit;
      }
      actions.push(action);
    }
    if (text !== undefined) {
      const done = new Set<string>();
      for (const lf of here) {
        const f = lf.finding;
        if (f.ruleId === 'unused-suppression') {
          const edit = removeSuppressionEdit(text, lf);
          if (edit) actions.push({ title: 'Remove unused suppression', kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: [lf.diagnostic], edit: { changes: { [req.uri]: [edit] } } });
          continue;
        }
        if (NOT_SUPPRESSIBLE.has(f.ruleId) || !f.range) continue;
        const key = `${f.ruleId}|${f.range.start.line}`;
        if (done.has(key)) continue;
        done.add(key);
        // Plain JSON does not allow comments (VS Code's JSON language reports them): there only the resource metadata form is offered.
        const strictJson = !isBicep(out.input.file) && out.input.languageId === 'json';
        if (!strictJson) {
          const edit = suppressionEdit(text, f.range.start.line, f.ruleId);
          if (edit.newText) actions.push({ title: `Disable ${f.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [lf.diagnostic], edit: { changes: { [req.uri]: [edit] } } });
        }
        const meta = !isBicep(out.input.file) && lf.uri === out.input.uri ? metadataSuppressionEdit(out, text, lf) : undefined;
        if (meta) {
          actions.push({
            title: `Disable ${f.ruleId} for this resource (metadata)`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [lf.diagnostic],
            edit: { changes: { [req.uri]: [meta] } },
          });
        }
      }
    }
  }

  if (req.only && wants(req.only, FIX_ALL_KIND) && inFile.some((lf) => lf.finding.fix)) {
    const action: CodeAction = { title: 'Fix all Redis Posture problems in this file', kind: FIX_ALL_KIND };
    if (req.lazy) action.data = { uri: req.uri, version: req.version, kind: 'fixAll' };
    else {
      const r = fixAll(out, req.uri);
      if (r.edit) action.edit = r.edit;
    }
    if (action.edit || action.data) actions.push(action);
  }
  return actions;
}
