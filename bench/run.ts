// Performance benchmark (not a test): `npm run bench`.
//
// Every figure is a ratio against a baseline measured in the same run, with absolute times:
//   1. a generated ~1 MB ARM template: scanText vs jsonc-parser parseTree          target ≤ 1.5×
//      (forced GC before every sample, one earlier result of each side kept alive through the
//      collections; info rows time both back to back without forced GC, and with nothing kept)
//   2. the corpus (*.json under ../shared/corpus) through the CLI as a subprocess
//      (2b: `node dist/cli.js scan <the *.json files> --format json --fail-on none`, start-up
//      included; 2: the same on the whole directory, which adds its .bicep files)
//      vs `node out/bench/baseline-parse.js <dir>` (node + parseTree of the *.json)  2b: target ≤ 2×
//      — in-process fallback, said so in the output, when dist/cli.js is missing or unusable
//      2c: the CLI on the generated 1 MB template vs the baseline script on it           (reported)
//   3. the corpus in-process: scanText vs parseTree over the same texts               (reported)
//   4. Bicep: every corpus folder with main.bicep and its compiled JSON (main.json, or
//      azuredeploy.json for the quickstarts): scanText(main.bicep) (local modules read from disk)
//      vs parseTree of the compiled JSON, summed over the set                         target ≤ 2×
//      4b. parseBicep alone vs the same baseline                                      (reported)
//   5. language server: `node dist/server.js --stdio` over JSON-RPC, redisPosture.debounceMs = 0,
//      didChange of one value (incremental, as VS Code sends it to this server; every 4th round the
//      full text, reported for reference) → publishDiagnostics of that version, on a ~50 KB
//      and a ~1 MB generated template; baselines in this process on the same texts: jsonc-parser
//      parseTree and vscode-json-languageservice parseJSONDocument + doValidation (and, for reference,
//      in-process scanText); rounds interleaved, no forced GC in them (steady state on both sides)
//        50 KB: p95 < 20 ms;  1 MB: median ≤ 1.5× parseTree
// Prints a table and writes .bench/results.json. Runs GC between phases when it can.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ParseError, parseTree } from 'jsonc-parser';
import { pathToFileURL } from 'node:url';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readDeployment, scanText } from '../rules/engine';
import { parseJsonDoc } from '../rules/readers/arm/json';
import { parseBicep } from '../rules/readers/bicep/index';
import { LspClient, SERVER as SERVER_PATH } from '../test/lsp/client';
import { CLI_OVERRIDDEN, CLI_PATH, CORPUS_DIR, REPO_ROOT, RESULTS_DIR, listBicepPairs, listJsonFiles } from './files';
import { generateTemplate } from './generate';

const BASELINE_SCRIPT = join(__dirname, 'baseline-parse.js');
const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false };
const TARGET_1MB = 1.5;
const TARGET_CLI = 2;
const TARGET_BICEP = 2;
const TARGET_LSP_1MB = 1.5;
const TARGET_LSP_50KB_P95_MS = 20;
/** The language server's debounce for the latency phase (the server accepts 0: check at once). */
const LSP_DEBOUNCE_MS = 0;
/** Time for phases 1–3 (each takes its share of what is left of it). */
const TOTAL_BUDGET_MS = 55_000;
/** Time for the whole run: phases 4 and 5 fit in what phases 1–3 leave of it. */
const RUN_BUDGET_MS = 88_000;
const started = performance.now();
const LOAD_AT_START = os.loadavg();

// ---------------------------------------------------------------- GC ----

type GcFn = () => void;
function findGc(): { gc?: GcFn; how: string } {
  const g = (globalThis as { gc?: GcFn }).gc;
  if (typeof g === 'function') return { gc: g, how: 'global.gc (--expose-gc)' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const f = runInNewContext('gc') as unknown;
    if (typeof f === 'function') return { gc: f as GcFn, how: 'v8.setFlagsFromString("--expose-gc")' };
  } catch {
    /* not available */
  }
  return { how: 'not available (phases run without forced GC)' };
}
const GC = findGc();
function gcNow(): void {
  if (!GC.gc) return;
  GC.gc();
  GC.gc();
}

// ------------------------------------------------------------- stats ----

interface Stats {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const rank = (p: number) => s[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))];
  return { n, median, p95: rank(0.95), min: s[0], max: s[n - 1], mean: s.reduce((a, b) => a + b, 0) / n };
}

// Results of measured calls are kept here so the work cannot be optimised away.
let sink: unknown;
// Results a measurement keeps alive through its collections (a module variable: always a root).
let keptAlive: unknown[] = [];

interface Case {
  name: string;
  fn: () => unknown;
}

/**
 * Runs `warmup` untimed calls of each case, then up to `reps` timed rounds in which every case
 * runs once (order alternating between rounds, so drift hits both sides alike).
 * Stops early once `budgetMs` is spent, but never before `minReps` rounds.
 */
function measure(cases: Case[], o: { warmup: number; reps: number; minReps: number; budgetMs: number }): Map<string, number[]> {
  for (const c of cases) for (let i = 0; i < o.warmup; i++) sink = c.fn();
  const out = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const t0 = performance.now();
  for (let r = 0; r < o.reps; r++) {
    const order = r % 2 ? [...cases].reverse() : cases;
    for (const c of order) {
      // Collect (untimed) before every sample when GC is available, so a sample does not pay for
      // the garbage of the case measured before it.
      sink = undefined;
      gcNow();
      const a = process.hrtime.bigint();
      sink = c.fn();
      const b = process.hrtime.bigint();
      out.get(c.name)!.push(Number(b - a) / 1e6);
    }
    if (r + 1 >= o.minReps && performance.now() - t0 > o.budgetMs) break;
  }
  return out;
}

/**
 * Steady-state timing: blocks of `perBlock` back-to-back calls of one case (the first `skip` of
 * each untimed), blocks alternating between cases, one collection before each block only.
 */
function measureBlocks(cases: Case[], o: { blocks: number; perBlock: number; skip: number; budgetMs: number }): Map<string, number[]> {
  const out = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const t0 = performance.now();
  for (let b = 0; b < o.blocks; b++) {
    for (const c of b % 2 ? [...cases].reverse() : cases) {
      sink = undefined;
      gcNow();
      for (let i = 0; i < o.perBlock; i++) {
        const a = process.hrtime.bigint();
        sink = c.fn();
        const t = Number(process.hrtime.bigint() - a) / 1e6;
        if (i >= o.skip) out.get(c.name)!.push(t);
      }
    }
    if (b >= 1 && performance.now() - t0 > o.budgetMs) break;
  }
  return out;
}

