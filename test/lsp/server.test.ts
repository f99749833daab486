// The language server over real LSP JSON-RPC on stdio (dist/server.js --stdio).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { FIXTURES, LspClient, applyTextEdits, codes, fixture, sleep, tempWorkspace, uriOf } from './client';

const INSECURE = uriOf(path.join(FIXTURES, 'insecure.json'));
const TWO = uriOf(path.join(FIXTURES, 'two-caches.json'));
const TEMPLATE = uriOf(path.join(FIXTURES, 'params', 'azuredeploy.json'));
const PARAMS = uriOf(path.join(FIXTURES, 'params', 'azuredeploy.parameters.json'));
const MALFORMED = uriOf(path.join(FIXTURES, 'malformed.json'));

/** 0-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i;
}

function diag(p: PublishDiagnosticsParams, code: string): Diagnostic {
  const d = p.diagnostics.find((x) => x.code === code);
  assert.ok(d, `no ${code} diagnostic; got ${codes(p).join(', ')}`);
  return d;
}

function action(actions: CodeAction[], title: string | RegExp): CodeAction {
  const a = actions.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
  assert.ok(a, `no action ${title}; got ${actions.map((x) => x.title).join(' | ')}`);
  return a;
}

let client: LspClient;
afterEach(async () => {
  await client?.stop();
});

describe('language server: diagnostics', () => {
  it('initializes with code actions (quick fix, source.fixAll.redisPosture) and incremental sync', async () => {
    client = await LspClient.start();
    const caps = client.initializeResult!.capabilities;
    assert.equal((caps.textDocumentSync as { change: number }).change, 2);
    const ca = caps.codeActionProvider as { codeActionKinds: string[]; resolveProvider: boolean };
    assert.deepEqual(ca.codeActionKinds, ['quickfix', 'source.fixAll.redisPosture']);
  });

  it('publishes diagnostics for an insecure ARM template: codes, ranges, doc links, source, severities', async () => {
    client = await LspClient.start();
    client.open(INSECURE, fixture('insecure.json'));
    const p = await client.current(INSECURE);
    assert.equal(p.version, 1);
    const tls = diag(p, 'redis-min-tls');
    // The range is the property name on its line.
    const line = lineOf(fixture('insecure.json'), '"minimumTlsVersion": "1.0"');
    assert.deepEqual(tls.range, { start: { line, character: 8 }, end: { line, character: 27 } });
    assert.equal(tls.severity, 1);
    assert.equal(tls.source, 'redis-posture');
    assert.match(tls.codeDescription!.href, /docs\/rules\/redis-min-tls\.md$/);
    const port = diag(p, 'redis-no-non-ssl-port');
    assert.equal(port.range.start.line, lineOf(fixture('insecure.json'), '"enableNonSslPort": true'));
    assert.equal(diag(p, 'redis-connection-logs').severity, 2);
    assert.equal(diag(p, 'redis-retirement').severity, 3);
    for (const d of p.diagnostics) {
      assert.equal(d.source, 'redis-posture');
      assert.ok(d.codeDescription?.href.startsWith('https://'), `${d.code} has a doc link`);
    }
  });

  it('ignores JSON that is not ARM, even when it does not parse', async () => {
    client = await LspClient.start();
    const pkg = uriOf(path.join(FIXTURES, 'package.json'));
    client.open(pkg, '{ "name": "x", "version": "1.0.0", }');
    const other = uriOf(path.join(FIXTURES, 'broken-settings.json'));
    client.open(other, '{ "editor.tabSize": 2 "x": 1 }');
    assert.deepEqual((await client.current(pkg)).diagnostics, []);
    assert.deepEqual((await client.current(other)).diagnostics, []);
  });

  it('reports malformed ARM JSON as parse-error and keeps answering', async () => {
    client = await LspClient.start();
    client.open(MALFORMED, fixture('malformed.json'));
    const p = await client.current(MALFORMED);
    assert.deepEqual(codes(p), ['parse-error']);
    assert.equal(p.diagnostics[0].range.start.line, 6);
    assert.equal(p.diagnostics[0].severity, 1);
    assert.match(p.diagnostics[0].message, /comma expected/);
    const actions = await client.codeActions(MALFORMED, p.diagnostics[0].range, p.diagnostics);
    assert.deepEqual(actions, []);
    // and still checks other documents
    client.open(INSECURE, fixture('insecure.json'));
    assert.ok(codes(await client.current(INSECURE)).includes('redis-min-tls'));
  });

  it('while a template does not parse, the findings of its last version that did stay where their text moved, without fixes', async () => {
    client = await LspClient.start();
    const text = fixture('insecure.json');
    client.open(INSECURE, text);
    const good = await client.current(INSECURE);
    assert.ok(good.diagnostics.length >= 4, codes(good).join(','));
    const tlsLine = lineOf(text, '"minimumTlsVersion"');

    // A property name typed but not finished, on a new line under the TLS line: not JSON.
    const at = text.indexOf('\n', text.indexOf('"minimumTlsVersion"')) + 1;
    const typing = '        "ena\n';
    client.changeRange(INSECURE, at, 0, typing);
    const broken = await client.current(INSECURE);
    const parse = diag(broken, 'parse-error');
    assert.match(parse.message, /last version that parsed/);
    const moved = (d: Diagnostic): Diagnostic['range'] => {
      const shift = (p: Diagnostic['range']['start']) => (p.line > tlsLine ? { line: p.line + 1, character: p.character } : p);
      return { start: shift(d.range.start), end: shift(d.range.end) };
    };
    const carried = broken.diagnostics.filter((d) => d.code !== 'parse-error');
    assert.deepEqual(
      carried.map((d) => [d.code, d.range, d.message]),
      good.diagnostics.map((d) => [d.code, moved(d), d.message]),
      'every finding of the last parsed version, on its moved line',
    );
    assert.ok(carried.every((d) => (d.data as { fixable: boolean }).fixable === false));
    const tls = diag(broken, 'redis-min-tls');
    const actions = await client.codeActions(INSECURE, tls.range, [tls]);
    assert.ok(!actions.some((a) => a.kind === 'quickfix' && a.edit), `no fix is offered on a broken file: ${actions.map((a) => a.title)}`);

    // Still broken, the TLS value is edited: that finding goes (it may be what was fixed), the others stay.
    const value = client.text(INSECURE).indexOf('"1.0"') + 1;
    client.changeRange(INSECURE, value, 3, '1.2');
    const edited = await client.current(INSECURE);
    assert.ok(codes(edited).includes('parse-error'));
    assert.ok(!codes(edited).includes('redis-min-tls'), codes(edited).join(','));
    assert.equal(edited.diagnostics.length, broken.diagnostics.length - 1);

    // The typed line deleted: the text is the last parsed one but for the TLS value, an edit of that
    // tree (the server starts from it while the file does not parse); it publishes what a fresh read does.
    const undone = client.text(INSECURE).replace(typing, '');
    client.change(INSECURE, undone);
    const again = await client.current(INSECURE);
    const twin = uriOf(path.join(FIXTURES, 'insecure-twin.json'));
    client.open(twin, undone);
    const fresh0 = await client.current(twin);
    assert.deepEqual(again.diagnostics, fresh0.diagnostics);
    assert.ok(!codes(again).includes('redis-min-tls') && !codes(again).includes('parse-error'), codes(again).join(','));
    client.close(twin);
    client.changeRange(INSECURE, at, 0, typing);
    await client.current(INSECURE, (x) => codes(x).includes('parse-error'));

    // Finished: a fresh reading, with its fixes.
    const done = client.text(INSECURE).replace(typing, '        "enableNonSslPort": false,\n').replace('"enableNonSslPort": true,', '"replicasPerMaster": 1,');
    client.change(INSECURE, done);
    const fresh = await client.current(INSECURE);
    assert.ok(!codes(fresh).includes('parse-error') && !codes(fresh).includes('redis-min-tls') && !codes(fresh).includes('redis-no-non-ssl-port'), codes(fresh).join(','));
    assert.ok(fresh.diagnostics.some((d) => (d.data as { fixable: boolean }).fixable), 'fixable findings again');
  });

  it('a template that stops parsing keeps its findings in the open parameter file; one opened broken has only its parse error', async () => {
    client = await LspClient.start();
    const tpl = fixture('params/azuredeploy.json');
    client.open(TEMPLATE, tpl);
    client.open(PARAMS, fixture('params/azuredeploy.parameters.json').replace('"1.2"', '"1.0"'));
    const p = await client.current(PARAMS, (x) => codes(x).includes('redis-min-tls'));
    const since = client.mark();
    client.change(TEMPLATE, tpl.replace('"resources": [', '"resources": [,'));
    await client.current(TEMPLATE, (x) => codes(x).includes('parse-error'), since);
    await sleep(200);
    assert.deepEqual(client.last(PARAMS)!.diagnostics, p.diagnostics, 'the parameter file did not change: its findings stay');

    const other = uriOf(path.join(FIXTURES, 'params', 'opened-broken.json'));
    client.open(other, tpl.replace('"resources": [', '"resources": [,'));
    assert.deepEqual(codes(await client.current(other)), ['parse-error']);
    assert.doesNotMatch(diag(await client.current(other), 'parse-error').message, /last version/);
  });

  it('skips a 10 MB document with one Information diagnostic, without crashing', async () => {
    client = await LspClient.start();
    const big = uriOf(path.join(FIXTURES, 'huge.json'));
    const base = fixture('insecure.json');
    const pad = `,\n  "variables": { "padding": "${'x'.repeat(10 * 1024 * 1024)}" }\n}`;
    const text = base.replace(/\n}\s*$/, pad);
    client.open(big, text);
    const p = await client.current(big);
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0].severity, 3);
    assert.equal(p.diagnostics[0].code, 'file-too-large');
    assert.match(p.diagnostics[0].message, /skipped/);
    assert.deepEqual(await client.codeActions(big, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), []);
    client.open(INSECURE, base);
    assert.ok(codes(await client.current(INSECURE)).includes('redis-min-tls'));
    assert.ok(client.alive());
  });

  it('publishes only the final version after 20 rapid edits', async () => {
    client = await LspClient.start();
    const base = fixture('insecure.json');
    client.open(INSECURE, base);
    await client.current(INSECURE);
    const since = client.mark();
    let last = 1;
    for (let i = 0; i < 20; i++) {
      // Alternate TLS 1.0 / 1.2; the last edit (i = 19) leaves 1.2.
      last = client.change(INSECURE, base.replace('"minimumTlsVersion": "1.0"', `"minimumTlsVersion": "${i % 2 ? '1.2' : '1.0'}"`));
    }
    assert.equal(last, 21);
    const p = await client.current(INSECURE, () => true, since);
    assert.ok(!codes(p).includes('redis-min-tls'), 'the final text has TLS 1.2');
    assert.ok(codes(p).includes('redis-no-non-ssl-port'));
    await sleep(600);
    const after = client.published.slice(since).filter((x) => x.uri === INSECURE);
    assert.equal(client.last(INSECURE)!.version, 21);
    assert.ok(after.length <= 3, `debounced: ${after.length} publishes for 20 edits`);
    const firstFinal = after.findIndex((x) => x.version === 21);
    assert.ok(after.slice(firstFinal).every((x) => x.version === 21), 'nothing older after the final version');
  });
});

describe('language server: typing inside values', () => {
  // The server edits the previous check's tree for edits within a value instead of reading the text again:
  // what it publishes and the fixes it offers must be what a fresh read of the same text gives.
  const COPY = uriOf(path.join(FIXTURES, 'two-caches-read-afresh.json'));

  /** The diagnostics of a fresh read of `text` (another document, opened anew), with the URI left out. */
  async function afresh(text: string): Promise<Diagnostic[]> {
    const since = client.mark();
    client.open(COPY, text);
    const p = await client.waitForDiagnostics(COPY, () => true, since);
    client.close(COPY);
    await client.waitForDiagnostics(COPY, (x) => x.diagnostics.length === 0, since);
    return p.diagnostics;
  }

  it('publishes what a fresh read gives after each edit, and its quick fixes write the right place', async () => {
    client = await LspClient.start();
    let text = fixture('two-caches.json');
    client.open(TWO, text);
    await client.current(TWO);
    const edits: [string, string][] = [
      ['"contoso-sessions"', '"contoso-sessions-eu"'], // longer: every span after it moves
      ['"1.0.0.0"', '"1.0.0.12"'], // before every resource
      ['"westeurope"', '"uksouth"'], // shorter
      ['"platform-team"', '"payments"'],
      ['"minimumTlsVersion": "1.2"', '"minimumTlsVersion": "1.0"'], // a finding appears
      ['"contoso-sessions-eu"', '"c"'],
      ['true', 'false'], // a boolean: the first cache's non-TLS port closes
      ['1', '2'], // a number: its capacity
      ['"minimumTlsVersion"', '"minimumTlsVersions"'], // a property renamed: the TLS finding goes with it
      ['"minimumTlsVersions"', '"minimumTlsVersion"'], // and comes back
    ];
    for (const [from, to] of edits) {
      const quoted = from.startsWith('"');
      const at = quoted ? text.indexOf(from) : text.indexOf(`: ${from}`) + 2;
      assert.ok(at >= (quoted ? 0 : 2), from);
      // What an editor sends for typing there: the characters inside the quotes, or the token.
      const since = client.mark();
      const v = quoted ? client.changeRange(TWO, at + 1, from.length - 2, to.slice(1, -1)) : client.changeRange(TWO, at, from.length, to);
      text = text.slice(0, at) + to + text.slice(at + from.length);
      assert.equal(client.text(TWO), text);
      const p = await client.waitForDiagnostics(TWO, (x) => x.version === v, since);
      assert.deepEqual(p.diagnostics, await afresh(text), `after ${from} -> ${to}`);
    }
    const tls = diag(await client.current(TWO), 'redis-min-tls');
    const fix = (await client.codeActions(TWO, tls.range, [tls])).find((a) => a.kind === 'quickfix' && a.isPreferred);
    assert.ok(fix?.edit, 'a quick fix for the TLS version typed in');
    const fixed = client.applyEdit(fix.edit).get(TWO)!;
    assert.equal(fixed, text.replace('"minimumTlsVersion": "1.0"', '"minimumTlsVersion": "1.2"'), 'the fix rewrites exactly the value typed');
    const q = await client.current(TWO);
    assert.ok(!codes(q).includes('redis-min-tls'), codes(q).join(','));
  });

  it('after bursts of edits (checks overtaken by newer edits), publishes what a fresh read gives', async () => {
    // No debounce: a check runs for most edits, and the ones a newer edit overtakes are dropped
    // after they edited the tree. Names and apiVersions (which the reader depends on) mix with
    // property values and line breaks (which it does not).
    client = await LspClient.start({ settings: { debounceMs: 0 } });
    client.open(TWO, fixture('two-caches.json'));
    await client.current(TWO);
    const toggles: [RegExp, (m: string) => string][] = [
      [/"contoso-(sessions|catalog)z?"/g, (m) => (m.endsWith('z"') ? m.replace('z"', '"') : m.replace(/"$/, 'z"'))],
      [/"20(24-03|20-06)-01"/g, (m) => (m.includes('2024') ? '"2020-06-01"' : '"2024-03-01"')],
      [/"1\.[02]"/g, (m) => (m === '"1.2"' ? '"1.0"' : '"1.2"')],
      [/\b(true|false)\b/g, (m) => (m === 'true' ? 'false' : 'true')],
      [/"(Standard|Premium)"/g, (m) => (m === '"Standard"' ? '"Premium"' : '"Standard"')],
      [/,\n\n?/g, (m) => (m === ',\n' ? ',\n\n' : ',\n')],
    ];
    let seed = 5;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let burst = 0; burst < 40; burst++) {
      let v = 0;
      const since = client.mark();
      for (let k = 0; k < 4; k++) {
        const text = client.text(TWO);
        // Each burst starts with an edit the reader depends on (the first two toggles).
        const [re, swap] = toggles[Math.floor(rnd() * (k === 0 ? 2 : toggles.length))];
        const all = [...text.matchAll(re)];
        const m = all[Math.floor(rnd() * all.length)];
        const to = swap(m[0]);
        // The smallest range an editor would send: what differs between the match and its replacement.
        let a = 0;
        while (a < m[0].length && a < to.length && m[0][a] === to[a]) a++;
        let b = 0;
        while (b < m[0].length - a && b < to.length - a && m[0][m[0].length - 1 - b] === to[to.length - 1 - b]) b++;
        v = client.changeRange(TWO, m.index! + a, m[0].length - a - b, to.slice(a, to.length - b));
        await sleep(Math.floor(rnd() * 3));
      }
      const p = await client.waitForDiagnostics(TWO, (x) => x.version === v, since);
      assert.deepEqual(p.diagnostics, await afresh(client.text(TWO)), `burst ${burst}`);
    }
  });
});

