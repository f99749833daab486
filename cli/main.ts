// redis-posture: the command line. See /work/shared/spec/cli.md for the contract.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, RuleLevel } from '../rules/config';
import { classify, knownRuleIds } from '../rules/engine';
import { catalog } from '../rules/catalog/index';
import { DOCS_BASE } from '../rules/rule';
import { Report, SEVERITY_RANK, formatJson, formatText, ruleInfos, rulesJson, rulesText } from '../rules/report';
import { formatSarif } from '../rules/sarif';
import { LIVE_UNAVAILABLE, MAIN_HELP, RULES_HELP, SCAN_HELP, ScanArgs, UsageError, parseRulesArgs, parseScanArgs } from './args';
import { loadConfig } from './config-file';
import { displayPath, readText } from './files';
import { ParametersInput, runScan } from './scan';

export const INFORMATION_URI = DOCS_BASE.replace(/\/blob\/.*$/, '');

/** The package version, from the package.json above the running file (dist/cli.js or out/cli/main.js). */
export function toolVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'azure-redis-posture' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // keep looking
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

function colorWanted(io: Io): boolean {
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

function allRuleIds(): ReadonlySet<string> {
  return knownRuleIds();
}

function emit(io: Io, output: string | undefined, text: string): void {
  if (output === undefined) {
    io.stdout(text);
    return;
  }
  const file = path.resolve(io.cwd, output);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(`cannot write --output ${output}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function loadParameters(io: Io, file: string): ParametersInput {
  const abs = path.resolve(io.cwd, file);
  const display = displayPath(io.cwd, abs);
  const r = readText(abs);
  if ('error' in r) throw new UsageError(`--parameters ${file}: ${r.error}`);
  if (/\.bicepparam$/i.test(abs)) return { abs, display, text: r.text };
  const c = classify(display, r.text);
  if (c.error) throw new UsageError(`--parameters ${file}: ${c.error.message}`);
  if (c.kind !== 'parameters') throw new UsageError(`--parameters ${file}: not an ARM parameter file (its $schema must be …/deploymentParameters.json#)`);
  return { abs, display, text: r.text };
}

export function exitCodeFor(report: Report, failOn: ScanArgs['failOn']): number {
  if (report.errors.length) return 2;
  if (failOn === 'none') return 0;
  const min = SEVERITY_RANK[failOn];
  return report.entries.some((e) => SEVERITY_RANK[e.finding.severity] >= min) ? 1 : 0;
}

function scanCommand(io: Io, argv: readonly string[]): number {
  const known = allRuleIds();
  const args = parseScanArgs(argv, known);
  if (args.help) {
    io.stdout(SCAN_HELP);
    return 0;
  }
  let loaded;
  try {
    loaded = loadConfig(io.cwd, args.config, known);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`redis-posture: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const config = { ...loaded.config, rules: { ...loaded.config.rules, ...args.rules } };
  const parameters = args.parameters !== undefined ? loadParameters(io, args.parameters) : undefined;
  const report = runScan({ cwd: io.cwd, paths: args.paths, config, ignoreBase: loaded.base, parameters, fix: args.fix });

  let text: string;
  switch (args.format) {
    case 'json':
      text = formatJson(report);
      break;
    case 'sarif':
      text = formatSarif(report, { toolVersion: toolVersion(), informationUri: INFORMATION_URI, rules: ruleInfos(catalog.map((r) => r.meta)), overrides: config.rules as Record<string, RuleLevel> });
      break;
    default:
      text = formatText(report, { color: args.output === undefined && colorWanted(io) });
  }
  emit(io, args.output, text);
  if (args.format !== 'text' && args.fix) {
    const n = report.fixesApplied ?? 0;
    io.stderr(`redis-posture: applied ${n} fix${n === 1 ? '' : 'es'}\n`);
    for (const note of report.fixNotes ?? []) io.stderr(`redis-posture: ${note}\n`);
  }
  return exitCodeFor(report, args.failOn);
}

function rulesCommand(io: Io, argv: readonly string[]): number {
  const args = parseRulesArgs(argv);
  if (args.help) {
    io.stdout(RULES_HELP);
    return 0;
  }
  const infos = ruleInfos(catalog.map((r) => r.meta));
  io.stdout(args.format === 'json' ? rulesJson(infos) : rulesText(infos, { color: colorWanted(io) }));
  return 0;
}

export function run(argv: readonly string[], io: Io): number {
  try {
    const [cmd, ...rest] = argv;
    switch (cmd) {
      case undefined:
        io.stderr(MAIN_HELP);
        return 2;
      case '--help':
      case '-h':
      case 'help':
        io.stdout(MAIN_HELP);
        return 0;
      case '--version':
      case '-v':
      case 'version':
        io.stdout(`${toolVersion()}\n`);
        return 0;
      case 'scan':
        return scanCommand(io, rest);
      case 'rules':
        return rulesCommand(io, rest);
      case 'live':
        io.stderr(LIVE_UNAVAILABLE);
        return 2;
      default:
        throw new UsageError(
          cmd.startsWith('-') ? `unknown option ${cmd} (options go after the command: redis-posture scan ${cmd} ...)` : `unknown command "${cmd}"${fs.existsSync(path.resolve(io.cwd, cmd)) ? ` (to scan it: redis-posture scan ${cmd})` : ''}`,
        );
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`redis-posture: ${err.message}\nRun "redis-posture --help" for usage.\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr(`redis-posture: internal error: ${e?.message ?? String(err)}\n`);
    if (io.env.REDIS_POSTURE_DEBUG && e?.stack) io.stderr(`${e.stack}\n`);
    io.stderr('Please report this with the command line you used.\n');
    return 2;
  }
}

function mainProcess(): void {
  const onPipeError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  };
  process.stdout.on('error', onPipeError);
  process.stderr.on('error', () => undefined);
  process.on('uncaughtException', (err) => {
    try {
      process.stderr.write(`redis-posture: internal error: ${err?.message ?? String(err)}\n`);
    } finally {
      process.exit(2);
    }
  });
  process.exitCode = run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: process.stdout.isTTY === true,
  });
}

if (require.main === module) mainProcess();
