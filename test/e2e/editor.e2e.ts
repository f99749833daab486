// End-to-end: the packaged .vsix, installed into a real code-server (VS Code 1.100 in a
// browser), driven through Chromium as a user would. One server and one page for the workspace
// fixtures/workspace; the scenarios run in order and build on each other (the quick fix edits
// the template that the scan then counts). The last one opens a second window on
// fixtures/bicep-only. Run with `npm run e2e` after `bash scripts/e2e-setup.sh`; `npm test`
// does not run it (the files are *.e2e.ts, not *.test.ts).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Browser, Page } from 'playwright-core';
import { CodeServer, REPO, RunDir, WAIT, Workbench, checkTools, installVsix, launchBrowser, packageInfo, saveArtifacts, text, vsixPath, zipEntries } from './harness';

const TEMPLATE = 'azuredeploy.json';
const BICEP = 'infra/session-cache.bicep';
const NEVER_OPENED = 'infra/legacy/reports-cache.json';
const CONFIG = 'redis-posture.json';

/** One row of the Problems table, as the user reads it. */
interface Problem {
  severity: string;
  source: string;
  code: string;
  href: string;
  message: string;
  file: string;
  position: string;
}

/** The little of the DOM that the page-side code uses (the tests compile without lib "dom"). */
interface El {
  querySelector(selector: string): El | null;
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
  readonly className: string;
}