describe('language server: code actions', () => {
  it('quick fix: the edit removes the diagnostic', async () => {
    client = await LspClient.start();
    client.open(INSECURE, fixture('insecure.json'));
    const p = await client.current(INSECURE);
    const tls = diag(p, 'redis-min-tls');
    const actions = await client.codeActions(INSECURE, tls.range, [tls]);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
    assert.ok(fix, `a preferred quick fix; got ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.diagnostics?.[0].code, 'redis-min-tls');
    const texts = client.applyEdit(fix.edit);
    assert.match(texts.get(INSECURE)!, /"minimumTlsVersion": "1\.2"/);
    const q = await client.current(INSECURE);
    assert.ok(!codes(q).includes('redis-min-tls'), codes(q).join(','));
    assert.ok(codes(q).includes('redis-no-non-ssl-port'));
  });

  it('"Fix all <rule> problems in this file" fixes every finding of that rule', async () => {
    client = await LspClient.start();
    client.open(TWO, fixture('two-caches.json'));
    const p = await client.current(TWO);
    const ports = p.diagnostics.filter((d) => d.code === 'redis-no-non-ssl-port');
    assert.equal(ports.length, 2);
    const actions = await client.codeActions(TWO, ports[0].range, [ports[0]]);
    const all = action(actions, 'Fix all redis-no-non-ssl-port problems in this file');
    assert.equal(all.kind, 'quickfix');
    const text = client.applyEdit(all.edit).get(TWO)!;
    assert.equal(text.match(/"enableNonSslPort": false/g)?.length, 2);
    const q = await client.current(TWO);
    assert.ok(!codes(q).includes('redis-no-non-ssl-port'));
    assert.ok(codes(q).includes('redis-entra-auth'), 'other rules untouched');
  });

  it('quick fixes are resolved lazily too when the client supports codeAction/resolve (no re-parse on every cursor move)', async () => {
    client = await LspClient.start({ lazyActions: true });
    client.open(TWO, fixture('two-caches.json'));
    const p = await client.current(TWO);
    const port = diag(p, 'redis-no-non-ssl-port');
    const fix = (await client.codeActions(TWO, port.range, [port])).find((a) => a.isPreferred);
    assert.ok(fix, 'a preferred quick fix is offered');
    assert.equal(fix.edit, undefined, 'its edit comes with resolve');
    const resolved = await client.resolve(fix);
    const text = client.applyEdit(resolved.edit).get(TWO)!;
    JSON.parse(text);
    assert.equal(text.match(/"enableNonSslPort": false/g)?.length, 1, 'only the finding under the cursor is fixed');
    const q = await client.current(TWO);
    assert.equal(q.diagnostics.filter((d) => d.code === 'redis-no-non-ssl-port').length, 1);
  });

  it('fix-all edits are resolved lazily when the client supports codeAction/resolve', async () => {
    client = await LspClient.start({ lazyActions: true });
    client.open(TWO, fixture('two-caches.json'));
    const p = await client.current(TWO);
    const port = diag(p, 'redis-no-non-ssl-port');
    const actions = await client.codeActions(TWO, port.range, [port]);
    const all = action(actions, 'Fix all redis-no-non-ssl-port problems in this file');
    assert.equal(all.edit, undefined);
    const resolved = await client.resolve(all);
    const text = client.applyEdit(resolved.edit).get(TWO)!;
    assert.equal(text.match(/"enableNonSslPort": false/g)?.length, 2);
    assert.ok(!codes(await client.current(TWO)).includes('redis-no-non-ssl-port'));
  });

  it('source.fixAll.redisPosture applies every fix, one at a time', async () => {
    client = await LspClient.start();
    client.open(TWO, fixture('two-caches.json'));
    const p = await client.current(TWO);
    const fixable = p.diagnostics.filter((d) => (d.data as { fixable?: boolean })?.fixable);
    assert.ok(fixable.length >= 6, `fixable findings: ${fixable.map((d) => d.code).join(',')}`);
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    // Not offered to a plain quick-fix request; offered for source / source.fixAll.
    assert.ok(!(await client.codeActions(TWO, whole)).some((a) => a.kind === 'source.fixAll.redisPosture'));
    const actions = await client.codeActions(TWO, whole, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.redisPosture');
    const text = client.applyEdit(actions[0].edit).get(TWO)!;
    JSON.parse(text); // still JSON
    const q = await client.current(TWO);
    const left = q.diagnostics.filter((d) => (d.data as { fixable?: boolean })?.fixable).map((d) => d.code);
    assert.deepEqual(left, [], 'no fixable finding is left');
    for (const rule of ['redis-no-non-ssl-port', 'redis-entra-auth', 'redis-disable-access-keys']) assert.ok(!codes(q).includes(rule), rule);
    // Same through the exact kind.
    assert.deepEqual(await client.codeActions(TWO, whole, [], ['source.fixAll.redisPosture']), []);
  });

  it('"Disable <rule> for this line" inserts the comment with the line\'s indentation and the diagnostic goes away', async () => {
    client = await LspClient.start();
    // ARM Tools' language (comments allowed); plain JSON gets the metadata form instead (below).
    client.open(INSECURE, fixture('insecure.json'), 'arm-template');
    const p = await client.current(INSECURE);
    const tls = diag(p, 'redis-min-tls');
    const actions = await client.codeActions(INSECURE, tls.range, [tls]);
    const disable = action(actions, 'Disable redis-min-tls for this line');
    assert.equal(disable.kind, 'quickfix');
    const text = client.applyEdit(disable.edit).get(INSECURE)!;
    const lines = text.split('\n');
    const at = lineOf(fixture('insecure.json'), '"minimumTlsVersion": "1.0"');
    assert.equal(lines[at], '        // redis-posture-disable-next-line redis-min-tls -- <reason>');
    assert.match(lines[at + 1], /^ {8}"minimumTlsVersion": "1\.0"/);
    const q = await client.current(INSECURE);
    assert.ok(!codes(q).includes('redis-min-tls'));
    assert.ok(!codes(q).includes('unused-suppression'));
    assert.ok(codes(q).includes('redis-no-non-ssl-port'));

    // A second rule on a line that already has a comment above: added to the same comment.
    const port = diag(q, 'redis-no-non-ssl-port');
    const text2 = client.applyEdit(action(await client.codeActions(INSECURE, port.range, [port]), 'Disable redis-no-non-ssl-port for this line').edit).get(INSECURE)!;
    assert.match(text2, /\n {8}\/\/ redis-posture-disable-next-line redis-no-non-ssl-port -- <reason>\n {8}"enableNonSslPort": true/);
    const r = await client.current(INSECURE);
    assert.ok(!codes(r).includes('redis-no-non-ssl-port'));
    assert.ok(!codes(r).includes('unused-suppression'));
  });
});

describe('language server: suppression in strict JSON', () => {
  it('a plain JSON document is offered the resource metadata form, not a comment; it keeps the file JSON and silences the finding', async () => {
    client = await LspClient.start();
    client.open(INSECURE, fixture('insecure.json'), 'json');
    const p = await client.current(INSECURE);
    const tls = diag(p, 'redis-min-tls');
    const actions = await client.codeActions(INSECURE, tls.range, [tls]);
    assert.ok(!actions.some((a) => a.title === 'Disable redis-min-tls for this line'), 'no comment in strict JSON');
    const meta = action(actions, 'Disable redis-min-tls for this resource (metadata)');
    const text = client.applyEdit(meta.edit).get(INSECURE)!;
    const doc = JSON.parse(text) as { resources: { type: string; metadata?: { 'redis-posture'?: { suppress?: string[] } } }[] };
    const cache = doc.resources.find((r) => r.type === 'Microsoft.Cache/redis')!;
    assert.deepEqual(cache.metadata?.['redis-posture']?.suppress, ['redis-min-tls']);
    const q = await client.current(INSECURE);
    assert.ok(!codes(q).includes('redis-min-tls'));
    assert.ok(codes(q).includes('redis-no-non-ssl-port'));

    // A second rule on the same resource joins the list.
    const port = diag(q, 'redis-no-non-ssl-port');
    const text2 = client.applyEdit(action(await client.codeActions(INSECURE, port.range, [port]), 'Disable redis-no-non-ssl-port for this resource (metadata)').edit).get(INSECURE)!;
    const doc2 = JSON.parse(text2) as typeof doc;
    assert.deepEqual(doc2.resources.find((r) => r.type === 'Microsoft.Cache/redis')!.metadata?.['redis-posture']?.suppress, ['redis-min-tls', 'redis-no-non-ssl-port']);
    const r = await client.current(INSECURE);
    assert.ok(!codes(r).includes('redis-no-non-ssl-port'));
    assert.ok(!codes(r).includes('unused-suppression'));
  });
});

describe('language server: suppressions', () => {
  it('an unused suppression is reported (faded) and can be removed', async () => {
    client = await LspClient.start();
    const text = fixture('insecure.json').replace(
      '        "enableNonSslPort": true',
      '        // redis-posture-disable-next-line redis-min-tls, redis-no-non-ssl-port -- port 6379 for a legacy client\n        "enableNonSslPort": true',
    );
    client.open(INSECURE, text);
    const p = await client.current(INSECURE);
    const unused = p.diagnostics.filter((d) => d.code === 'unused-suppression');
    assert.equal(unused.length, 1, codes(p).join(','));
    assert.match(unused[0].message, /redis-min-tls/);
    assert.deepEqual(unused[0].tags, [1], 'shown faded');
    assert.ok(!codes(p).includes('redis-no-non-ssl-port'));
    const remove = action(await client.codeActions(INSECURE, unused[0].range, [unused[0]]), 'Remove unused suppression');
    const next = client.applyEdit(remove.edit).get(INSECURE)!;
    assert.match(next, /\/\/ redis-posture-disable-next-line redis-no-non-ssl-port -- port 6379 for a legacy client\n/);
    const q = await client.current(INSECURE);
    assert.ok(!codes(q).includes('unused-suppression'));
    assert.ok(!codes(q).includes('redis-no-non-ssl-port'));
    assert.ok(codes(q).includes('redis-min-tls'));
  });
});

describe('language server: Bicep', () => {
  const BICEP = uriOf(path.join(FIXTURES, 'main.bicep'));

  it('checks .bicep documents and fixes them in Bicep syntax', async () => {
    client = await LspClient.start();
    client.open(BICEP, fixture('main.bicep'), 'bicep');
    const p = await client.current(BICEP);
    const tls = diag(p, 'redis-min-tls');
    assert.equal(tls.range.start.line, lineOf(fixture('main.bicep'), "minimumTlsVersion: '1.0'"));
    const fix = (await client.codeActions(BICEP, tls.range, [tls])).find((a) => a.isPreferred)!;
    assert.match(client.applyEdit(fix.edit).get(BICEP)!, /minimumTlsVersion: '1\.2'/);
    const q = await client.current(BICEP);
    assert.ok(!codes(q).includes('redis-min-tls'));

    const port = diag(q, 'redis-no-non-ssl-port');
    const disable = action(await client.codeActions(BICEP, port.range, [port]), 'Disable redis-no-non-ssl-port for this line');
    assert.match(client.applyEdit(disable.edit).get(BICEP)!, /\n {4}\/\/ redis-posture-disable-next-line redis-no-non-ssl-port -- <reason>\n {4}enableNonSslPort: true/);
    const r = await client.current(BICEP);
    assert.ok(!codes(r).includes('redis-no-non-ssl-port'));

    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const all = await client.codeActions(BICEP, whole, [], ['source.fixAll.redisPosture']);
    assert.equal(all.length, 1);
    client.applyEdit(all[0].edit);
    const s = await client.current(BICEP);
    assert.ok(!codes(s).includes('parse-error'));
    assert.deepEqual(s.diagnostics.filter((d) => (d.data as { fixable?: boolean })?.fixable).map((d) => d.code), []);
  });
});

describe('language server: parameter files', () => {
  it('an open <t>.parameters.json that is not a parameter file does not hold back the template\'s diagnostics', async () => {
    client = await LspClient.start();
    client.open(PARAMS, '{ "note": "not an ARM parameter file" }\n');
    client.open(TEMPLATE, fixture('params/azuredeploy.json'));
    const t = await client.current(TEMPLATE);
    assert.ok(codes(t).length > 0, 'the template is checked and published with its own defaults');
    const v = client.change(TEMPLATE, fixture('params/azuredeploy.json') + '\n');
    const t2 = await client.current(TEMPLATE, (x) => x.version === v);
    assert.deepEqual(codes(t2), codes(t));
  });

  it('a template is checked with its open <t>.parameters.json; a change to the parameter file re-checks it', async () => {
    client = await LspClient.start();
    client.open(TEMPLATE, fixture('params/azuredeploy.json'));
    client.open(PARAMS, fixture('params/azuredeploy.parameters.json'));
    let t = await client.current(TEMPLATE);
    await sleep(300); // the re-check after the parameter file opened
    t = client.last(TEMPLATE)!;
    assert.ok(!codes(t).includes('redis-min-tls'), `the parameter file sets 1.2: ${codes(t)}`);
    assert.deepEqual(codes(client.last(PARAMS) ?? { uri: PARAMS, diagnostics: [] }), []);

    const since = client.mark();
    client.change(PARAMS, fixture('params/azuredeploy.parameters.json').replace('"1.2"', '"1.0"'));
    const p = await client.current(PARAMS, (x) => codes(x).includes('redis-min-tls'), since);
    const d = diag(p, 'redis-min-tls');
    assert.equal(d.range.start.line, lineOf(fixture('params/azuredeploy.parameters.json'), '"1.2"'));
    assert.equal(d.relatedInformation?.[0].location.uri, TEMPLATE);
    const uses = lineOf(fixture('params/azuredeploy.json'), "[parameters('minimumTlsVersion')]");
    assert.equal(d.relatedInformation?.[0].location.range.start.line, uses, 'points at the template line that uses the parameter');
    // The quick fix edits the parameter file.
    const fix = (await client.codeActions(PARAMS, d.range, [d])).find((a) => a.isPreferred);
    assert.ok(fix?.edit?.changes?.[PARAMS], 'the fix edits the parameter file');
    client.applyEdit(fix.edit);
    await client.current(PARAMS, (x) => !codes(x).includes('redis-min-tls'));
  });

  it('without a parameter file, the insecure default is reported with the line that uses it', async () => {
    client = await LspClient.start();
    const ws = tempWorkspace();
    try {
      fs.rmSync(path.join(ws.dir, 'params', 'azuredeploy.parameters.json'));
      const uri = uriOf(path.join(ws.dir, 'params', 'azuredeploy.json'));
      client.open(uri, fixture('params/azuredeploy.json'));
      const d = diag(await client.current(uri), 'redis-min-tls');
      const tpl = fixture('params/azuredeploy.json');
      assert.equal(d.range.start.line, lineOf(tpl, '"defaultValue": "1.0"'));
      assert.equal(d.relatedInformation?.[0].location.uri, uri);
      assert.equal(d.relatedInformation?.[0].location.range.start.line, lineOf(tpl, "[parameters('minimumTlsVersion')]"));
    } finally {
      ws.cleanup();
    }
  });

  it('a parameter file on disk is read, and a change on disk (didChangeWatchedFiles) re-checks the template', async () => {
    const ws = tempWorkspace();
    try {
      client = await LspClient.start({ rootUri: ws.uri });
      const tpl = uriOf(path.join(ws.dir, 'params', 'azuredeploy.json'));
      const parFile = path.join(ws.dir, 'params', 'azuredeploy.parameters.json');
      const par = uriOf(parFile);
      client.open(tpl, fixture('params/azuredeploy.json'));
      assert.ok(!codes(await client.current(tpl)).includes('redis-min-tls'));
      const since = client.mark();
      fs.writeFileSync(parFile, fixture('params/azuredeploy.parameters.json').replace('"1.2"', '"1.1"'));
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: par, type: 2 }] });
      const p = await client.waitForDiagnostics(par, (x) => codes(x).includes('redis-min-tls'), since);
      assert.equal(p.version, undefined, 'the parameter file is not open');
      assert.equal(diag(p, 'redis-min-tls').relatedInformation?.[0].location.uri, tpl);
      // Deleting it: the template falls back to its default (1.0) and the parameter file's diagnostic goes.
      fs.rmSync(parFile);
      const since2 = client.mark();
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: par, type: 3 }] });
      await client.waitForDiagnostics(par, (x) => x.diagnostics.length === 0, since2);
      const t = await client.waitForDiagnostics(tpl, (x) => codes(x).includes('redis-min-tls'), since2);
      assert.equal(diag(t, 'redis-min-tls').range.start.line, lineOf(fixture('params/azuredeploy.json'), '"defaultValue": "1.0"'));
    } finally {
      ws.cleanup();
    }
  });
});

describe('language server: configuration', () => {
  it('workspace/didChangeConfiguration re-publishes with the new settings', async () => {
    client = await LspClient.start();
    client.open(INSECURE, fixture('insecure.json'));
    const p = await client.current(INSECURE);
    assert.ok(codes(p).includes('redis-min-tls'));
    const before = client.configurationRequests;
    client.settings = { rules: { 'redis-min-tls': 'off', 'redis-retirement': 'high' } };
    const since = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const q = await client.waitForDiagnostics(INSECURE, (x) => !codes(x).includes('redis-min-tls'), since);
    assert.ok(client.configurationRequests > before, 'settings pulled with workspace/configuration');
    assert.ok(codes(q).includes('redis-no-non-ssl-port'));
    assert.equal(diag(q, 'redis-retirement').severity, 1, 'severity override');
  });

  it('bad settings are ignored one by one and logged, the rest applies', async () => {
    client = await LspClient.start({ settings: { rules: { 'no-such-rule': 'off', 'redis-min-tls': 'off' }, firewall: { maxAddresses: -3 }, debounceMs: 20 } });
    client.open(INSECURE, fixture('insecure.json'));
    const p = await client.current(INSECURE);
    assert.ok(!codes(p).includes('redis-min-tls'));
    assert.ok(codes(p).includes('redis-no-non-ssl-port'));
    await sleep(100);
    const logs = client.logs.map((l) => l.message).join('\n');
    assert.match(logs, /no-such-rule/);
    assert.match(logs, /maxAddresses/);
  });

  it('redis-posture.json at the workspace root is merged and watched; a broken one is reported on the file', async () => {
    const ws = tempWorkspace();
    try {
      client = await LspClient.start({ rootUri: ws.uri, settings: { rules: { 'redis-retirement': 'off' } } });
      const uri = uriOf(path.join(ws.dir, 'insecure.json'));
      client.open(uri, fixture('insecure.json'));
      const p = await client.current(uri);
      assert.ok(codes(p).includes('redis-min-tls'));
      assert.ok(!codes(p).includes('redis-retirement'));

      const cfgFile = path.join(ws.dir, 'redis-posture.json');
      const cfgUri = uriOf(cfgFile);
      fs.writeFileSync(cfgFile, JSON.stringify({ rules: { 'redis-min-tls': 'off' } }));
      let since = client.mark();
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: cfgUri, type: 1 }] });
      const q = await client.waitForDiagnostics(uri, (x) => !codes(x).includes('redis-min-tls'), since);
      assert.ok(!codes(q).includes('redis-retirement'), 'settings still apply under the file');

      fs.writeFileSync(cfgFile, '{ "rules": { "redis-min-tls": "sometimes" } }');
      since = client.mark();
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: cfgUri, type: 2 }] });
      const c = await client.waitForDiagnostics(cfgUri, (x) => x.diagnostics.length > 0, since);
      assert.equal(c.diagnostics[0].severity, 1);
      assert.match(c.diagnostics[0].message, /level must be one of off, low, medium, high/);
      // The broken file is not used: the template is checked with the settings alone.
      const r = await client.waitForDiagnostics(uri, (x) => codes(x).includes('redis-min-tls'), since);
      assert.ok(!codes(r).includes('redis-retirement'));

      fs.rmSync(cfgFile);
      since = client.mark();
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: cfgUri, type: 3 }] });
      await client.waitForDiagnostics(cfgUri, (x) => x.diagnostics.length === 0, since);
    } finally {
      ws.cleanup();
    }
  });
});

describe('language server: workspace scan', () => {
  it('redisPosture/scanFiles checks files that are not open and publishes their diagnostics', async () => {
    const ws = tempWorkspace();
    try {
      fs.writeFileSync(path.join(ws.dir, 'redis-posture.json'), JSON.stringify({ ignore: ['malformed.json'] }));
      fs.writeFileSync(path.join(ws.dir, 'package.json'), '{ "name": "not-arm" }');
      client = await LspClient.start({ rootUri: ws.uri });
      const names = ['insecure.json', 'two-caches.json', 'params/azuredeploy.json', 'params/azuredeploy.parameters.json', 'malformed.json', 'package.json', 'redis-posture.json'];
      const uris = names.map((n) => uriOf(path.join(ws.dir, n)));
      const res = await client.request<{ checked: number; problems: number; skipped: number }>('redisPosture/scanFiles', { uris });
      assert.equal(res.checked, 3);
      assert.equal(res.skipped, 4);
      assert.ok(res.problems > 10);
      const p = client.last(uris[0])!;
      assert.equal(p.version, undefined);
      assert.ok(codes(p).includes('redis-min-tls'));
      assert.ok(!codes(client.last(uris[2])!).includes('redis-min-tls'), 'the template was checked with its parameter file');
      assert.equal(client.last(uris[4]), undefined, 'ignored by redis-posture.json');
      await client.request('redisPosture/clearWorkspaceScan', {});
      await client.waitForDiagnostics(uris[0], (x) => x.diagnostics.length === 0);
    } finally {
      ws.cleanup();
    }
  });
});

describe('language server: workspace scan of Bicep parameter files', () => {
  it('redisPosture/scanFiles checks the template with each .bicepparam that names it', async () => {
    const ws = tempWorkspace();
    try {
      const dir = path.join(ws.dir, 'bicepparam');
      fs.writeFileSync(path.join(dir, 'prod.bicepparam'), "using './main.bicep'\n\nparam minimumTlsVersion = '1.1'\n");
      client = await LspClient.start({ rootUri: ws.uri });
      const uris = ['main.bicep', 'main.bicepparam', 'prod.bicepparam'].map((n) => uriOf(path.join(dir, n)));
      const res = await client.request<{ checked: number; skipped: number }>('redisPosture/scanFiles', { uris });
      // main.bicepparam is the template's own (its check reports on it); prod.bicepparam is another configuration.
      assert.deepEqual({ checked: res.checked, skipped: res.skipped }, { checked: 2, skipped: 1 });
      const [tpl, main, prod] = uris.map((u) => client.last(u));
      assert.match(diag(main!, 'redis-min-tls').message, /'1\.0'/);
      assert.match(diag(prod!, 'redis-min-tls').message, /'1\.1'/);
      assert.ok(!codes(tpl!).includes('redis-min-tls'));
    } finally {
      ws.cleanup();
    }
  });
});

describe('language server: robustness', () => {
  let shared: LspClient;
  before(async () => {
    shared = await LspClient.start();
  });
  after(async () => {
    await shared.stop();
  });

  it('answers requests about documents it does not know', async () => {
    const r = await shared.codeActions('file:///nowhere/x.json', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.deepEqual(r, []);
    const s = await shared.request<{ checked: number }>('redisPosture/scanFiles', { uris: ['file:///nowhere/missing.json', 42] });
    assert.equal(s.checked, 0);
    assert.ok(shared.alive());
  });

  it('survives odd inputs: binary, deep nesting, empty, an edit with a wrong range', async () => {
    const docs: [string, string][] = [
      ['bin.json', 'PK\u0003\u0004\u0000\u0000binary "resources": '],
      ['deep.json', `{"$schema":"https://schema.management.azure.com/x","resources":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['empty.json', ''],
    ];
    for (const [name, text] of docs) shared.open(uriOf(path.join(FIXTURES, name)), text);
    for (const [name] of docs) await shared.current(uriOf(path.join(FIXTURES, name)));
    shared.open(INSECURE, fixture('insecure.json'));
    shared.notify('textDocument/didChange', {
      textDocument: { uri: INSECURE, version: 2 },
      contentChanges: [{ range: { start: { line: 9999, character: 0 }, end: { line: 99999, character: 5 } }, text: 'x' }],
    });
    await sleep(400);
    assert.ok(shared.alive());
    const r = await shared.codeActions(INSECURE, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.ok(Array.isArray(r));
  });

  it('applyTextEdits helper sanity', () => {
    assert.equal(applyTextEdits('ab\ncd', [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, newText: 'X' }]), 'ab\nXd');
  });
});

describe('language server: .bicepparam files', () => {
  const TPL = uriOf(path.join(FIXTURES, 'bicepparam', 'main.bicep'));
  const BP = uriOf(path.join(FIXTURES, 'bicepparam', 'main.bicepparam'));
  const tplText = fixture('bicepparam/main.bicep');
  const bpText = fixture('bicepparam/main.bicepparam');
  const secure = bpText.replace("'1.0'", "'1.2'");

  it('a .bicep template is checked with the .bicepparam that names it; editing the open .bicepparam re-checks it', async () => {
    client = await LspClient.start();
    client.open(TPL, tplText, 'bicep');
    // Closed: read from disk. The template's own default is 1.2; the .bicepparam sets 1.0.
    const onDisk = await client.waitForDiagnostics(BP, (x) => codes(x).includes('redis-min-tls'));
    assert.equal(onDisk.version, undefined, 'the .bicepparam is not open');
    const t = await client.current(TPL);
    assert.ok(!codes(t).includes('parse-error'), codes(t).join(','));

    client.open(BP, bpText, 'bicep-params');
    const p = await client.current(BP, (x) => codes(x).includes('redis-min-tls'));
    const d = diag(p, 'redis-min-tls');
    assert.equal(d.range.start.line, lineOf(bpText, "param minimumTlsVersion = '1.0'"));
    assert.equal(d.relatedInformation?.[0].location.uri, TPL, 'points at the template');
    assert.equal(d.relatedInformation?.[0].location.range.start.line, lineOf(tplText, 'minimumTlsVersion: minimumTlsVersion'));

    // The quick fix edits the .bicepparam, not the template's default.
    const fix = (await client.codeActions(BP, d.range, [d])).find((a) => a.isPreferred);
    assert.deepEqual(Object.keys(fix?.edit?.changes ?? {}), [BP], 'the fix edits the .bicepparam only');

    const since = client.mark();
    client.change(BP, secure);
    const q = await client.current(BP, () => true, since);
    assert.deepEqual(codes(q), [], 'the .bicepparam now sets 1.2');
    assert.equal(client.version(TPL), 1, 'the template was not touched');
    assert.ok(!codes(client.last(TPL)!).includes('redis-min-tls'));
  });

  it('opening a .bicepparam whose template is not open checks the template; closing it clears both', async () => {
    client = await LspClient.start();
    client.open(BP, bpText, 'bicep-params');
    const p = await client.current(BP, (x) => codes(x).includes('redis-min-tls'));
    assert.equal(diag(p, 'redis-min-tls').relatedInformation?.[0].location.uri, TPL);
    const t = await client.waitForDiagnostics(TPL, (x) => x.diagnostics.length > 0);
    assert.equal(t.version, undefined, 'the template is read from disk');
    assert.ok(codes(t).includes('redis-entra-auth'), codes(t).join(','));

    const since = client.mark();
    client.close(BP);
    await client.waitForDiagnostics(BP, (x) => x.diagnostics.length === 0, since);
    await client.waitForDiagnostics(TPL, (x) => x.diagnostics.length === 0, since);
    await sleep(200);
    assert.deepEqual(client.last(TPL)!.diagnostics, [], 'nothing is said about the closed template afterwards');
    assert.deepEqual(client.last(BP)!.diagnostics, []);
  });

  it('a .bicepparam that does not parse gets a parse-error; the template keeps being checked', async () => {
    client = await LspClient.start();
    client.open(TPL, tplText, 'bicep');
    client.open(BP, secure, 'bicep-params');
    await client.current(BP);
    const since = client.mark();
    const broken = `${secure}param nonSslPort = \n`;
    client.change(BP, broken);
    const p = await client.current(BP, (x) => codes(x).includes('parse-error'), since);
    assert.equal(diag(p, 'parse-error').range.start.line, lineOf(broken, 'param nonSslPort ='));
    // Said by the template's check (the .bicepparam goes with it), which still reports on the template.
    const t = client.last(TPL)!;
    assert.ok(!codes(t).includes('parse-error'), 'the template itself parses');
    assert.ok(codes(t).includes('redis-entra-auth'));

    // Fixed again: the parse error goes.
    client.change(BP, secure);
    assert.deepEqual(codes(await client.current(BP)), []);
  });

  it('a .bicepparam whose using names a registry module, a missing file or nothing checks itself, without a crash', async () => {
    const ws = tempWorkspace();
    try {
      client = await LspClient.start({ rootUri: ws.uri });
      await unlinked(ws.dir);
    } finally {
      ws.cleanup();
    }
  });

  async function unlinked(dir: string): Promise<void> {
    const tpl = uriOf(path.join(dir, 'bicepparam', 'main.bicep'));
    const cases: [string, string][] = [
      ['registry.bicepparam', "using 'br/public:avm/res/cache/redis:0.9.0'\n\nparam minimumTlsVersion = '1.0'\n"],
      ['ts.bicepparam', "using 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0'\n\nparam minimumTlsVersion = '1.0'\n"],
      ['missing.bicepparam', "using './no-such-template.bicep'\n\nparam minimumTlsVersion = '1.0'\n"],
      ['none.bicepparam', "using none\n\nparam minimumTlsVersion = '1.0'\n"],
      ['nothing.bicepparam', "param minimumTlsVersion = '1.0'\n"],
      ['json.bicepparam', "using '../params/azuredeploy.json'\n\nparam minimumTlsVersion = '1.0'\n"],
    ];
    const uris = cases.map(([name]) => uriOf(path.join(dir, 'bicepparam', name)));
    cases.forEach(([, text], i) => client.open(uris[i], text, 'bicep-params'));
    for (const uri of uris) assert.deepEqual(codes(await client.current(uri)), [], uri);
    // The template beside them is not theirs: it is not checked.
    await sleep(200);
    assert.equal(client.last(tpl), undefined);

    // An edit that names the template: main.bicepparam (on disk) still goes with it, by its name; this one
    // is another configuration of the template, checked for what sits in it (the template says nothing).
    const named = cases[2][1].replace('./no-such-template.bicep', './main.bicep');
    client.change(uris[2], named);
    assert.ok(codes(await client.current(uris[2], (x) => codes(x).includes('redis-min-tls'))).includes('redis-min-tls'));
    await sleep(200);
    assert.equal(client.last(tpl), undefined);
    // Without main.bicepparam (deleted on disk), another .bicepparam whose `using` names the template goes with it.
    const mainParams = path.join(dir, 'bicepparam', 'main.bicepparam');
    fs.rmSync(mainParams);
    let since = client.mark();
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(mainParams), type: 3 }] });
    await client.waitForDiagnostics(tpl, (x) => x.diagnostics.length > 0, since);
    // (What it said as another configuration is what it says now: nothing new need be published for it.)
    const p = await client.current(uris[2], (x) => codes(x).includes('redis-min-tls'));
    assert.equal(diag(p, 'redis-min-tls').relatedInformation?.[0].location.uri, tpl);

    // Back on disk: main.bicepparam goes with the template again, and the open one is again another
    // configuration of it: its own '1.0' is still said there, the template (with main's 1.2) is clean.
    fs.writeFileSync(mainParams, secure);
    since = client.mark();
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(mainParams), type: 1 }] });
    await client.waitForDiagnostics(tpl, (x) => !codes(x).includes('redis-min-tls'), since);
    assert.deepEqual(codes(await client.current(uris[2])), ['redis-min-tls']);
    assert.equal(diag(client.last(uris[2])!, 'redis-min-tls').relatedInformation?.[0].location.uri, tpl);
    assert.ok(client.alive());
  }

  it('another .bicepparam for the template (a prod beside main) is checked with it, for what sits in that file', async () => {
    const ws = tempWorkspace();
    try {
      client = await LspClient.start({ rootUri: ws.uri });
      const dir = path.join(ws.dir, 'bicepparam');
      fs.writeFileSync(path.join(dir, 'main.bicepparam'), secure);
      const tpl = uriOf(path.join(dir, 'main.bicep'));
      const prodText = "using './main.bicep'\n\nparam minimumTlsVersion = '1.1'\n";
      const prod = uriOf(path.join(dir, 'prod.bicepparam'));
      fs.writeFileSync(path.join(dir, 'prod.bicepparam'), prodText);
      client.open(tpl, tplText, 'bicep');
      client.open(prod, prodText, 'bicep-params');
      const p = await client.current(prod, (x) => codes(x).includes('redis-min-tls'));
      const d = diag(p, 'redis-min-tls');
      assert.match(d.message, /'1\.1'/);
      assert.equal(d.range.start.line, lineOf(prodText, "param minimumTlsVersion = '1.1'"));
      assert.equal(d.relatedInformation?.[0].location.uri, tpl, 'points at the template property');
      // The template is checked with main.bicepparam (1.2): its own findings, once, and not prod's.
      const t = await client.current(tpl);
      assert.ok(!codes(t).includes('redis-min-tls'), codes(t).join(','));
      assert.equal(codes(t).filter((c) => c === 'redis-entra-auth').length, 1);
      assert.ok(!codes(p).includes('redis-entra-auth'), "the template's own problems are not repeated in prod.bicepparam");

      const fix = (await client.codeActions(prod, d.range, [d])).find((a) => a.isPreferred);
      assert.deepEqual(Object.keys(fix?.edit?.changes ?? {}), [prod], 'the fix edits prod.bicepparam only');
      const fixed = client.applyEdit(fix!.edit).get(prod)!;
      assert.match(fixed, /param minimumTlsVersion = '1\.2'/);
      assert.deepEqual(codes(await client.current(prod)), []);

      // An edit of the template re-checks it for prod too.
      client.change(prod, prodText);
      await client.current(prod, (x) => codes(x).includes('redis-min-tls'));
      let since = client.mark();
      client.change(tpl, tplText.replace('minimumTlsVersion: minimumTlsVersion', "minimumTlsVersion: '1.2'"));
      await client.waitForDiagnostics(prod, (x) => !codes(x).includes('redis-min-tls'), since);

      since = client.mark();
      client.close(prod);
      await client.waitForDiagnostics(prod, (x) => x.diagnostics.length === 0, since);
      assert.ok(client.alive());
    } finally {
      ws.cleanup();
    }
  });

  it('only the final version is published after rapid edits to the .bicepparam', async () => {
    client = await LspClient.start();
    client.open(TPL, tplText, 'bicep');
    client.open(BP, bpText, 'bicep-params');
    await client.current(BP, (x) => codes(x).includes('redis-min-tls'));
    const since = client.mark();
    let last = 1;
    // Alternate 1.2 / 1.0; the last edit (i = 9) leaves 1.0.
    for (let i = 0; i < 10; i++) last = client.change(BP, i % 2 ? bpText : secure);
    const p = await client.current(BP, () => true, since);
    assert.equal(p.version, last);
    assert.ok(codes(p).includes('redis-min-tls'));
    await sleep(600);
    const after = client.published.slice(since).filter((x) => x.uri === BP);
    const firstFinal = after.findIndex((x) => x.version === last);
    assert.ok(after.slice(firstFinal).every((x) => x.version === last && codes(x).includes('redis-min-tls')), 'nothing older after the final version');
    assert.ok(after.length <= 3, `debounced: ${after.length} publishes for 10 edits`);
  });

  it('a change to the .bicepparam on disk (didChangeWatchedFiles) re-checks the open template', async () => {
    const ws = tempWorkspace();
    try {
      client = await LspClient.start({ rootUri: ws.uri });
      const tpl = uriOf(path.join(ws.dir, 'bicepparam', 'main.bicep'));
      const bpFile = path.join(ws.dir, 'bicepparam', 'main.bicepparam');
      const bp = uriOf(bpFile);
      client.open(tpl, tplText, 'bicep');
      await client.waitForDiagnostics(bp, (x) => codes(x).includes('redis-min-tls'));
      let since = client.mark();
      fs.writeFileSync(bpFile, secure);
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: bp, type: 2 }] });
      await client.waitForDiagnostics(bp, (x) => x.diagnostics.length === 0, since);
      assert.ok(!codes(client.last(tpl)!).includes('redis-min-tls'));

      // Replaced by another .bicepparam that names the template and sets 1.0: that one is used.
      fs.rmSync(bpFile);
      const other = path.join(ws.dir, 'bicepparam', 'prod.bicepparam');
      fs.writeFileSync(other, bpText);
      since = client.mark();
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: bp, type: 3 }, { uri: uriOf(other), type: 1 }] });
      const p = await client.waitForDiagnostics(uriOf(other), (x) => codes(x).includes('redis-min-tls'), since);
      assert.equal(diag(p, 'redis-min-tls').relatedInformation?.[0].location.uri, tpl);
    } finally {
      ws.cleanup();
    }
  });
});

