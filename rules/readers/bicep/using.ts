// Which `.bicepparam` goes with which `.bicep` template, through the `using '<path>'` statement.
// Shared by the CLI (files on disk) and the language server (open documents first), so that both
// pair the same files.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** How the folder of a template is seen: the file names in it, and a file's text. */
export interface SiblingFiles {
  list(dir: string): readonly string[] | undefined;
  read(abs: string): string | undefined;
}

export const DISK_FILES: SiblingFiles = {
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  read(abs) {
    try {
      return fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined; // unreadable: not a sibling we can use
    }
  },
};

export function isBicepparamFile(file: string): boolean {
  return /\.bicepparam$/i.test(file);
}

/**
 * The template a `.bicepparam` file's `using` statement names, as an absolute path. Undefined for
 * a registry module (`br:`, `ts:`, `br/alias:`), `using none`, or no `using` at all.
 */
export function bicepparamTemplate(paramsAbs: string, text: string): string | undefined {
  const m = /^\s*using\s+'([^']+)'/m.exec(text);
  if (!m || /^(br|ts)[:/]/.test(m[1])) return undefined;
  return path.resolve(path.dirname(paramsAbs), m[1]);
}

/**
 * Every `.bicepparam` beside a `.bicep` template whose `using` names it: `<name>.bicepparam`
 * first, the others (a `prod.bicepparam`, a `dev.bicepparam`) in name order.
 */
export function siblingBicepparams(templateAbs: string, files: SiblingFiles = DISK_FILES): string[] {
  return pairedSiblings(templateAbs, files, Infinity);
}

/** The `.bicepparam` beside a `.bicep` template whose `using` names it (`<name>.bicepparam` first). */
export function siblingBicepparam(templateAbs: string, files: SiblingFiles = DISK_FILES): string | undefined {
  return pairedSiblings(templateAbs, files, 1)[0];
}

/** The first `limit` of siblingBicepparams (reading no more files than it takes to find them). */
function pairedSiblings(templateAbs: string, files: SiblingFiles, limit: number): string[] {
  const dir = path.dirname(templateAbs);
  const names = files.list(dir)?.filter(isBicepparamFile).sort();
  if (!names) return [];
  const own = path.basename(templateAbs).replace(/\.bicep$/i, '.bicepparam');
  names.sort((a, b) => (a === own ? -1 : b === own ? 1 : 0));
  const out: string[] = [];
  for (const n of names) {
    if (out.length >= limit) break;
    const abs = path.join(dir, n);
    const text = files.read(abs);
    if (text !== undefined && bicepparamTemplate(abs, text) === templateAbs) out.push(abs);
  }
  return out;
}
