// One check of one document ("the owner"): its text, the parameter file that goes with it and the
// configuration in, diagnostics for every file the findings point into out. No LSP connection here.

import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { Config } from '../rules/config';
import { Deployment } from '../rules/model';
import { ReportedFinding, ScanResult, scanText } from '../rules/engine';
import { diagnosticKey, findingDiagnostic, noticeDiagnostic } from './diagnostics';
import { ParsedBase } from './carry';
import { pathToUri } from './paths';

/** Larger documents are not read (one Information diagnostic says so). */
export const MAX_DOCUMENT_CHARS = 8 * 1024 * 1024;

export interface DocumentInput {
  uri: string;
  /** The name the engine sees (a path for file: URIs). */
  file: string;
  text: string;
  /** The open document's version; undefined when read from disk. */
  version?: number;
  languageId?: string;
}

export interface CheckInput extends DocumentInput {
  params?: DocumentInput;
  /** The sibling parameter document the check looked at, used or not (not a parameter file): a later version of it makes the check stale. */
  paramsSeen?: { uri: string; version?: number };
  config: Config;
  /** The check belongs to `params` (a `.bicepparam` the template is not otherwise checked with), not to the template. */
  forParameters?: boolean;
  /** Reads files a Bicep template names (open documents first, then disk). */
  readFile: (path: string) => string | undefined;
  /** The deployment of the document's previous check (ScanOptions.previous). */
  previous?: Deployment;
}

export interface LocatedFinding {
  uri: string;
  finding: ReportedFinding;
  diagnostic: Diagnostic;
}

export interface CheckOutput {
  input: CheckInput;
  result?: ScanResult;
  /** Diagnostics by URI: the owner's always present (maybe empty). */
  diagnostics: Map<string, Diagnostic[]>;
  findings: LocatedFinding[];
  /** The engine failed in a way it did not report as a finding (for the log, said once). */
  failure?: string;
  /** The document was recognised as an ARM parameter file. */
  isParameters: boolean;
  /** Set when the document did not parse: the last check that read it, whose findings are shown still (carry.ts). */
  parsedBase?: ParsedBase;
}

/** Whether a JSON text is plausibly ARM (so that a syntax error in it is ours to report). */
export function looksLikeArm(text: string): boolean {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  return /schema\.management\.azure\.com|"contentVersion"\s*:|"resources"\s*:|Microsoft\.Cache\//i.test(head);
}

function isBicepName(file: string): boolean {
  return /\.bicep(param)?$/i.test(file);
}

/** Whether the server owns this document's problems even when it cannot be read (Bicep, ARM by language or content). */
export function isOurs(doc: Pick<DocumentInput, 'file' | 'text' | 'languageId'>): boolean {
  return isBicepName(doc.file) || doc.languageId === 'arm-template' || doc.languageId === 'bicep' || looksLikeArm(doc.text);
}

export function sizeText(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}

export function tooLargeDiagnostic(chars: number): Diagnostic {
  return noticeDiagnostic(
    `Redis Posture skipped this file: it is ${sizeText(chars)}, larger than the ${sizeText(MAX_DOCUMENT_CHARS)} it reads.`,
    'file-too-large',
    DiagnosticSeverity.Information,
  );
}

function push(map: Map<string, Diagnostic[]>, uri: string, d: Diagnostic): void {
  const list = map.get(uri);
  if (list) list.push(d);
  else map.set(uri, [d]);
}

export function check(input: CheckInput): CheckOutput {
  const out: CheckOutput = { input, diagnostics: new Map([[input.uri, []]]), findings: [], isParameters: false };
  if (input.text.length > MAX_DOCUMENT_CHARS) {
    if (isOurs(input)) push(out.diagnostics, input.uri, tooLargeDiagnostic(input.text.length));
    return out;
  }
  const fileToUri = new Map<string, string>([[input.file, input.uri]]);
  let params: { file: string; text: string } | undefined;
  if (input.params && input.params.text.length <= MAX_DOCUMENT_CHARS) {
    params = { file: input.params.file, text: input.params.text };
    fileToUri.set(input.params.file, input.params.uri);
    // Present even when empty: an open parameter file hears about each version it was checked with.
    out.diagnostics.set(input.params.uri, []);
  }
  const uriOf = (file: string): string => fileToUri.get(file) ?? (/^[a-z][a-z0-9+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? file : pathToUri(file));

  let result: ScanResult;
  try {
    result = scanText(input.file, input.text, { config: input.config, parameters: params, readFile: input.readFile, previous: input.previous });
  } catch (err) {
    out.failure = `${(err as Error)?.name ?? 'Error'} thrown by the engine`;
    return out;
  }
  out.result = result;
  out.isParameters = result.kind === 'parameters';

  const hasParseError = result.findings.some((f) => f.ruleId === 'parse-error');
  if (result.errors.length && !isOurs(input)) return out; // a broken JSON file that is not ARM: the JSON service reports it
  if (result.errors.length && !hasParseError && result.findings.length === 0) {
    // The engine caught its own failure (or the file is too complex): say so, once, at the top.
    const e = result.errors[0];
    if (/^internal error/.test(e.message)) out.failure = 'internal error in the engine';
    push(out.diagnostics, input.uri, noticeDiagnostic(`Redis Posture could not check this file: ${e.message}`, 'not-checked', DiagnosticSeverity.Information, e.range));
    return out;
  }

  const seen = new Set<string>();
  for (const f of result.findings) {
    if (f.ruleId === 'internal-error') out.failure ??= 'a rule failed';
    const uri = uriOf(f.file);
    const d = findingDiagnostic(f, uriOf);
    const key = `${uri}|${diagnosticKey(d)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    push(out.diagnostics, uri, d);
    out.findings.push({ uri, finding: f, diagnostic: d });
  }

  // A parameter file beside the template that does not parse: the engine used the defaults (for a
  // `.bicepparam`, the values that parsed); say why. The template's own findings never carry it.
  if (input.params && params && !out.diagnostics.get(input.params.uri)?.some((d) => d.code === 'parse-error')) {
    const p = scanText(params.file, params.text, { config: input.config });
    if (p.errors.length) {
      for (const f of p.findings) push(out.diagnostics, input.params.uri, findingDiagnostic(f, uriOf));
    }
  }
  return out;
}

/** The text a check saw for one of its files (owner, parameter file, or a file the deployment read). */
export function textOf(out: CheckOutput, uri: string): string | undefined {
  if (uri === out.input.uri) return out.input.text;
  if (out.input.params && uri === out.input.params.uri) return out.input.params.text;
  const dep = out.result?.deployment;
  if (!dep) return undefined;
  for (const [file, text] of dep.texts) if (pathToUri(file) === uri) return text;
  return undefined;
}

/** The engine file name of a URI the check knows. */
export function fileOf(out: CheckOutput, uri: string): string | undefined {
  if (uri === out.input.uri) return out.input.file;
  if (out.input.params && uri === out.input.params.uri) return out.input.params.file;
  return undefined;
}