describe('language server: ARM linked templates', () => {
  const MAIN = uriOf(path.join(FIXTURES, 'arm-linked', 'main.json'));
  const LINKED = uriOf(path.join(FIXTURES, 'arm-linked', 'nested', 'cache.json'));
  const mainText = fixture('arm-linked/main.json');
  const linkedText = fixture('arm-linked/nested/cache.json');

  it('editing an open linked template re-checks the template that links it; its findings sit on the deployment', async () => {
    client = await LspClient.start();
    client.open(MAIN, mainText);
    const m = await client.current(MAIN);
    assert.ok(codes(m).includes('redis-retirement'), `what the linked template deploys is checked: ${codes(m).join(',')}`);
    assert.ok(!codes(m).includes('redis-min-tls'), codes(m).join(','));
    client.open(LINKED, linkedText);
    await client.current(LINKED);

    let since = client.mark();
    client.change(LINKED, linkedText.replace('"defaultValue": "1.2"', '"defaultValue": "1.0"'));
    const p = await client.current(MAIN, (x) => codes(x).includes('redis-min-tls'), since);
    assert.equal(p.version, 1, 'the linking template was not edited');
    assert.equal(diag(p, 'redis-min-tls').range.start.line, lineOf(mainText, '"type": "Microsoft.Resources/deployments"'));

    since = client.mark();
    client.change(LINKED, linkedText);
    await client.current(MAIN, (x) => !codes(x).includes('redis-min-tls'), since);
  });
});

