// A small LSP client for the tests: spawns the bundled dist/server.js with --stdio and talks
// JSON-RPC to it like an editor would. (No tests here; node --test does not load this file.)

import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionParams,
  Diagnostic,
  InitializeParams,
  InitializeResult,
  MessageConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextEdit,
  WorkspaceEdit,
  createMessageConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** The repository root: this file runs as out/test/lsp/client.js. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'lsp');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** A fresh copy of the fixtures in a temporary directory (for tests that touch the disk). */
export function tempWorkspace(): { dir: string; uri: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-posture-lsp-'));
  fs.cpSync(FIXTURES, dir, { recursive: true });
  return { dir, uri: uriOf(dir), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface StartOptions {
  /** Workspace folder URI. */
  rootUri?: string;
  /** The `redisPosture` settings the client answers workspace/configuration with. */
  settings?: Record<string, unknown>;
  /** Advertise codeAction/resolve support (edits computed lazily). */
  lazyActions?: boolean;
}

interface Waiter {
  uri: string;
  pred: (p: PublishDiagnosticsParams) => boolean;
  since: number;
  resolve: (p: PublishDiagnosticsParams) => void;
}

export class LspClient {
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: { type: number; message: string }[] = [];
  settings: Record<string, unknown>;
  configurationRequests = 0;
  stderr = '';
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    opts: StartOptions,
  ) {
    this.settings = opts.settings ?? {};
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      const idx = this.published.length - 1;
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && idx >= w.since && w.pred(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    conn.onNotification('window/logMessage', (p: { type: number; message: string }) => this.logs.push(p));
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => {
      this.configurationRequests++;
      return p.items.map((i) => (i.section === 'redisPosture' ? this.settings : null));
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('client/unregisterCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('workspace/workspaceFolders', () => (opts.rootUri ? [{ uri: opts.rootUri, name: 'root' }] : null));
  }

  static async start(opts: StartOptions = {}): Promise<LspClient> {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run "node esbuild.mjs" first`);
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn, opts);
    conn.listen();
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: opts.rootUri ?? null,
      workspaceFolders: opts.rootUri ? [{ uri: opts.rootUri, name: 'root' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: {
          synchronization: { didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: {
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
            isPreferredSupport: true,
            ...(opts.lazyActions ? { dataSupport: true, resolveSupport: { properties: ['edit'] } } : {}),
          },
        },
      },
    };
    client.initializeResult = await conn.sendRequest<InitializeResult>('initialize', params);
    await conn.sendNotification('initialized', {});
    return client;
  }

  initializeResult?: InitializeResult;

  /** How many publishDiagnostics have been received so far (to wait for later ones). */
  mark(): number {
    return this.published.length;
  }

  open(uri: string, text: string, languageId = 'json'): void {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text; returns the new version. */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /**
   * Replaces `length` characters at `offset` with `insert` and sends only that change, with its
   * range, as VS Code does for a server that asks for incremental sync. `range` is that span as
   * line/character positions when the caller knows it (an editor keeps its line index).
   */
  changeRange(uri: string, offset: number, length: number, insert: string, range?: Diagnostic['range']): number {
    const before = this.texts.get(uri);
    assert.ok(before !== undefined, `${uri} is not open`);
    if (!range) {
      const doc = TextDocument.create(uri, 'json', 0, before);
      range = { start: doc.positionAt(offset), end: doc.positionAt(offset + length) };
    }
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, before.slice(0, offset) + insert + before.slice(offset + length));
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, rangeLength: length, text: insert }] });
    return version;
  }

  close(uri: string): void {
    this.versions.delete(uri);
    this.texts.delete(uri);
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    const t = this.texts.get(uri);
    assert.ok(t !== undefined, `${uri} is not open`);
    return t;
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  /** Resolves with the first publishDiagnostics for `uri` (received at or after `since`) that satisfies `pred`. */
  waitForDiagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, since = 0, timeoutMs = 15_000): Promise<PublishDiagnosticsParams> {
    for (let i = since; i < this.published.length; i++) {
      const p = this.published[i];
      if (p.uri === uri && pred(p)) return Promise.resolve(p);
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = { uri, pred, since, resolve: (p) => (clearTimeout(timer), resolve(p)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        const last = [...this.published].reverse().find((p) => p.uri === uri);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(last && { version: last.version, codes: last.diagnostics.map((d) => d.code) })}\nserver stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Diagnostics for the current version of an open document. */
  current(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true, since = 0): Promise<PublishDiagnosticsParams> {
    const v = this.versions.get(uri);
    return this.waitForDiagnostics(uri, (p) => p.version === v && pred(p), since);
  }

  /** The last diagnostics received for `uri`. */
  last(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  codeActions(uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[] = [], only?: string[]): Promise<CodeAction[]> {
    const params: CodeActionParams = { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } };
    return this.conn.sendRequest<CodeAction[] | null>('textDocument/codeAction', params).then((r) => r ?? []);
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.conn.sendRequest<CodeAction>('codeAction/resolve', action);
  }

  /** Applies a WorkspaceEdit to the open documents it touches (didChange each); returns the new texts by URI. */
  applyEdit(edit: WorkspaceEdit | undefined): Map<string, string> {
    assert.ok(edit?.changes, 'the action has no edit');
    const out = new Map<string, string>();
    for (const [uri, edits] of Object.entries(edit.changes)) {
      const next = applyTextEdits(this.text(uri), edits);
      this.change(uri, next);
      out.set(uri, next);
    }
    return out;
  }

  notify(method: string, params: unknown): void {
    void this.conn.sendNotification(method, params);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop(): Promise<void> {
    if (!this.alive()) return;
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.proc.kill(), 3000);
    await this.exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'json', 1, text), edits);
}

export function codes(p: PublishDiagnosticsParams): string[] {
  return p.diagnostics.map((d) => String(d.code));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