// ------------------------------------------------------------ report ----

interface Row {
  id: string;
  title: string;
  subject: string;
  baseline: string;
  s: Stats;
  b: Stats;
  ratio: number;
  target?: number;
  /** A target on an absolute time instead of the ratio (the ratio is then for information). */
  absTarget?: { stat: 'median' | 'p95'; ms: number };
  note?: string;
}

const rows: Row[] = [];
const infoRows: { title: string; s: Stats; note?: string }[] = [];
const notes: string[] = [];

/** The row's target as printed, and whether it is met (undefined: no target). */
function judged(r: Row): { text: string; met?: boolean } {
  if (r.absTarget) return { text: `${r.absTarget.stat} < ${r.absTarget.ms} ms`, met: r.s[r.absTarget.stat] < r.absTarget.ms };
  if (r.target) return { text: `<= ${r.target}x`, met: r.ratio <= r.target };
  return { text: '-' };
}

function row(r: Omit<Row, 'ratio'>): Row {
  const full = { ...r, ratio: r.s.median / r.b.median };
  rows.push(full);
  return full;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function printTable(): void {
  const head = ['#', 'measurement (subject vs baseline)', 'subject med / p95 ms', 'baseline med / p95 ms', 'ratio', 'target', 'result'];
  const body = rows.map((r) => {
    const j = judged(r);
    return [
      r.id,
      r.title,
      `${ms(r.s.median)} / ${ms(r.s.p95)}`,
      `${ms(r.b.median)} / ${ms(r.b.p95)}`,
      `${r.ratio.toFixed(2)}x`,
      j.text,
      j.met === undefined ? 'info' : j.met ? 'OK' : 'OVER',
    ];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 5 ? lpad(c, w[i]) : pad(c, w[i]))).join('  ');
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const b of body) console.log(line(b));
  console.log('');
  for (const r of rows) {
    console.log(`  ${r.id}: subject  = ${r.subject}`);
    console.log(`  ${' '.repeat(r.id.length)}  baseline = ${r.baseline}`);
    console.log(
      `  ${' '.repeat(r.id.length)}  samples: ${r.s.n} / ${r.b.n}; min ${ms(r.s.min)} / ${ms(r.b.min)} ms (ratio of minimums ${(r.s.min / r.b.min).toFixed(2)}x, less sensitive to machine load)${r.note ? `; ${r.note}` : ''}`,
    );
  }
  if (infoRows.length) {
    console.log('');
    console.log('Breakdown and reference points (median / p95 ms):');
    const tw = Math.max(...infoRows.map((r) => r.title.length));
    for (const r of infoRows) console.log(`  ${pad(r.title, tw)}  ${lpad(ms(r.s.median), 8)} / ${lpad(ms(r.s.p95), 8)}${r.note ? `   ${r.note}` : ''}`);
  }
  if (notes.length) {
    console.log('');
    for (const n of notes) console.log(`NOTE: ${n}`);
  }
}

function remainingMs(): number {
  return TOTAL_BUDGET_MS - (performance.now() - started);
}

/** What is left of the whole run's budget (phases 4 and 5). */
function runRemainingMs(): number {
  return RUN_BUDGET_MS - (performance.now() - started);
}

// ---------------------------------------------------- phase 1: 1 MB ----

/**
 * The first scan of the generated template, checked: its time and counts only. The result is not
 * returned, so that nothing of it outlives this call (row 1 decides what is kept alive).
 */
function firstScan(file: string, text: string): { firstMs: number; resources: number; findings: number } {
  const c0 = performance.now();
  const check = scanText(file, text);
  const firstMs = performance.now() - c0;
  if (check.kind !== 'template' || check.errors.length) {
    throw new Error(`generated template not read as a template: kind=${check.kind}, errors=${JSON.stringify(check.errors.slice(0, 2))}`);
  }
  return { firstMs, resources: check.deployment?.resources.length ?? 0, findings: check.findings.length };
}

