// Scanning with the deployment of an earlier scan (ScanOptions.previous), as the language server
// does on every edit, must report exactly what a scan of the new text from scratch reports.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScanResult, scanText } from '../../rules/engine';
import { PrimVal, Span, Val } from '../../rules/model';
import { fixEdits } from '../../rules/writers/arm';
import { CORPUS, REPO_ROOT } from '../conformance/corpus';
import { prng } from './readers/bicep/helpers';
import { template, textOf } from '../helpers/rule-tester';
import { cache } from './catalog/_cache';

/** Every ARM template (not parameter file) under `dir`. */
function templatesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...templatesUnder(p));
    else if (name.endsWith('.json') && !name.includes('parameters')) {
      const text = readFileSync(p, 'utf8');
      if (/deploymentTemplate\.json/i.test(text) && /Microsoft\.Cache/i.test(text)) out.push(p);
    }
  }
  return out;
}

/** What a user sees of a result: findings with their ranges, links and fix edits, and errors. */
function seen(r: ScanResult): unknown {
  return {
    kind: r.kind,
    errors: r.errors,
    findings: r.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      range: f.range,
      resource: f.resource,
      path: f.path,
      related: f.related,
      fix: f.fix && r.deployment ? { title: f.fix.title, edits: fixEdits(r.deployment, f.fix) } : undefined,
    })),
  };
}

function prims(v: Val, out: PrimVal[] = []): PrimVal[] {
  if (v.kind === 'prim') out.push(v);
  else if (v.kind === 'array') for (const x of v.items) prims(x, out);
  else if (v.kind === 'object') for (const m of v.members.values()) prims(m.value, out);
  return out;
}

/** Values a rule looks at, so that edits turn findings on and off. */
const STRINGS = ['Enabled', 'Disabled', '1.0', '1.2', '0.0.0.0', '255.255.255.255', 'Basic', 'Premium', 'westeurope', '6', 'true', 'allLogs', 'cache-b', 'Microsoft.Cache/redis'];
const TOKENS = ['true', 'false', 'null', '0', '1', '6380', '2'];

/** A text with one value of `text` (read into `root`) replaced, and whether that value was a string. */
function editOne(text: string, root: Val, rnd: () => number): string {
  const all = prims(root);
  const target = all[Math.floor(rnd() * all.length)];
  const { start, end } = target.at!;
  if (typeof target.value === 'string') {
    const value = rnd() < 0.8 ? STRINGS[Math.floor(rnd() * STRINGS.length)] : `${target.value}x`;
    return text.slice(0, start + 1) + value + text.slice(end - 1);
  }
  return text.slice(0, start) + TOKENS[Math.floor(rnd() * TOKENS.length)] + text.slice(end);
}

/** Every property name span of a tree. */
function keys(v: Val, out: Span[] = []): Span[] {
  if (v.kind === 'array') for (const x of v.items) keys(x, out);
  else if (v.kind === 'object') for (const m of v.members.values()) (m.keyAt && out.push(m.keyAt), keys(m.value, out));
  return out;
}

/** Names the reader or a rule reads, so that renames turn findings on and off (or must be read anew). */
const NAMES = ['minimumTlsVersion', 'publicNetworkAccess', 'enableNonSslPort', 'disableAccessKeyAuthentication', 'aad-enabled', 'redisConfiguration', 'properties', 'sku', 'tags', 'name', 'type', 'apiVersion', 'scope', 'copy', 'resources', 'startIP', 'endIP', 'logs', 'category', 'workspaceId'];

/** A text with one property of `text` (read into `root`) renamed: to a name above, with a letter added or taken away, or upper-cased. */
function renameOne(text: string, root: Val, rnd: () => number): string {
  const all = keys(root);
  const k = all[Math.floor(rnd() * all.length)];
  const name = text.slice(k.start + 1, k.end - 1);
  const r = rnd();
  const next = r < 0.45 ? NAMES[Math.floor(rnd() * NAMES.length)] : r < 0.7 ? `${name}x` : r < 0.9 ? name.slice(0, -1) : name.toUpperCase();
  return text.slice(0, k.start + 1) + next + text.slice(k.end - 1);
}

/**
 * Edits every template of our examples, fixtures and the corpus 24 times over (`edit` makes the
 * next text from the last one and its tree), each scanned with the previous deployment and from
 * scratch: both must agree. Returns how often the earlier read was reused and read anew.
 */
function fuzzAgainstFresh(seed: number, edit: (text: string, root: Val, rnd: () => number) => string): { reused: number; readAnew: number } {
  const files = [...templatesUnder(join(REPO_ROOT, 'examples')), ...templatesUnder(join(REPO_ROOT, 'test', 'fixtures')), ...templatesUnder(CORPUS)];
  assert.ok(files.length >= 10, `templates found: ${files.length}`);
  const rnd = prng(seed);
  let reused = 0;
  let readAnew = 0;
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    let prev = scanText(file, text);
    for (let step = 0; step < 24 && prev.deployment?.roots; step++) {
      const next = edit(text, prev.deployment.roots.get(file)!, rnd);
      if (next === text) continue;
      const fresh = scanText(file, next);
      const again = scanText(file, next, { previous: prev.deployment });
      assert.deepEqual(seen(again), seen(fresh), `${file}, step ${step}`);
      if (again.deployment && again.deployment.resources === prev.deployment.resources) reused++;
      else readAnew++;
      text = next;
      prev = again;
    }
  }
  return { reused, readAnew };
}

