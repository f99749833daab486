// While a JSON template does not parse (most states typed on the way to a new property are not
// JSON), its findings from the last version that did parse stay, moved to where that text now
// is. Reading the broken text as best one can would lose the rest of an object at the first
// unclosed string, and report secure settings as missing; showing the parse error alone makes
// every finding vanish and come back at each such keystroke.

import { Diagnostic } from 'vscode-languageserver/node';
import { Deployment } from '../rules/model';
import { LineMap, TextChange, changeBetween } from '../rules/lines';
import { CheckOutput } from './checker';
import { DiagnosticData } from './diagnostics';
import { Range } from './protocol';

/** What the last check that read a document said about it (and about its parameter file). */
export interface ParsedBase {
  uri: string;
  text: string;
  diagnostics: Diagnostic[];
  params?: { uri: string; text: string; diagnostics: Diagnostic[] };
  /** Its deployment: the next check starts from it (ScanOptions.previous) while the document does not parse. */
  deployment?: Deployment;
  /** The line map of `text`, made by the first carry from it (each keystroke while the file does not parse is another). */
  lines?: LineMap;
}

/** Codes that describe one version's reading of the file, not a finding in it. */
const NOT_CARRIED = new Set(['parse-error', 'not-checked', 'file-too-large']);

export const CARRIED_NOTE = 'other Redis Posture findings in this file are from its last version that parsed';

/**
 * The findings of `base` that still stand in `text`: those on lines the edits since did not
 * touch, moved with the text around them. One on a line that was changed is dropped (it may be
 * what was edited); so is a related location there. They are not fixable: their fixes were
 * made for the old text, and a quick fix on a broken file is not offered.
 */
export function carriedDiagnostics(base: ParsedBase, text: string): Diagnostic[] {
  const kept = base.diagnostics.filter((d) => !NOT_CARRIED.has(String(d.code)));
  if (!kept.length) return [];
  const change = lineAligned(base.text, text);
  const was = (base.lines ??= new LineMap(base.text));
  const now = new LineMap(text);
  const inserted = text.slice(change.start, change.oldEnd + change.delta);
  /** New lines typed or pasted at a line start (the edit ends with a line break): no old line is in it. */
  const between = change.oldEnd === change.start && inserted.endsWith('\n') && (change.start === 0 || base.text[change.start - 1] === '\n');
  const move = (r: Range): Range | undefined => {
    // By whole lines: a finding sits on a property's name, and the edit that fixes it is in its value.
    const lineStart = was.offset(r.start.line, 0);
    const lineEnd = r.end.line + 1 < was.lineCount ? was.offset(r.end.line + 1, 0) : base.text.length + 1;
    if (lineEnd <= change.start) return r;
    if (between ? lineStart >= change.start : lineStart >= change.oldEnd && lineStart > change.start) {
      const start = was.offset(r.start.line, r.start.character);
      const end = was.offset(r.end.line, r.end.character);
      return { start: now.position(start + change.delta), end: now.position(end + change.delta) };
    }
    return undefined;
  };
  const out: Diagnostic[] = [];
  for (const d of kept) {
    const range = move(d.range);
    if (!range) continue;
    const c: Diagnostic = { ...d, range, data: { fixable: false } satisfies DiagnosticData };
    if (d.relatedInformation) {
      const related = [];
      for (const r of d.relatedInformation) {
        if (r.location.uri !== base.uri) related.push(r);
        else {
          const moved = move(r.location.range);
          if (moved) related.push({ ...r, location: { uri: r.location.uri, range: moved } });
        }
      }
      if (related.length) c.relatedInformation = related;
      else delete c.relatedInformation;
    }
    out.push(c);
  }
  return out;
}

/** What `out` (a check that read its document) leaves for the checks after it; undefined when it did not read it. */
function baseOf(out: CheckOutput): ParsedBase | undefined {
  if (out.parsedBase) return out.parsedBase;
  const { input } = out;
  if (input.forParameters || !out.result?.deployment || out.result.errors.length) return undefined;
  const params = input.params ? { uri: input.params.uri, text: input.params.text, diagnostics: out.diagnostics.get(input.params.uri) ?? [] } : undefined;
  return { uri: input.uri, text: input.text, diagnostics: out.diagnostics.get(input.uri) ?? [], params, deployment: out.result.deployment };
}

/**
 * When `out` could not read its document for a syntax error, adds the findings of the last
 * version that parsed (`previous`, the document's check before this one, or the base it carried)
 * to its diagnostics, and says so on the parse error. A parameter file whose text is unchanged
 * keeps its findings as they were.
 */
export function carryOver(out: CheckOutput, previous: CheckOutput | undefined): void {
  const { input } = out;
  if (!previous || previous.input.uri !== input.uri || input.forParameters || out.result?.deployment) return;
  const own = out.diagnostics.get(input.uri);
  const parseError = own?.find((d) => d.code === 'parse-error');
  if (!own || !parseError) return;
  const base = baseOf(previous);
  if (!base) return;
  out.parsedBase = base;
  const carried = carriedDiagnostics(base, input.text);
  if (base.params && input.params?.uri === base.params.uri && input.params.text === base.params.text) {
    const list = out.diagnostics.get(base.params.uri);
    if (list && !list.length) list.push(...base.params.diagnostics);
  }
  if (!carried.length) return;
  parseError.message = `${parseError.message} (${CARRIED_NOTE})`;
  own.push(...carried);
}

/**
 * The change from `before` to `after`, a text inserted or deleted moved back to a line start
 * when it can be (the same result: "x\n" typed after "a\n" reads as "\nx" after "a" to a
 * prefix-and-suffix diff), so that a line pasted above a finding does not seem to edit its line.
 */
function lineAligned(before: string, after: string): TextChange {
  const c = changeBetween(before, after);
  const pure = c.oldEnd === c.start || c.delta === c.start - c.oldEnd;
  if (!pure || c.delta === 0) return c;
  // The piece inserted (or deleted) moves back a character while the one before it equals its last,
  // the piece then being that character and all of it but the last (indexes only: it may be large).
  const len = Math.abs(c.delta);
  const src = c.delta > 0 ? after : before;
  const nl = src.indexOf('\n', c.start);
  if (nl < 0 || nl >= c.start + len) return c;
  let at = c.start;
  for (let k = 1; at > 0 && before[at - 1] !== '\n'; k++) {
    const last = k <= len ? src[c.start + len - k] : before[c.start + len - k];
    if (before[at - 1] !== last) break;
    at--;
  }
  if (at > 0 && before[at - 1] !== '\n') return c;
  return c.delta > 0 ? { start: at, oldEnd: at, delta: c.delta } : { start: at, oldEnd: at - c.delta, delta: c.delta };
}
