// Loads the grammars under syntaxes/ into vscode-textmate (with the Oniguruma WASM that
// vscode-oniguruma ships) the way VS Code does from package.json: the injection grammar is found
// through `contributes.grammars[].injectTo`. The JSON host grammar is a minimal one of our own,
// test/fixtures/syntaxes/json.tmLanguage.json; `hostVariant` derives the JSONC and ARM Tools hosts
// from it by renaming its scopes (`string.quoted.double.json` → `string.quoted.double.json.comments`).

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const FIXTURE_JSON_GRAMMAR = join(REPO_ROOT, 'test', 'fixtures', 'syntaxes', 'json.tmLanguage.json');

export interface GrammarContribution {
  scopeName: string;
  path: string;
  language?: string;
  injectTo?: string[];
  injectionSelector?: string;
}

export interface LanguageContribution {
  id: string;
  aliases?: string[];
  extensions?: string[];
  configuration?: string;
}

export function packageJson(): { contributes: { grammars?: GrammarContribution[]; languages?: LanguageContribution[] } } {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
}

/** The JSON hosts the injection is written for: JSON, JSON with comments, ARM Tools' language. */
export const JSON_HOSTS = {
  json: { scopeName: 'source.json', suffix: '' },
  jsonc: { scopeName: 'source.json.comments', suffix: '.comments' },
  armTemplate: { scopeName: 'source.json.arm-template', suffix: '.arm-template' },
} as const;

/** The fixture JSON grammar with every scope `x.json` renamed `x.json<suffix>`. */
function hostVariant(suffix: string): string {
  const raw = readFileSync(FIXTURE_JSON_GRAMMAR, 'utf8');
  if (!suffix) return raw;
  const grammar = JSON.parse(raw);
  const rename = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rename);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = (k === 'name' || k === 'scopeName') && typeof x === 'string' ? x.replace(/\.json\b/g, `.json${suffix}`) : rename(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(rename(grammar));
}

let onigLib: Promise<vsctm.IOnigLib> | undefined;

export function loadOnigLib(): Promise<vsctm.IOnigLib> {
  onigLib ??= (async () => {
    const wasm = readFileSync(join(REPO_ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    };
  })();
  return onigLib;
}

let registry: vsctm.Registry | undefined;

function getRegistry(): vsctm.Registry {
  if (registry) return registry;
  const contributed = packageJson().contributes.grammars ?? [];
  const byScope = new Map<string, () => vsctm.IRawGrammar>();
  for (const g of contributed) {
    const file = join(REPO_ROOT, g.path);
    byScope.set(g.scopeName, () => vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file));
  }
  for (const host of Object.values(JSON_HOSTS)) {
    if (!byScope.has(host.scopeName)) byScope.set(host.scopeName, () => vsctm.parseRawGrammar(hostVariant(host.suffix), `${host.scopeName}.json`));
  }
  registry = new vsctm.Registry({
    onigLib: loadOnigLib(),
    loadGrammar: async (scopeName) => byScope.get(scopeName)?.() ?? null,
    getInjections: (scopeName) => contributed.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
  });
  return registry;
}

export async function loadGrammar(scopeName: string): Promise<vsctm.IGrammar> {
  const grammar = await getRegistry().loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  return grammar;
}

export interface Token {
  text: string;
  start: number;
  scopes: string[];
}

export interface Tokenized {
  lines: Token[][];
  /** Depth of the rule stack after the last line: 1 when every begin/end rule was closed. */
  depth: number;
  stoppedEarly: boolean;
}

export function tokenize(grammar: vsctm.IGrammar, text: string, timeLimitMs = 0): Tokenized {
  let state: vsctm.StateStack = vsctm.INITIAL;
  let stoppedEarly = false;
  const lines = text.split(/\r?\n/).map((line) => {
    const r = grammar.tokenizeLine(line, state, timeLimitMs || undefined);
    state = r.ruleStack;
    stoppedEarly ||= r.stoppedEarly;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, scopes: t.scopes }));
  });
  return { lines, depth: state.depth, stoppedEarly };
}

/** The tokens of a one-line text. */
export function tokenizeLine(grammar: vsctm.IGrammar, line: string): Token[] {
  return tokenize(grammar, line).lines[0];
}

/** The `nth` token whose text is exactly `text`; fails listing the tokens when there is none. */
export function token(tokens: Token[], text: string, nth = 0): Token {
  const found = tokens.filter((t) => t.text === text);
  if (!found[nth]) throw new Error(`no token ${JSON.stringify(text)} (#${nth}) in:\n${dump(tokens)}`);
  return found[nth];
}

/** The token covering character `index` of the line. */
export function tokenAt(tokens: Token[], index: number): Token {
  const t = tokens.find((x) => x.start <= index && index < x.start + x.text.length);
  if (!t) throw new Error(`no token at ${index} in:\n${dump(tokens)}`);
  return t;
}

export function dump(tokens: Token[]): string {
  return tokens.map((t) => `  ${JSON.stringify(t.text)}: ${t.scopes.join(' ')}`).join('\n');
}

/** Files under `dir` (recursively) whose name ends with `ext`. */
export function filesUnder(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(ext)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function has(t: Token, scope: string): boolean {
  return t.scopes.includes(scope);
}

/** The `nth` token with this text, asserted to carry `scope`. */
export function assertScope(tokens: Token[], text: string, scope: string, nth = 0): Token {
  const t = token(tokens, text, nth);
  assert.ok(has(t, scope), `${JSON.stringify(text)} should have ${scope}, has: ${t.scopes.join(' ')}\n${dump(tokens)}`);
  return t;
}
