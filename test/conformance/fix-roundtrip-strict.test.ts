// Strict mode's findings (a security property left to its secure default) carry the same kind of
// fix as every other finding: apply it, the file still parses, the finding is gone and no finding
// appears that was not there before. Checked on two small templates (ARM and Bicep) that leave
// every such property out, and on every corpus file.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ParseError, parseTree } from 'jsonc-parser';
import { defaultConfig, mergeConfig } from '../../rules/config';
import { ReportedFinding, scanText } from '../../rules/engine';
import { parseBicep } from '../../rules/readers/bicep/index';
import { applyEdits, fixEdits } from '../../rules/writers/arm';
import { cluster } from '../rules/catalog/_enterprise';
import { CORPUS, FOLLOW_UPS, findingKey as key, readExpected } from './corpus';

const STRICT = mergeConfig(defaultConfig, { strict: true });

/** The rules that have a property with a secure default, and so something to report in strict mode. */
const STRICT_RULES = [
  'redis-enterprise-disable-access-keys',
  'redis-enterprise-encrypted-protocol',
  'redis-enterprise-min-tls',
  'redis-min-tls',
  'redis-no-non-ssl-port',
  'redis-supported-version',
];

const ARM = JSON.stringify(
  {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      {
        type: 'Microsoft.Cache/redis',
        apiVersion: '2024-11-01',
        name: 'cache1',
        location: 'westeurope',
        tags: { owner: 'team-a' },
        properties: {
          sku: { name: 'Premium', family: 'P', capacity: 1 },
          publicNetworkAccess: 'Disabled',
          disableAccessKeyAuthentication: true,
          redisConfiguration: { 'aad-enabled': 'true' },
        },
      },
      cluster({ publicNetworkAccess: 'Disabled' }),
      {
        type: 'Microsoft.Cache/redisEnterprise/databases',
        apiVersion: '2025-07-01',
        name: 'amr1/default',
        dependsOn: ["[resourceId('Microsoft.Cache/redisEnterprise', 'amr1')]"],
        properties: { port: 10000 },
      },
    ],
  },
  null,
  2,
);

const BICEP = `param location string = resourceGroup().location

resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: 'cache1'
  location: location
  tags: { owner: 'team-a' }
  properties: {
    sku: { name: 'Premium', family: 'P', capacity: 1 }
    publicNetworkAccess: 'Disabled'
    disableAccessKeyAuthentication: true
    redisConfiguration: { 'aad-enabled': 'true' }
  }
}

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: 'amr1'
  location: location
  tags: { owner: 'team-a' }
  sku: { name: 'Balanced_B1' }
  properties: {
    publicNetworkAccess: 'Disabled'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  name: 'default'
  properties: {
    port: 10000
  }
}
`;

const signature = (f: ReportedFinding): string => `${key(f)}|${f.path}|${f.message}`;

/** A parse error of the fixed text, if any. */
function parseError(file: string, text: string): string | undefined {
  if (file.endsWith('.bicep')) return parseBicep(text).errors[0]?.message;
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: true });
  return errors.length ? `parse error at ${errors[0].offset}` : undefined;
}

/** Applies the fix of every finding strict mode adds to `file`; returns the failures and the rules whose fixes were applied. */
function roundTrip(file: string, text: string): { failures: string[]; applied: ReportedFinding[]; unwritable: string[] } {
  const plain = new Set(scanText(file, text).findings.map(signature));
  const before = scanText(file, text, { config: STRICT });
  const beforeKeys = new Set(before.findings.map(key));
  const failures: string[] = [];
  const applied: ReportedFinding[] = [];
  const unwritable: string[] = [];
  for (const f of before.findings.filter((g) => !plain.has(signature(g)))) {
    const where = `${file} ${f.ruleId} line ${(f.range?.start.line ?? 0) + 1}`;
    if (!f.fix) {
      failures.push(`${where}: strict finding without a fix`);
      continue;
    }
    const edits = fixEdits(before.deployment!, f.fix);
    if (!edits) {
      unwritable.push(where);
      continue;
    }
    const fixed = applyEdits(text, edits.filter((e) => e.file === file));
    const error = parseError(file, fixed);
    if (error) {
      failures.push(`${where}: fixed file does not parse: ${error}`);
      continue;
    }
    const after = scanText(file, fixed, { config: STRICT });
    if (after.findings.some((g) => key(g) === key(f) && g.path === f.path)) failures.push(`${where}: finding still reported after the fix`);
    const added = after.findings.filter((g) => !beforeKeys.has(key(g)) && !(FOLLOW_UPS[f.ruleId] ?? []).includes(g.ruleId));
    if (added.length) failures.push(`${where}: fix introduced ${added.map((g) => g.ruleId).join(', ')}`);
    applied.push(f);
  }
  return { failures, applied, unwritable };
}

describe('strict mode fix round trip', () => {
  for (const [file, text] of [
    ['strict.json', ARM],
    ['strict.bicep', BICEP],
  ]) {
    it(`${file}: every property left to a secure default is reported, and its fix writes it`, () => {
      const { failures, applied, unwritable } = roundTrip(file, text);
      assert.deepEqual(failures, []);
      assert.deepEqual(unwritable, []);
      assert.deepEqual([...new Set(applied.map((f) => f.ruleId))].sort(), STRICT_RULES);
      assert.ok(applied.every((f) => /strict mode asks for it to be written/.test(f.message)), applied.map((f) => f.message).join(' | '));
    });
  }

  it('applying every strict fix to the ARM template leaves no strict finding', () => {
    let text = ARM;
    // One fix at a time, rescanning in between: each fix is written against the current text.
    for (let i = 0; i < STRICT_RULES.length; i++) {
      const r = scanText('strict.json', text, { config: STRICT });
      const next = r.findings.find((f) => f.fix && /strict mode/.test(f.message));
      if (!next) break;
      text = applyEdits(text, fixEdits(r.deployment!, next.fix!)!);
    }
    const left = scanText('strict.json', text, { config: STRICT }).findings.filter((f) => /strict mode/.test(f.message));
    assert.deepEqual(left.map((f) => f.ruleId), []);
    const cache = (JSON.parse(text) as { resources: { properties: Record<string, unknown> }[] }).resources[0].properties;
    assert.deepEqual([cache.enableNonSslPort, cache.minimumTlsVersion, cache.redisVersion], [false, '1.2', '6']);
  });

  it('on every corpus file', { skip: !existsSync(CORPUS) && 'no ../shared/corpus beside the clone' }, () => {
    const files = [...new Set(readExpected().map((r) => r.file))];
    const failures: string[] = [];
    let applied = 0;
    let unwritable = 0;
    for (const rel of files) {
      const path = join(CORPUS, rel);
      const r = roundTrip(path, readFileSync(path, 'utf8'));
      failures.push(...r.failures);
      applied += r.applied.length;
      unwritable += r.unwritable.length;
    }
    console.log(`strict fix round trip: ${applied} fixes applied and verified, ${unwritable} fixes the writer could not express as edits`);
    assert.deepEqual(failures, []);
    assert.ok(applied > 0, 'no strict fix was exercised');
  });
});