function phase1() {
  const t = generateTemplate(1_000_000);
  const text = t.text;
  const file = join(RESULTS_DIR, 'generated-1mb.json');
  writeFileSync(file, text);
  const sha = createHash('sha256').update(text).digest('hex');
  const bytes = Buffer.byteLength(text);

  const { firstMs, resources, findings } = firstScan(file, text);
  console.log(
    `Phase 1: generated template ${relative(REPO_ROOT, file)}: ${bytes} bytes, ${text.split('\n').length} lines, ` +
      `${t.caches} caches, ${t.resources} top-level resources, ${t.parameters} parameters, ${t.variables} variables; ` +
      `scanText reads ${resources} resources (copy loops expanded) and reports ${findings} findings.`,
  );

  gcNow();
  const scan: Case = { name: 'scanText', fn: () => scanText(file, text) };
  const parse: Case = { name: 'parseTree', fn: () => parseTree(text, [] as ParseError[], PARSE_OPTIONS) };
  // A collection (untimed) before every sample, so that no sample pays for the garbage of the one
  // before it, with one earlier result of each side kept alive through the collections, as the
  // CLI (its report) and the server (its open documents) keep theirs and a caller of parseTree
  // keeps its tree. With nothing of a side alive, a full collection finds no object of the hidden
  // classes its optimized code depends on, and V8 discards that code: the next sample then also
  // pays for optimizing it again (the info row below measures that case).
  keptAlive = [scan.fn(), parse.fn()];
  // The first call above is a warm-up too; a slow scan gets fewer extra ones to stay in the time budget.
  const m = measure([scan, parse], { warmup: firstMs > 500 ? 1 : 4, reps: 30, minReps: firstMs > 2_000 ? 3 : 5, budgetMs: Math.min(12_000, remainingMs() / 3) });
  const r = row({
    id: '1',
    title: `~1 MB template (${(bytes / 1e6).toFixed(2)} MB): scanText vs parseTree`,
    subject: `scanText(file, text) from out/rules/engine.js, in-process, default options; forced GC before each sample, one earlier result kept`,
    baseline: `jsonc-parser parseTree(text, errors, { allowTrailingComma: true, disallowComments: false }), measured the same way`,
    s: stats(m.get('scanText')!),
    b: stats(m.get('parseTree')!),
    target: TARGET_1MB,
  });

  // The same two without a forced collection before each sample: each case runs in blocks of
  // back-to-back calls, so it pays for its own garbage (not the other's). The earlier results are
  // still kept: the collection before each block would otherwise find nothing of the side whose
  // block comes next (the last results are the other side's).
  const steady = measureBlocks([scan, parse], { blocks: 6, perBlock: firstMs > 500 ? 4 : 10, skip: firstMs > 500 ? 1 : 2, budgetMs: Math.min(4_000, remainingMs() / 6) });
  keptAlive = [];
  const ss = stats(steady.get('scanText')!);
  const sb = stats(steady.get('parseTree')!);
  infoRows.push({ title: '1 MB steady state: scanText (back-to-back calls, no forced GC)', s: ss, note: `${(ss.median / sb.median).toFixed(2)}x parseTree measured the same way (${ms(sb.median)} ms)` });

  // Row 1 with nothing of either side alive through the forced collections.
  const md = measure([scan, parse], { warmup: 0, reps: 16, minReps: 5, budgetMs: Math.min(6_000, remainingMs() / 6) });
  const ds = stats(md.get('scanText')!);
  const db = stats(md.get('parseTree')!);
  infoRows.push({ title: '1 MB, row 1 method with no earlier result of either side alive: scanText', s: ds, note: `${(ds.median / db.median).toFixed(2)}x parseTree measured the same way (${ms(db.median)} ms)` });

  // Where the time goes (each stage includes the previous ones), measured as row 1 is.
  gcNow();
  const stages: Case[] = [
    { name: 'JSON.parse', fn: () => JSON.parse(text) },
    { name: 'parseJsonDoc', fn: () => parseJsonDoc(file, text) },
    { name: 'readDeployment', fn: () => readDeployment(file, text) },
  ];
  keptAlive = stages.map((c) => c.fn());
  // Warm already: these are the stages scanText ran above.
  const info = measure(stages, { warmup: firstMs > 500 ? 0 : 2, reps: 15, minReps: 3, budgetMs: Math.min(5_000, remainingMs() / 6) });
  keptAlive = [];
  const base = r.b.median;
  const add = (title: string, s: Stats, note?: string) => infoRows.push({ title, s, note: `${(s.median / base).toFixed(2)}x parseTree${note ? `; ${note}` : ''}` });
  add('1 MB: JSON.parse (built-in, no locations)', stats(info.get('JSON.parse')!));
  add('1 MB: parseJsonDoc (guards, grammar check, located tree)', stats(info.get('parseJsonDoc')!));
  add('1 MB: readDeployment (+ classify, read template)', stats(info.get('readDeployment')!));
  add('1 MB: scanText (+ rules, suppressions, ranges)', r.s);
  return { text, file: relative(REPO_ROOT, file), bytes, sha256: sha, caches: t.caches, topLevelResources: t.resources, resourcesRead: resources, findings, info: Object.fromEntries([...info].map(([k, v]) => [k, stats(v)])) };
}

// ------------------------------------------------ phase 2: CLI run ----

interface RunOut {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runNode(args: string[]): RunOut {
  const a = performance.now();
  const p = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const b = performance.now();
  if (p.error) throw p.error;
  return { status: p.status, stdout: p.stdout, stderr: p.stderr, ms: b - a };
}

/** Interleaved subprocess timing: one untimed warm-up of each, then `reps` rounds. */
function measureRuns(cmds: { name: string; args: string[] }[], reps: number, budgetMs: number, warm = true): Map<string, number[]> {
  if (warm) for (const c of cmds) runNode(c.args);
  const out = new Map<string, number[]>(cmds.map((c) => [c.name, []]));
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    const order = r % 2 ? [...cmds].reverse() : cmds;
    for (const c of order) {
      const x = runNode(c.args);
      if (x.status !== 0 && x.status !== 2) throw new Error(`${c.name} exited ${x.status}: ${x.stderr.slice(0, 500)}`);
      out.get(c.name)!.push(x.ms);
    }
    if (r + 1 >= 3 && performance.now() - t0 > budgetMs) break;
  }
  return out;
}

/** The telling line of a crash report ("Error: Cannot find module ..."), else its first line. */
function firstError(out: string): string {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /^\w*Error\b/.test(l)) ?? lines[0] ?? '(no output)').slice(0, 200);
}

/** Why the CLI cannot be used for the subprocess measurement, or undefined when it can. */
function cliProblem(): { problem?: string; report?: { findings: unknown[]; errors: { file: string; message: string }[] }; status?: number | null } {
  if (!existsSync(CLI_PATH)) return { problem: `${relative(REPO_ROOT, CLI_PATH)} does not exist (cli/main.ts not written or not built yet)` };
  let x: RunOut;
  try {
    x = runNode([CLI_PATH, 'scan', CORPUS_DIR, '--format', 'json', '--fail-on', 'none']);
  } catch (err) {
    return { problem: `could not start the CLI: ${(err as Error).message}` };
  }
  if (x.status !== 0 && x.status !== 2) return { problem: `the CLI exited ${x.status} (expected 0 with --fail-on none): ${firstError(x.stderr || x.stdout)}`, status: x.status };
  try {
    const report = JSON.parse(x.stdout);
    if (!Array.isArray(report?.findings)) return { problem: 'the CLI output has no findings array (not the JSON format of cli.md)', status: x.status };
    return { report: { findings: report.findings, errors: Array.isArray(report.errors) ? report.errors : [] }, status: x.status };
  } catch {
    return { problem: `the CLI did not print JSON: ${x.stdout.trim().slice(0, 200)}`, status: x.status };
  }
}

/** What the CLI does for each file, without the process: read, sibling parameters, scan, JSON report. */
function scanLikeCli(files: string[]): string {
  const findings: unknown[] = [];
  const errors: unknown[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const sibling = join(dirname(path), basename(path).replace(/\.json$/i, '.parameters.json'));
    const parameters = sibling !== path && existsSync(sibling) ? { file: sibling, text: readFileSync(sibling, 'utf8') } : undefined;
    const r = scanText(path, text, { parameters });
    for (const f of r.findings) {
      findings.push({ ruleId: f.ruleId, severity: f.severity, file: relative(REPO_ROOT, f.file), range: f.range, resource: f.resource && { type: f.resource.type, name: f.resource.name }, path: f.path, message: f.message, fixable: !!f.fix });
    }
    for (const e of r.errors) errors.push({ file: relative(REPO_ROOT, e.file), message: e.message });
  }
  return JSON.stringify({ version: 1, findings, errors }, null, 2);
}

