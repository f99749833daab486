// schemas/redis-posture.schema.json and package.json's settings match the catalog and rules/config.ts.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { catalog } from '../../rules/catalog/index';
import { ConfigError, RULE_LEVELS, defaultConfig, mergeConfig } from '../../rules/config';
import { ENGINE_RULES } from '../../rules/report';
import { configSchema, contributes, settingsProperties } from '../../server/schema';
import { knownRules, readEditorSettings } from '../../server/settings';
import { ROOT } from './client';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'redis-posture.schema.json'), 'utf8')) as Obj;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Obj;
const ruleIds = [...catalog.map((r) => r.meta.id), ...ENGINE_RULES.map((r) => r.id)];
const STALE = 'out of date: run `npm run schema`';

describe('redis-posture.json schema', () => {
  it("lists exactly the catalog's rule ids (and the engine's) as an enum", () => {
    assert.deepEqual([...schema.properties.rules.propertyNames.enum].sort(), [...ruleIds].sort(), STALE);
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), [...ruleIds].sort(), STALE);
    assert.deepEqual([...knownRules()].sort(), [...ruleIds].sort());
    for (const id of ruleIds) assert.deepEqual(schema.properties.rules.properties[id].enum, [...RULE_LEVELS]);
  });

  it('is what server/schema.ts builds', () => {
    assert.deepEqual(schema, configSchema(), STALE);
  });

  it('has the keys mergeConfig accepts, and no others', () => {
    const sample: Obj = {
      $schema: './schemas/redis-posture.schema.json',
      rules: { [ruleIds[0]]: 'off', 'parse-error': 'medium' },
      strict: true,
      allowedLocations: ['uksouth'],
      requiredTags: ['owner'],
      requireCustomerManagedKey: false,
      firewall: { maxAddresses: 16 },
      ignore: ['**/test/**'],
    };
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(sample).sort());
    const merged = mergeConfig(defaultConfig, sample, knownRules());
    assert.equal(merged.strict, true);
    assert.equal(merged.firewall.maxAddresses, 16);
    assert.throws(() => mergeConfig(defaultConfig, { notAKey: 1 }, knownRules()), ConfigError);
    assert.throws(() => mergeConfig(defaultConfig, { rules: { 'not-a-rule': 'off' } }, knownRules()), ConfigError);
    assert.equal(schema.properties.firewall.properties.maxAddresses.default, defaultConfig.firewall.maxAddresses);
    assert.equal(schema.properties.requireCustomerManagedKey.default, defaultConfig.requireCustomerManagedKey);
  });
});

describe('package.json contributions', () => {
  it('settings are what server/schema.ts builds, every one with a markdownDescription', () => {
    const props = pkg.contributes.configuration.properties as Obj;
    assert.deepEqual(props, settingsProperties(), STALE);
    for (const [key, p] of Object.entries(props)) assert.ok(typeof (p as Obj).markdownDescription === 'string' && (p as Obj).markdownDescription.length > 20, key);
    assert.deepEqual(Object.keys((props['redisPosture.rules'] as Obj).properties).sort(), [...ruleIds].sort(), STALE);
  });

  it('the settings defaults read back as the engine defaults', () => {
    const props = pkg.contributes.configuration.properties as Obj;
    const raw: Obj = {};
    for (const [key, p] of Object.entries(props)) {
      const parts = key.replace(/^redisPosture\./, '').split('.');
      let cur = raw;
      for (const part of parts.slice(0, -1)) cur = cur[part] ??= {};
      cur[parts[parts.length - 1]] = (p as Obj).default;
    }
    const s = readEditorSettings(raw);
    assert.deepEqual(s.problems, []);
    assert.deepEqual(s.config, defaultConfig);
    assert.equal(s.debounceMs, 150);
  });

  it('validates redis-posture.json with the schema and has the scan command', () => {
    assert.deepEqual(pkg.contributes.jsonValidation, contributes().jsonValidation);
    assert.ok(fs.existsSync(path.join(ROOT, pkg.contributes.jsonValidation[0].url)));
    const scan = (pkg.contributes.commands as Obj[]).find((c) => c.command === 'redisPosture.scanWorkspace');
    assert.equal(`${scan?.category}: ${scan?.title}`, 'Redis Posture: Scan workspace');
    assert.equal(pkg.main, './dist/extension.js');
    for (const dep of ['vscode-languageserver', 'vscode-languageserver-textdocument', 'vscode-languageclient']) assert.ok(pkg.dependencies[dep], dep);
    assert.ok(pkg.devDependencies['@types/vscode']);
    // @types/vscode must not be newer than the VS Code the extension says it runs on.
    const major = (v: string) => v.replace(/^[^\d]*/, '').split('.').slice(0, 2).map(Number);
    const [tMaj, tMin] = major(pkg.devDependencies['@types/vscode']);
    const [eMaj, eMin] = major(pkg.engines.vscode);
    assert.ok(tMaj < eMaj || (tMaj === eMaj && tMin <= eMin), '@types/vscode ≤ engines.vscode');
  });
});
