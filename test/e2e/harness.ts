// The machinery of the end-to-end tests: the packaged .vsix installed into a real code-server
// (VS Code in a browser, installed by scripts/e2e-setup.sh outside the repo), started on a free
// port with a fresh profile, and a Chromium page driven by playwright-core. Nothing here knows
// about rules: the scenarios (*.e2e.ts) assert what a user sees.

import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Browser, Locator, Page, chromium } from 'playwright-core';

export const REPO = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(REPO, 'test', 'e2e', 'fixtures');
export const ARTIFACTS = path.join(REPO, '.e2e-artifacts');
export const TOOLS = process.env.E2E_TOOLS || path.join(os.homedir(), '.cache', 'redis-posture-e2e');
export const CODE_SERVER = path.join(TOOLS, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

/** Generous: the first check of a file waits for the extension host and the server to start. */
export const WAIT = 60_000;

/** The recipe's settings (no walkthrough stealing focus, nothing going online) and the few that
 * make the workbench predictable: files stay open, the Problems panel is a table. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.editor.enablePreviewFromQuickOpen': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'json.schemaDownload.enable': false,
  'problems.defaultViewMode': 'table',
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  // The workspace fixture's generated/ folder: "Scan workspace" must leave out what the user excludes.
  'files.exclude': { '**/.git': true, '**/generated': true },
  // Typed text lands as typed (the config-file scenario types JSON into the editor).
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
};

export interface PackageInfo {
  publisher: string;
  name: string;
  version: string;
}

export function packageInfo(): PackageInfo {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as PackageInfo;
}

/** The .vsix that `npm run package` wrote (vsce's default name, at the repo root). */
export function vsixPath(): string {
  const p = packageInfo();
  const file = path.join(REPO, `${p.name}-${p.version}.vsix`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run package\` (npm run e2e does).`);
  return file;
}

/** The entry names of a zip file (a .vsix), read from its central directory. */
export function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

