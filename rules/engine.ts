// The engine: recognise a document, read it into a Deployment, run the catalog, apply
// configuration and suppressions, and give findings with line/column ranges.

import { Config, defaultConfig } from './config';
import { Deployment, Finding, Fix, ObjectVal, Resource, Severity, Span, Val, lowerKey, member, sameType } from './model';
import { editTree, knownLineStarts, looksBinary, parseJsonDoc, readAsStrict, TextError, TreeEdit } from './readers/arm/json';
import { ArmTemplateReader, isParameterFile, isTemplate, keepsReading } from './readers/arm/template';
import { exportedItems, readExported } from './readers/exported/exported';
import { catalog } from './catalog/index';
import { ENGINE_RULES, Rule, docUrl } from './rule';
import { LineMap } from './lines';
import { readFileSync, statSync } from 'node:fs';
import { readBicep } from './readers/bicep/reader';
import { Memo } from './memo';
import { parseBicepShared } from './readers/bicep/index';

export type DocumentKind = 'template' | 'parameters' | 'exported' | 'other';

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

export interface ReportedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The file the range is in (the parameter file when the value is set there). */
  file: string;
  range?: Range;
  resource?: { type: string; name: string; id?: string };
  path: string;
  docUrl: string;
  fix?: Fix;
  related: { file: string; range: Range; message: string }[];
  finding: Finding;
}

export interface ScanError {
  file: string;
  message: string;
  range: Range;
}

export interface ScanResult {
  file: string;
  kind: DocumentKind;
  findings: ReportedFinding[];
  errors: ScanError[];
  deployment?: Deployment;
}

export interface ScanOptions {
  config?: Config;
  /** A parameter file to evaluate the template with. */
  parameters?: { file: string; text: string };
  /** Run only these rules (after config). */
  rules?: Rule[];
  /** Reads the files Bicep modules name (default: the file system; undefined when unreadable). */
  readFile?: (path: string) => string | undefined;
  /** Where restored registry modules are read (default `~/.bicep`). */
  moduleCacheRoot?: string;
  /**
   * The deployment of an earlier scan of this file. When the text differs from that scan's only
   * within one value, its JSON tree is edited instead of read anew (see editTree); when the
   * template reader did not depend on that value either (keepsReading), its resources are
   * checked again as they are. The earlier result no longer matches its tree afterwards.
   */
  previous?: Deployment;
}

export interface ClassifiedDocument {
  kind: DocumentKind;
  error?: TextError;
}

const RULE_IDS = new Set(catalog.map((r) => r.meta.id));

const ALL_RULE_IDS: ReadonlySet<string> = new Set([...RULE_IDS, ...ENGINE_RULES.map((r) => r.id)]);

/** Every rule id a configuration may name: the catalog's and the engine's own (parse-error, unused-suppression). */
export function knownRuleIds(): ReadonlySet<string> {
  return ALL_RULE_IDS;
}

/** Recognises a JSON document by its content (an earlier tree of the same file is edited when it can be, see ScanOptions.previous). */
export function classify(file: string, text: string, previousRoot?: Val): ClassifiedDocument & { root?: ObjectVal | import('./model').Val; edit?: TreeEdit } {
  const own = previousRoot?.at?.file === file ? previousRoot : undefined;
  const edited = own && editTree(own, text);
  const { doc, error } = edited ? { doc: edited, error: undefined } : parseJsonDoc(file, text, { likelyInvalid: !!own && readAsStrict(own) });
  if (!doc) return { kind: 'other', error };
  if (isParameterFile(doc.root)) return { kind: 'parameters', root: doc.root };
  if (isTemplate(doc.root)) return { kind: 'template', root: doc.root, edit: edited?.edit };
  if (exportedItems(doc.root)) return { kind: 'exported', root: doc.root };
  return { kind: 'other', root: doc.root };
}

/** Links children declared as separate resources (`cache/rule` names, ids under the parent's id) to their parents. */
function linkChildren(resources: Resource[]): void {
  // By lower-cased type, then by lower-cased full name, for the types a child names as its
  // parent's, each built when first needed (most resources of a template are top-level or
  // already linked); the later of two alike is the one found.
  const byTypeName = new Map<string, Map<string, Resource>>();
  const find = (type: string, fullName: string): Resource | undefined => {
    let names = byTypeName.get(type);
    if (!names) {
      names = new Map();
      for (const r of resources) if (lowerKey(r.type) === type) names.set(r.fullName.toLowerCase(), r);
      byTypeName.set(type, names);
    }
    return names.get(fullName);
  };
  let byId: Map<string, Resource> | undefined;
  for (const r of resources) {
    if (r.parent) continue;
    if (r.id) {
      if (!byId) {
        byId = new Map();
        for (const o of resources) if (o.id) byId.set(o.id.toLowerCase(), o);
      }
      const i = r.id.lastIndexOf('/', r.id.lastIndexOf('/') - 1);
      const p = i > 0 ? byId.get(r.id.slice(0, i).toLowerCase()) : undefined;
      if (p && p !== r) {
        r.parent = p;
        p.children.push(r);
      }
      continue;
    }
    const lastSlash = r.type.lastIndexOf('/');
    if (r.type.indexOf('/') === lastSlash) continue; // a top-level type: no parent to find
    const cut = r.fullName.lastIndexOf('/');
    if (cut <= 0) continue;
    const p = find(lowerKey(r.type.slice(0, lastSlash)), r.fullName.slice(0, cut).toLowerCase());
    if (p) {
      r.parent = p;
      p.children.push(r);
    }
  }
}

