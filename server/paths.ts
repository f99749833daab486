// URIs ↔ file paths, and which files go together (a template and its `<t>.parameters.json`; the
// `.bicepparam` pairing is in rules/readers/bicep/using.ts, shared with the CLI). URIs are kept as
// the client spelled them: siblings are derived by editing the URI string, so an editor's encoding
// (`file:///c%3A/...`) survives the round trip.

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBicepparamFile } from '../rules/readers/bicep/using';

/** The file-system path of a `file:` URI, undefined for other schemes or a malformed URI. */
export function uriToPath(uri: string): string | undefined {
  if (!/^file:/i.test(uri)) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    try {
      // VS Code writes `file:///c%3A/x`; node wants the drive letter unescaped.
      return fileURLToPath(uri.replace(/^file:\/\/\/([A-Za-z])%3A/i, 'file:///$1:'));
    } catch {
      return undefined;
    }
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/**
 * The name the engine sees for a document: its path for `file:` URIs, the URI itself otherwise.
 * An untitled Bicep document gets a `.bicep` name (a Bicep parameters one `.bicepparam`) so that the
 * engine reads it as Bicep.
 */
export function engineFileName(uri: string, languageId?: string): string {
  const path = uriToPath(uri);
  const name = path ?? uri;
  if (languageId === 'bicep' && !/\.bicep(param)?$/i.test(name)) return `${name}.bicep`;
  if (languageId === 'bicep-params' && !/\.bicepparam$/i.test(name)) return `${name}.bicepparam`;
  return name;
}

/**
 * The URI of `path`, spelled like `nearUri` (the URI of `nearPath`) by resolving the relative path
 * against it, so that the client's encoding of the folders they share survives; a plain `file:`
 * URI when that does not give the same file back.
 */
export function uriNear(path: string, nearUri: string, nearPath: string): string {
  const rel = nodePath.relative(nodePath.dirname(nearPath), path);
  if (rel && !nodePath.isAbsolute(rel)) {
    try {
      const uri = new URL(rel.split(nodePath.sep).map(encodeURIComponent).join('/'), nearUri).href;
      if (uriToPath(uri) === path) return uri;
    } catch {
      // not a URI a relative reference resolves against
    }
  }
  return pathToUri(path);
}

/** `<t>.parameters.json` beside a `<t>.json` / `<t>.jsonc` template URI. */
export function siblingParametersUri(templateUri: string): string | undefined {
  const m = /^(.*)\.jsonc?$/i.exec(templateUri);
  if (!m || /\.parameters$/i.test(m[1])) return undefined;
  return `${m[1]}.parameters.json`;
}

/** Candidate templates for a `<t>.parameters.json` URI: `<t>.json`, then `<t>.jsonc`. */
export function templateCandidates(parametersUri: string): string[] {
  const m = /^(.*)\.parameters\.json$/i.exec(parametersUri);
  return m ? [`${m[1]}.json`, `${m[1]}.jsonc`] : [];
}

export function isParametersName(uri: string): boolean {
  return /\.parameters\.json$/i.test(uri);
}

export function isBicepTemplateName(uri: string): boolean {
  return /\.bicep$/i.test(uri);
}

/** A file checked with the template it goes with: `<t>.parameters.json` or `.bicepparam`. */
export function isParameterFileName(uri: string): boolean {
  return isParametersName(uri) || isBicepparamFile(uri);
}

export function isConfigFileName(uri: string): boolean {
  return /(^|[\\/])redis-posture\.json$/i.test(uri);
}

export function fileExists(path: string | undefined): boolean {
  if (!path) return false;
  try {
    // No exception for a missing file: the server asks this on every check (the sibling parameter file).
    return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** File size in bytes, undefined when it cannot be read. */
export function fileSize(path: string): number | undefined {
  try {
    const st = fs.statSync(path, { throwIfNoEntry: false });
    return st?.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `uri` is `folder` or below it (both URIs, compared as strings). */
export function isUnder(uri: string, folder: string): boolean {
  const f = folder.endsWith('/') ? folder : `${folder}/`;
  return uri === folder || uri.startsWith(f) || uri.toLowerCase().startsWith(f.toLowerCase());
}

/** `uri` relative to `folder`, forward slashes; undefined when it is not below it. */
export function relativeTo(uri: string, folder: string): string | undefined {
  const f = folder.endsWith('/') ? folder : `${folder}/`;
  if (!uri.toLowerCase().startsWith(f.toLowerCase())) return undefined;
  try {
    return decodeURIComponent(uri.slice(f.length));
  } catch {
    return uri.slice(f.length);
  }
}

/** Reads a text file as an editor would show it (UTF-8, or UTF-16 with a byte-order mark; the BOM dropped). */
export function readTextFile(path: string): string | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path);
  } catch {
    return undefined;
  }
  try {
    if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
    if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom ? buf.subarray(3) : buf);
  } catch {
    return undefined;
  }
}
