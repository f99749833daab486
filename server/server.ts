// The language server: documents in, diagnostics and code actions out. LSP wiring only; every
// judgement comes from the engine (rules/). Checks are debounced per document and a run whose
// inputs changed while it waited is dropped, so only the latest version's diagnostics go out.

import * as nodePath from 'node:path';
import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  FileChangeType,
  InitializeParams,
  InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { classify } from '../rules/engine';
import { withoutBom } from '../rules/readers/arm/json';
import { DISK_FILES, SiblingFiles, bicepparamTemplate, isBicepparamFile, siblingBicepparam } from '../rules/readers/bicep/using';
import { codeActions, fixAll, resolveQuickFix } from './actions';
import { carryOver } from './carry';
import { CheckInput, CheckOutput, DocumentInput, MAX_DOCUMENT_CHARS, check, tooLargeDiagnostic } from './checker';
import { diagnosticKey, noticeDiagnostic } from './diagnostics';
import { ignoreMatcher } from './ignore';
import {
  engineFileName,
  fileExists,
  fileSize,
  isBicepTemplateName,
  isConfigFileName,
  isParameterFileName,
  isParametersName,
  isUnder,
  readTextFile,
  relativeTo,
  siblingParametersUri,
  templateCandidates,
  uriNear,
  uriToPath,
} from './paths';
import { ActionData, CLEAR_SCAN_REQUEST, FIX_ALL_KIND, SCAN_FILES_REQUEST, SOURCE, ScanFilesParams, ScanFilesResult } from './protocol';
import {
  CONFIG_FILE_NAME,
  ConfigFileResult,
  DEFAULT_DEBOUNCE_MS,
  EditorSettings,
  SETTINGS_SECTION,
  effectiveConfig,
  parseConfigFile,
  readEditorSettings,
} from './settings';
import { Config } from '../rules/config';

export const LANGUAGES: ReadonlySet<string> = new Set(['json', 'jsonc', 'arm-template', 'bicep', 'bicep-params']);

/** Lets messages already received be handled (a didChange waiting behind a long check). */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

interface FolderConfig {
  uri: string;
  result?: ConfigFileResult;
}

interface Stored {
  out: CheckOutput;
  configGen: number;
  /** Set by an on-demand check (a code action asked first): the schedule requests it already answers. */
  seq?: number;
}

export class PostureServer {
  readonly documents = new TextDocuments(TextDocument);
  private folders: string[] = [];
  private configCapability = false;
  private dynamicConfigRegistration = false;
  private lazyActions = false;
  private folderEvents = false;
  private pushedSettings: unknown;
  private settings = new Map<string, Promise<EditorSettings>>();
  private lastDebounce = new Map<string, number>();
  private fileConfigs = new Map<string, FolderConfig>();
  private configGen = 0;
  private results = new Map<string, Stored>();
  private lastPublished = new Map<string, { version: number | undefined; diagnostics: Diagnostic[] }>();
  private scanned = new Set<string>();
  private timers = new Map<string, NodeJS.Timeout>();
  private seq = new Map<string, number>();
  private justOpened = new Set<string>();
  private logged = new Set<string>();
  private openByPath = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  // ------------------------------------------------------------------ logging

  /** Logs a line once per key (never document contents). */
  logOnce(key: string, message: string, level: 'error' | 'warn' | 'info' = 'error'): void {
    if (this.logged.has(key)) return;
    if (this.logged.size > 500) return;
    this.logged.add(key);
    try {
      this.connection.console[level](message);
    } catch {
      // the connection is gone: nothing to tell
    }
  }

