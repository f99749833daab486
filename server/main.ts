// Entry point of the language server (bundled to dist/server.js). Transport from the command
// line, as vscode-languageserver reads it: --stdio, --node-ipc or --socket=<port>.

import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { PostureServer } from './server';

const connection = createConnection(ProposedFeatures.all);
const server = new PostureServer(connection);

// Whatever goes wrong inside, the server keeps answering: log once, carry on.
process.on('uncaughtException', (err) => server.logOnce(`uncaught:${err?.name}`, `Redis Posture: unexpected ${err?.name ?? 'error'} in the server; it keeps running.`));
process.on('unhandledRejection', (err) => server.logOnce(`rejection:${(err as Error)?.name}`, `Redis Posture: unexpected ${(err as Error)?.name ?? 'error'} (promise) in the server; it keeps running.`));

server.listen();
