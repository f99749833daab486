// Baseline for the CLI corpus run: start node, find the same *.json files, read each and build
// its jsonc-parser tree with the options the engine uses. The least any scanner must do.
//
//   node out/bench/baseline-parse.js <dir | file...>   → prints {"files":n,"nodes":n,"errors":n}

import { readFileSync, statSync } from 'node:fs';
import { Node, ParseError, parseTree } from 'jsonc-parser';
import { listJsonFiles } from './files';

const files = process.argv.slice(2).flatMap((a) => (statSync(a).isDirectory() ? listJsonFiles(a) : [a]));
let nodes = 0;
let errors = 0;
const count = (n: Node | undefined): void => {
  if (!n) return;
  nodes++;
  n.children?.forEach(count);
};
for (const f of files) {
  const errs: ParseError[] = [];
  const root = parseTree(readFileSync(f, 'utf8'), errs, { allowTrailingComma: true, disallowComments: false });
  errors += errs.length;
  count(root);
}
process.stdout.write(JSON.stringify({ files: files.length, nodes, errors }) + '\n');