  private guard<A extends unknown[], R>(what: string, fallback: R, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      try {
        return fn(...args);
      } catch (err) {
        this.logOnce(`handler:${what}:${(err as Error)?.name}`, `Redis Posture: ${what} failed (${(err as Error)?.name ?? 'error'}); the server keeps running.${stackOf(err)}`);
        return fallback;
      }
    };
  }

  // ------------------------------------------------------------------ wiring

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(
      this.guard('initialized', undefined, () => {
        if (this.configCapability && this.dynamicConfigRegistration) {
          void c.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
        }
        if (this.folderEvents) {
          try {
            c.workspace.onDidChangeWorkspaceFolders((e) => {
              this.folders = this.folders.filter((f) => !e.removed.some((r) => r.uri === f)).concat(e.added.map((a) => a.uri));
              this.configChanged();
            });
          } catch {
            // the client does not send folder changes
          }
        }
      }),
    );
    c.onDidChangeConfiguration(
      this.guard('didChangeConfiguration', undefined, (p) => {
        const s = (p.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
        if (s !== undefined) this.pushedSettings = s;
        this.configChanged();
      }),
    );
    c.onDidChangeWatchedFiles(
      this.guard('didChangeWatchedFiles', undefined, (p) => {
        let config = false;
        for (const ch of p.changes) {
          if (isConfigFileName(ch.uri)) {
            config = true;
            continue;
          }
          if (this.documents.get(ch.uri) && ch.type !== FileChangeType.Deleted) continue; // the open text wins
          if (isParameterFileName(ch.uri)) for (const t of this.templateCandidatesOf(ch.uri)) if (this.isRoot(t)) this.schedule(t, 0);
          if (isBicepparamFile(ch.uri)) this.pairingsChanged(ch.uri, 0);
          // Checks that read it (as their parameter file, as a module) read it again, or without it.
          for (const owner of this.dependentsOf(ch.uri)) this.schedule(owner, 0);
          // A checked file that is not open (workspace scan, template of an open parameter file) changed on disk,
          // or a template that an open `.bicepparam` names was created.
          if (this.results.has(ch.uri) || this.isRoot(ch.uri)) this.schedule(ch.uri, 0);
        }
        if (config) this.configChanged();
      }),
    );

    const docs = this.documents;
    docs.onDidOpen(
      this.guard('didOpen', undefined, (e) => {
        this.justOpened.add(e.document.uri);
        const path = uriToPath(e.document.uri);
        if (path) this.openByPath.set(path, e.document.uri);
      }),
    );
    docs.onDidChangeContent(
      this.guard('didChange', undefined, (e) => {
        const uri = e.document.uri;
        const opened = this.justOpened.delete(uri);
        if (!this.handles(e.document)) return;
        const delay = opened ? 0 : this.debounceFor(uri);
        // A parameter file with its template: the template's check covers it (findings and parse errors).
        const templates = isParameterFileName(uri) ? this.templatesOf(uri) : [];
        // Checks that read this file are out of date too: the template it was the parameter file of
        // (its `using` may have moved on), the callers of a Bicep module.
        for (const t of new Set([...templates, ...this.dependentsOf(uri)])) this.schedule(t, delay);
        if (!templates.length) this.schedule(uri, delay);
        if (isBicepparamFile(uri)) this.pairingsChanged(uri, delay);
      }),
    );
    docs.onDidClose(
      this.guard('didClose', undefined, (e) => {
        const uri = e.document.uri;
        this.justOpened.delete(uri);
        const path = uriToPath(uri);
        if (path && this.openByPath.get(path) === uri) this.openByPath.delete(path);
        // Its template and the callers of a module read the file from disk now, or are no longer checked
        // (dropped first, so that what they said about this file is not published again on its way out).
        const affected = new Set([...(isParameterFileName(uri) ? this.templateCandidatesOf(uri) : []), ...this.dependentsOf(uri)]);
        for (const t of affected) {
          if (this.isRoot(t)) this.schedule(t, 0);
          else if (this.results.has(t)) this.drop(t);
        }
        if (this.isRoot(uri)) this.schedule(uri, 0);
        else this.drop(uri);
        if (isBicepparamFile(uri)) this.pairingsChanged(uri, 0);
      }),
    );
    docs.onDidSave(
      this.guard('didSave', undefined, (e) => {
        if (isConfigFileName(e.document.uri)) this.configChanged();
      }),
    );

    c.onCodeAction((p, token) => this.codeActions(p, token).catch((err) => this.failed('codeAction', err, [] as CodeAction[])));
    c.onCodeActionResolve((a, token) => this.resolveAction(a, token).catch((err) => this.failed('codeAction/resolve', err, a)));
    c.onRequest(SCAN_FILES_REQUEST, (p: ScanFilesParams, token: CancellationToken) =>
      this.scanFiles(p, token).catch((err) => this.failed('workspace scan', err, { checked: 0, problems: 0, skipped: p?.uris?.length ?? 0 } as ScanFilesResult)),
    );
    c.onRequest(
      CLEAR_SCAN_REQUEST,
      this.guard('clear scan', null, () => {
        const was = [...this.scanned];
        this.scanned.clear();
        for (const uri of was) if (!this.isRoot(uri)) this.drop(uri);
        return null;
      }),
    );
    docs.listen(c);
    c.listen();
  }

  private failed<T>(what: string, err: unknown, fallback: T): T {
    this.logOnce(`request:${what}:${(err as Error)?.name}`, `Redis Posture: ${what} failed (${(err as Error)?.name ?? 'error'}); the server keeps running.${stackOf(err)}`);
    return fallback;
  }

  private initialize(p: InitializeParams): InitializeResult {
    const caps = p.capabilities;
    this.configCapability = !!caps.workspace?.configuration;
    this.dynamicConfigRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    const ca = caps.textDocument?.codeAction;
    this.lazyActions = !!ca?.dataSupport && !!ca?.resolveSupport?.properties.includes('edit');
    this.folderEvents = !!caps.workspace?.workspaceFolders;
    this.folders = (p.workspaceFolders ?? []).map((f) => f.uri);
    if (!this.folders.length && p.rootUri) this.folders = [p.rootUri];
    const init = p.initializationOptions as { settings?: unknown } | undefined;
    if (init?.settings !== undefined) this.pushedSettings = init.settings;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Redis Posture', version: '0.1.0' },
    };
  }

  // ------------------------------------------------------------------ configuration

  private folderOf(uri: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) if (isUnder(uri, f) && (!best || f.length > best.length)) best = f;
    return best;
  }

  private editorSettings(folder: string | undefined): Promise<EditorSettings> {
    const key = folder ?? '';
    let s = this.settings.get(key);
    if (!s) {
      const fetch = async (): Promise<unknown> => {
        if (!this.configCapability) return this.pushedSettings;
        try {
          return await this.connection.workspace.getConfiguration({ scopeUri: folder, section: SETTINGS_SECTION });
        } catch {
          return this.pushedSettings;
        }
      };
      s = fetch().then((raw) => {
        const r = readEditorSettings(raw);
        for (const pr of r.problems) this.logOnce(`settings:${pr}`, `Redis Posture: ${pr}`, 'warn');
        this.lastDebounce.set(key, r.debounceMs);
        return r;
      });
      this.settings.set(key, s);
    }
    return s;
  }

  private debounceFor(uri: string): number {
    return this.lastDebounce.get(this.folderOf(uri) ?? '') ?? DEFAULT_DEBOUNCE_MS;
  }

  private configFileUri(folder: string): string {
    return `${folder.replace(/\/$/, '')}/${CONFIG_FILE_NAME}`;
  }

  /** redis-posture.json of a workspace folder, read from disk (cached until it changes). */
  private fileConfig(folder: string | undefined): ConfigFileResult | undefined {
    if (!folder) return undefined;
    let fc = this.fileConfigs.get(folder);
    if (!fc) {
      const uri = this.configFileUri(folder);
      const dir = uriToPath(folder);
      fc = { uri };
      if (dir) {
        const path = uriToPath(uri);
        const text = path && fileExists(path) ? readTextFile(path) : undefined;
        if (text !== undefined) {
          fc.result = parseConfigFile(text);
          if (fc.result.error) this.logOnce(`config:${uri}:${fc.result.error.message}`, `Redis Posture: ${fc.result.error.message} (the file is not used until it is fixed)`, 'warn');
        }
      }
      this.fileConfigs.set(folder, fc);
      this.publish(uri);
    }
    return fc.result;
  }

  private async configFor(uri: string): Promise<Config> {
    const folder = this.folderOf(uri);
    const s = await this.editorSettings(folder);
    return effectiveConfig(s.config, this.fileConfig(folder));
  }

  private configChanged(): void {
    this.configGen++;
    this.settings.clear();
    const configUris = [...this.fileConfigs.values()].map((f) => f.uri);
    this.fileConfigs.clear();
    for (const uri of configUris) this.publish(uri);
    for (const f of this.folders) this.fileConfig(f);
    for (const uri of this.roots()) this.schedule(uri, 0);
  }

  // ------------------------------------------------------------------ which documents

  private handles(doc: TextDocument): boolean {
    if (isConfigFileName(doc.uri)) return false;
    return LANGUAGES.has(doc.languageId) || /\.(jsonc?|bicep|bicepparam)$/i.test(doc.uri);
  }

  /** Templates a parameter file goes with that the server checks. */
  private templatesOf(paramsUri: string): string[] {
    return this.templateCandidatesOf(paramsUri).filter((t) => this.isRoot(t));
  }

  /**
   * Templates a parameter file may go with: `<t>.json`, `<t>.jsonc` for `<t>.parameters.json`; for a
   * `.bicepparam`, the `.bicep` its `using` names when that template is checked with this file.
   */
  private templateCandidatesOf(paramsUri: string): string[] {
    if (isParametersName(paramsUri)) return templateCandidates(paramsUri);
    const named = this.usingOf(paramsUri);
    if (!named || siblingBicepparam(named.template, this.bicepFolder) !== named.params) return [];
    return [this.uriFor(named.template, paramsUri, named.params)];
  }

  /** The `.bicep` template a `.bicepparam` names (its open text, else the file), as paths; undefined for a registry module, `none` or a JSON template. */
  private usingOf(paramsUri: string): { params: string; template: string } | undefined {
    if (!isBicepparamFile(paramsUri)) return undefined;
    const params = uriToPath(paramsUri);
    if (params === undefined) return undefined;
    const text = this.readFileFor(params);
    const template = text === undefined ? undefined : bicepparamTemplate(params, text);
    return template !== undefined && isBicepTemplateName(template) ? { params, template } : undefined;
  }

  /**
   * For a `.bicepparam` whose `using` names a local `.bicep` template that is checked with another
   * `.bicepparam` (a `prod.bicepparam` beside `main.bicepparam`, or one in another folder): that
   * template's URI. The CLI checks a template with each such file too.
   */
  private otherConfigurationOf(paramsUri: string): string | undefined {
    const named = this.usingOf(paramsUri);
    if (!named || siblingBicepparam(named.template, this.bicepFolder) === named.params) return undefined;
    if (!this.openByPath.has(named.template) && !fileExists(named.template)) return undefined;
    return this.uriFor(named.template, paramsUri, named.params);
  }

  /** The `.bicepparam` a `.bicep` template is checked with (the CLI's rule), as a URI. */
  private bicepparamOf(templateUri: string): string | undefined {
    if (!isBicepTemplateName(templateUri)) return undefined;
    const template = uriToPath(templateUri);
    if (template === undefined) return undefined;
    const params = siblingBicepparam(template, this.bicepFolder);
    return params === undefined ? undefined : this.uriFor(params, templateUri, template);
  }

  /** A folder as the server sees it: the files on disk and the open documents, with their open text. */
  private readonly bicepFolder: SiblingFiles = {
    list: (dir) => {
      const names = new Set(DISK_FILES.list(dir));
      for (const path of this.openByPath.keys()) if (nodePath.dirname(path) === dir) names.add(nodePath.basename(path));
      return [...names];
    },
    read: (path) => this.readFileFor(path),
  };

  /** The URI of a file the server found by path: the open document's, else spelled like a URI it knows. */
  private uriFor(path: string, nearUri: string, nearPath: string): string {
    return this.openByPath.get(path) ?? uriNear(path, nearUri, nearPath);
  }

  /**
   * A `.bicepparam` changed, appeared or went: another one in its folder may now be the one that goes
   * with a template, or no longer be. Re-checks what was paired otherwise than it is now.
   */
  private pairingsChanged(paramsUri: string, delay: number): void {
    const changed = uriToPath(paramsUri);
    if (changed === undefined) return;
    const beside = (uri: string): boolean => {
      const path = uri !== paramsUri && isBicepparamFile(uri) ? uriToPath(uri) : undefined;
      return path !== undefined && nodePath.dirname(path) === nodePath.dirname(changed);
    };
    for (const [owner, { out }] of this.results) {
      const used = out.input.params?.uri;
      if (used !== undefined && beside(used) && this.bicepparamOf(owner) !== used) this.schedule(owner, delay);
    }
    for (const d of this.documents.all()) {
      if (!beside(d.uri)) continue;
      const templates = this.templatesOf(d.uri);
      for (const t of templates) if (this.results.get(t)?.out.input.params?.uri !== d.uri) this.schedule(t, delay);
      // No longer linked: it checks itself (parse errors) again.
      if (!templates.length && !this.results.has(d.uri)) this.schedule(d.uri, delay);
    }
  }

  /** Stored checks (other than its own) that read this file, or looked for it: as their parameter file, or as a Bicep module. */
  private dependentsOf(uri: string): string[] {
    const path = uriToPath(uri);
    const owners: string[] = [];
    for (const [owner, { out }] of this.results) {
      if (owner === uri) continue;
      const params = out.input.params;
      const dep = out.result?.deployment;
      if (params?.uri === uri || (path !== undefined && (params?.file === path || dep?.texts.has(path) || dep?.unread?.has(path)))) owners.push(owner);
    }
    return owners;
  }

  private existsOpenOrDisk(uri: string): boolean {
    return !!this.documents.get(uri) || fileExists(uriToPath(uri));
  }

  /** Whether a document's diagnostics are kept: open, in the workspace scan, or the template of an open parameter file. */
  private isRoot(uri: string): boolean {
    if (isConfigFileName(uri)) return false;
    const doc = this.documents.get(uri);
    if (doc && this.handles(doc)) return true;
    if (this.scanned.has(uri)) return true;
    if (isBicepTemplateName(uri)) return this.hasOpenBicepparam(uri) && this.existsOpenOrDisk(uri);
    const p = siblingParametersUri(uri);
    return !!p && !!this.documents.get(p) && this.existsOpenOrDisk(uri) && templateCandidates(p).find((t) => this.existsOpenOrDisk(t)) === uri;
  }

  /** Whether the `.bicepparam` a template is checked with is open. */
  private hasOpenBicepparam(templateUri: string): boolean {
    const template = uriToPath(templateUri);
    if (template === undefined) return false;
    // The open text's `using` first: the folder is only looked through when some open file names this template.
    const naming = this.documents.all().filter((d) => this.usingOf(d.uri)?.template === template);
    if (!naming.length) return false;
    const p = this.bicepparamOf(templateUri);
    return p !== undefined && naming.some((d) => d.uri === p);
  }

  /** False for a parameter file whose template is checked (the template's check reports on it). */
  private checksItself(uri: string): boolean {
    return !(isParameterFileName(uri) && this.templatesOf(uri).length > 0);
  }

  private roots(): string[] {
    const all = new Set<string>([...this.results.keys(), ...this.scanned]);
    for (const d of this.documents.all()) {
      all.add(d.uri);
      if (isParameterFileName(d.uri)) for (const t of this.templateCandidatesOf(d.uri)) all.add(t);
    }
    return [...all].filter((u) => this.isRoot(u));
  }

  // ------------------------------------------------------------------ checking

  private schedule(uri: string, delay: number): void {
    const n = (this.seq.get(uri) ?? 0) + 1;
    this.seq.set(uri, n);
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.run(uri, n).catch((err) => this.failed('check', err, undefined));
      }, delay),
    );
  }

  private readFileFor = (path: string): string | undefined => {
    const uri = this.openByPath.get(path);
    const doc = uri ? this.documents.get(uri) : undefined;
    if (doc) return doc.getText();
    const size = fileSize(path);
    return size !== undefined && size <= MAX_DOCUMENT_CHARS ? readTextFile(path) : undefined;
  };

  /** The document as the server sees it now: the open text, else the file on disk. */
  private documentInput(uri: string): DocumentInput | { uri: string; tooLarge: number } | undefined {
    const doc = this.documents.get(uri);
    if (doc) {
      return { uri, file: engineFileName(uri, doc.languageId), text: doc.getText(), version: doc.version, languageId: doc.languageId };
    }
    const path = uriToPath(uri);
    if (!path) return undefined;
    const size = fileSize(path);
    if (size === undefined) return undefined;
    if (size > MAX_DOCUMENT_CHARS) return { uri, tooLarge: size };
    const text = readTextFile(path);
    return text === undefined ? undefined : { uri, file: engineFileName(uri), text };
  }

  private paramsFor(uri: string, file: string, seen?: (d: DocumentInput) => void): DocumentInput | undefined {
    if (isBicepparamFile(file)) return undefined;
    if (isBicepTemplateName(file)) {
      const p = this.bicepparamOf(uri);
      const d = p === undefined ? undefined : this.documentInput(p);
      return d && !('tooLarge' in d) ? d : undefined;
    }
    const p = siblingParametersUri(uri);
    if (!p) return undefined;
    const d = this.documentInput(p);
    if (!d || 'tooLarge' in d) return undefined;
    seen?.(d);
    const c = classify(d.file, d.text);
    return c.kind === 'parameters' || c.error ? d : undefined;
  }

  /** Reads and checks a document now; undefined when it cannot be read. */
  private async checkNow(uri: string, isCurrent: () => boolean): Promise<CheckOutput | undefined> {
    const config = await this.configFor(uri);
    if (!isCurrent()) return undefined;
    const d = this.documentInput(uri);
    if (!d) return undefined;
    if ('tooLarge' in d) {
      const input: CheckInput = { uri, file: engineFileName(uri), text: '', config, readFile: this.readFileFor };
      const diag = /\.(bicep|bicepparam|jsonc?)$/i.test(uri) ? [tooLargeDiagnostic(d.tooLarge)] : [];
      return { input, diagnostics: new Map([[uri, diag]]), findings: [], isParameters: false };
    }
    const template = isBicepparamFile(uri) ? this.otherConfigurationOf(uri) : undefined;
    const t = template === undefined ? undefined : this.documentInput(template);
    let out: CheckOutput;
    if (t && !('tooLarge' in t)) {
      // A `.bicepparam` its template is not checked with (a prod beside main): the template is checked
      // with it too, for what sits in this file; the template's own problems are said by its own check.
      out = check({ ...t, params: d, forParameters: true, config, readFile: this.readFileFor });
      for (const k of [...out.diagnostics.keys()]) if (k !== uri) out.diagnostics.delete(k);
      if (!out.diagnostics.has(uri)) out.diagnostics.set(uri, []);
      out.findings = out.findings.filter((f) => f.uri === uri);
    } else {
      let paramsSeen: CheckInput['paramsSeen'];
      const params = this.paramsFor(uri, d.file, (p) => (paramsSeen = { uri: p.uri, version: p.version }));
      // The tree of this document's last check: typing within a value edits it instead of reading the text again.
      // (While it does not parse, the tree of the last version that did.)
      const stored = this.results.get(uri);
      const previous = stored?.out.result?.deployment ?? stored?.out.parsedBase?.deployment;
      out = check({ ...d, params, paramsSeen, config, readFile: this.readFileFor, previous });
      if (stored?.configGen === this.configGen) carryOver(out, stored.out);
    }
    if (out.failure) this.logOnce(`engine:${out.failure}`, `Redis Posture: ${out.failure} while checking a ${/\.bicep(param)?$/i.test(d.file) ? 'Bicep' : 'JSON'} document; its other results are still shown.`);
    return out;
  }

  private async run(uri: string, n: number): Promise<void> {
    const current = (): boolean => this.seq.get(uri) === n;
    if (!current()) return;
    if (!this.isRoot(uri)) {
      this.drop(uri);
      return;
    }
    if (!this.checksItself(uri)) {
      // Its template's check speaks for it from now on; its own result goes once that check is stored (see below).
      const pending = this.templatesOf(uri).filter((t) => !this.results.has(t));
      for (const t of pending) if (!this.timers.has(t)) this.schedule(t, 0);
      if (!pending.length) this.drop(uri);
      return;
    }
    // A code action that arrived first already checked these texts: do not check them twice.
    const stored = this.results.get(uri);
    if (stored?.seq !== undefined && stored.seq >= n && stored.configGen === this.configGen && this.isCurrent(stored.out)) return;
    const gen = this.configGen;
    const out = await this.checkNow(uri, current);
    if (!current()) return;
    if (!out) {
      this.drop(uri);
      return;
    }
    // Let edits that arrived during the check be seen before publishing its results.
    await yieldToMessages();
    if (!current() || !this.isCurrent(out)) return;
    this.store(uri, { out, configGen: gen });
    if (out.isParameters) for (const t of this.templatesOf(uri)) if (!this.results.has(t)) this.schedule(t, 0);
    // A parameter file that checked itself until now (its `using` named nothing yet, its template did
    // not exist): this check speaks for it, so its own result goes, in one publish.
    const p = out.input.params?.uri;
    if (p && p !== uri && this.results.has(p) && !this.checksItself(p)) this.drop(p);
  }

  /** Whether a check's inputs are still what the editor has. */
  private isCurrent(out: CheckOutput): boolean {
    const { input } = out;
    if (this.documents.get(input.uri)?.version !== input.version) return false;
    if (input.forParameters) {
      const params = input.params;
      if (!params || this.documents.get(params.uri)?.version !== params.version || this.otherConfigurationOf(params.uri) !== input.uri) return false;
    } else {
      const p = this.bicepparamOf(input.uri) ?? siblingParametersUri(input.uri);
      const pdoc = p === undefined ? undefined : this.documents.get(p);
      // An open sibling that is not a parameter file (so not used) only has to be the version the check looked at.
      const unused = !input.params && pdoc && input.paramsSeen?.uri === pdoc.uri && input.paramsSeen.version === pdoc.version;
      if (pdoc && !unused && (pdoc.uri !== input.params?.uri || pdoc.version !== input.params.version)) return false;
      if (!pdoc && input.params?.version !== undefined) return false;
    }
    // Modules it read that are open: the check saw their current text (the reader drops a byte-order mark).
    const texts = out.result?.deployment?.texts;
    if (texts) {
      for (const [path, text] of texts) {
        if (path === input.file || path === input.params?.file) continue;
        const open = this.openByPath.get(path);
        const now = open === undefined ? undefined : this.documents.get(open)?.getText();
        if (now !== undefined && now !== text && withoutBom(now) !== text) return false;
      }
    }
    return true;
  }

  private store(owner: string, s: Stored): void {
    const old = this.results.get(owner);
    this.results.set(owner, s);
    const affected = new Set<string>([...(old ? old.out.diagnostics.keys() : []), ...s.out.diagnostics.keys()]);
    for (const uri of affected) this.publish(uri);
  }

  private drop(owner: string): void {
    const t = this.timers.get(owner);
    if (t) clearTimeout(t);
    this.timers.delete(owner);
    this.seq.set(owner, (this.seq.get(owner) ?? 0) + 1);
    const old = this.results.get(owner);
    this.results.delete(owner);
    const affected = new Set<string>([owner, ...(old ? old.out.diagnostics.keys() : [])]);
    for (const uri of affected) this.publish(uri);
  }

  private publish(uri: string): void {
    const lists: Diagnostic[][] = [];
    for (const { out } of this.results.values()) {
      const list = out.diagnostics.get(uri);
      if (list?.length) lists.push(list);
    }
    for (const fc of this.fileConfigs.values()) {
      if (fc.uri === uri && fc.result?.error) lists.push([noticeDiagnostic(fc.result.error.message, 'config-error', DiagnosticSeverity.Error, fc.result.error.range)]);
    }
    // One check's list is already free of duplicates; several (a module shared by two templates) are merged.
    let diagnostics: Diagnostic[];
    if (lists.length <= 1) diagnostics = lists[0] ?? [];
    else {
      const seen = new Set<string>();
      diagnostics = [];
      for (const list of lists) {
        for (const d of list) {
          const k = diagnosticKey(d);
          if (seen.has(k)) continue;
          seen.add(k);
          diagnostics.push(d);
        }
      }
    }
    const doc = this.documents.get(uri);
    const version = doc?.version;
    const last = this.lastPublished.get(uri);
    // The same version with the same diagnostics (a re-check that changed nothing) is not sent again.
    if (last && last.version === version && sameDiagnostics(last.diagnostics, diagnostics)) return;
    // A closed file nothing was ever said about: stay quiet.
    if (!diagnostics.length && !doc && !last) return;
    if (!diagnostics.length && !doc) this.lastPublished.delete(uri);
    else this.lastPublished.set(uri, { version, diagnostics });
    void this.connection.sendDiagnostics({ uri, version, diagnostics }).catch(() => undefined);
  }

  // ------------------------------------------------------------------ code actions

  /** Fresh checks of every owner whose findings point into `uri`. */
  private async checksFor(uri: string): Promise<CheckOutput[]> {
    const owners = new Set<string>();
    if (this.isRoot(uri) && this.checksItself(uri)) owners.add(uri);
    for (const [owner, s] of this.results) if (s.out.diagnostics.get(uri)?.length) owners.add(owner);
    if (isParameterFileName(uri)) for (const t of this.templatesOf(uri)) owners.add(t);
    const outs: CheckOutput[] = [];
    for (const owner of owners) {
      const s = this.results.get(owner);
      if (s && s.configGen === this.configGen && this.isCurrent(s.out)) {
        outs.push(s.out);
        continue;
      }
      const gen = this.configGen;
      const out = await this.checkNow(owner, () => true);
      if (!out) continue;
      outs.push(out);
      // It read the texts as they are now, so it answers every check scheduled so far.
      if (this.isRoot(owner) && this.isCurrent(out)) this.store(owner, { out, configGen: gen, seq: this.seq.get(owner) });
    }
    return outs;
  }

  private async codeActions(p: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const uri = p.textDocument.uri;
    const doc = this.documents.get(uri);
    const outs = await this.checksFor(uri);
    if (token.isCancellationRequested) return [];
    const ours = p.context.diagnostics.filter((d) => d.source === SOURCE);
    const actions: CodeAction[] = [];
    for (const out of outs) {
      actions.push(...codeActions(out, { uri, range: p.range, diagnostics: ours, only: p.context.only, lazy: this.lazyActions, version: doc?.version }));
    }
    return actions;
  }

  private async resolveAction(action: CodeAction, token: CancellationToken): Promise<CodeAction> {
    const data = action.data as ActionData | undefined;
    if (!data?.uri || action.edit) return action;
    const outs = await this.checksFor(data.uri);
    if (token.isCancellationRequested) return action;
    for (const out of outs) {
      const edit =
        data.kind === 'fix'
          ? data.ruleId && data.range
            ? resolveQuickFix(out, data.uri, data.ruleId, data.range)
            : undefined
          : fixAll(out, data.uri, data.kind === 'fixRule' ? data.ruleId : undefined).edit;
      if (edit) {
        action.edit = edit;
        break;
      }
    }
    return action;
  }

  // ------------------------------------------------------------------ workspace scan

  private async scanFiles(p: ScanFilesParams, token: CancellationToken): Promise<ScanFilesResult> {
    const res: ScanFilesResult = { checked: 0, problems: 0, skipped: 0 };
    const uris = Array.isArray(p?.uris) ? p.uris.filter((u): u is string => typeof u === 'string') : [];
    const ignores = new Map<string, (rel: string) => boolean>();
    for (const uri of uris) {
      if (token.isCancellationRequested) break;
      if (isConfigFileName(uri) || !/\.(jsonc?|bicep|bicepparam)$/i.test(uri)) {
        res.skipped++;
        continue;
      }
      const folder = this.folderOf(uri);
      if (folder) {
        let m = ignores.get(folder);
        if (!m) {
          m = ignoreMatcher((await this.configFor(uri)).ignore);
          ignores.set(folder, m);
        }
        const rel = relativeTo(uri, folder);
        if (rel !== undefined && m(rel)) {
          res.skipped++;
          continue;
        }
      }
      const gen = this.configGen;
      const out = await this.checkNow(uri, () => true);
      if (!out || out.isParameters || (out.result && out.result.kind === 'other' && !out.result.errors.length)) {
        res.skipped++;
        continue;
      }
      this.scanned.add(uri);
      this.seq.set(uri, (this.seq.get(uri) ?? 0) + 1);
      if (this.isCurrent(out)) this.store(uri, { out, configGen: gen });
      res.checked++;
      for (const list of out.diagnostics.values()) res.problems += list.length;
      await yieldToMessages();
    }
    return res;
  }
}

function stackOf(err: unknown): string {
  // The first stack line carries the message, which may quote a document: keep only the frames.
  const stack = (err as Error)?.stack;
  if (typeof stack !== 'string') return '';
  const frames = stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 6);
  return frames.length ? `\n${frames.join('\n')}` : '';
}

function sameDiagnostics(a: Diagnostic[], b: Diagnostic[]): boolean {
  if (a === b) return true;
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
