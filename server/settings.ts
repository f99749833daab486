// Editor settings (`redisPosture.*`) and redis-posture.json → one engine Config.
// Order: the defaults, then the settings, then redis-posture.json at the workspace root (the
// project's shared file wins over a person's settings, and it is what the CLI reads too).

import { ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { Config, ConfigError, defaultConfig, mergeConfig } from '../rules/config';
import { knownRuleIds } from '../rules/engine';
import { LineMap } from '../rules/lines';
import { Range } from './protocol';

export const SETTINGS_SECTION = 'redisPosture';
export const CONFIG_FILE_NAME = 'redis-posture.json';
export const DEFAULT_DEBOUNCE_MS = 150;
export const MAX_DEBOUNCE_MS = 10_000;

let known: ReadonlySet<string> | undefined;

/** Every rule id a configuration may name: the catalog and the engine's own rules. */
export function knownRules(): ReadonlySet<string> {
  return (known ??= knownRuleIds());
}

export interface EditorSettings {
  /** Settings merged over the defaults. */
  config: Config;
  debounceMs: number;
  /** Settings that were ignored, and why (shown once in the output channel). */
  problems: string[];
}

/** The `redisPosture` settings object (as workspace/configuration returns it) → config and server options. Never throws. */
export function readEditorSettings(raw: unknown): EditorSettings {
  const problems: string[] = [];
  let config = defaultConfig;
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) return { config, debounceMs, problems };
  const o = raw as Record<string, unknown>;
  const apply = (key: string, value: unknown): void => {
    try {
      config = mergeConfig(config, { [key]: value }, knownRules());
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(`setting redisPosture.${key} ignored: ${err.message}`);
    }
  };
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined || value === null) continue;
    switch (key) {
      case 'rules':
        if (typeof value !== 'object' || Array.isArray(value)) {
          problems.push('setting redisPosture.rules ignored: it must be an object of rule id → off|low|medium|high');
          break;
        }
        // One rule at a time: a typo in one id must not drop the others.
        for (const [id, level] of Object.entries(value as Record<string, unknown>)) apply('rules', { [id]: level });
        break;
      case 'strict':
      case 'requireCustomerManagedKey':
      case 'allowedLocations':
      case 'requiredTags':
      case 'ignore':
        apply(key, value);
        break;
      case 'firewall':
        // An empty object is what VS Code returns when nothing below it is set.
        if (typeof value === 'object' && value !== null && (value as { maxAddresses?: unknown }).maxAddresses === undefined) break;
        apply(key, value);
        break;
      case 'debounceMs':
        if (typeof value === 'number' && Number.isFinite(value) && value >= 0) debounceMs = Math.min(Math.round(value), MAX_DEBOUNCE_MS);
        else problems.push('setting redisPosture.debounceMs ignored: it must be a number of milliseconds (0 or more)');
        break;
      default:
        // trace.server and settings of later versions: not ours to validate.
        break;
    }
  }
  return { config, debounceMs, problems };
}

export interface ConfigFileResult {
  /** The parsed file, when it parsed and validated. */
  raw?: unknown;
  error?: { message: string; range: Range };
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Parses and validates the text of a redis-posture.json. */
export function parseConfigFile(text: string): ConfigFileResult {
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const lines = new LineMap(text);
  if (errors.length) {
    const e = errors[0];
    const what = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    return { error: { message: `redis-posture.json: invalid JSON: ${what}`, range: { start: lines.position(e.offset), end: lines.position(e.offset + e.length) } } };
  }
  if (raw === undefined) return { error: { message: 'redis-posture.json is empty', range: ZERO } };
  try {
    mergeConfig(defaultConfig, raw, knownRules());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Point at the first quoted name the message mentions, when the file has it.
    let range = ZERO;
    const quoted = /"([^"]+)"/.exec(err.message)?.[1];
    const at = quoted ? text.indexOf(`"${quoted.split('.')[0]}"`) : -1;
    if (at >= 0) range = { start: lines.position(at), end: lines.position(at + quoted!.split('.')[0].length + 2) };
    return { error: { message: `redis-posture.json: ${err.message}`, range } };
  }
  return { raw };
}

/** The settings config with a validated redis-posture.json merged over it. */
export function effectiveConfig(settings: Config, file: ConfigFileResult | undefined): Config {
  if (!file?.raw) return settings;
  try {
    return mergeConfig(settings, file.raw, knownRules());
  } catch {
    return settings;
  }
}