describe('engine: scanning with the previous deployment', () => {
  it('reports what a scan from scratch reports, over seeded property renames of our examples and the corpus', () => {
    const { reused, readAnew } = fuzzAgainstFresh(20261203, renameOne);
    assert.ok(reused > 100 && readAnew > 100, `renames: reused ${reused}, read anew ${readAnew}`);
  });

  it('reports what a scan from scratch reports, over seeded edits of our examples and the corpus', () => {
    const { reused, readAnew } = fuzzAgainstFresh(20261202, editOne);
    // Both paths must have run: edits of properties reuse the read, edits of names and parameters do not.
    assert.ok(reused > 100 && readAnew > 100, `reused ${reused}, read anew ${readAnew}`);
  });

  it('reads anew when the earlier tree was edited by a scan whose result was not kept', () => {
    const file = join(REPO_ROOT, 'examples', 'redis-insecure', 'azuredeploy.json');
    const text = readFileSync(file, 'utf8');
    const first = scanText(file, text);
    // A check with a safe TLS default, dropped (as the server drops one a newer edit overtook): its tree edit stays.
    const safer = text.replace('"defaultValue": "1.0"', '"defaultValue": "1.2"');
    assert.notEqual(safer, text);
    scanText(file, safer, { previous: first.deployment });
    // Then an edit of a property, measured against the earlier result: the new default must still be seen.
    const next = safer.replace('"publicNetworkAccess": "Enabled"', '"publicNetworkAccess": "Disabled"');
    assert.notEqual(next, safer);
    const again = scanText(file, next, { previous: first.deployment });
    assert.deepEqual(seen(again), seen(scanText(file, next)));
    const tls = (r: ScanResult): string[] => r.findings.filter((f) => f.ruleId === 'redis-min-tls').map((f) => `${f.range?.start.line}: ${f.message}`);
    assert.notDeepEqual(tls(again), tls(first), 'the default the dropped check wrote changes what redis-min-tls says');
    assert.notEqual(again.deployment!.resources, first.deployment!.resources, 'the earlier read describes another text');
  });

  it('reads anew when the parameter file changed', () => {
    const file = join(REPO_ROOT, 'examples', 'redis-insecure', 'azuredeploy.json');
    const text = readFileSync(file, 'utf8');
    const params = (v: string): { file: string; text: string } => ({
      file: file.replace('.json', '.parameters.json'),
      text: JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#', contentVersion: '1.0.0.0', parameters: { minimumTlsVersion: { value: v } } }),
    });
    const first = scanText(file, text, { parameters: params('1.2') });
    const again = scanText(file, text, { parameters: params('1.0'), previous: first.deployment });
    assert.deepEqual(seen(again), seen(scanText(file, text, { parameters: params('1.0') })));
    const same = scanText(file, text, { parameters: params('1.0'), previous: again.deployment });
    assert.equal(same.deployment!.resources, again.deployment!.resources, 'the same texts: the read is reused');
  });

  /** Scans `before`, then `after` with that scan's deployment: what a scan of `after` from scratch gives, which the edit changed. */
  function rescan(before: string, after: string, ruleId: string): void {
    assert.notEqual(after, before, 'the edit applies');
    const first = scanText('t.json', before);
    const again = scanText('t.json', after, { previous: first.deployment });
    const fresh = scanText('t.json', after);
    assert.deepEqual(seen(again), seen(fresh));
    const of = (r: ScanResult): string[] => r.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.resource?.name}: ${f.message}`);
    assert.notDeepEqual(of(fresh), of(first), `the edit changes what ${ruleId} reports`);
  }

  it('reads anew after an expression read a declared resource (languageVersion 2.0 reference full)', () => {
    const before = textOf({
      ...template([]),
      languageVersion: '2.0',
      resources: {
        first: cache({ publicNetworkAccess: 'Enabled', minimumTlsVersion: '1.2' }),
        second: cache(
          { publicNetworkAccess: "[if(equals(reference('first', '2024-11-01', 'full').properties.publicNetworkAccess, 'Disabled'), 'Disabled', 'Enabled')]", minimumTlsVersion: '1.2' },
          { name: 'cache2' },
        ),
      },
    });
    rescan(before, before.replace('"publicNetworkAccess": "Enabled"', '"publicNetworkAccess": "Disabled"'), 'redis-disable-public-network');
  });

  it('reads anew after an edit of what a nested deployment passes to its template', () => {
    const before = textOf(
      template([
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'cache',
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            parameters: { tls: { value: '1.0' } },
            template: template([cache({ minimumTlsVersion: "[parameters('tls')]", publicNetworkAccess: 'Disabled' })], { parameters: { tls: { type: 'string' } } }),
          },
        },
      ]),
    );
    rescan(before, before.replace('"value": "1.0"', '"value": "1.2"'), 'redis-min-tls');
  });

  it('reads anew after an edit of a property loop (its count)', () => {
    const before = textOf(
      template([
        cache({ minimumTlsVersion: '1.2', publicNetworkAccess: 'Disabled' }),
        {
          type: 'Microsoft.Insights/diagnosticSettings',
          apiVersion: '2021-05-01-preview',
          scope: "[resourceId('Microsoft.Cache/redis', 'cache1')]",
          name: 'cache1-logs',
          properties: {
            workspaceId: "[resourceId('Microsoft.OperationalInsights/workspaces', 'logs')]",
            copy: [{ name: 'logs', count: 1, input: { categoryGroup: 'allLogs', enabled: true } }],
          },
        },
      ]),
    );
    rescan(before, before.replace('"count": 1', '"count": 0'), 'redis-connection-logs');
  });
});

