// The Deployment model every reader produces and every rule reads. Nothing here knows about
// text formats: readers fill it, the engine turns spans into line/column positions.

import { Memo } from './memo';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonPath = (string | number)[];

/**
 * A range in one source file, as UTF-16 offsets. The JSON reader's spans also say where the node
 * sits in its file's JSON (see pathOf): the span whose path this one extends (a member value's is
 * its key's, which it shares) and the key or index it adds (none for a member value).
 */
export interface Span {
  file: string;
  start: number;
  end: number;
  pathParent?: Span;
  segment?: string | number;
}

/**
 * The JSON path of the node a span covers (what a writer hands jsonc-parser's `modify`), when
 * the JSON reader made the span; undefined for spans of other readers. Computed when asked for:
 * only fixes need it.
 */
export function pathOf(s: Span | undefined): JsonPath | undefined {
  if (!s || !('segment' in s)) return undefined;
  const segs: (string | number)[] = [];
  for (let p: Span | undefined = s; p; p = p.pathParent) if (p.segment !== undefined) segs.push(p.segment);
  return segs.reverse();
}

/** Where a value came from when it was not written in place: what a fix must edit. */
export interface Origin {
  kind: 'parameter' | 'parameterFile' | 'variable' | 'argument' | 'moduleDefault';
  name: string;
  /** Where the value is written (the parameter default, parameter-file value, variable value or argument). */
  at?: Span;
  /** The parameter's `allowedValues` / `@allowed` list, when this is a parameter that has one and the caller may fix it. */
  allowed?: { values: Json[]; at: Span };
  /** Set when the value is part of what came from there (a property or an item of it), not all of it. */
  part?: boolean;
}

const partOrigins = new Memo<Origin, Origin>('partOrigin');

/** The origin of a property or item read from a value that came from `origin` (one object per origin). */
export function partOrigin(origin: Origin): Origin {
  if (origin.part) return origin;
  let p = partOrigins.get(origin);
  if (!p) {
    p = { ...origin, part: true };
    partOrigins.set(origin, p);
  }
  return p;
}

interface ValBase {
  /** Where this value is literally written, when it is (a node the JSON reader read is its own span). */
  at?: Span;
  /** Set when the value arrived through a parameter, variable or module argument. */
  origin?: Origin;
  /** Set by the JSON reader on an object or array with no expression string anywhere inside: evaluation returns it as it is. */
  literal?: boolean;
  /** Set by the JSON reader on an object or array with a `copy` member somewhere inside (ARM property iteration). */
  hasCopy?: boolean;
}

export interface Member {
  key: string;
  keyAt?: Span;
  value: Val;
}

export interface ObjectVal extends ValBase {
  kind: 'object';
  /** Keyed by lower-cased property name: ARM property names are case-insensitive. */
  members: Map<string, Member>;
}
export interface ArrayVal extends ValBase {
  kind: 'array';
  items: Val[];
}
export interface PrimVal extends ValBase {
  kind: 'prim';
  value: string | number | boolean | null;
}
/** A value the reader cannot know at scan time. `text` is its source text; `secret` marks listKeys()/secure data. */
export interface UnknownVal extends ValBase {
  kind: 'unknown';
  text: string;
  /** Present when the value is (or contains) the result of listKeys()/listConnectionStrings() on these resource types. */
  keysOf?: string[];
  /** Present when the value is a secure parameter's value. */
  secureParam?: string;
  /** Present when the value identifies or references a resource (resourceId(), reference(), a symbolic reference). */
  ref?: { type: string; name: string };
}

export type Val = ObjectVal | ArrayVal | PrimVal | UnknownVal;

export type SourceKind = 'arm' | 'bicep' | 'live' | 'exported';

/** A module call (Bicep module or ARM nested deployment) that produced a resource: placement in the caller. */
export interface ModuleCall {
  /** The declaration (its type line in ARM, its `module` line in Bicep). */
  declAt: Span;
  /** The file of the caller. */
  file: string;
  parent?: ModuleCall;
}

export interface Resource {
  /** Full type, as written (compare with sameType). */
  type: string;
  apiVersion?: string;
  /** The resource's own name segment(s), rendered: evaluated where possible, else source text. */
  name: string;
  /** Full ARM name including parents' (`cache/default`), rendered like `name`. */
  fullName: string;
  /** Name evaluated, when it can be fully known. */
  knownName?: string;
  /** The whole resource object (type, name, properties, sku, identity, tags, location, scope, ...). */
  body: ObjectVal;
  /** The `"type"` line (ARM) or the `resource` line (Bicep): where findings with nothing better to point at sit. */
  declAt: Span;
  /** The element of a loop that produced this resource, when the loop was expanded. */
  loopAt?: Span;
  existing: boolean;
  parent?: Resource;
  children: Resource[];
  /** For extension resources (diagnostic settings, role assignments): the scope value. */
  scope?: Val;
  /** The module call chain that deployed it, when it lives in a module/nested deployment. */
  module?: ModuleCall;
  source: SourceKind;
  /** Live/exported resources: the ARM id. */
  id?: string;
  /** Whether its child collections (firewall rules, databases, diagnostic settings) are known: always in templates and live reads; in exported files only when a `resources` array was exported. */
  childrenRead: boolean;
  /** Suppressions written on the resource (strict JSON metadata form). */
  suppress?: string[];
}

export interface Output {
  name: string;
  type: string;
  value: Val;
  at: Span;
}