function parseFiles(files: string[]): number {
  let n = 0;
  for (const f of files) {
    const root = parseTree(readFileSync(f, 'utf8'), [] as ParseError[], PARSE_OPTIONS);
    n += root?.children?.length ?? 0;
  }
  return n;
}

function phase2(files: string[], largeFile: string) {
  gcNow();
  const probe = cliProblem();
  const bl = runNode([BASELINE_SCRIPT, CORPUS_DIR]);
  const blOut = JSON.parse(bl.stdout) as { files: number; nodes: number; errors: number };
  if (blOut.files !== files.length) throw new Error(`baseline saw ${blOut.files} files, the benchmark lists ${files.length}`);

  if (probe.problem) {
    notes.push(`Phase 2 ran IN-PROCESS, not through the CLI: ${probe.problem}. Row 2 is a stand-in (read + sibling parameters + scanText + JSON report, no process start-up) and is NOT the CLI figure; the ≤ 2x target is about the CLI subprocess and is not judged here.`);
    console.log(`Phase 2: ${probe.problem} -> in-process fallback.`);
    const m = measure(
      [
        { name: 'cli-like', fn: () => scanLikeCli(files) },
        { name: 'parse', fn: () => parseFiles(files) },
      ],
      { warmup: 3, reps: 25, minReps: 8, budgetMs: Math.max(2_000, Math.min(8_000, remainingMs() / 3)) },
    );
    row({
      id: '2*',
      title: `corpus ${files.length} *.json, IN-PROCESS FALLBACK (no CLI): read+scan+report vs read+parseTree`,
      subject: 'in-process: readFileSync, sibling <t>.parameters.json, scanText, JSON report like `--format json` (CLI not available)',
      baseline: 'in-process: readFileSync + parseTree of each file',
      s: stats(m.get('cli-like')!),
      b: stats(m.get('parse')!),
      note: 'fallback, no target judged',
    });
    return { mode: 'in-process-fallback', reason: probe.problem, files: files.length };
  }

  const report = probe.report!;
  const byFile = new Set(report.findings.map((f) => String((f as { file?: string }).file ?? '')));
  const nonJson = [...byFile].filter((f) => f && !f.toLowerCase().endsWith('.json'));
  console.log(
    `Phase 2: CLI ${relative(REPO_ROOT, CLI_PATH)} scans the corpus: exit ${probe.status}, ${report.findings.length} findings in ${byFile.size} files, ${report.errors.length} errors; ` +
      `baseline parses ${blOut.files} files (${blOut.nodes} nodes).`,
  );
  if (nonJson.length) notes.push(`scanning the corpus directory the CLI also reports on ${nonJson.length} non-JSON file(s) (e.g. ${nonJson[0]}); row 2b scans exactly the ${files.length} JSON files, the inputs the baseline parses, and carries the <= ${TARGET_CLI}x target.`);

  const floor = measureRuns([{ name: 'node-e', args: ['-e', '0'] }], 5, 3_000);
  const budget = Math.max(3_000, Math.min(12_000, remainingMs() / 3));
  const m = measureRuns(
    [
      { name: 'cli-dir', args: [CLI_PATH, 'scan', CORPUS_DIR, '--format', 'json', '--fail-on', 'none'] },
      { name: 'cli-files', args: [CLI_PATH, 'scan', ...files, '--format', 'json', '--fail-on', 'none'] },
      { name: 'baseline', args: [BASELINE_SCRIPT, CORPUS_DIR] },
    ],
    9,
    budget,
  );
  const b = stats(m.get('baseline')!);
  const baselineText = `\`node ${relative(REPO_ROOT, BASELINE_SCRIPT)} <corpus dir>\` (node start-up, same ${files.length} files, readFileSync + parseTree)`;
  row({
    id: '2',
    title: `corpus via CLI subprocess \`scan <corpus dir>\` vs node+parseTree subprocess`,
    subject: `\`node ${relative(REPO_ROOT, CLI_PATH)} scan ${relative(REPO_ROOT, CORPUS_DIR)} --format json --fail-on none\`, wall time incl. start-up`,
    baseline: baselineText,
    s: stats(m.get('cli-dir')!),
    b,
  });
  // The issue's target compares the CLI with parseTree "on the same inputs": the JSON files. The
  // directory run also reads the corpus's .bicep files, which the baseline cannot parse, so it is
  // reported (row 2) but not judged.
  row({
    id: '2b',
    title: `corpus via CLI subprocess \`scan <${files.length} json files>\` vs the same baseline`,
    subject: `\`node ${relative(REPO_ROOT, CLI_PATH)} scan <the ${files.length} *.json paths> --format json --fail-on none\``,
    baseline: baselineText,
    s: stats(m.get('cli-files')!),
    b,
    target: TARGET_CLI,
  });
  // The CLI on the generated 1 MB template: what a user runs on a large file, fixes of every
  // fixable finding worked out (for the report) included. Reported, not judged: row 1 carries the
  // 1 MB target; this one shows what the CLI adds to the scan there.
  const large = measureRuns(
    [
      { name: 'cli-large', args: [CLI_PATH, 'scan', largeFile, '--format', 'json', '--fail-on', 'none'] },
      { name: 'baseline-large', args: [BASELINE_SCRIPT, largeFile] },
    ],
    5,
    Math.max(2_000, Math.min(8_000, remainingMs() / 4)),
  );
  row({
    id: '2c',
    title: `generated 1 MB template via CLI subprocess vs node+parseTree subprocess`,
    subject: `\`node ${relative(REPO_ROOT, CLI_PATH)} scan ${relative(REPO_ROOT, largeFile)} --format json --fail-on none\`, wall time incl. start-up`,
    baseline: `\`node ${relative(REPO_ROOT, BASELINE_SCRIPT)} ${relative(REPO_ROOT, largeFile)}\``,
    s: stats(large.get('cli-large')!),
    b: stats(large.get('baseline-large')!),
  });
  infoRows.push({ title: 'node start-up floor: `node -e 0`', s: stats(floor.get('node-e')!), note: 'part of both sides of rows 2/2b/2c' });
  return { mode: 'cli-subprocess', files: files.length, cliExit: probe.status, cliFindings: report.findings.length, cliErrors: report.errors.length, nodeStartup: stats(floor.get('node-e')!) };
}