export function checkTools(): void {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed in ${TOOLS}: run \`bash scripts/e2e-setup.sh\` first.`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`bash scripts/e2e-setup.sh\` first.`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh directory for one run: profile, extensions, XDG dirs, copies of the fixture folders
 * (the first one is the workspace code-server opens). */
export class RunDir {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-posture-e2e-'));
  readonly userData = path.join(this.root, 'user-data');
  readonly extensions = path.join(this.root, 'extensions');
  readonly workspace: string;
  readonly log = path.join(this.root, 'code-server.log');

  constructor(...fixtures: string[]) {
    this.workspace = this.folder(fixtures[0]);
    fs.mkdirSync(path.join(this.userData, 'User'), { recursive: true });
    fs.mkdirSync(this.extensions, { recursive: true });
    fs.writeFileSync(path.join(this.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
    for (const f of fixtures) fs.cpSync(path.join(FIXTURES, f), this.folder(f), { recursive: true });
  }

  /** Keeps the home directory clean: code-server writes config.yaml and logs under these (even
   * for --install-extension) and a device id under the cache; Chromium its crash reports. */
  get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      XDG_CONFIG_HOME: path.join(this.root, 'xdg-config'),
      XDG_DATA_HOME: path.join(this.root, 'xdg-data'),
      XDG_CACHE_HOME: path.join(this.root, 'xdg-cache'),
    };
  }

  /** Where the copy of a fixture folder is. */
  folder(fixture: string): string {
    return path.join(this.root, 'folders', fixture);
  }

  file(rel: string): string {
    return path.join(this.workspace, rel);
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** `code-server --install-extension x.vsix`, as a user installs a downloaded package. */
export function installVsix(run: RunDir, vsix: string): string {
  const r = spawnSync(CODE_SERVER, ['--extensions-dir', run.extensions, '--install-extension', vsix], { env: run.env, encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status ?? r.signal}):\n${out}`);
  return out;
}

export class CodeServer {
  private child?: ChildProcess;
  port = 0;

  constructor(private readonly run: RunDir) {}

  /** The workbench opened on a folder (by default the run's workspace). */
  url(folder = this.run.workspace): string {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(folder)}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const log = fs.openSync(this.run.log, 'a');
    const args = [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${this.port}`,
      '--user-data-dir', this.run.userData,
      '--extensions-dir', this.run.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      this.run.workspace,
    ];
    // Its own process group, so that stop() also ends the extension host and the language server.
    const child = spawn(CODE_SERVER, args, { env: this.run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${WAIT} ms; log: ${this.run.log}`)), WAIT);
      const onData = (b: Buffer): void => {
        fs.writeSync(log, b);
        seen = (seen + b.toString('utf8')).slice(-4000);
        if (seen.includes('HTTP server listening on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited (${code ?? signal}) before listening; log: ${this.run.log}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const kill = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // the group is gone
      }
    };
    kill('SIGTERM');
    const t = setTimeout(() => kill('SIGKILL'), 5_000);
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((r) => (giveUp = setTimeout(r, 10_000)))]);
    clearTimeout(t);
    clearTimeout(giveUp);
    kill('SIGKILL'); // whatever of the group outlived its leader
  }
}

export async function launchBrowser(run: RunDir): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    env: run.env,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves the error, a screenshot, the page's HTML, code-server's log and VS Code's logs
 * (extension host, the output channels). */
export async function saveArtifacts(name: string, run: RunDir, page: Page | undefined, err?: unknown): Promise<string> {
  const dir = path.join(ARTIFACTS, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name.replace(/[^\w.-]+/g, '_')}`);
  fs.mkdirSync(dir, { recursive: true });
  if (err !== undefined) fs.writeFileSync(path.join(dir, 'error.txt'), `${(err as Error)?.stack ?? String(err)}\n`);
  if (page) {
    await page.screenshot({ path: path.join(dir, 'screenshot.png') }).catch(() => undefined);
    await fs.promises.writeFile(path.join(dir, 'page.html'), await page.content().catch(() => '')).catch(() => undefined);
  }
  if (fs.existsSync(run.log)) fs.copyFileSync(run.log, path.join(dir, 'code-server.log'));
  const logs = path.join(run.userData, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dir, 'vscode-logs'), { recursive: true });
  return dir;
}

// ---------------------------------------------------------------------------------------------
// The workbench, as a user drives it.

export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: WAIT });
  }

  /** Quick open (Ctrl+P): type the name, wait for its row (the list can show stale rows), Enter. */
  async openFile(relPath: string): Promise<void> {
    const base = path.posix.basename(relPath);
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: WAIT });
    await input.fill(relPath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor({ timeout: WAIT });
    await this.page.keyboard.press('Enter');
    await this.activeTab(base).waitFor({ timeout: WAIT });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: WAIT });
  }

  activeTab(name: string): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: name });
  }

  /** F1, the command's title, Enter. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: WAIT });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: WAIT });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: WAIT });
  }

  /** Ctrl+G line:column (1-based): the cursor goes there. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: WAIT });
    await input.fill(`:${line}:${column}`);
    await this.page.locator('.quick-input-widget', { hasText: `line ${line}` }).first().waitFor({ timeout: WAIT });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: WAIT });
    await this.page.locator('.statusbar', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor({ timeout: WAIT });
  }

  /** Ctrl+. where the cursor is, then the code action with this title (by keyboard: the action
   * widget puts a pointer block over the page). */
  async quickFix(title: string): Promise<void> {
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator('.action-widget');
    await widget.locator('.monaco-list-row.action', { hasText: title }).first().waitFor({ timeout: WAIT });
    const titles = await widget.locator('.monaco-list-row.action').evaluateAll((rows) => rows.map((r) => (r as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-label')));
    for (let i = 0; i <= titles.length; i++) {
      if ((await widget.locator('.monaco-list-row.action.focused').getAttribute('aria-label')) === title) {
        await this.page.keyboard.press('Enter');
        await widget.waitFor({ state: 'hidden', timeout: WAIT });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not select the code action "${title}" among ${JSON.stringify(titles)}`);
  }

  /** The editor's text as rendered (all of it for a file that fits the viewport). */
  async visibleText(): Promise<string> {
    return text(await this.page.locator('.editor-instance .monaco-editor .view-lines').first().innerText());
  }

  async showProblems(): Promise<void> {
    if (!(await this.page.locator('.markers-panel').first().isVisible())) await this.runCommand('View: Focus Problems');
    await this.page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: WAIT });
  }

  /** Types into the Problems view's filter box (it matches file names, messages and codes). */
  async filterProblems(value: string): Promise<void> {
    await this.showProblems();
    const input = this.page.getByPlaceholder('Filter (e.g. text, **/*.ts');
    if ((await input.inputValue()) !== value) await input.fill(value);
  }

  notification(what: string | RegExp): Locator {
    return this.page.locator('.notification-toast', { hasText: what });
  }

  /** Waits until `cond` holds, polling; the error says what was last seen. */
  async until(what: string, cond: () => Promise<boolean>, describe?: () => Promise<string>, timeout = WAIT): Promise<void> {
    const end = Date.now() + timeout;
    for (;;) {
      if (await cond()) return;
      if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${describe ? `; last seen: ${await describe()}` : ''}`);
      await this.page.waitForTimeout(250);
    }
  }
}

/** Rendered text as plain text: Monaco draws spaces as non-breaking ones. */
export function text(s: string): string {
  return s.replace(/\u00a0/g, ' ');
}
