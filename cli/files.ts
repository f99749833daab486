// Finding the files to scan (paths, directories, globs) and reading them as text.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { siblingBicepparams } from '../rules/readers/bicep/using';
import { globToRegExp, hasGlobChars, isIgnored, splitGlob } from './glob';

/** Directories never entered while walking (they may still be named explicitly). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out']);

/** Largest file read. ARM itself rejects templates over 4 MB; we allow twice that. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export type FileKind = 'json' | 'bicep' | 'unsupported';

export interface Target {
  abs: string;
  /** Path relative to the cwd, forward slashes: what every report shows. */
  display: string;
  /** Named on the command line (not found by walking a directory or expanding a glob). */
  named: boolean;
}

export interface Discovery {
  targets: Target[];
  /** Files that are recognised but not scanned on their own. */
  skipped: { file: string; reason: string }[];
  /** `pattern`: the error is about a command-line argument, not a file that exists. */
  errors: { file: string; message: string; pattern?: boolean }[];
}

export function toPosix(p: string): string {
  return path.sep === '\\' ? p.replace(/\\/g, '/') : p;
}

export function displayPath(cwd: string, abs: string): string {
  const rel = toPosix(path.relative(cwd, abs));
  return rel === '' ? '.' : rel;
}

export function fileKind(file: string): FileKind {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json') || lower.endsWith('.jsonc')) return 'json';
  if (lower.endsWith('.bicep') || lower.endsWith('.bicepparam')) return 'bicep';
  return 'unsupported';
}

export interface DiscoverOptions {
  cwd: string;
  /** Ignore globs from the configuration, relative to `ignoreBase`. */
  ignore: readonly string[];
  ignoreBase: string;
}