// ---------------------------------------------- phase 3: in-process ----

function phase3(files: string[]) {
  gcNow();
  const texts = files.map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  const chars = texts.reduce((a, t) => a + t.text.length, 0);
  const kinds = new Map<string, number>();
  let findings = 0;
  for (const t of texts) {
    const r = scanText(t.file, t.text);
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    findings += r.findings.length;
  }
  console.log(`Phase 3: ${files.length} corpus files, ${chars} chars in memory (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}); ${findings} findings.`);
  const m = measure(
    [
      { name: 'scan', fn: () => texts.map((t) => scanText(t.file, t.text)) },
      { name: 'parse', fn: () => texts.map((t) => parseTree(t.text, [] as ParseError[], PARSE_OPTIONS)) },
    ],
    { warmup: 3, reps: 40, minReps: 5, budgetMs: Math.max(2_000, Math.min(8_000, remainingMs() / 2)) },
  );
  row({
    id: '3',
    title: `corpus ${files.length} *.json in-process: scanText vs parseTree (all files)`,
    subject: 'scanText(file, text) over every file (texts already in memory, no parameter files)',
    baseline: 'parseTree(text) over the same texts',
    s: stats(m.get('scan')!),
    b: stats(m.get('parse')!),
  });
  return { files: files.length, chars, kinds: Object.fromEntries(kinds), findings };
}

// ------------------------------------------------------ phase 4: Bicep ----

function phase4() {
  gcNow();
  const pairs = listBicepPairs(CORPUS_DIR);
  if (!pairs.length) {
    notes.push(`Phase 4 skipped: no folder under ${relative(REPO_ROOT, CORPUS_DIR)} has main.bicep with main.json or azuredeploy.json.`);
    return { skipped: 'no Bicep/JSON pairs in the corpus' };
  }
  const set = pairs.map((p) => ({ ...p, bicepText: readFileSync(p.bicep, 'utf8'), jsonText: readFileSync(p.json, 'utf8') }));
  const bicepChars = set.reduce((a, t) => a + t.bicepText.length, 0);
  const jsonChars = set.reduce((a, t) => a + t.jsonText.length, 0);

  // One untimed pass that also counts the module files scanText reads (what the default reader reads from disk).
  const modulesRead = new Set<string>();
  let findings = 0;
  let scanErrors = 0;
  let parseErrors = 0;
  let resources = 0;
  const notTemplates: string[] = [];
  for (const t of set) {
    const r = scanText(t.bicep, t.bicepText, {
      readFile: (path) => {
        modulesRead.add(path);
        try {
          return readFileSync(path, 'utf8');
        } catch {
          return undefined;
        }
      },
    });
    if (r.kind !== 'template') notTemplates.push(`${t.dir} (${r.kind})`);
    findings += r.findings.length;
    scanErrors += r.errors.length;
    resources += r.deployment?.resources.length ?? 0;
    parseErrors += parseBicep(t.bicepText).errors.length;
    const errs: ParseError[] = [];
    parseTree(t.jsonText, errs, PARSE_OPTIONS);
    if (errs.length) throw new Error(`compiled JSON ${t.json} does not parse`);
  }
  if (notTemplates.length) throw new Error(`not read as Bicep templates: ${notTemplates.join(', ')}`);
  const compiledNames = [...new Set(set.map((t) => basename(t.json)))].join(' / ');
  console.log(
    `Phase 4: ${set.length} Bicep templates (main.bicep, ${bicepChars} chars) with their compiled JSON (${compiledNames}, ${jsonChars} chars); ` +
      `scanText reads ${resources} resources, ${modulesRead.size} local module file(s) from disk, reports ${findings} findings, ${scanErrors} errors; parseBicep: ${parseErrors} parse errors.`,
  );

  const budget = Math.max(2_000, Math.min(7_000, (runRemainingMs() - 25_000) / 2));
  const m = measure(
    [
      { name: 'scan', fn: () => set.map((t) => scanText(t.bicep, t.bicepText)) },
      { name: 'parseBicep', fn: () => set.map((t) => parseBicep(t.bicepText)) },
      { name: 'readDeployment', fn: () => set.map((t) => readDeployment(t.bicep, t.bicepText)) },
      { name: 'parseTree', fn: () => set.map((t) => parseTree(t.jsonText, [] as ParseError[], PARSE_OPTIONS)) },
    ],
    { warmup: 5, reps: 60, minReps: 8, budgetMs: budget },
  );
  const b = stats(m.get('parseTree')!);
  const baseline = `jsonc-parser parseTree of the compiled JSON of the same ${set.length} templates (${compiledNames}), texts in memory`;
  const r = row({
    id: '4',
    title: `Bicep ${set.length} main.bicep: scanText (parse + check) vs parseTree of compiled JSON`,
    subject: `scanText(main.bicep, text) over the set, in-process, default options (local modules read from disk: ${modulesRead.size} file(s))`,
    baseline,
    s: stats(m.get('scan')!),
    b,
    target: TARGET_BICEP,
  });
  row({
    id: '4b',
    title: `Bicep ${set.length} main.bicep: parseBicep alone vs the same baseline`,
    subject: 'parseBicep(text) from rules/readers/bicep/index.ts over the set (lexer + parser, no reading or rules)',
    baseline,
    s: stats(m.get('parseBicep')!),
    b,
  });
  const rd = stats(m.get('readDeployment')!);
  infoRows.push({ title: `Bicep: readDeployment (parse + read, modules; no rules)`, s: rd, note: `${(rd.median / b.median).toFixed(2)}x parseTree; rules + ranges = scanText - this ≈ ${ms(Math.max(0, r.s.median - rd.median))} ms` });
  return {
    templates: set.map((t) => ({ dir: t.dir, bicep: relative(CORPUS_DIR, t.bicep), json: relative(CORPUS_DIR, t.json), bicepChars: t.bicepText.length, jsonChars: t.jsonText.length })),
    bicepChars,
    jsonChars,
    resources,
    findings,
    scanErrors,
    parseErrors,
    modulesRead: [...modulesRead].map((f) => relative(CORPUS_DIR, f)),
    readDeploymentMs: rd,
  };
}

// ------------------------------------------- phase 5: language server ----

interface LspDoc {
  label: string;
  file: string;
  text: string;
  warmup: number;
  reps: number;
  minReps: number;
  budgetMs: number;
}