/** The largest module or linked template file read (as large as a file the CLI scans). */
export const MAX_MODULE_FILE_BYTES = 8 * 1024 * 1024;

/**
 * A file a template names (a module, a linked template, a bicepconfig.json), undefined when it is
 * not a regular file of at most MAX_MODULE_FILE_BYTES: a path may name a device or a folder
 * (`../../dev/zero`), which must not be read.
 */
function readFileOrUndefined(path: string): string | undefined {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > MAX_MODULE_FILE_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `.bicep` through the Bicep reader (what parsed is read even when there are errors); `.bicepparam` is a parameter file. */
function readBicepDocument(file: string, text: string, options: ScanOptions): { deployment?: Deployment; kind: DocumentKind; error?: TextError } {
  const first = (errors: { message: string; start: number; end: number }[]): TextError | undefined =>
    errors[0] ? { message: errors[0].message, offset: errors[0].start, length: errors[0].end - errors[0].start } : undefined;
  const params = /\.bicepparam$/i.test(file);
  if (looksBinary(text)) return { kind: params ? 'parameters' : 'template', error: { message: 'not a text file (binary content)', offset: 0, length: 0 } };
  if (params) return { kind: 'parameters', error: first(parseBicepShared(text, 'bicepparam').errors) };
  const { deployment, errors } = readBicep(file, text, { readFile: options.readFile ?? readFileOrUndefined, parameters: options.parameters, moduleCacheRoot: options.moduleCacheRoot });
  linkChildren(deployment.resources);
  return { kind: 'template', deployment, error: first(errors.filter((e) => e.file === file)) };
}

export function readDeployment(file: string, text: string, options: ScanOptions = {}): { deployment?: Deployment; kind: DocumentKind; error?: TextError } {
  if (/\.bicep(param)?$/i.test(file)) return readBicepDocument(file, text, options);
  const previousRoot = options.previous?.roots?.get(file);
  const c = classify(file, text, previousRoot);
  if (c.error || !c.root) return { kind: c.kind, error: c.error };
  const texts = new Map([[file, text]]);
  if (c.kind === 'template') {
    const again = options.previous && c.root === previousRoot ? readAgain(options.previous, file, text, c.edit, options.parameters) : undefined;
    if (again) return { kind: 'template', deployment: again };
    const reader = new ArmTemplateReader(file, options.readFile ?? readFileOrUndefined);
    let paramValues;
    const roots = new Map<string, Val>([[file, c.root]]);
    if (options.parameters) {
      const p = parseJsonDoc(options.parameters.file, options.parameters.text);
      const values = p.doc ? member(p.doc.root, 'parameters')?.value : undefined;
      if (values?.kind === 'object') {
        paramValues = { file: options.parameters.file, values };
        texts.set(options.parameters.file, options.parameters.text);
        roots.set(options.parameters.file, p.doc!.root);
      }
    }
    reader.read(c.root as ObjectVal, paramValues);
    linkChildren(reader.resources);
    for (const [f, t] of reader.texts) texts.set(f, t);
    const deployment: Deployment = { file, source: 'arm', resources: reader.resources, outputs: reader.outputs, notes: reader.notes, texts, roots, moduleCalls: reader.moduleCalls };
    if (reader.placed.size) deployment.placedFiles = reader.placed;
    if (reader.unread.size) deployment.unread = reader.unread;
    armReads.set(deployment, { reader, parameters: options.parameters });
    return { kind: 'template', deployment };
  }
  if (c.kind === 'exported') {
    const resources = readExported(file, exportedItems(c.root)!);
    linkChildren(resources);
    return { kind: 'exported', deployment: { file, source: 'exported', resources, outputs: [], notes: [], texts, roots: new Map([[file, c.root]]), moduleCalls: [] } };
  }
  return { kind: c.kind };
}

/** How an ARM template's deployment was read: the reader (see keepsReading) and the parameter file it was read with. */
const armReads = new Memo<Deployment, { reader: ArmTemplateReader; parameters?: { file: string; text: string } }>('armRead');

/**
 * The earlier deployment of `file` again, for `text`: when the text is the one it was read from,
 * or editTree changed only whitespace between its tokens or one value the reader did not depend
 * on, and the parameter file is the same. A new object with the new text, so that what rules
 * worked out from the earlier one (kept on it) is worked out again.
 */
function readAgain(prev: Deployment, file: string, text: string, edit: TreeEdit | undefined, parameters: ScanOptions['parameters']): Deployment | undefined {
  const read = armReads.get(prev);
  if (!read || read.parameters?.file !== parameters?.file || read.parameters?.text !== parameters?.text) return undefined;
  // Linked templates (read or looked for) are other files, which may have changed since.
  if (prev.placedFiles?.size || prev.unread?.size) return undefined;
  // The earlier deployment must describe the tree as it was before this edit: a check whose result was dropped may have edited it since.
  if (prev.texts.get(file) !== (edit ? edit.from : text)) return undefined;
  const root = prev.roots!.get(file)!;
  if (edit?.value && !keepsReading(read.reader, root, edit.value)) return undefined;
  if (edit?.key) {
    // A rename is read as both names' members changing: neither may be one the reader reads.
    // (Evaluated objects look their members up in the tree's, so they see the new name; a change of
    // case alone would find a member evaluated before under the old spelling.)
    const { path, before, after } = edit.key;
    if (lowerKey(before) === lowerKey(after)) return undefined;
    for (const name of [before, after]) if (!keepsReading(read.reader, root, { path: [...path, lowerKey(name)], before, after })) return undefined;
  }
  const dep: Deployment = { ...prev, texts: new Map(prev.texts).set(file, text) };
  armReads.set(dep, read);
  return dep;
}

const SUPPRESS_RE = /\/\/\s*redis-posture-disable-next-line\s+([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)/g;

interface Suppression {
  line: number;
  ids: string[];
  at: Span;
  used: Set<string>;
}

function commentSuppressions(file: string, text: string, lines: () => LineMap): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('redis-posture-disable-next-line')) return out;
  for (const m of text.matchAll(SUPPRESS_RE)) {
    const line = lines().position(m.index!).line;
    out.push({ line: line + 1, ids: m[1].split(',').map((s) => s.trim()), at: { file, start: m.index!, end: m.index! + m[0].length }, used: new Set() });
  }
  return out;
}

