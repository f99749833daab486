// Shared helpers for the CLI tests: they spawn the bundled dist/cli.js like a user would.
// (No tests here; node --test loads this file too, harmlessly.)

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root: this file runs as out/test/cli/helpers.js. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; timeout?: number } = {}): CliResult {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.NODE_OPTIONS;
  Object.assign(env, opts.env ?? {});
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? FIXTURES,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: opts.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

export interface JsonFinding {
  ruleId: string;
  severity: 'high' | 'medium' | 'low';
  file: string;
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  resource?: { type: string; name: string };
  path: string;
  message: string;
  fixable: boolean;
}

export interface JsonOut {
  version: number;
  findings: JsonFinding[];
  errors: { file: string; message: string }[];
}

export function json(r: CliResult): JsonOut {
  try {
    return JSON.parse(r.stdout) as JsonOut;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}): ${r.stdout.slice(0, 500)}\nstderr: ${r.stderr}`);
  }
}

let ruleIdsCache: string[] | undefined;

/** Every rule id the CLI knows (the catalog grows; tests that need one rule turn the others off). */
export function allRuleIds(): string[] {
  if (!ruleIdsCache) {
    const r = cli(['rules', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    ruleIdsCache = (JSON.parse(r.stdout) as { rules: { id: string }[] }).rules.map((x) => x.id);
  }
  return ruleIdsCache;
}

/** `--rule x=off` for every rule but these. */
export function only(...ids: string[]): string[] {
  return allRuleIds()
    .filter((id) => !ids.includes(id))
    .flatMap((id) => ['--rule', `${id}=off`]);
}

const made: string[] = [];

/** A fresh temp dir, removed when the test process exits. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-posture-cli-'));
  if (!made.length) process.once('exit', () => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  made.push(dir);
  return dir;
}

/** Copies a fixture folder into a fresh temp dir and returns the copy's path. */
export function copyFixture(name: string): string {
  const dir = path.join(tempDir(), name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** 0-based line of the first line containing `needle`. */
export function lineIndexOf(text: string, needle: string): number {
  const i = text.split(/\r?\n/).findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `"${needle}" not found`);
  return i;
}

export function minTls(out: JsonOut): JsonFinding[] {
  return out.findings.filter((f) => f.ruleId === 'redis-min-tls');
}

// eslint-disable-next-line no-control-regex
export const ANSI_RE = /\u001b\[[0-9;]*m/;

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** Checks the SARIF fields cli.md promises; returns the run for further checks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function assertSarifShape(log: any): any {
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$|sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  const driver = run.tool.driver;
  assert.equal(driver.name, 'redis-posture');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.equal(driver.version, pkg.version);
  assert.match(driver.informationUri, /^https:\/\//);
  assert.ok(Array.isArray(driver.rules) && driver.rules.length > 0);
  const ids = new Set<string>();
  for (const r of driver.rules) {
    assert.equal(typeof r.id, 'string');
    assert.ok(!ids.has(r.id), `duplicate rule ${r.id}`);
    ids.add(r.id);
    assert.equal(typeof r.shortDescription.text, 'string');
    assert.ok(r.shortDescription.text.length > 0);
    assert.match(r.helpUri, new RegExp(`^https://.*/${r.id}\\.md$`));
    assert.ok(['error', 'warning', 'note'].includes(r.defaultConfiguration.level), `${r.id} level`);
  }
  for (const id of ['redis-min-tls', 'parse-error', 'unused-suppression']) assert.ok(ids.has(id), `rules[] lacks ${id}`);
  assert.ok(Array.isArray(run.invocations) && run.invocations.length === 1);
  assert.ok(Array.isArray(run.invocations[0].toolExecutionNotifications));
  assert.equal(typeof run.invocations[0].executionSuccessful, 'boolean');
  const regionOk = (g: SarifRegion, what: string): void => {
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn'] as const) assert.ok(Number.isInteger(g[k]) && g[k] >= 1, `${what}: ${k} = ${g[k]}`);
    assert.ok(g.endLine > g.startLine || (g.endLine === g.startLine && g.endColumn >= g.startColumn), `${what}: end before start`);
  };
  for (const res of run.results) {
    assert.equal(typeof res.ruleId, 'string');
    assert.equal(driver.rules[res.ruleIndex]?.id, res.ruleId, 'ruleIndex points at the rule');
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    assert.equal(typeof res.message.text, 'string');
    const loc = res.locations[0];
    const uri: string = loc.physicalLocation.artifactLocation.uri;
    assert.ok(!uri.includes('\\') && !uri.startsWith('/') && !/^[a-z]+:/i.test(uri), `relative uri with forward slashes: ${uri}`);
    regionOk(loc.physicalLocation.region, `${res.ruleId} region`);
    if (loc.logicalLocations) {
      const l = loc.logicalLocations[0];
      assert.equal(l.kind, 'resource');
      assert.equal(typeof l.name, 'string');
      assert.ok(l.fullyQualifiedName.endsWith(`/${l.name}`), `fullyQualifiedName ${l.fullyQualifiedName} ends with the name`);
    }
    for (const fix of res.fixes ?? []) {
      assert.equal(typeof fix.description.text, 'string');
      assert.ok(fix.artifactChanges.length > 0);
      for (const ch of fix.artifactChanges) {
        assert.ok(!ch.artifactLocation.uri.includes('\\'));
        assert.ok(ch.replacements.length > 0);
        for (const rep of ch.replacements) {
          regionOk(rep.deletedRegion, `${res.ruleId} fix region`);
          assert.equal(typeof rep.insertedContent.text, 'string');
        }
      }
    }
  }
  return run;
}