/** Two texts that differ by one small edit (a value toggled, same length), and what was toggled. */
/** Two texts that differ in one value, and where: `a` has `x` at `offset`, `b` has `y` there. */
function toggles(text: string): { a: string; b: string; what: string; offset: number; x: string; y: string } {
  const pairs: [string, string][] = [
    ['"minimumTlsVersion": "1.2"', '"minimumTlsVersion": "1.0"'],
    ['"contentVersion": "1.0.0.0"', '"contentVersion": "1.0.0.1"'],
  ];
  for (const [x, y] of pairs) {
    const i = text.indexOf(x);
    if (i >= 0) return { a: text, b: text.slice(0, i) + y + text.slice(i + x.length), what: `${x} <-> ${y} (offset ${i})`, offset: i, x, y };
  }
  throw new Error('nothing to toggle in the generated template');
}

async function phase5(oneMbText: string) {
  if (!existsSync(SERVER_PATH)) {
    const why = `${relative(REPO_ROOT, SERVER_PATH)} does not exist (run \`node esbuild.mjs\`)`;
    notes.push(`Phase 5 (language server) skipped: ${why}.`);
    console.log(`Phase 5: ${why} -> skipped.`);
    return { skipped: why };
  }
  gcNow();
  const small = generateTemplate(50_000);
  const smallFile = join(RESULTS_DIR, 'generated-50kb.json');
  writeFileSync(smallFile, small.text);
  const bigFile = join(RESULTS_DIR, 'generated-1mb.json');
  if (!existsSync(bigFile) || readFileSync(bigFile, 'utf8') !== oneMbText) writeFileSync(bigFile, oneMbText);

  // The time left is shared: a third for 50 KB, the rest for 1 MB (each round there takes ~1 s).
  const left = Math.max(8_000, runRemainingMs() - 3_000);
  const docs: LspDoc[] = [
    // 50 warm-up edits: a freshly started server's latency on this text settles after about 50
    // edits (its JIT at work; measured, with spikes above 20 ms before that). They are reported
    // as their own row, not dropped.
    { label: '50 KB', file: smallFile, text: small.text, warmup: 50, reps: 100, minReps: 30, budgetMs: Math.min(4_000, left / 5) },
    { label: '1 MB', file: bigFile, text: oneMbText, warmup: 2, reps: 30, minReps: 10, budgetMs: Math.min(12_000, (left * 3) / 4 - 2_000) },
  ];

  const jsonLs = getLanguageService({});
  jsonLs.configure({ validate: true, allowComments: true });
  const jlsSettings = { comments: 'ignore' as const, trailingCommas: 'ignore' as const };
  let jlsDiagnostics: string[] = [];

  const t0 = performance.now();
  const client = await LspClient.start({ settings: { debounceMs: LSP_DEBOUNCE_MS } });
  const initMs = performance.now() - t0;
  const out: Record<string, unknown> = { server: relative(REPO_ROOT, SERVER_PATH), debounceMs: LSP_DEBOUNCE_MS, initializeMs: initMs };
  console.log(`Phase 5: ${relative(REPO_ROOT, SERVER_PATH)} --stdio started and initialized in ${ms(initMs)} ms; redisPosture.debounceMs = ${LSP_DEBOUNCE_MS} (answered to workspace/configuration).`);
  try {
    let id = 0;
    for (const d of docs) {
      id++;
      const uri = pathToFileURL(d.file).href;
      const tg = toggles(d.text);
      const bytes = Buffer.byteLength(d.text);

      gcNow();
      let since = client.mark();
      const o0 = performance.now();
      client.open(uri, d.text, 'json');
      const first = await client.waitForDiagnostics(uri, (p) => p.version === 1, since, 60_000);
      const openMs = performance.now() - o0;

      const lsp: number[] = [];
      /** The warm-up edits' latencies (after open, before the timed rounds). */
      const warm: number[] = [];
      /** A quarter of the timed rounds send the whole text instead (reported for reference). */
      const full: number[] = [];
      const parse: number[] = [];
      const jls: number[] = [];
      const scan: number[] = [];
      const counts = new Map<string, number>();
      // No forced GC inside the rounds: the server runs in its steady state (it collects when it
      // needs to), and so do the baselines in this process. (A forced full GC before a sample makes
      // the next allocation-heavy call slower, which would flatter or penalise one side.)
      // The edit's range as an editor knows it (it keeps a line index): the same for both texts.
      const at = TextDocument.create(uri, 'json', 0, tg.a);
      const editRange = { start: at.positionAt(tg.offset), end: at.positionAt(tg.offset + tg.x.length) };
      const round = async (i: number, timed: boolean, fullText = false): Promise<void> => {
        const next = i % 2 ? tg.a : tg.b; // version 1 is tg.a: the first edit toggles to b
        const [was, now] = i % 2 ? [tg.y, tg.x] : [tg.x, tg.y];
        const steps: (() => Promise<void>)[] = [
          async () => {
            since = client.mark();
            const a = performance.now();
            // What VS Code sends to a server that asks for incremental sync (this one does): the changed range only.
            const v = fullText ? client.change(uri, next) : client.changeRange(uri, tg.offset, was.length, now, editRange);
            const p = await client.waitForDiagnostics(uri, (x) => x.version === v, since, 60_000);
            const ms_ = performance.now() - a;
            if (timed) (fullText ? full : lsp).push(ms_);
            else warm.push(ms_);
            const k = next === tg.a ? 'original' : 'toggled';
            counts.set(k, p.diagnostics.length);
          },
          async () => {
            const a = process.hrtime.bigint();
            sink = parseTree(next, [] as ParseError[], PARSE_OPTIONS);
            const b = process.hrtime.bigint();
            if (timed) parse.push(Number(b - a) / 1e6);
          },
          async () => {
            const a = process.hrtime.bigint();
            const doc = TextDocument.create(uri, 'json', i + 2, next);
            const diags = await jsonLs.doValidation(doc, jsonLs.parseJSONDocument(doc), jlsSettings);
            const b = process.hrtime.bigint();
            if (timed) jls.push(Number(b - a) / 1e6);
            jlsDiagnostics = diags.map((x) => x.message);
          },
          async () => {
            // Reference point: the engine alone on the same text in this process (what the server's check costs, less the LSP).
            const a = process.hrtime.bigint();
            sink = scanText(d.file, next);
            const b = process.hrtime.bigint();
            if (timed) scan.push(Number(b - a) / 1e6);
          },
        ];
        for (const s of i % 2 ? [...steps].reverse() : steps) await s();
      };
      for (let i = 0; i < d.warmup; i++) await round(i, false);
      const r0 = performance.now();
      for (let i = d.warmup, n = 0; n < d.reps; i++, n++) {
        // Full text in a quarter of the rounds, half of them with the edit first and half with it last (the order alternates with i).
        await round(i, true, n % 8 === 3 || n % 8 === 4);
        if (lsp.length >= d.minReps && performance.now() - r0 > d.budgetMs) break;
      }
      // For reference, four other kinds of edit after the timed rounds, each typed and undone four times:
      //  - a space between tokens: the server moves its tree's spans and checks its earlier deployment again;
      //  - a letter in a cache's `minimumTlsVersion` name: renamed in place, the deployment checked again;
      //  - a letter in `apiVersion`, a name the reader reads: read and checked anew, what any edit the
      //    in-place paths refuse costs;
      //  - a quote that leaves the text not JSON (only those edits timed): its parse error, with the
      //    findings of the last version that parsed carried.
      const timeToggle = async (at: number, typed: string, typedOnly = false): Promise<number[]> => {
        const out: number[] = [];
        const doc = TextDocument.create(uri, 'json', 0, client.text(uri));
        const pos = doc.positionAt(at);
        for (let k = 0; k < 8; k++) {
          since = client.mark();
          const a = performance.now();
          const v =
            k % 2 === 0
              ? client.changeRange(uri, at, 0, typed, { start: pos, end: pos })
              : client.changeRange(uri, at, typed.length, '', { start: pos, end: { line: pos.line, character: pos.character + typed.length } });
          await client.waitForDiagnostics(uri, (x) => x.version === v, since, 60_000);
          if (k >= 2 && (!typedOnly || k % 2 === 0)) out.push(performance.now() - a);
        }
        return out;
      };
      // Each toggle ends on the text it started from, so one search serves both.
      const capacityAt = client.text(uri).search(/"capacity": \d/);
      const outside = capacityAt >= 0 ? await timeToggle(capacityAt + '"capacity":'.length, ' ') : [];
      const tlsAt = client.text(uri).indexOf('"minimumTlsVersion": "');
      const renamed = tlsAt >= 0 ? await timeToggle(tlsAt + '"minimumTls'.length, 'x') : [];
      const apiAt = client.text(uri).indexOf('"apiVersion"');
      const readAnew = apiAt >= 0 ? await timeToggle(apiAt + '"apiVersio'.length, 'x') : [];
      const unparsed = capacityAt >= 0 ? await timeToggle(capacityAt + '"capacity": '.length, '"', true) : [];
      client.close(uri);

      const s = stats(lsp);
      const pb = stats(parse);
      const jb = stats(jls);
      const subject = `\`node ${relative(REPO_ROOT, SERVER_PATH)} --stdio\`: textDocument/didChange (incremental: the changed range only, ${tg.what}) -> publishDiagnostics with that version, wall time in the client (JSON-RPC both ways included), debounce ${LSP_DEBOUNCE_MS} ms, nothing subtracted`;
      const base1 = `jsonc-parser parseTree of the same text, in the benchmark process`;
      const base2 = `vscode-json-languageservice parseJSONDocument + doValidation of the same text, in the benchmark process (no schema request service: the ARM $schema is not loaded, so syntax validation only)`;
      const is1mb = d.label === '1 MB';
      row({
        id: `5${String.fromCharCode(96 + 2 * id - 1)}`,
        title: `LSP ${d.label} (${(bytes / 1e3).toFixed(0)} KB): didChange -> publishDiagnostics vs parseTree`,
        subject,
        baseline: base1,
        s,
        b: pb,
        ...(is1mb ? { target: TARGET_LSP_1MB } : { absTarget: { stat: 'p95' as const, ms: TARGET_LSP_50KB_P95_MS } }),
        note: `debounce ${LSP_DEBOUNCE_MS} ms configured (not subtracted)`,
      });
      row({
        id: `5${String.fromCharCode(96 + 2 * id)}`,
        title: `LSP ${d.label} (${(bytes / 1e3).toFixed(0)} KB): didChange -> publishDiagnostics vs JSON LS doValidation`,
        subject,
        baseline: base2,
        s,
        b: jb,
      });
      const sc = stats(scan);
      if (outside.length) {
        const os = stats(outside);
        infoRows.push({ title: `LSP ${d.label}: didChange between tokens (a space; spans moved, deployment kept)`, s: os, note: `${(os.median / pb.median).toFixed(2)}x parseTree; ${outside.length} edits after the timed rounds` });
      }
      if (renamed.length) {
        const rs = stats(renamed);
        infoRows.push({ title: `LSP ${d.label}: didChange in a property name (renamed in place, deployment kept)`, s: rs, note: `${(rs.median / pb.median).toFixed(2)}x parseTree; ${renamed.length} edits after the timed rounds` });
      }
      if (readAnew.length) {
        const ra = stats(readAnew);
        infoRows.push({ title: `LSP ${d.label}: didChange in "apiVersion" (a name the reader reads: the text is read anew)`, s: ra, note: `${(ra.median / pb.median).toFixed(2)}x parseTree; ${readAnew.length} edits after the timed rounds` });
      }
      if (unparsed.length) {
        const us = stats(unparsed);
        infoRows.push({ title: `LSP ${d.label}: didChange that leaves the text not JSON (a quote typed; parse error + carried findings)`, s: us, note: `${(us.median / pb.median).toFixed(2)}x parseTree; ${unparsed.length} edits after the timed rounds` });
      }
      if (warm.length) {
        infoRows.push({ title: `LSP ${d.label}: the ${warm.length} warm-up edits right after open (not in the row above)`, s: stats(warm), note: 'a freshly started server, incremental didChange like the timed rounds' });
      }
      infoRows.push({ title: `LSP ${d.label}: didOpen -> first publishDiagnostics (1 sample)`, s: stats([openMs]), note: `${first.diagnostics.length} diagnostics` });
      if (full.length) {
        const fs_ = stats(full);
        infoRows.push({
          title: `LSP ${d.label}: didChange with the full text (a quarter of the rounds)`,
          s: fs_,
          note: `${(fs_.median / pb.median).toFixed(2)}x parseTree; what a client that ignores incremental sync costs, ≈ ${ms(fs_.median - s.median)} ms (median) over the incremental rounds`,
        });
      }
      infoRows.push({
        title: `LSP ${d.label}: in-process scanText of the same texts (same rounds)`,
        s: sc,
        note: `${(sc.median / pb.median).toFixed(2)}x parseTree; LSP round trip - this ≈ ${ms(s.median - sc.median)} ms (median) of JSON-RPC, document sync, diagnostics`,
      });
      out[is1mb ? 'oneMb' : 'fiftyKb'] = {
        file: relative(REPO_ROOT, d.file),
        bytes,
        edit: tg.what,
        openToFirstDiagnosticsMs: openMs,
        diagnosticsOnOpen: first.diagnostics.length,
        diagnosticsPerVersion: Object.fromEntries(counts),
        latencyMs: s,
        parseTreeMs: pb,
        jsonLanguageServiceMs: jb,
        inProcessScanTextMs: sc,
        samples: lsp,
        warmUpLatencyMs: warm.length ? stats(warm) : undefined,
        warmUpSamples: warm,
        betweenTokensEditLatencyMs: outside.length ? stats(outside) : undefined,
        propertyNameEditLatencyMs: renamed.length ? stats(renamed) : undefined,
        fullTextLatencyMs: full.length ? stats(full) : undefined,
      };
      console.log(
        `  ${d.label}: ${bytes} bytes, ${first.diagnostics.length} diagnostics on open (${ms(openMs)} ms); ${lsp.length} timed edits (${d.warmup} warm-up), ` +
          `diagnostics per publish ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}.`,
      );
    }
    out.configurationRequests = client.configurationRequests;
    out.jsonLanguageServiceDiagnostics = jlsDiagnostics;
    const ignored = client.logs.filter((l) => /debounceMs/.test(l.message));
    if (ignored.length) notes.push(`the server ignored the debounce setting: ${ignored[0].message}`);
    if (!client.configurationRequests) notes.push('the server asked no workspace/configuration: debounceMs = 0 may not have been applied (server default 150 ms).');
    notes.push(
      `rows 5a-5d: the language server checks ${LSP_DEBOUNCE_MS} ms after the last edit (redisPosture.debounceMs = ${LSP_DEBOUNCE_MS}, answered to ${client.configurationRequests} workspace/configuration request(s)); latencies are the full round trip with nothing subtracted; rounds interleave edit / parseTree / doValidation / in-process scanText (order alternating) with no forced GC (steady state on both sides). ` +
        `The JSON language service baseline reports: ${jlsDiagnostics.join(' | ') || 'no diagnostics'}.`,
    );
  } finally {
    await client.stop();
  }
  return out;
}