export interface Deployment {
  /** The file the deployment was read from (the scanned file). */
  file: string;
  source: SourceKind;
  resources: Resource[];
  outputs: Output[];
  /** Module calls that could not be followed, reported to the user. */
  notes: { message: string; at: Span }[];
  /** Texts of every file the model points into (template, parameter files, modules), by path. */
  texts: Map<string, string>;
  /** ARM: the located value tree of each JSON file in `texts`, as read (what the writer finds JSON paths in). */
  roots?: Map<string, Val>;
  /**
   * Files whose findings sit elsewhere, by file: JSON modules of a Bicep template, whose findings
   * sit on the module line that calls them (the span given here, in the scanned file). Fixes do
   * not edit these files.
   */
  placedFiles?: ReadonlyMap<string, Span>;
  /** Files the reader looked for and could not read (a module not written yet): a change to one of them changes the deployment too. */
  unread?: ReadonlySet<string>;
  /** Module calls (Bicep modules / nested deployments) with their arguments, for rules that look at calls (private endpoints via modules). */
  moduleCalls: { name: string; declAt: Span; args: ObjectVal; path?: string }[];
}

export type Severity = 'high' | 'medium' | 'low';

/** An abstract fix. Rules build them; writers turn them into text edits. */
export type FixOp =
  | { op: 'set'; resource: Resource; path: string[]; value: Json }
  | { op: 'dropAllowed'; origin: Origin; values: Json[] }
  | { op: 'raiseApiVersion'; resource: Resource; version: string }
  | { op: 'removeResource'; resource: Resource }
  | { op: 'removeOutput'; output: Output }
  | { op: 'addResource'; near: Resource; resource: { [key: string]: Json }; parameters?: { [name: string]: Json } };

export interface Fix {
  title: string;
  ops: FixOp[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  resource?: Resource;
  /** Property path the finding is about, dotted (`properties.minimumTlsVersion`). */
  path: string;
  /** Where to underline. */
  at?: Span;
  /** Template-side span when `at` is elsewhere (the parameter default / parameter file): for relatedInformation. */
  related?: Span[];
  fix?: Fix;
}

export function sameType(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // ASCII case folding without allocating lower-cased copies (this runs for every resource pair the related-resource rules look at).
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return x > 0x7f || y > 0x7f ? a.toLowerCase() === b.toLowerCase() : false;
  }
  return true;
}

const typeIndexes = new Memo<Resource[], { length: number; index: Map<string, Resource[]> }>('typeIndex');

/** The resources of a list with the given type (case-insensitive), indexed once per list (again when it grew). */
export function ofType(resources: Resource[], type: string): Resource[] {
  let entry = typeIndexes.get(resources);
  if (!entry || entry.length !== resources.length) {
    const index = new Map<string, Resource[]>();
    for (const r of resources) {
      const k = r.type.toLowerCase();
      const list = index.get(k);
      if (list) list.push(r);
      else index.set(k, [r]);
    }
    entry = { length: resources.length, index };
    typeIndexes.set(resources, entry);
  }
  return entry.index.get(type.toLowerCase()) ?? [];
}

/** Reads a member of an object value, case-insensitively. */
export function member(v: Val | undefined, key: string): Member | undefined {
  return v?.kind === 'object' ? v.members.get(lowerKey(key)) : undefined;
}

const lowered = new Map<string, string>();

/** `key.toLowerCase()`, remembered: rules ask for the same few property names over and over. */
export function lowerKey(key: string): string {
  let l = lowered.get(key);
  if (l === undefined) {
    l = key.toLowerCase();
    if (lowered.size > 4096) lowered.clear();
    lowered.set(key, l);
  }
  return l;
}

export function prop(v: Val | undefined, ...keys: string[]): Val | undefined {
  let cur = v;
  for (const k of keys) {
    cur = member(cur, k)?.value;
    if (!cur) return undefined;
  }
  return cur;
}

/** The primitive behind a value, `undefined` when it is not a known primitive. */
export function prim(v: Val | undefined): string | number | boolean | null | undefined {
  return v?.kind === 'prim' ? v.value : undefined;
}

/** A plain JSON copy of a value, `undefined` if any part is unknown. */
export function toJson(v: Val | undefined): Json | undefined {
  if (!v) return undefined;
  switch (v.kind) {
    case 'prim':
      return v.value;
    case 'unknown':
      return undefined;
    case 'array': {
      const out: Json[] = [];
      for (const item of v.items) {
        const j = toJson(item);
        if (j === undefined) return undefined;
        out.push(j);
      }
      return out;
    }
    case 'object': {
      const out: { [key: string]: Json } = {};
      for (const m of v.members.values()) {
        const j = toJson(m.value);
        if (j === undefined) return undefined;
        out[m.key] = j;
      }
      return out;
    }
  }
}

/** Builds a value from plain JSON, every node located at `at`. */
export function fromJson(j: Json, at?: Span): Val {
  if (j === null || typeof j !== 'object') return { kind: 'prim', value: j, at };
  if (Array.isArray(j)) return { kind: 'array', items: j.map((x) => fromJson(x, at)), at };
  const members = new Map<string, Member>();
  for (const [key, value] of Object.entries(j)) members.set(key.toLowerCase(), { key, value: fromJson(value, at) });
  return { kind: 'object', members, at };
}

/**
 * `v` with another origin. Built field by field rather than spread: spreading these values is a
 * slow path in V8 and the evaluator does this on every member access of a parameter or variable.
 */
export function withOrigin(v: Val, origin: Origin | undefined): Val {
  switch (v.kind) {
    case 'prim':
      return { kind: 'prim', value: v.value, at: v.at, origin };
    case 'object':
      return { kind: 'object', members: v.members, at: v.at, origin, literal: v.literal };
    case 'array':
      return { kind: 'array', items: v.items, at: v.at, origin, literal: v.literal };
    case 'unknown':
      return { kind: 'unknown', text: v.text, at: v.at, origin, keysOf: v.keysOf, secureParam: v.secureParam, ref: v.ref };
  }
}
