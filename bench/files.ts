// Paths and the corpus file list, shared by the benchmark and its baseline subprocess so both
// see exactly the same files.

import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Compiled to out/bench/: the repository root is two levels up. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CORPUS_DIR = resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const RESULTS_DIR = resolve(REPO_ROOT, '.bench');
/** The CLI under test; BENCH_CLI=<path> measures another build of it instead (said so in the output). */
export const CLI_PATH = process.env.BENCH_CLI ? resolve(process.env.BENCH_CLI) : resolve(REPO_ROOT, 'dist', 'cli.js');
export const CLI_OVERRIDDEN = !!process.env.BENCH_CLI;

/** Every *.json file under `dir`, recursively, sorted (symbolic links not followed). */
export function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
