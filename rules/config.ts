// One configuration schema for the editor settings, redis-posture.json and CLI flags.

import { Severity } from './model';

export type RuleLevel = Severity | 'off';

export interface Config {
  /** Per-rule severity overrides or `off`. */
  rules: Record<string, RuleLevel>;
  /** Also flag security properties left to a secure default. */
  strict: boolean;
  /** Regions a cache may be deployed to; empty = no restriction. */
  allowedLocations: string[];
  /** Tag names every cache must carry; empty = at least one tag. */
  requiredTags: string[];
  requireCustomerManagedKey: boolean;
  firewall: { maxAddresses: number };
  /** Globs of files to skip (CLI and workspace scan). */
  ignore: string[];
}

export const defaultConfig: Config = {
  rules: {},
  strict: false,
  allowedLocations: [],
  requiredTags: [],
  requireCustomerManagedKey: true,
  firewall: { maxAddresses: 256 },
  ignore: [],
};

export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'low', 'medium', 'high'];

export class ConfigError extends Error {}

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ConfigError(`${what} must be an array of strings`);
  return v as string[];
}

/** Validates a parsed redis-posture.json (or settings object) and merges it over `base`. */
export function mergeConfig(base: Config, raw: unknown, knownRules?: ReadonlySet<string>): Config {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError('configuration must be a JSON object');
  const o = raw as Record<string, unknown>;
  const out: Config = { ...base, rules: { ...base.rules }, firewall: { ...base.firewall } };
  for (const [key, value] of Object.entries(o)) {
    switch (key) {
      case '$schema':
        break;
      case 'rules': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError('"rules" must be an object of rule id → off|low|medium|high');
        for (const [id, level] of Object.entries(value as Record<string, unknown>)) {
          if (knownRules && !knownRules.has(id)) throw new ConfigError(`unknown rule id "${id}" in "rules"`);
          if (typeof level !== 'string' || !RULE_LEVELS.includes(level as RuleLevel)) throw new ConfigError(`rule "${id}": level must be one of off, low, medium, high`);
          out.rules[id] = level as RuleLevel;
        }
        break;
      }
      case 'strict':
      case 'requireCustomerManagedKey':
        if (typeof value !== 'boolean') throw new ConfigError(`"${key}" must be true or false`);
        out[key] = value;
        break;
      case 'allowedLocations':
        out.allowedLocations = stringList(value, '"allowedLocations"').map((l) => l.toLowerCase().replace(/\s+/g, ''));
        break;
      case 'requiredTags':
        out.requiredTags = stringList(value, '"requiredTags"');
        break;
      case 'ignore':
        out.ignore = stringList(value, '"ignore"');
        break;
      case 'firewall': {
        const max = (value as { maxAddresses?: unknown } | null)?.maxAddresses;
        if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) throw new ConfigError('"firewall.maxAddresses" must be a positive integer');
        out.firewall = { maxAddresses: max };
        break;
      }
      default:
        throw new ConfigError(`unknown configuration key "${key}"`);
    }
  }
  return out;
}
