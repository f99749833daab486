// The JSON schema of redis-posture.json and the `redisPosture.*` settings of package.json, both
// built from the rule catalog and rules/config.ts. `npm run schema` writes them (server/schema-gen.ts);
// test/lsp/schema.test.ts checks that the files on disk are what this builds.

import { RULE_LEVELS, defaultConfig } from '../rules/config';
import { catalog } from '../rules/catalog/index';
import { ENGINE_RULES } from '../rules/report';
import { docUrl } from '../rules/rule';
import { Severity } from '../rules/model';
import { DEFAULT_DEBOUNCE_MS, MAX_DEBOUNCE_MS } from './settings';

type JsonSchema = { [key: string]: unknown };

export interface RuleEntry {
  id: string;
  title: string;
  severity: Severity;
}

/** Every rule a configuration may name, in catalog order, then the engine's own. */
export function ruleEntries(): RuleEntry[] {
  return [...catalog.map((r) => r.meta), ...ENGINE_RULES].map((m) => ({ id: m.id, title: m.title, severity: m.severity }));
}

const LEVELS_TEXT = '`off`, `low`, `medium` or `high`';

function ruleProperties(): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const r of ruleEntries()) {
    out[r.id] = {
      enum: [...RULE_LEVELS],
      description: `${r.title} (default: ${r.severity}).`,
      markdownDescription: `${r.title} (default: \`${r.severity}\`). [Documentation](${docUrl(r.id)})`,
    };
  }
  return out;
}

const TEXT = {
  rules: `Severity overrides per rule id: ${LEVELS_TEXT}. \`off\` turns a rule off.`,
  strict: 'Also flag security properties left to a secure default (an omitted `minimumTlsVersion`, for example), so that the template states every choice.',
  allowedLocations: 'Regions a cache may be deployed to (`redis-allowed-locations`), e.g. `["uksouth", "ukwest"]`. Empty: no restriction.',
  requiredTags: 'Tag names every cache must carry (`redis-required-tags`), e.g. `["owner", "dataClassification"]`. Empty: at least one tag.',
  requireCustomerManagedKey: 'Require data at rest to be encrypted with a customer-managed key (`redis-enterprise-cmk`) and check its Key Vault prerequisites.',
  maxAddresses: 'A firewall rule that opens more than this many addresses is too wide (`redis-firewall-narrow`).',
  ignore: 'Globs of files the CLI and the workspace scan skip, relative to this file (gitignore-like: `**/test/**`, `*.generated.json`, `build/`).',
};

/** The JSON schema of redis-posture.json (what rules/config.ts mergeConfig accepts). */
export function configSchema(): JsonSchema {
  const strings = { type: 'array', items: { type: 'string' }, uniqueItems: true };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Azure Redis Posture configuration (redis-posture.json)',
    description: 'Configuration of Azure Redis Posture, read from the workspace root by the editor and upward from the current directory by the CLI.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: {
        type: 'object',
        description: TEXT.rules.replace(/`/g, ''),
        markdownDescription: TEXT.rules,
        propertyNames: { enum: ruleEntries().map((r) => r.id) },
        properties: ruleProperties(),
        additionalProperties: false,
      },
      strict: { type: 'boolean', default: defaultConfig.strict, description: TEXT.strict.replace(/`/g, ''), markdownDescription: TEXT.strict },
      allowedLocations: { ...strings, default: [], description: TEXT.allowedLocations.replace(/`/g, ''), markdownDescription: TEXT.allowedLocations },
      requiredTags: { ...strings, default: [], description: TEXT.requiredTags.replace(/`/g, ''), markdownDescription: TEXT.requiredTags },
      requireCustomerManagedKey: {
        type: 'boolean',
        default: defaultConfig.requireCustomerManagedKey,
        description: TEXT.requireCustomerManagedKey.replace(/`/g, ''),
        markdownDescription: TEXT.requireCustomerManagedKey,
      },
      firewall: {
        type: 'object',
        additionalProperties: false,
        required: ['maxAddresses'],
        properties: {
          maxAddresses: { type: 'integer', minimum: 1, default: defaultConfig.firewall.maxAddresses, description: TEXT.maxAddresses.replace(/`/g, ''), markdownDescription: TEXT.maxAddresses },
        },
      },
      ignore: { ...strings, default: [], description: TEXT.ignore.replace(/`/g, ''), markdownDescription: TEXT.ignore },
    },
  };
}

const FILE_WINS = ' A `redis-posture.json` at the workspace root takes precedence over this setting.';

/** `contributes.configuration.properties` of package.json. */
export function settingsProperties(): Record<string, JsonSchema> {
  return {
    'redisPosture.rules': {
      type: 'object',
      scope: 'resource',
      default: {},
      markdownDescription: `${TEXT.rules} Example: \`{ "redis-retirement": "off", "redis-required-tags": "medium" }\`.${FILE_WINS}`,
      propertyNames: { enum: ruleEntries().map((r) => r.id) },
      properties: ruleProperties(),
      additionalProperties: false,
    },
    'redisPosture.strict': { type: 'boolean', scope: 'resource', default: defaultConfig.strict, markdownDescription: `${TEXT.strict}${FILE_WINS}` },
    'redisPosture.allowedLocations': {
      type: 'array',
      items: { type: 'string' },
      uniqueItems: true,
      scope: 'resource',
      default: [],
      markdownDescription: `${TEXT.allowedLocations}${FILE_WINS}`,
    },
    'redisPosture.requiredTags': {
      type: 'array',
      items: { type: 'string' },
      uniqueItems: true,
      scope: 'resource',
      default: [],
      markdownDescription: `${TEXT.requiredTags}${FILE_WINS}`,
    },
    'redisPosture.requireCustomerManagedKey': {
      type: 'boolean',
      scope: 'resource',
      default: defaultConfig.requireCustomerManagedKey,
      markdownDescription: `${TEXT.requireCustomerManagedKey}${FILE_WINS}`,
    },
    'redisPosture.firewall.maxAddresses': {
      type: 'integer',
      minimum: 1,
      scope: 'resource',
      default: defaultConfig.firewall.maxAddresses,
      markdownDescription: `${TEXT.maxAddresses}${FILE_WINS}`,
    },
    'redisPosture.debounceMs': {
      type: 'integer',
      minimum: 0,
      maximum: MAX_DEBOUNCE_MS,
      scope: 'resource',
      default: DEFAULT_DEBOUNCE_MS,
      markdownDescription: 'Milliseconds to wait after the last edit before a document is checked again.',
    },
    'redisPosture.trace.server': {
      type: 'string',
      enum: ['off', 'messages', 'verbose'],
      scope: 'window',
      default: 'off',
      markdownDescription: 'Traces the messages between VS Code and the Redis Posture language server into the **Redis Posture** output channel (for bug reports; documents are included in `verbose`).',
    },
  };
}

/** The `contributes` of package.json this module owns (merged into the file by the generator). */
export function contributes(): JsonSchema {
  return {
    configuration: { title: 'Redis Posture', properties: settingsProperties() },
    jsonValidation: [{ fileMatch: 'redis-posture.json', url: './schemas/redis-posture.schema.json' }],
    commands: [
      { command: 'redisPosture.scanWorkspace', title: 'Scan workspace', category: 'Redis Posture' },
      { command: 'redisPosture.clearWorkspaceScan', title: 'Clear workspace scan results', category: 'Redis Posture' },
      { command: 'redisPosture.showOutput', title: 'Show output', category: 'Redis Posture' },
    ],
  };
}