describe('Azure Redis Posture in VS Code (code-server)', { timeout: 10 * 60_000 }, () => {
  let run: RunDir;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let wb: Workbench;
  /** The page a failure's screenshot is taken of. */
  let current: Page | undefined;
  let failed = false;

  /** A new browser window with the workbench open on `folder`; a failure's screenshot is of it until the scenario closes it. */
  async function windowOn(folder: string): Promise<{ page: Page; wb: Workbench }> {
    const p = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    current = p;
    p.setDefaultTimeout(WAIT);
    const w = new Workbench(p);
    await w.open(server!.url(folder));
    return { page: p, wb: w };
  }

  /** Runs a scenario; on failure keeps a screenshot and the logs under .e2e-artifacts/. */
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      failed = true;
      const dir = await saveArtifacts(name, run, current ?? page, err).catch((e: Error) => `(saving artifacts failed: ${e.message})`);
      console.error(`\n[e2e] "${name}" failed; screenshot and logs in ${dir}\n`);
      // Leave no popup behind to spoil the next scenario.
      await page?.keyboard.press('Escape').catch(() => undefined);
      await page?.keyboard.press('Escape').catch(() => undefined);
      if (current && current !== page) await current.close().catch(() => undefined);
      current = undefined;
      throw err;
    }
  }

  /** Rows of the Problems table. The table is virtualized: a check that a finding is gone is
   * only trusted when every row is rendered, so callers filter the table to one file first. */
  async function rows(on: Page): Promise<Problem[]> {
    return on.$$eval('.markers-panel .monaco-table .monaco-list-row', (elements) => {
      const list = elements as unknown as El[];
      const total = Number(list[0]?.getAttribute('aria-setsize') ?? 0);
      if (list.length < total) throw new Error(`only ${list.length} of ${total} Problems rows are rendered`);
      const get = (r: El, sel: string, attr?: string): string => {
        const e = r.querySelector(sel);
        return (attr ? e?.getAttribute(attr) : e?.textContent) ?? '';
      };
      return list.map((r) => ({
        severity: /\b(error|warning|info)\b/.exec(r.querySelector('.marker-icon')?.className ?? '')?.[1] ?? '',
        source: get(r, '.source'),
        code: get(r, '.code a.monaco-link'),
        href: get(r, '.code a.monaco-link', 'href'),
        message: get(r, '.message'),
        file: get(r, '.file', 'title').replace(/ \[Ln \d+, Col \d+\]$/, ''),
        position: get(r, '.file-position'),
      }));
    });
  }

  function show(list: Problem[]): string {
    return list.length ? list.map((p) => `${path.relative(run.root, p.file)} ${p.position} ${p.source}(${p.code}) ${p.severity}`).join('; ') : '(no rows)';
  }

  /** Filters the Problems view to one file and waits until its rows satisfy `cond`. */
  async function problemsOf(rel: string, what: string, cond: (list: Problem[]) => boolean, on = wb, folder = run.workspace): Promise<Problem[]> {
    const file = path.join(folder, rel);
    await on.filterProblems(path.basename(rel));
    let last: Problem[] = [];
    await on.until(
      `${rel}: ${what}`,
      async () => {
        let list: Problem[];
        try {
          list = await rows(on.page);
        } catch {
          return false;
        }
        if (!list.every((p) => p.file === file)) return false; // the filter has not applied yet
        last = list;
        return cond(list);
      },
      async () => show(last),
    );
    return last;
  }

  const has = (list: Problem[], code: string): Problem | undefined => list.find((p) => p.code === code);

  async function squiggles(): Promise<number> {
    return page!.locator('.editor-instance .monaco-editor .view-overlays .squiggly-error').count();
  }

  before(async () => {
    checkTools();
    run = new RunDir('workspace', 'bicep-only', 'bicep-environments');
    const t0 = Date.now();
    const stages: string[] = [];
    const stage = (what: string): number => stages.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await step('setup', async () => {
      const vsix = vsixPath();
      const out = installVsix(run, vsix);
      stage('vsix installed');
      assert.match(out, /was successfully installed/);
      const p = packageInfo();
      const installed = JSON.parse(fs.readFileSync(path.join(run.extensions, `${p.publisher}.${p.name}-${p.version}`, 'package.json'), 'utf8')) as { version: string };
      assert.equal(installed.version, p.version);
      server = new CodeServer(run);
      await server.start();
      stage('code-server listening');
      browser = await launchBrowser(run);
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      page.setDefaultTimeout(WAIT);
      wb = new Workbench(page);
      await wb.open(server.url());
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: CONFIG }).first().waitFor();
      stage('workbench shows the workspace');
    });
    console.log(`[e2e] ${stages.join(', ')}`);
  });

  after(async () => {
    const t0 = Date.now();
    await browser?.close().catch(() => undefined);
    await server?.stop();
    console.log(`[e2e] browser and code-server stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (run && !failed && !process.env.E2E_KEEP) run.remove();
    else if (run) console.error(`[e2e] run directory kept: ${run.root}`);
  });

  it('the .vsix ships the bundles, grammars, schema, rule docs, README and manifest, nothing else', () =>
    step('vsix-contents', async () => {
      const entries = zipEntries(vsixPath());
      const shipped = /^extension\/(package\.json|readme\.md|LICENSE(\.txt)?|dist\/(extension|server|cli)\.js|syntaxes\/[\w.-]+\.json|schemas\/[\w.-]+\.json|docs\/rules\/[\w.-]+\.md)$/;
      const unexpected = entries.filter((e) => !shipped.test(e) && e !== '[Content_Types].xml' && e !== 'extension.vsixmanifest');
      assert.deepEqual(unexpected, [], 'files that should not ship');
      const docs = fs.readdirSync(path.join(REPO, 'docs', 'rules')).map((f) => `extension/docs/rules/${f}`);
      const syntaxes = fs.readdirSync(path.join(REPO, 'syntaxes')).map((f) => `extension/syntaxes/${f}`);
      for (const e of ['extension/package.json', 'extension/readme.md', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/schemas/redis-posture.schema.json', ...syntaxes, ...docs]) {
        assert.ok(entries.includes(e), `${e} is missing from the .vsix`);
      }
    }));

  it('a: an insecure ARM template gets squiggles and redis-posture rows in Problems', () =>
    step('a-arm-findings', async () => {
      await wb.openFile(TEMPLATE);
      await page!.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor();
      const list = await problemsOf(TEMPLATE, 'redis-min-tls and redis-no-non-ssl-port', (l) => !!has(l, 'redis-min-tls') && !!has(l, 'redis-no-non-ssl-port'));
      const tls = has(list, 'redis-min-tls')!;
      assert.equal(tls.source, 'redis-posture');
      assert.equal(tls.severity, 'error');
      assert.equal(tls.position, '[Ln 30, Col 9]');
      assert.match(tls.message, /minimumTlsVersion is '1\.0'/);
      assert.match(tls.href, /\/docs\/rules\/redis-min-tls\.md$/);
      const port = has(list, 'redis-no-non-ssl-port')!;
      assert.equal(port.source, 'redis-posture');
      assert.equal(port.position, '[Ln 29, Col 9]');
      assert.match(port.message, /enableNonSslPort is true/);
      // The workspace's redis-posture.json turns redis-retirement off.
      assert.equal(has(list, 'redis-retirement'), undefined, show(list));
      assert.ok(list.every((p) => p.source === 'redis-posture'), show(list));
      assert.equal(await wb.notification(/did not start/).count(), 0, 'the language server did not start');
    }));

  it('b: the quick fix writes the secure value and the finding goes away', () =>
    step('b-quick-fix', async () => {
      await wb.goTo(30, 9); // where Problems says the finding is
      await wb.quickFix("Set minimumTlsVersion to '1.2'");
      await wb.until('"minimumTlsVersion": "1.2" in the editor', async () => (await wb.visibleText()).includes('"minimumTlsVersion": "1.2"'), () => wb.visibleText());
      await page!.keyboard.press('Control+S');
      const read = (): string => fs.readFileSync(run.file(TEMPLATE), 'utf8');
      await wb.until(`${TEMPLATE} saved`, async () => read().includes('"1.2"'), async () => read());
      const saved = JSON.parse(read()) as { resources: { properties: Record<string, unknown> }[] };
      assert.equal(saved.resources[0].properties.minimumTlsVersion, '1.2');
      assert.equal(saved.resources[0].properties.enableNonSslPort, true, 'the fix touched only its own property');
      await problemsOf(TEMPLATE, 'redis-min-tls gone, redis-no-non-ssl-port still there', (l) => !has(l, 'redis-min-tls') && !!has(l, 'redis-no-non-ssl-port'));
    }));

  it('b2: while a property name is half typed (not JSON), the other findings stay in Problems beside the parse error', () =>
    step('b2-not-json-while-typing', async () => {
      // The template is the active editor (scenario b).
      const before = await problemsOf(TEMPLATE, 'redis-no-non-ssl-port', (l) => !!has(l, 'redis-no-non-ssl-port'));
      const port = has(before, 'redis-no-non-ssl-port')!.position;
      await wb.goTo(30, 9);
      await page!.keyboard.press('End');
      await page!.keyboard.press('Enter');
      await page!.keyboard.type('"replicasPer');
      await wb.until('the half-typed name in the editor', async () => (await wb.visibleText()).includes('"replicasPer'), () => wb.visibleText());
      const broken = await problemsOf(TEMPLATE, 'parse-error beside redis-no-non-ssl-port', (l) => !!has(l, 'parse-error') && !!has(l, 'redis-no-non-ssl-port'));
      assert.match(has(broken, 'parse-error')!.message, /last version that parsed/, show(broken));
      assert.equal(has(broken, 'redis-no-non-ssl-port')!.position, port, 'the line above the edit did not move');
      // Back in the editor (the Problems filter had the focus), then the typed line deleted (Ctrl+Shift+K).
      await wb.goTo(31, 1);
      await page!.keyboard.press('Control+Shift+K');
      await wb.until('the typed line deleted', async () => !(await wb.visibleText()).includes('"replicasPer'), () => wb.visibleText());
      await problemsOf(TEMPLATE, 'read anew: no parse-error, redis-no-non-ssl-port', (l) => !has(l, 'parse-error') && !!has(l, 'redis-no-non-ssl-port'));
    }));

  it('c: a .bicep file is a Bicep document (contributed language and grammar) with findings', () =>
    step('c-bicep', async () => {
      await wb.openFile(BICEP);
      await page!.locator('.statusbar-item[id="status.editor.mode"]', { hasText: 'Bicep' }).waitFor();
      await wb.until('squiggles in the Bicep editor', async () => (await squiggles()) > 0);
      // The TextMate grammar colours the source: more than one token class on the resource line.
      const classes = await page!
        .locator('.editor-instance .monaco-editor .view-line', { hasText: 'resource sessionCache' })
        .first()
        .locator('span[class^="mtk"]')
        .evaluateAll((spans) => new Set((spans as unknown as El[]).map((s) => s.className)).size);
      assert.ok(classes > 1, `the Bicep grammar is applied (token classes on the resource line: ${classes})`);
      const list = await problemsOf(BICEP, 'redis-min-tls and redis-no-non-ssl-port', (l) => !!has(l, 'redis-min-tls') && !!has(l, 'redis-no-non-ssl-port'));
      const tls = has(list, 'redis-min-tls')!;
      assert.equal(tls.source, 'redis-posture');
      assert.equal(tls.position, '[Ln 18, Col 5]');
      assert.match(tls.message, /minimumTlsVersion is '1\.1'/);
    }));

  it('d: "Redis Posture: Scan workspace" reports in a notification and fills Problems with a never-opened file', () =>
    step('d-scan-workspace', async () => {
      assert.equal(await page!.locator('.tabs-container .tab', { hasText: path.basename(NEVER_OPENED) }).count(), 0, 'the scanned file is not open');
      await problemsOf(NEVER_OPENED, 'no rows before the scan', (l) => l.length === 0);
      // As a user looking at the Problems view when starting the scan.
      await wb.runCommand('View: Focus Problems');
      await wb.runCommand('Redis Posture: Scan workspace');
      const toast = wb.notification(/Redis Posture: Checked \d+ templates?: \d+ problems?\./);
      await toast.first().waitFor();
      const message = text(await toast.first().innerText()).replace(/\s+/g, ' ');
      const m = /Checked (\d+) templates?: (\d+) problems?/.exec(message);
      assert.ok(m, message);
      assert.equal(Number(m[1]), 3, `the three templates are checked, not redis-posture.json nor generated/ (files.exclude): ${message}`);
      // The scan shows the Problems view (it used to toggle it closed when it had focus).
      await page!.locator('.markers-panel').first().waitFor({ state: 'visible' });
      const scanned = await problemsOf(NEVER_OPENED, 'redis-no-non-ssl-port and redis-disable-public-network', (l) => !!has(l, 'redis-no-non-ssl-port') && !!has(l, 'redis-disable-public-network'));
      assert.ok(scanned.every((p) => p.source === 'redis-posture'), show(scanned));
      let total = scanned.length;
      for (const rel of [TEMPLATE, BICEP]) total += (await problemsOf(rel, 'rows', (l) => l.length > 0)).filter((p) => p.source === 'redis-posture').length;
      assert.equal(total, Number(m[2]), `the notification's count is the Problems count: ${message}`);
    }));

  it('e: editing redis-posture.json re-checks open and scanned files', () =>
    step('e-config-file', async () => {
      // In the editor: turn redis-min-tls off and save.
      await wb.openFile(CONFIG);
      await page!.keyboard.press('Control+A');
      await page!.keyboard.press('Delete');
      await page!.keyboard.type('{\n  "rules": {\n    "redis-retirement": "off",\n    "redis-min-tls": "off"\n  }\n}\n');
      await wb.until('the new config in the editor', async () => (await wb.visibleText()).includes('"redis-min-tls": "off"'), () => wb.visibleText());
      await page!.keyboard.press('Control+S');
      const read = (): string => fs.readFileSync(run.file(CONFIG), 'utf8');
      await wb.until(`${CONFIG} saved`, async () => read().includes('"redis-min-tls": "off"'), async () => read());
      assert.deepEqual(JSON.parse(read()), { rules: { 'redis-retirement': 'off', 'redis-min-tls': 'off' } });
      await problemsOf(BICEP, 'redis-min-tls gone, redis-no-non-ssl-port still there', (l) => !has(l, 'redis-min-tls') && !!has(l, 'redis-no-non-ssl-port'));
      await problemsOf(CONFIG, 'no problems in the config file', (l) => l.length === 0);

      // On disk (a checkout, another editor): turn it back on; the file watcher tells the server.
      fs.writeFileSync(run.file(CONFIG), '{\n  "rules": {\n    "redis-retirement": "off"\n  }\n}\n');
      await problemsOf(BICEP, 'redis-min-tls back', (l) => !!has(l, 'redis-min-tls'));
      // Severity overrides apply to scanned files too: high becomes low (shown as info).
      fs.writeFileSync(run.file(CONFIG), '{\n  "rules": {\n    "redis-retirement": "off",\n    "redis-no-non-ssl-port": "low"\n  }\n}\n');
      await problemsOf(NEVER_OPENED, 'redis-no-non-ssl-port is low', (l) => has(l, 'redis-no-non-ssl-port')?.severity === 'info');
    }));

  it('f: the "Redis Posture" output channel exists and logs the scan', () =>
    step('f-output-channel', async () => {
      await wb.runCommand('Redis Posture: Show output');
      const panel = page!.locator('.part.panel');
      await panel.locator('select.monaco-select-box option[value="Redis Posture"]').first().waitFor({ state: 'attached' });
      const output = panel.locator('.monaco-editor[data-uri*="Redis%20Posture"] .view-lines').first();
      await output.waitFor();
      await wb.until('the scan summary in the output channel', async () => /Workspace scan: Checked 3 templates/.test(text(await output.innerText())), async () => text(await output.innerText()));
    }));

  it('g: "Redis Posture: Clear workspace scan results" drops the scanned files\' rows, not the open ones\'', () =>
    step('g-clear-scan', async () => {
      await problemsOf(NEVER_OPENED, 'rows from the scan', (l) => l.length > 0);
      await wb.runCommand('Redis Posture: Clear workspace scan results');
      await problemsOf(NEVER_OPENED, 'no rows', (l) => l.length === 0);
      await problemsOf(BICEP, 'rows kept (the file is open)', (l) => !!has(l, 'redis-no-non-ssl-port'));
    }));

  it('h: a folder with only a .bicep file (no JSON, no redis-posture.json) gets findings', () =>
    step('h-bicep-only-folder', async () => {
      const folder = run.folder('bicep-only');
      const activated = activations(run.userData).length;
      const { page: second, wb: other } = await windowOn(folder);
      await other.openFile('main.bicep');
      await second.locator('.statusbar-item[id="status.editor.mode"]', { hasText: 'Bicep' }).waitFor();
      const list = await problemsOf('main.bicep', 'redis-no-non-ssl-port and redis-entra-auth', (l) => !!has(l, 'redis-no-non-ssl-port') && !!has(l, 'redis-entra-auth'), other, folder);
      assert.ok(list.every((p) => p.source === 'redis-posture'), show(list));
      // The new window's extension host activated the extension (by onLanguage:bicep, or by
      // onLanguage:jsonc when the workbench loads a settings model first: either can win).
      await other.until('the activation in the new extension host log', async () => activations(run.userData).length > activated, async () => activations(run.userData).join(' | '));
      await second.close();
      current = undefined;
    }));

  it('i: a second .bicepparam (test beside main) opened alone is a Bicep parameters document with its own finding', () =>
    step('i-second-bicepparam', async () => {
      const folder = run.folder('bicep-environments');
      const { page: third, wb: other } = await windowOn(folder);
      await other.openFile('test.bicepparam');
      await third.locator('.statusbar-item[id="status.editor.mode"]', { hasText: 'Bicep Parameters' }).waitFor();
      const list = await problemsOf('test.bicepparam', 'redis-no-non-ssl-port on its enableNonSslPort line', (l) => !!has(l, 'redis-no-non-ssl-port'), other, folder);
      assert.equal(has(list, 'redis-no-non-ssl-port')!.position, '[Ln 4, Col 26]', show(list));
      assert.ok(list.every((p) => p.source === 'redis-posture'), show(list));
      await third.close();
      current = undefined;
    }));
});

/** The extension host logs' lines about activating this extension. */
function activations(userData: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'remoteexthost.log') found.push(...fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.includes('_doActivateExtension azure-redis-posture.azure-redis-posture')));
    }
  };
  walk(path.join(userData, 'logs'));
  return found;
}