/** Expands the command line's paths and globs into the files to scan, in a stable order. */
export function discover(args: readonly string[], opts: DiscoverOptions): Discovery {
  const out: Discovery = { targets: [], skipped: [], errors: [] };
  const seen = new Set<string>();
  const ignoredRel = (abs: string, isDir: boolean): boolean => isIgnored(toPosix(path.relative(opts.ignoreBase, abs)), opts.ignore, isDir);

  const addFile = (abs: string, named: boolean): void => {
    const display = displayPath(opts.cwd, abs);
    const kind = fileKind(abs);
    // Named files are read whatever their extension (recognised by content); walked ones only when JSON.
    if (kind === 'unsupported' && !named) return;
    const key = process.platform === 'win32' ? abs.toLowerCase() : abs;
    if (seen.has(key)) {
      // A file both named and walked counts as named.
      if (named) {
        const t = out.targets.find((x) => x.abs === abs);
        if (t) t.named = true;
      }
      return;
    }
    seen.add(key);
    out.targets.push({ abs, display, named });
  };

  for (const raw of args) {
    const arg = process.platform === 'win32' ? raw.replace(/\\/g, '/') : raw;
    if (hasGlobChars(arg)) {
      const { base, rest } = splitGlob(arg);
      const baseAbs = path.resolve(opts.cwd, base);
      const re = globToRegExp(rest, process.platform === 'win32');
      const before = out.targets.length + out.skipped.length;
      let baseStat: fs.Stats | undefined;
      try {
        baseStat = fs.statSync(baseAbs);
      } catch {
        baseStat = undefined;
      }
      if (baseStat?.isDirectory()) {
        walk(baseAbs, (abs) => {
          const rel = toPosix(path.relative(baseAbs, abs));
          if (re.test(rel) && !ignoredRel(abs, false)) addFile(abs, false);
        }, (dirAbs) => !ignoredRel(dirAbs, true), out.errors, opts.cwd, rest.split('/').includes('**') ? Infinity : rest.split('/').length - 1);
      }
      if (out.targets.length + out.skipped.length === before) out.errors.push({ file: raw, message: `no files match the pattern "${raw}"`, pattern: true });
      continue;
    }
    const abs = path.resolve(opts.cwd, arg);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      out.errors.push({ file: raw, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${describeFsError(err)}`, pattern: true });
      continue;
    }
    if (st.isDirectory()) {
      walk(abs, (f) => {
        if (!ignoredRel(f, false)) addFile(f, false);
      }, (d) => !ignoredRel(d, true), out.errors, opts.cwd);
    } else {
      addFile(abs, true);
    }
  }
  return out;
}

/** Depth-first walk in name order; symlinked directories are followed once (cycle-safe). */
function walk(root: string, onFile: (abs: string) => void, enterDir: (abs: string) => boolean, errors: Discovery['errors'], cwd: string, maxDepth = Infinity): void {
  const visited = new Set<string>();
  const visit = (dir: string, depth: number): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      real = dir;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({ file: displayPath(cwd, dir), message: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (depth >= maxDepth || SKIPPED_DIRS.has(e.name) || !enterDir(abs)) continue;
        visit(abs, depth + 1);
      } else if (isFile) {
        onFile(abs);
      }
    }
  };
  visit(root, 0);
}

export type Encoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

export type ReadResult = { text: string; encoding: Encoding } | { error: string };

/** Reads a file as text: UTF-8 (BOM stripped), or UTF-16 LE/BE when it starts with a byte-order mark. */
export function readText(abs: string, hint = ''): ReadResult {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    return { error: `cannot read file: ${describeFsError(err)}` };
  }
  if (!st.isFile()) return { error: 'not a regular file' };
  const tooLarge = (n: number): ReadResult => ({ error: `file too large to scan (${(n / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB)${hint}` });
  if (st.size > MAX_FILE_BYTES) return tooLarge(st.size);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    return { error: `cannot read file: ${describeFsError(err)}` };
  }
  if (buf.length > MAX_FILE_BYTES) return tooLarge(buf.length);
  return decode(buf);
}

export function decode(buf: Buffer): ReadResult {
  try {
    if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
      return { text: new TextDecoder('utf-16le', { fatal: true }).decode(buf.subarray(2)), encoding: 'utf16le' };
    }
    if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
      return { text: new TextDecoder('utf-16be', { fatal: true }).decode(buf.subarray(2)), encoding: 'utf16be' };
    }
  } catch {
    return { error: 'not valid UTF-16 text (the file starts with a UTF-16 byte-order mark)' };
  }
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const body = bom ? buf.subarray(3) : buf;
  // NUL bytes: binary. Let the engine report it (it has the same check and gives a parse-error finding).
  if (body.subarray(0, 8192).includes(0)) return { text: body.toString('latin1'), encoding: 'utf8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: bom ? 'utf8-bom' : 'utf8' };
  } catch {
    return { error: 'not valid UTF-8 text (files are read as UTF-8, or as UTF-16 when they start with a byte-order mark)' };
  }
}

/** Encodes text back the way it was read (for --fix). */
export function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be': {
      const le = Buffer.from(text, 'utf16le');
      for (let i = 0; i + 1 < le.length; i += 2) {
        const t = le[i];
        le[i] = le[i + 1];
        le[i + 1] = t;
      }
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
  }
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e?.code ?? String((e as Error)?.message ?? err);
  }
}

/**
 * The parameter files beside a template: every `.bicepparam` that names a `.bicep` (its own
 * `<name>.bicepparam` first), `<t>.parameters.json` for ARM (which may not exist).
 */
export function siblingParametersPaths(templateAbs: string): string[] {
  if (/\.bicep$/i.test(templateAbs)) return siblingBicepparams(templateAbs);
  const m = /^(.*)\.jsonc?$/i.exec(templateAbs);
  if (!m || /\.parameters$/i.test(m[1])) return [];
  return [`${m[1]}.parameters.json`];
}

/** Whether a regular file exists at `p`. */
export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The template a `<t>.parameters.json` belongs to, when it exists. */
export function templateForParameters(paramsAbs: string): string | undefined {
  const m = /^(.*)\.parameters\.json$/i.exec(paramsAbs);
  if (!m) return undefined;
  return ['.json', '.jsonc'].map((ext) => m[1] + ext).find(isFile);
}