const lineMaps = new Memo<Deployment, Map<string, LineMap>>('lineMaps');

function lineMapFor(dep: Deployment, file: string): LineMap | undefined {
  let maps = lineMaps.get(dep);
  if (!maps) lineMaps.set(dep, (maps = new Map()));
  let m = maps.get(file);
  if (!m) {
    const text = dep.texts.get(file);
    if (text === undefined) return undefined;
    maps.set(file, (m = new LineMap(text, knownLineStarts(dep.roots?.get(file), text))));
  }
  return m;
}

export function spanRange(dep: Deployment, s: Span): Range | undefined {
  const lm = lineMapFor(dep, s.file);
  return lm ? { start: lm.position(s.start), end: lm.position(s.end) } : undefined;
}

function sameResource(a: Resource | undefined, b: Resource | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return sameType(a.type, b.type) && a.fullName.toLowerCase() === b.fullName.toLowerCase();
}

/** Runs the catalog over a deployment. */
/**
 * Where a finding about a file read as a JSON module shows: on the line of the scanned file that
 * calls the module (the resource's call chain says which call, for a module called twice).
 */
function placement(dep: Deployment, s: Span | undefined, resource: Resource | undefined): Span | undefined {
  const placed = s && dep.placedFiles?.get(s.file);
  if (!placed) return s;
  for (let call = resource?.module; call; call = call.parent) if (call.file === dep.file) return call.declAt;
  return placed;
}

