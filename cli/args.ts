// Command-line parsing (node's util.parseArgs) and validation. Everything wrong here is a
// UsageError: exit code 2 with a message that says what to do.

import { ParseArgsConfig, parseArgs } from 'node:util';
import { RULE_LEVELS, RuleLevel } from '../rules/config';
import { Severity } from '../rules/model';

export class UsageError extends Error {}

export type Format = 'text' | 'json' | 'sarif';
export type FailOn = Severity | 'none';

export interface ScanArgs {
  paths: string[];
  format: Format;
  output?: string;
  config?: string;
  parameters?: string;
  failOn: FailOn;
  rules: Record<string, RuleLevel>;
  fix: boolean;
  help: boolean;
}

export interface RulesArgs {
  format: 'text' | 'json';
  help: boolean;
}

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['high', 'medium', 'low', 'none'];

function parse(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals: boolean): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    let msg = e.message;
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const m = /'([^']+)'/.exec(e.message);
      msg = `unknown option ${m ? m[1] : ''}`.trim();
    } else if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      msg = e.message.replace(/^Option '([^']+)'.*argument missing$/, 'option $1 needs a value');
    } else if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const m = /'([^']+)'/.exec(e.message);
      msg = `unexpected argument ${m ? m[1] : ''}`.trim();
    }
    throw new UsageError(msg);
  }
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, dflt: T): T {
  if (value === undefined) return dflt;
  if (!allowed.includes(value as T)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} needs a file name`);
  return value;
}

/** Parses `--rule <id>=<level>` values; ids are checked against `known`. */
export function parseRuleOverrides(values: readonly string[], known: ReadonlySet<string>): Record<string, RuleLevel> {
  const out: Record<string, RuleLevel> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`--rule expects <id>=off|low|medium|high (got "${v}")`);
    const id = v.slice(0, eq).trim();
    const level = v.slice(eq + 1).trim();
    if (!known.has(id)) throw new UsageError(`--rule: unknown rule id "${id}" (redis-posture rules lists them)`);
    if (!RULE_LEVELS.includes(level as RuleLevel)) throw new UsageError(`--rule ${id}: level must be one of off, low, medium, high (got "${level}")`);
    out[id] = level as RuleLevel;
  }
  return out;
}

export function parseScanArgs(args: readonly string[], knownRules: ReadonlySet<string>): ScanArgs {
  const { values, positionals } = parse(
    args,
    {
      format: { type: 'string' },
      output: { type: 'string' },
      config: { type: 'string' },
      parameters: { type: 'string' },
      'fail-on': { type: 'string' },
      rule: { type: 'string', multiple: true },
      fix: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  const help = values.help === true;
  if (help) return { paths: [], format: 'text', failOn: 'high', rules: {}, fix: false, help };
  return {
    paths: positionals,
    format: oneOf(values.format as string | undefined, FORMATS, '--format', 'text'),
    output: nonEmpty(values.output as string | undefined, '--output'),
    config: nonEmpty(values.config as string | undefined, '--config'),
    parameters: nonEmpty(values.parameters as string | undefined, '--parameters'),
    failOn: oneOf(values['fail-on'] as string | undefined, FAIL_ON, '--fail-on', 'high'),
    rules: parseRuleOverrides((values.rule as string[] | undefined) ?? [], knownRules),
    fix: values.fix === true,
    help,
  };
}

export function parseRulesArgs(args: readonly string[]): RulesArgs {
  const { values } = parse(args, { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false);
  return { format: oneOf(values.format as string | undefined, ['text', 'json'] as const, '--format', 'text'), help: values.help === true };
}

export const MAIN_HELP = `redis-posture: flags insecure Azure Cache for Redis and Azure Managed Redis settings

Usage:
  redis-posture scan [paths/globs...]   scan ARM templates and exported resources (default: .)
  redis-posture rules [--format json]   list the rules: id, severity, title, doc link
  redis-posture live                    scan deployed caches (not available in this version)

  redis-posture <command> --help        options of a command
  redis-posture --version               print the version

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage error or an input that could not be read or parsed.
`;

export const SCAN_HELP = `Usage: redis-posture scan [paths/globs...] [options]

Scans ARM deployment templates, Bicep files and exported resource JSON (az resource show,
az redis list). Files are recognised by content. Directories are walked for *.json, *.jsonc
and *.bicep files
(node_modules, .git, dist and out are skipped); files that are not templates, parameter
files or exported resources are skipped there, but a file named on the command line must be
one. Quote globs to let redis-posture expand them: '**' any depth, '*' and '?' within a name.
A template's <name>.parameters.json beside it is applied automatically; for a .bicep file,
the .bicepparam beside it whose \`using\` names it.

Options:
  --format text|json|sarif          report format (default text; colour on a terminal unless
                                    NO_COLOR is set)
  --output <file>                   write the report to <file> instead of stdout
  --config <file>                   configuration (default: redis-posture.json in the current
                                    directory or the nearest parent directory)
  --parameters <file>               an ARM parameter file to evaluate EVERY scanned template with,
                                    instead of the templates' own <name>.parameters.json
  --fail-on high|medium|low|none    exit 1 when a finding at or above this severity exists
                                    (default high; none: never)
  --rule <id>=off|low|medium|high   override a rule's severity or turn it off (repeatable;
                                    applied over the configuration file)
  --fix                             apply every available fix in place, re-scan until no fix
                                    applies, then report what is left
  -h, --help                        this help

Configuration "ignore" globs are relative to the configuration file's directory; a pattern
without a slash matches at any depth (gitignore-like). They apply to files found by walking
directories or expanding globs, not to files named explicitly.
`;

export const RULES_HELP = `Usage: redis-posture rules [--format text|json]

Lists every rule: id, default severity, title and documentation link.
`;

export const LIVE_UNAVAILABLE = `redis-posture live is not available in this version.
To check deployed caches now, export them and scan the export, e.g.:
  az redis list > caches.json && redis-posture scan caches.json
`;
