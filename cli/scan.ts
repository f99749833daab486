// `scan`: discover files, read them, run the engine (with parameter files), optionally apply
// fixes until none applies, and build the report the formatters print.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Config } from '../rules/config';
import { Range, ReportedFinding, ScanResult, classify, scanText } from '../rules/engine';
import { Deployment, Fix } from '../rules/model';
import { bicepparamTemplate, isBicepparamFile } from '../rules/readers/bicep/using';
import { Report, ReportEntry, ReportError } from '../rules/report';
import { FileEdit, applyEdits, fixEdits } from '../rules/writers/arm';
import { Encoding, ReadResult, Target, discover, displayPath, encode, isFile, readText, siblingParametersPaths, templateForParameters, toPosix } from './files';
import { isIgnored } from './glob';

/** Upper bound on fix rounds (each round applies every non-conflicting fix, then re-scans). */
export const MAX_FIX_ROUNDS = 25;

export interface ParametersInput {
  abs: string;
  display: string;
  text: string;
}

export interface ScanSettings {
  cwd: string;
  paths: readonly string[];
  config: Config;
  /** Directory the configuration's `ignore` globs are relative to. */
  ignoreBase: string;
  /** --parameters: used for every template, instead of any sibling parameter file. */
  parameters?: ParametersInput;
  fix: boolean;
}

interface FileState {
  abs: string;
  text: string;
  encoding: Encoding;
}

