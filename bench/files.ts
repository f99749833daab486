// Paths and the corpus file list, shared by the benchmark and its baseline subprocess so both
// see exactly the same files.

import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

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

export interface BicepPair {
  /** The folder, relative to the corpus. */
  dir: string;
  bicep: string;
  /** Its compiled ARM JSON: main.json beside it, or azuredeploy.json (as the quickstarts name it). */
  json: string;
}

/**
 * Every folder under `dir` (recursively) that holds a `main.bicep` and its compiled JSON:
 * `main.json`, else `azuredeploy.json` (the quickstarts). Sorted by folder.
 */
export function listBicepPairs(dir: string): BicepPair[] {
  const out: BicepPair[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true });
    const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    if (files.has('main.bicep')) {
      const json = files.has('main.json') ? 'main.json' : files.has('azuredeploy.json') ? 'azuredeploy.json' : undefined;
      if (json) out.push({ dir: relative(dir, d) || '.', bicep: join(d, 'main.bicep'), json: join(d, json) });
    }
    for (const e of entries) if (e.isDirectory()) walk(join(d, e.name));
  };
  walk(dir);
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}
