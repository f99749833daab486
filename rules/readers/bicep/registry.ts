// Where the Bicep CLI keeps a registry module or template spec it restored (`bicep restore`, or
// a build): a `main.json` under its local module cache. We read the cache; we never download.
//
// Layout (as the Bicep CLI writes it): <cache root>/br/<registry>/<repository>/<tag>/main.json,
// with the registry lower-cased and ':' written '$', the repository's '/' written '$', and the
// tag followed by '$' and, when it has capital letters, a hexadecimal mask of where they are
// (so that tags differing in case get different folders on case-insensitive file systems). A
// digest reference (`@sha256:...`) uses the digest with ':' written '#'.
// Template specs: <cache root>/ts/<subscription>/<resource group>/<name>/<version>/main.json, all
// lower-cased. That file is the template spec version resource as ARM returns it; the template
// is its `properties.mainTemplate`.

import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { parse as parseJsonc } from 'jsonc-parser';

/** The registry and module path behind `br/<alias>:`: Bicep's built-in alias, and those of a bicepconfig.json. */
export interface RegistryAlias {
  registry: string;
  modulePath?: string;
}

const BUILT_IN_ALIASES: Record<string, RegistryAlias> = { public: { registry: 'mcr.microsoft.com', modulePath: 'bicep' } };

/** The subscription and resource group behind `ts/<alias>:`, from a bicepconfig.json. */
export interface TemplateSpecAlias {
  subscription: string;
  resourceGroup: string;
}

export interface TemplateSpecReference {
  subscription: string;
  resourceGroup: string;
  name: string;
  version: string;
}

export interface OciReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * A `br:` / `br/<alias>:` module path as registry, repository and tag or digest; undefined when
 * it is not one (a template spec, `ts:`, is parseTemplateSpecReference's) or names an alias we do not know.
 */
export function parseOciReference(path: string, aliases: Record<string, RegistryAlias> = {}): OciReference | undefined {
  let rest: string;
  let registry: string;
  let prefix = '';
  const alias = /^br\/([^:]+):(.*)$/.exec(path);
  if (alias) {
    const a = aliases[alias[1]] ?? BUILT_IN_ALIASES[alias[1]];
    if (!a) return undefined;
    registry = a.registry;
    prefix = a.modulePath ? `${a.modulePath.replace(/\/+$/, '')}/` : '';
    rest = alias[2];
  } else {
    const m = /^br:([^/]+)\/(.*)$/.exec(path);
    if (!m) return undefined;
    registry = m[1];
    rest = m[2];
  }
  const at = rest.indexOf('@');
  if (at >= 0) {
    const digest = rest.slice(at + 1);
    return rest.slice(0, at) && /^[a-z0-9]+:[a-f0-9]+$/.test(digest) ? { registry, repository: prefix + rest.slice(0, at), digest } : undefined;
  }
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return undefined;
  return { registry, repository: prefix + rest.slice(0, colon), tag: rest.slice(colon + 1) };
}

/**
 * A `ts:<subscription>/<resource group>/<name>:<version>` or `ts/<alias>:<name>:<version>` module
 * path; undefined when it is not one or names an alias we do not know.
 */
export function parseTemplateSpecReference(path: string, aliases: Record<string, TemplateSpecAlias> = {}): TemplateSpecReference | undefined {
  let rest: string;
  const alias = /^ts\/([^:]+):(.*)$/.exec(path);
  if (alias) {
    const a = aliases[alias[1]];
    if (!a) return undefined;
    rest = `${a.subscription}/${a.resourceGroup}/${alias[2]}`;
  } else {
    const m = /^ts:(.*)$/.exec(path);
    if (!m) return undefined;
    rest = m[1];
  }
  const parts = /^([^/:]+)\/([^/:]+)\/([^/:]+):([^/:]+)$/.exec(rest);
  return parts ? { subscription: parts[1], resourceGroup: parts[2], name: parts[3], version: parts[4] } : undefined;
}

/** The cached `main.json` of a template spec version. */
export function cachedTemplateSpecPath(ref: TemplateSpecReference, cacheRoot: string): string {
  const low = (s: string) => s.toLowerCase();
  return join(cacheRoot, 'ts', low(ref.subscription), low(ref.resourceGroup), low(ref.name), low(ref.version), 'main.json');
}

/** A tag as the cache's folder name: the tag, '$', and a mask of its capital letters (none when it has none). */
export function encodeTag(tag: string): string {
  // One 64-bit mask per 64 characters, highest first; leading empty masks are left out, later ones padded.
  const masks: bigint[] = [];
  for (let i = 0; i < tag.length; i++) {
    const c = tag[i];
    if (c !== c.toLowerCase() && c === c.toUpperCase()) {
      const k = Math.floor(i / 64);
      while (masks.length <= k) masks.push(0n);
      masks[k] |= 1n << BigInt(i % 64);
    }
  }
  let out = `${tag}$`;
  let pad = false;
  for (let k = masks.length - 1; k >= 0; k--) {
    if (masks[k] === 0n && !pad) continue;
    const hex = masks[k].toString(16);
    out += pad ? hex.padStart(16, '0') : hex;
    pad = true;
  }
  return out;
}

/** The cached `main.json` of a registry module. */
export function cachedModulePath(ref: OciReference, cacheRoot: string): string {
  const registry = ref.registry.replace(/:/g, '$').toLowerCase();
  const repository = ref.repository.replace(/\//g, '$');
  const version = ref.tag !== undefined ? encodeTag(ref.tag) : ref.digest!.replace(':', '#');
  return join(cacheRoot, 'br', registry, repository, version, 'main.json');
}

/** The Bicep CLI's default cache root: `~/.bicep`. */
export function defaultCacheRoot(): string {
  return join(homedir(), '.bicep');
}

export interface BicepConfig {
  aliases: Record<string, RegistryAlias>;
  templateSpecAliases: Record<string, TemplateSpecAlias>;
  cacheRoot?: string;
}

/**
 * The `moduleAliases.br`, `moduleAliases.ts` and `cacheRootDirectory` of the bicepconfig.json
 * nearest to `file` (its folder or one above), read through `readFile`; empty when there is none
 * or it is broken.
 */
export function bicepConfigFor(file: string, readFile: (path: string) => string | undefined): BicepConfig {
  for (let dir = dirname(file), i = 0; i < 32; i++) {
    const text = readFile(join(dir, 'bicepconfig.json'));
    if (text !== undefined) {
      // bicepconfig.json allows comments.
      const cfg = (parseJsonc(text) ?? {}) as { moduleAliases?: { br?: Record<string, RegistryAlias>; ts?: Record<string, Partial<TemplateSpecAlias>> }; cacheRootDirectory?: unknown };
      const br = cfg.moduleAliases?.br;
      const aliases: Record<string, RegistryAlias> = {};
      if (br && typeof br === 'object') for (const [k, v] of Object.entries(br)) if (v && typeof v.registry === 'string') aliases[k] = v;
      const ts = cfg.moduleAliases?.ts;
      const templateSpecAliases: Record<string, TemplateSpecAlias> = {};
      if (ts && typeof ts === 'object') {
        for (const [k, v] of Object.entries(ts)) {
          if (v && typeof v.subscription === 'string' && typeof v.resourceGroup === 'string') templateSpecAliases[k] = { subscription: v.subscription, resourceGroup: v.resourceGroup };
        }
      }
      return { aliases, templateSpecAliases, cacheRoot: typeof cfg.cacheRootDirectory === 'string' ? cfg.cacheRootDirectory : undefined };
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { aliases: {}, templateSpecAliases: {} };
}