describe('language server: Bicep modules', () => {
  const MAIN = uriOf(path.join(FIXTURES, 'bicep-modules', 'main.bicep'));
  const MOD = uriOf(path.join(FIXTURES, 'bicep-modules', 'modules', 'cache.bicep'));
  const mainText = fixture('bicep-modules/main.bicep');
  const modText = fixture('bicep-modules/modules/cache.bicep');
  const insecure = modText.replace("minimumTlsVersion: '1.2'", "minimumTlsVersion: '1.0'");

  it('editing an open module re-checks the template that calls it', async () => {
    client = await LspClient.start();
    client.open(MAIN, mainText, 'bicep');
    const m = await client.current(MAIN);
    assert.ok(!codes(m).includes('redis-min-tls'), codes(m).join(','));
    client.open(MOD, modText, 'bicep');
    await client.current(MOD);

    let since = client.mark();
    client.change(MOD, insecure);
    const p = await client.current(MAIN, (x) => codes(x).includes('redis-min-tls'), since);
    assert.equal(p.version, 1, 'the caller was not edited');
    // The module's finding sits on the caller's `module` line.
    assert.equal(diag(p, 'redis-min-tls').range.start.line, lineOf(mainText, "module sessions './modules/cache.bicep'"));
    assert.ok(codes(await client.current(MOD)).includes('redis-min-tls'), 'the module is checked on its own too');

    since = client.mark();
    client.change(MOD, modText);
    await client.current(MAIN, (x) => !codes(x).includes('redis-min-tls'), since);
  });

  it('a module created on disk (didChangeWatchedFiles) re-checks the open caller that named it before it existed', async () => {
    const ws = tempWorkspace();
    try {
      client = await LspClient.start({ rootUri: ws.uri });
      const modFile = path.join(ws.dir, 'bicep-modules', 'modules', 'cache.bicep');
      fs.rmSync(modFile);
      const main = uriOf(path.join(ws.dir, 'bicep-modules', 'main.bicep'));
      client.open(main, mainText, 'bicep');
      const before = await client.current(main);
      assert.ok(!codes(before).includes('redis-min-tls'), 'nothing from a module that does not exist');
      assert.ok(before.diagnostics.some((d) => /could not be read/.test(d.message)), before.diagnostics.map((d) => d.message).join(' | '));

      const since = client.mark();
      fs.writeFileSync(modFile, insecure);
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(modFile), type: 1 }] });
      const after = await client.current(main, (x) => codes(x).includes('redis-min-tls'), since);
      assert.ok(!after.diagnostics.some((d) => /could not be read/.test(d.message)), 'the note about the missing module is gone');
    } finally {
      ws.cleanup();
    }
  });

  it('a module changed on disk (didChangeWatchedFiles) re-checks its open caller; closing an edited module reverts to the file', async () => {
    const ws = tempWorkspace();
    try {
      client = await LspClient.start({ rootUri: ws.uri });
      const main = uriOf(path.join(ws.dir, 'bicep-modules', 'main.bicep'));
      const modFile = path.join(ws.dir, 'bicep-modules', 'modules', 'cache.bicep');
      const mod = uriOf(modFile);
      client.open(main, mainText, 'bicep');
      assert.ok(!codes(await client.current(main)).includes('redis-min-tls'));

      let since = client.mark();
      fs.writeFileSync(modFile, insecure);
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: mod, type: 2 }] });
      await client.current(main, (x) => codes(x).includes('redis-min-tls'), since);
      assert.equal(client.last(mod), undefined, 'nothing is published on the closed module');

      // Open and fixed in the editor, then closed without saving: the file on disk (1.0) counts again.
      client.open(mod, insecure, 'bicep');
      since = client.mark();
      client.change(mod, modText);
      await client.current(main, (x) => !codes(x).includes('redis-min-tls'), since);
      since = client.mark();
      client.close(mod);
      await client.current(main, (x) => codes(x).includes('redis-min-tls'), since);
    } finally {
      ws.cleanup();
    }
  });
});
