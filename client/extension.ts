// The VS Code extension: starts the language server (dist/server.js) and offers the workspace
// scan. Thin on purpose: every judgement is the server's (and so the engine's).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { CLEAR_SCAN_REQUEST, SCAN_FILES_REQUEST, ScanFilesParams, ScanFilesResult } from '../server/protocol';
import { inNodeModules, scanExcludeGlob } from './scan-exclude';

const LANGUAGES = ['json', 'jsonc', 'arm-template', 'bicep'];
/** Files sent to the server per request during a workspace scan (progress is reported between batches). */
const SCAN_BATCH = 25;

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Redis Posture');
  context.subscriptions.push(output);

  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // Parameter files and Bicep modules are read from disk while they are closed: a change there
  // re-checks what uses them. vscode-languageclient forwards these watchers' events to the server
  // but never disposes of the watchers themselves (registerRaw only drops its listeners): the extension does.
  const watchers = ['**/redis-posture.json', '**/*.parameters.json', '**/*.bicep', '**/*.bicepparam'].map((glob) => vscode.workspace.createFileSystemWatcher(glob));
  context.subscriptions.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.map((language) => ({ scheme: 'file', language })),
      // .bicep files when the Bicep extension (which contributes the language) is not installed, and
      // .bicepparam files whatever their language ('bicep-params' with it): they are linked to their template.
      { scheme: 'file', pattern: '**/*.bicep' },
      { scheme: 'file', pattern: '**/*.bicepparam' },
    ],
    synchronize: { fileEvents: watchers },
    outputChannel: output,
    diagnosticCollectionName: 'redis-posture',
  };

  client = new LanguageClient('redisPosture', 'Redis Posture', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('redisPosture.scanWorkspace', () => scanWorkspace(output)),
    vscode.commands.registerCommand('redisPosture.clearWorkspaceScan', () => client?.sendRequest(CLEAR_SCAN_REQUEST, {})),
    vscode.commands.registerCommand('redisPosture.showOutput', () => output.show(true)),
  );
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`The Redis Posture language server did not start: ${(err as Error).message}`);
    void vscode.window.showErrorMessage('Redis Posture: the language server did not start (see the "Redis Posture" output).');
  }
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/** Finds every *.json / *.jsonc / *.bicep of the workspace and has the server check them. */
async function scanWorkspace(output: vscode.OutputChannel): Promise<void> {
  const c = client;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage('Redis Posture: the language server is not running.');
    return;
  }
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Redis Posture: open a folder to scan a workspace.');
    return;
  }
  const total: ScanFilesResult = { checked: 0, problems: 0, skipped: 0 };
  const started = Date.now();
  const cancelled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Redis Posture: scanning the workspace', cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'finding templates…' });
      // The user's files.exclude applies, as in the explorer and the editor's own searches.
      const exclude = scanExcludeGlob(vscode.workspace.getConfiguration('files').get('exclude'));
      const files = await vscode.workspace.findFiles('**/*.{json,jsonc,bicep,bicepparam}', exclude, undefined, token);
      const uris = files.filter((u) => u.scheme === 'file' && !inNodeModules(u.path)).map((u) => u.toString());
      for (let i = 0; i < uris.length && !token.isCancellationRequested; i += SCAN_BATCH) {
        const batch = uris.slice(i, i + SCAN_BATCH);
        progress.report({ message: `${Math.min(i + batch.length, uris.length)} of ${uris.length} files`, increment: (batch.length / uris.length) * 100 });
        const r = await c.sendRequest<ScanFilesResult>(SCAN_FILES_REQUEST, { uris: batch } satisfies ScanFilesParams, token);
        total.checked += r.checked;
        total.problems += r.problems;
        total.skipped += r.skipped;
      }
      return token.isCancellationRequested;
    },
  );
  const summary = `${cancelled ? 'Scan cancelled after' : 'Checked'} ${total.checked} template${total.checked === 1 ? '' : 's'}: ${total.problems} problem${total.problems === 1 ? '' : 's'}.`;
  output.appendLine(`Workspace scan: ${summary} (${total.skipped} other files skipped, ${Date.now() - started} ms)`);
  // 'workbench.action.problems.focus' always shows the Problems view; the Ctrl+Shift+M command
  // ('workbench.actions.view.problems') toggles it, so it closed the panel when the user ran the
  // scan with the Problems view focused.
  if (total.problems) await vscode.commands.executeCommand('workbench.action.problems.focus');
  void vscode.window.showInformationMessage(`Redis Posture: ${summary}`);
}