export function check(dep: Deployment, config: Config = defaultConfig, rules: Rule[] = catalog): ReportedFinding[] {
  const raw: Finding[] = [];
  for (const rule of rules) {
    const level = config.rules[rule.meta.id];
    if (level === 'off') continue;
    if (rule.meta.templateOnly && (dep.source === 'live' || dep.source === 'exported')) continue;
    const severity = level ?? rule.meta.severity;
    try {
      const ruleId = rule.meta.id;
      rule.check({
        deployment: dep,
        config,
        report: (f) =>
          raw.push({
            ruleId,
            severity,
            message: f.message,
            resource: f.resource,
            path: f.path,
            at: dep.placedFiles ? placement(dep, f.at, f.resource) : f.at,
            related: dep.placedFiles ? f.related?.map((r) => placement(dep, r, f.resource)!) : f.related,
            fix: f.fix,
          }),
      });
    } catch (err) {
      raw.push({ ruleId: 'internal-error', severity: 'low', message: `rule ${rule.meta.id} failed on this file: ${(err as Error).message}`, path: '', at: { file: dep.file, start: 0, end: 0 } });
    }
  }
  // What the readers could not follow (registry modules not in the local cache, missing module files, too deep a nesting) is said, not left out silently.
  const notFollowed = config.rules['module-not-followed'];
  if (notFollowed !== 'off') {
    for (const n of dep.notes) raw.push({ ruleId: 'module-not-followed', severity: (notFollowed as Severity | undefined) ?? 'low', message: n.message, path: '', at: n.at });
  }
  /** Findings already taken, by rule, file, start and resource name: the same finding reached twice (two paths to one value) is reported once. */
  const seen = new Map<string, Finding[]>();
  const out: ReportedFinding[] = [];
  const suppressions = new Map<string, Suppression[]>();
  // Line maps only for files with suppression comments (or findings, below): module files often have neither.
  for (const [file, text] of dep.texts) suppressions.set(file, commentSuppressions(file, text, () => lineMapFor(dep, file)!));
  for (const f of raw) {
    const range = f.at ? spanRange(dep, f.at) : undefined;
    const file = f.at?.file ?? dep.file;
    const key = `${f.ruleId}|${file === dep.file ? '' : file}|${f.at?.start}|${f.resource?.fullName.toLowerCase()}`;
    const same = seen.get(key);
    if (same?.some((g) => g.message === f.message && sameResource(g.resource, f.resource))) continue;
    if (same) same.push(f);
    else seen.set(key, [f]);
    if (f.resource?.suppress?.includes(f.ruleId)) continue;
    if (range) {
      const sup = suppressions.get(file)?.find((s) => s.line === range.start.line && s.ids.includes(f.ruleId));
      if (sup) {
        sup.used.add(f.ruleId);
        continue;
      }
    }
    out.push({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file,
      range,
      resource: f.resource ? { type: f.resource.type, name: f.resource.fullName, id: f.resource.id } : undefined,
      path: f.path,
      docUrl: docUrl(f.ruleId),
      fix: f.fix,
      related: f.related ? relatedRanges(dep, f.related) : [],
      finding: f,
    });
  }
  const unusedLevel = config.rules['unused-suppression'];
  if (unusedLevel !== 'off') {
    for (const [file, list] of suppressions) {
      for (const s of list) {
        for (const id of s.ids) {
          if (s.used.has(id)) continue;
          const range = spanRange(dep, s.at)!;
          out.push({
            ruleId: 'unused-suppression',
            severity: (unusedLevel as Severity | undefined) ?? 'low',
            message: RULE_IDS.has(id) ? `suppression of ${id} matches no finding on the next line` : `suppression names unknown rule "${id}"`,
            file,
            range,
            path: '',
            docUrl: docUrl('unused-suppression'),
            related: [],
            finding: { ruleId: 'unused-suppression', severity: 'low', message: '', path: '', at: s.at },
          });
        }
      }
    }
  }
  return out.sort((a, b) => (a.file === b.file ? (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) : a.file < b.file ? -1 : 1));
}

function relatedRanges(dep: Deployment, spans: Span[]): ReportedFinding['related'] {
  const out: ReportedFinding['related'] = [];
  for (const s of spans) {
    const range = spanRange(dep, s);
    if (range) out.push({ file: s.file, range, message: 'the insecure value is used here' });
  }
  return out;
}

/** Reads and checks one document. Never throws: problems become `errors`. */
export function scanText(file: string, text: string, options: ScanOptions = {}): ScanResult {
  try {
    const { deployment, kind, error } = readDeployment(file, text, options);
    if (error) {
      const lm = new LineMap(text);
      const range = { start: lm.position(error.offset), end: lm.position(error.offset + error.length) };
      const parseLevel = options.config?.rules['parse-error'];
      const findings: ReportedFinding[] =
        parseLevel === 'off'
          ? []
          : [
              {
                ruleId: 'parse-error',
                severity: (parseLevel as Severity | undefined) ?? 'high',
                message: error.message,
                file,
                range,
                path: '',
                docUrl: docUrl('parse-error'),
                related: [],
                finding: { ruleId: 'parse-error', severity: 'high', message: error.message, path: '' },
              },
            ];
      // A Bicep file is still checked as far as it parsed.
      const checked = deployment ? check(deployment, options.config, options.rules) : [];
      return { file, kind, findings: [...findings, ...checked], errors: [{ file, message: error.message, range }], deployment };
    }
    if (!deployment) return { file, kind, findings: [], errors: [] };
    return { file, kind, findings: check(deployment, options.config, options.rules), errors: [], deployment };
  } catch (err) {
    const msg = err instanceof RangeError ? 'file too complex to analyse (stack exhausted)' : `internal error: ${(err as Error).message}`;
    return { file, kind: 'other', findings: [], errors: [{ file, message: msg, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] };
  }
}