// -------------------------------------------------------------- main ----

async function main(): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`Azure Redis Posture benchmark — node ${process.version}, ${os.platform()} ${os.arch()}, ${cpu} x${os.cpus().length}`);
  const load = LOAD_AT_START.map((x) => x.toFixed(2)).join(' ');
  console.log(`Load average before the run: ${load} (other processes on the machine make every figure noisier; ratios are measured interleaved)`);
  if (LOAD_AT_START[0] > os.cpus().length) {
    console.log(`WARNING: the machine is busy (load ${LOAD_AT_START[0].toFixed(1)} on ${os.cpus().length} CPUs): absolute times are inflated and ratios noisy; re-run on an idle machine for figures to compare.`);
  }
  console.log(`GC between phases and before each in-process sample (untimed): ${GC.how}`);
  console.log('');

  if (CLI_OVERRIDDEN) console.log(`CLI under test: ${CLI_PATH} (BENCH_CLI override, not dist/cli.js)`);
  if (!existsSync(CORPUS_DIR)) throw new Error(`corpus not found at ${CORPUS_DIR}`);
  const files = listJsonFiles(CORPUS_DIR);
  if (!files.length) throw new Error(`no *.json files under ${CORPUS_DIR}`);

  const phaseMs: Record<string, number> = {};
  const timed = <T>(name: string, f: () => T): T => {
    const a = performance.now();
    const r = f();
    if (r instanceof Promise) return r.finally(() => (phaseMs[name] = performance.now() - a)) as T;
    phaseMs[name] = performance.now() - a;
    return r;
  };
  const p1 = timed('1', phase1);
  const p2 = timed('2', () => phase2(files, join(REPO_ROOT, p1.file)));
  const p3 = timed('3', () => phase3(files));
  const p4 = timed('4', phase4);
  const p5 = await timed('5', () => phase5(p1.text));
  gcNow();

  console.log('');
  printTable();
  const totalMs = performance.now() - started;
  console.log('');
  console.log(`Total benchmark time ${(totalMs / 1000).toFixed(1)} s (phases ${Object.entries(phaseMs).map(([k, v]) => `${k}: ${(v / 1000).toFixed(1)}`).join(', ')} s). Results: ${relative(REPO_ROOT, join(RESULTS_DIR, 'results.json'))}`);

  const results = {
    version: 1,
    date: new Date().toISOString(),
    cli: CLI_PATH,
    cliOverridden: CLI_OVERRIDDEN,
    environment: { loadAvgAtStart: LOAD_AT_START, loadAvgAtEnd: os.loadavg(), node: process.version, platform: os.platform(), arch: os.arch(), cpu, cpus: os.cpus().length, gc: GC.how },
    totalMs,
    phaseMs,
    targets: { oneMbRatio: TARGET_1MB, cliRatio: TARGET_CLI, bicepRatio: TARGET_BICEP, lspOneMbRatio: TARGET_LSP_1MB, lsp50kbP95Ms: TARGET_LSP_50KB_P95_MS },
    rows: rows.map((r) => {
      const j = judged(r);
      return {
        id: r.id,
        title: r.title,
        subject: r.subject,
        baseline: r.baseline,
        subjectMs: r.s,
        baselineMs: r.b,
        ratio: r.ratio,
        ratioOfMinimums: r.s.min / r.b.min,
        target: r.target ?? null,
        absoluteTarget: r.absTarget ?? null,
        targetText: j.met === undefined ? null : j.text,
        met: j.met ?? null,
        note: r.note ?? null,
      };
    }),
    info: infoRows.map((r) => ({ title: r.title, ms: r.s, note: r.note ?? null })),
    notes,
    phases: { oneMb: { ...p1, text: undefined }, corpusCli: p2, corpusInProcess: p3, bicep: p4, languageServer: p5 },
  };
  writeFileSync(join(RESULTS_DIR, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  void sink;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