interface Round {
  entries: ReportEntry[];
  errors: ReportError[];
  skipped: Report['skipped'];
  results: ScanResult[];
  /** Every file read this round, by display path (templates, parameter files). */
  files: Map<string, FileState>;
  texts: Map<string, string>;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function safeFixEdits(dep: Deployment, fix: Fix): FileEdit[] | undefined {
  try {
    const edits = fixEdits(dep, fix);
    return edits && edits.length ? edits : undefined;
  } catch {
    return undefined; // a writer problem must not stop the scan; the finding is reported without a fix
  }
}

function scanRound(settings: ScanSettings, targets: readonly Target[], initialErrors: readonly ReportError[], initialSkipped: Report['skipped']): Round {
  const round: Round = { entries: [], errors: [...initialErrors], skipped: [...initialSkipped], results: [], files: new Map(), texts: new Map() };
  const queue: Target[] = [...targets];
  const queued = new Set(queue.map((t) => t.abs));
  /** Templates scanned only because a `.bicepparam` among the targets names them: checked with those files alone. */
  const onlyVia = new Set<string>();
  const siblings = new Map<string, { display: string; text: string } | null>();
  // Every `.bicepparam` scanned names the template it is checked with: a `prod.bicepparam` beside
  // `main.bicepparam`, or one in another folder, is a configuration of that template too.
  const viaParams = new Map<string, string[]>();
  /** What the pairing below read of each `.bicepparam` target: read once a round, for the target and as a parameter file. */
  const bicepparamReads = new Map<string, ReadResult>();
  const walkedHint = '; list it under "ignore" in redis-posture.json to skip it';
  const overrideAbs = settings.parameters?.abs;
  for (const t of targets) {
    if (!isBicepparamFile(t.abs) || t.abs === overrideAbs) continue;
    const r = readText(t.abs, t.named ? '' : walkedHint);
    bicepparamReads.set(t.abs, r);
    const tpl = 'text' in r ? bicepparamTemplate(t.abs, r.text) : undefined;
    if (tpl) viaParams.set(tpl, [...(viaParams.get(tpl) ?? []), t.abs]);
  }
  let override: { file: string; text: string } | undefined;
  if (settings.parameters) {
    // Re-read every round: --fix may have edited it.
    const p = settings.parameters;
    const r = readText(p.abs);
    if ('text' in r) round.files.set(p.display, { abs: p.abs, text: r.text, encoding: r.encoding });
    override = { file: p.display, text: 'text' in r ? r.text : p.text };
  }

  /** The parameter files a template is checked with, one check each (none: checked alone). */
  const parametersFor = (templateAbs: string): { file: string; text: string }[] => {
    const via = viaParams.get(templateAbs) ?? [];
    // The template's own parameter file (the first, as the editor pairs them) is always read; the
    // other configurations beside it are scan targets of their own, and the configuration's ignore applies.
    const beside = siblingParametersPaths(templateAbs).filter((p, i) => i === 0 || !isIgnored(toPosix(path.relative(settings.ignoreBase, p)), settings.config.ignore));
    const paths = onlyVia.has(templateAbs) ? via : [...new Set([...beside, ...via])];
    const out: { file: string; text: string }[] = [];
    for (const p of paths) {
      const sib = parameterFile(p);
      if (sib) out.push({ file: sib.display, text: sib.text });
    }
    return out;
  };

  const parameterFile = (sib: string): { display: string; text: string } | undefined => {
    if (siblings.has(sib)) return siblings.get(sib) ?? undefined;
    let result: { display: string; text: string } | null = null;
    if (fs.existsSync(sib)) {
      const display = displayPath(settings.cwd, sib);
      const r = bicepparamReads.get(sib) ?? readText(sib);
      if ('error' in r) {
        round.errors.push({ file: display, message: r.error });
      } else {
        const bicepparam = isBicepparamFile(sib);
        const c = bicepparam ? { kind: 'parameters' as const, error: undefined } : classify(display, r.text);
        if (bicepparam) {
          // One that does not parse is said like a scanned file; its template still gets the values that parsed.
          const res = scanText(display, r.text, { config: settings.config });
          round.errors.push(...res.errors);
          round.entries.push(...res.findings.map((finding) => ({ finding })));
        }
        if (c.kind === 'parameters') {
          result = { display, text: r.text };
          round.files.set(display, { abs: sib, text: r.text, encoding: r.encoding });
        } else if (c.error) {
          // A broken parameter file beside a template: report it like a scanned file.
          const res = scanText(display, r.text, { config: settings.config });
          round.errors.push(...res.errors);
          round.entries.push(...res.findings.map((finding) => ({ finding })));
        }
        // Valid JSON that is not a parameter file: not ours, ignore it.
      }
    }
    siblings.set(sib, result);
    return result ?? undefined;
  };

  for (let i = 0; i < queue.length; i++) {
    const t = queue[i];
    const read = bicepparamReads.get(t.abs) ?? readText(t.abs, t.named ? '' : walkedHint);
    if ('error' in read) {
      round.errors.push({ file: t.display, message: read.error });
      continue;
    }
    const bicepparam = isBicepparamFile(t.abs);
    const paramSets: ({ file: string; text: string } | undefined)[] = override ? [override] : bicepparam ? [undefined] : parametersFor(t.abs);
    if (!paramSets.length) paramSets.push(undefined);
    /** What the checks of this template with its earlier parameter files reported, by rule, place and message. */
    const prior = new Set<string>();
    for (const params of paramSets) {
      const res = scanText(t.display, read.text, { config: settings.config, parameters: params });
      if (res.kind === 'parameters') {
        // Found in a folder, an ARM parameter file is used with its template; a .bicepparam says which one it goes with.
        if (t.abs === overrideAbs || (!t.named && !bicepparam)) break;
        const named = bicepparam ? bicepparamTemplate(t.abs, read.text) : templateForParameters(t.abs);
        const tpl = named && (!bicepparam || isFile(named)) ? named : undefined;
        if (named && !tpl) {
          // Found in a folder: not ours to judge. Named: the template it goes with cannot be read.
          if (t.named) round.errors.push({ file: t.display, message: `its \`using\` names ${displayPath(settings.cwd, named)}, which is not a file that can be read`, range: ZERO });
          break;
        }
        if (tpl && !queued.has(tpl)) {
          queued.add(tpl);
          if (bicepparam) onlyVia.add(tpl);
          queue.push({ abs: tpl, display: displayPath(settings.cwd, tpl), named: true });
        } else if (!tpl && t.named && res.errors.length) {
          // Unreadable (binary, broken before its `using`): say why, like any scanned file.
          round.errors.push(...res.errors);
          round.entries.push(...res.findings.map((finding) => ({ finding })));
        } else if (!tpl && t.named) {
          round.skipped.push({
            file: t.display,
            reason: bicepparam
              ? "its `using` names no local template (a registry module, or `using none`): scan the template and pass this file with --parameters"
              : 'an ARM parameter file with no template beside it (<name>.json); scan the template and pass this file with --parameters',
          });
        }
        break;
      }
      const before = round.entries.length;
      if (!record(t, read, res, prior)) break;
      for (const e of round.entries.slice(before)) prior.add(placeKey(e.finding));
    }
  }

  round.errors = dedupe(round.errors, (e) => `${e.file}|${e.message}`);
  round.entries = dedupe(round.entries, (e) => findingKey(e.finding));
  round.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return round;

  /**
   * Adds one check of a template to the round; false when the file is not a template at all (one
   * check says so). A finding that a check with another parameter file of the same template
   * already reported in the same place (`prior`) is said once: the template's own problems do not
   * repeat per environment, even when each names the cache differently.
   */
  function record(t: Target, read: { text: string; encoding: Encoding }, res: ScanResult, prior: ReadonlySet<string>): boolean {
    if (res.errors.length) {
      // (Errors repeat across the template's parameter files; the round keeps each once.)
      round.errors.push(...res.errors);
      round.entries.push(...res.findings.filter((f) => !prior.has(placeKey(f))).map((finding) => ({ finding })));
      // A Bicep file is checked as far as it parsed: it counts as scanned (it is never fixed, so not in `files`).
      if (res.deployment) {
        round.results.push(res);
        round.texts.set(t.display, read.text);
      }
      return true;
    }
    if (res.kind === 'other') {
      if (t.named) round.errors.push({ file: t.display, message: 'not an ARM deployment template, ARM parameter file or exported Azure resources: nothing to scan', range: ZERO });
      return false;
    }
    round.results.push(res);
    round.files.set(t.display, { abs: t.abs, text: read.text, encoding: read.encoding });
    round.texts.set(t.display, read.text);
    if (res.deployment) for (const [f, text] of res.deployment.texts) round.texts.set(f, text);
    for (const finding of res.findings) {
      if (prior.has(placeKey(finding))) continue;
      const edits = finding.fix && res.deployment ? safeFixEdits(res.deployment, finding.fix) : undefined;
      round.entries.push({ finding, edits });
    }
    return true;
  }
}

function dedupe<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A finding's rule, place and message (not its resource). */
function placeKey(f: ReportedFinding): string {
  return `${f.ruleId}|${f.file}|${f.range?.start.line}:${f.range?.start.character}|${f.message}`;
}

function findingKey(f: ReportedFinding): string {
  return `${f.ruleId}|${f.file}|${f.range?.start.line}:${f.range?.start.character}|${f.resource?.type}|${f.resource?.name}|${f.message}`;
}

/** What identifies a finding across fix rounds (positions move when text is edited). */
function fixSignature(f: ReportedFinding): string {
  return `${f.ruleId}|${f.file}|${f.resource?.type.toLowerCase()}|${f.resource?.name.toLowerCase()}|${f.path}|${f.message}`;
}

function overlaps(a: FileEdit, b: FileEdit): boolean {
  // Touching edits conflict too (two insertions at one place): the later fix waits a round,
  // unless it may stack (see stacks).
  return Math.max(a.offset, b.offset) <= Math.min(a.offset + a.length, b.offset + b.length);
}

/**
 * Two insertions at one offset: the writer's insertion of a new last item of a list (a resource
 * appended to `resources`) ends where the list's last item did, so two of them side by side still
 * make one list. Other insertions may not stack (two properties into one empty object): the
 * round tries them together and, when the file would not parse, leaves the later ones for the
 * next round.
 */
function stacks(a: FileEdit, b: FileEdit): boolean {
  return a.length === 0 && b.length === 0 && a.offset === b.offset;
}

function sameEdit(a: FileEdit, b: FileEdit): boolean {
  return a.file === b.file && a.offset === b.offset && a.length === b.length && a.content === b.content;
}

interface FixState {
  applied: number;
  notes: string[];
  tried: Set<string>;
  errors: ReportError[];
}

/** Applies every non-conflicting fix of a round to the files on disk. Returns how many were applied. */
function applyRound(round: Round, state: FixState): number {
  /** `stacked`: one of its edits is an insertion where an earlier chosen fix inserts too (see stacks). */
  type Chosen = { sig: string; edits: FileEdit[]; stacked: boolean };
  let chosen: Chosen[] = [];
  const byFile = new Map<string, FileEdit[]>();
  for (const e of round.entries) {
    if (!e.edits?.length) continue;
    const sig = fixSignature(e.finding);
    if (state.tried.has(sig)) {
      const note = `the fix for ${e.finding.ruleId} in ${e.finding.file} did not resolve the finding; it was not applied again`;
      if (!state.notes.includes(note)) state.notes.push(note);
      continue;
    }
    if (!e.edits.every((ed) => round.files.has(ed.file))) continue;
    const fresh = e.edits.filter((ed) => !(byFile.get(ed.file) ?? []).some((c) => sameEdit(c, ed)));
    if (fresh.length === 0) continue; // the same edit, found through another template sharing a parameter file
    const touching = fresh.flatMap((ed) => (byFile.get(ed.file) ?? []).filter((c) => overlaps(c, ed)).map((c) => [c, ed] as const));
    if (touching.some(([c, ed]) => !stacks(c, ed))) continue; // next round
    for (const ed of fresh) byFile.set(ed.file, [...(byFile.get(ed.file) ?? []), ed]);
    chosen.push({ sig, edits: fresh, stacked: touching.length > 0 });
  }
  if (!chosen.length) return 0;

  // Compute new texts; drop fixes whose file would no longer parse, until what is left parses.
  let newTexts = new Map<string, string>();
  for (;;) {
    const edits = new Map<string, FileEdit[]>();
    for (const c of chosen) for (const ed of c.edits) edits.set(ed.file, [...(edits.get(ed.file) ?? []), ed]);
    newTexts = new Map();
    const broken = new Set<string>();
    for (const [file, list] of edits) {
      const before = round.files.get(file)!.text;
      const after = applyEdits(before, list);
      if (after === before) continue;
      if (classify(file, after).error && !classify(file, before).error) broken.add(file);
      else newTexts.set(file, after);
    }
    if (!broken.size) break;
    // Stacked insertions first: without them the file may parse, and they wait a round (not marked tried).
    const unstacked = chosen.filter((c) => !(c.stacked && c.edits.some((ed) => broken.has(ed.file))));
    if (unstacked.length < chosen.length) {
      chosen = unstacked;
      continue;
    }
    for (const f of broken) state.notes.push(`fixes for ${f} were not applied: the edited file would not parse`);
    const keep = chosen.filter((c) => !c.edits.some((ed) => broken.has(ed.file)));
    for (const c of chosen) if (!keep.includes(c)) state.tried.add(c.sig);
    chosen = keep;
    if (!chosen.length) return 0;
  }

  const failed = new Set<string>();
  for (const [file, text] of newTexts) {
    const st = round.files.get(file)!;
    try {
      fs.writeFileSync(st.abs, encode(text, st.encoding));
    } catch (err) {
      failed.add(file);
      state.errors.push({ file, message: `cannot write the fix: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    }
  }
  let n = 0;
  for (const c of chosen) {
    state.tried.add(c.sig);
    if (!c.edits.some((ed) => failed.has(ed.file)) && c.edits.some((ed) => newTexts.has(ed.file))) n++;
  }
  return n;
}

export function runScan(settings: ScanSettings): Report {
  const discovery = discover(settings.paths.length ? settings.paths : ['.'], { cwd: settings.cwd, ignore: settings.config.ignore, ignoreBase: settings.ignoreBase });
  const initialErrors: ReportError[] = discovery.errors.map((e) => ({ file: e.file, message: e.message, pattern: e.pattern }));
  const state: FixState = { applied: 0, notes: [], tried: new Set(), errors: [] };
  let round: Round;
  for (let r = 0; ; r++) {
    round = scanRound(settings, discovery.targets, initialErrors, discovery.skipped);
    if (!settings.fix) break;
    if (r >= MAX_FIX_ROUNDS) {
      if (round.entries.some((e) => e.edits?.length)) state.notes.push(`stopped applying fixes after ${MAX_FIX_ROUNDS} rounds`);
      break;
    }
    const n = applyRound(round, state);
    if (n === 0) break;
    state.applied += n;
  }
  if (settings.fix) {
    for (const r of round.results) if (r.errors.length && r.findings.some((f) => f.fix)) state.notes.push(`fixes for ${r.file} were not applied: the file does not parse`);
  }
  return {
    entries: round.entries.map((e) => ({ finding: e.finding, edits: e.edits })),
    errors: [...round.errors, ...state.errors],
    skipped: round.skipped,
    filesScanned: new Set(round.results.map((r) => r.file)).size,
    fixesApplied: settings.fix ? state.applied : undefined,
    fixNotes: settings.fix ? state.notes : undefined,
    texts: round.texts,
  };
}
