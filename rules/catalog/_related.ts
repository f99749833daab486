// Relations between resources of one deployment: what a scope / id / reference value points at,
// `existing` declarations bound to the resource declared elsewhere, parents of children declared
// at the top level, diagnostic settings scoped to a resource, private endpoints that reach it, and
// where a finding about a missing related resource sits. Shared by the Redis and Redis Enterprise
// rules (connection logs, private link, customer-managed keys); nothing here is rule-specific.

import { Deployment, Member, ModuleCall, ObjectVal, Resource, Span, Val, member, ofType, prim, prop, sameType } from '../model';
import { Memo } from '../memo';

/** A resource named by type and (full) name, as a reference value spells it. */
export interface ResourceRef {
  type: string;
  name: string;
}

export const DIAGNOSTIC_SETTINGS = 'Microsoft.Insights/diagnosticSettings';
export const PRIVATE_ENDPOINTS = 'Microsoft.Network/privateEndpoints';

/** Splits on `/` outside brackets, parentheses and quotes (unevaluated parts keep their expression text). */
export function splitSegments(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === "'") quoted = false;
    } else if (c === "'" && depth > 0) quoted = true;
    else if (c === '[' || c === '(') depth++;
    else if ((c === ']' || c === ')') && depth > 0) depth--;
    else if (c === '/' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Parses a resource id (`/subscriptions/.../providers/Microsoft.Cache/redis/x`) or a relative
 * scope (`Microsoft.Cache/redisEnterprise/x/databases/default`) into type and full name.
 * The last `providers` segment wins, so an extension resource id names the extension resource.
 */
const parsedIds = new Map<string, ResourceRef | undefined>();

export function parseResourceId(s: string): ResourceRef | undefined {
  if (parsedIds.has(s)) return parsedIds.get(s);
  const r = parseResourceIdUncached(s);
  if (parsedIds.size > 50000) parsedIds.clear();
  parsedIds.set(s, r);
  return r;
}

function parseResourceIdUncached(s: string): ResourceRef | undefined {
  let segs = splitSegments(s.trim());
  let cut = -1;
  for (let i = 0; i < segs.length; i++) if (segs[i].toLowerCase() === 'providers') cut = i;
  if (cut >= 0) segs = segs.slice(cut + 1);
  else if (segs[0] === '') return undefined;
  if (segs.length < 3 || segs.length % 2 === 0) return undefined;
  if (!/^[A-Za-z0-9]+\.[A-Za-z0-9.]+$/.test(segs[0])) return undefined;
  const types = [segs[0], segs[1]];
  const names = [segs[2]];
  for (let i = 3; i + 1 < segs.length; i += 2) {
    types.push(segs[i]);
    names.push(segs[i + 1]);
  }
  if (names.some((n) => n === '')) return undefined;
  return { type: types.join('/'), name: names.join('/') };
}

/** What a value identifies: a resourceId()/reference() result, a literal id or scope string, a partially rendered one. */
export function refOf(val: Val | undefined): ResourceRef | undefined {
  if (!val) return undefined;
  if (val.kind === 'unknown') {
    if (val.ref) return val.ref;
    // A partially evaluated id keeps the text of its unknown parts (`Microsoft.Cache/redis/[parameters('n')]`).
    return val.text.startsWith('[') ? undefined : parseResourceId(val.text);
  }
  const p = prim(val);
  return typeof p === 'string' ? parseResourceId(p) : undefined;
}

function norm(s: string): string {
  return s.trim().toLowerCase();
}

/** The names a resource answers to: its evaluated full name, its rendered full name, its id. */
const names = new Memo<Resource, string[]>('names');

export function namesOf(r: Resource): string[] {
  let list = names.get(r);
  if (!list) {
    const full = norm(r.fullName);
    list = r.knownName && norm(r.knownName) !== full ? [norm(r.knownName), full] : [full];
    names.set(r, list);
  }
  return list;
}

export function nameMatches(name: string, r: Resource): boolean {
  return namesOf(r).includes(norm(name));
}

/** Whether `val` (a scope, an id, a reference) identifies `resource`. */
export function refersTo(dep: Deployment, val: Val | undefined, resource: Resource): boolean {
  void dep;
  if (!val) return false;
  const p = prim(val);
  if (typeof p === 'string' && resource.id && norm(p) === norm(resource.id)) return true;
  const ref = refOf(val);
  return !!ref && sameType(ref.type, resource.type) && nameMatches(ref.name, resource);
}

/** `refersTo` with the value side worked out once, for a value tested against many resources. */
interface RefMatcher {
  /** The value as a normalised string, when it is a string primitive (compared with resource ids). */
  idNorm?: string;
  ref?: ResourceRef;
  /** norm(ref.name) */
  refName?: string;
}

function refMatcher(val: Val | undefined): RefMatcher | undefined {
  if (!val) return undefined;
  const p = prim(val);
  const ref = refOf(val);
  return { idNorm: typeof p === 'string' ? norm(p) : undefined, ref, refName: ref ? norm(ref.name) : undefined };
}

/** Same answer as `refersTo(dep, val, resource)` for the `val` the matcher was made from; `names` is namesOf(resource). */
function matcherRefersTo(m: RefMatcher | undefined, resource: Resource, names: string[]): boolean {
  if (!m) return false;
  if (m.idNorm !== undefined && resource.id && m.idNorm === norm(resource.id)) return true;
  // Names first: they tell most resources apart, and the type comparison is the dearer test.
  return !!m.ref && names.includes(m.refName!) && sameType(m.ref.type, resource.type);
}

/**
 * Entries of a list (by index) under the keys a resource could match them by: `id:` and the
 * normalised id, `name:` and a normalised name. Entries no key finds (a setting nested under its
 * resource, found through its parent) are listed in `always`. What `candidates` gives is then
 * tested as before: the index only saves testing every entry against every resource, which on
 * a template with hundreds of caches and settings was most of the rules' time.
 */
class KeyedEntries {
  private readonly byKey = new Map<string, number[]>();
  readonly always: number[] = [];

  add(key: string, i: number): void {
    const list = this.byKey.get(key);
    if (!list) this.byKey.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  }

  /** Entry `i` under the keys of its matcher (none when it has no id and no name: it matches nothing). */
  addMatcher(m: RefMatcher | undefined, i: number): void {
    if (m?.idNorm !== undefined) this.add(`id:${m.idNorm}`, i);
    if (m?.refName !== undefined) this.add(`name:${m.refName}`, i);
  }

  /** Indexes of the entries `resource` could match (its id and `names`), in list order, each once. */
  candidates(resource: Resource, names: string[]): number[] {
    const lists: number[][] = [];
    if (resource.id) {
      const l = this.byKey.get(`id:${norm(resource.id)}`);
      if (l) lists.push(l);
    }
    for (const n of names) {
      const l = this.byKey.get(`name:${n}`);
      if (l) lists.push(l);
    }
    if (this.always.length) lists.push(this.always);
    if (lists.length === 1) return lists[0];
    return [...new Set(lists.flat())].sort((a, b) => a - b);
  }
}

/** The resource of the deployment a value identifies, declared ones before `existing` ones. */
export function resolveRef(dep: Deployment, val: Val | undefined): Resource | undefined {
  if (!val) return undefined;
  const ref = refOf(val);
  const candidates = ref ? ofType(dep.resources, ref.type) : dep.resources;
  const hits = candidates.filter((r) => refersTo(dep, val, r));
  return hits.find((r) => !r.existing) ?? hits[0];
}

/** The resource an `existing` declaration stands for: the one declared with the same type and name, else itself. */
export function bound(dep: Deployment, r: Resource): Resource {
  if (!r.existing) return r;
  const names = namesOf(r);
  return ofType(dep.resources, r.type).find((o) => !o.existing && namesOf(o).some((n) => names.includes(n))) ?? r;
}

/** The type of a child type's parent (`Microsoft.Cache/redisEnterprise/databases` → `Microsoft.Cache/redisEnterprise`). */
export function parentType(type: string): string | undefined {
  const segs = type.split('/');
  return segs.length > 2 ? segs.slice(0, -1).join('/') : undefined;
}

/** The references a resource lists in `dependsOn`. */
export function dependsOnRefs(r: Resource): ResourceRef[] {
  const d = member(r.body, 'dependsOn')?.value;
  if (d?.kind !== 'array') return [];
  return d.items.map(refOf).filter((x): x is ResourceRef => !!x);
}

/**
 * The parent of a child resource, bound when it is `existing`: the linked parent, else the
 * resource of the parent type whose name prefixes the child's, else the one it depends on.
 * Undefined when the deployment does not declare it.
 */
export function parentOf(dep: Deployment, r: Resource): Resource | undefined {
  if (r.parent) return bound(dep, r.parent);
  const pt = parentType(r.type);
  if (!pt) return undefined;
  const segs = splitSegments(r.fullName);
  if (segs.length > 1) {
    const pname = norm(segs.slice(0, -1).join('/'));
    const hits = ofType(dep.resources, pt).filter((o) => namesOf(o).includes(pname));
    const hit = hits.find((o) => !o.existing) ?? hits[0];
    if (hit) return bound(dep, hit);
  }
  for (const ref of dependsOnRefs(r)) {
    if (!sameType(ref.type, pt)) continue;
    const hits = ofType(dep.resources, pt).filter((o) => nameMatches(ref.name, o));
    const hit = hits.find((o) => !o.existing) ?? hits[0];
    if (hit) return bound(dep, hit);
  }
  return undefined;
}

/** Whether two resources are the same deployed resource (an `existing` declaration and the declared one, loop copies). */
export function sameResource(dep: Deployment, a: Resource, b: Resource): boolean {
  if (a === b) return true;
  const x = bound(dep, a);
  const y = bound(dep, b);
  if (x === y) return true;
  if (x.id && y.id) return norm(x.id) === norm(y.id);
  return sameType(x.type, y.type) && namesOf(x).some((n) => namesOf(y).includes(n)) && x.module === y.module;
}

/** A diagnostic setting of the deployment with what diagnosticSettingsFor needs of it worked out once. */
interface SettingEntry {
  r: Resource;
  kind: 'extension' | 'legacy';
  /** extension: whether a (non-null) scope is written, its matcher, and its refOf. */
  scoped?: boolean;
  scope?: RefMatcher;
  /** extension with an unreadable scope: the dependsOn references (computed when first needed). */
  deps?: { ref: ResourceRef; name: string }[];
  /** legacy: the target's type and name. */
  targetType?: string;
  targetName?: string;
}

const settingsLists = new Memo<Deployment, { list: SettingEntry[]; index: KeyedEntries }>('diagnosticSettings');

function diagnosticSettingsOf(dep: Deployment): { list: SettingEntry[]; index: KeyedEntries } {
  let settings = settingsLists.get(dep);
  if (!settings) {
    const list: SettingEntry[] = [];
    for (const r of dep.resources) {
      const kind = isDiagnosticSetting(r);
      if (!kind || r.existing) continue;
      if (kind === 'extension') {
        const scoped = !!r.scope && !(r.scope.kind === 'prim' && r.scope.value === null);
        const scope = scoped ? refMatcher(r.scope) : undefined;
        const deps = scoped && !scope!.ref ? dependsOnRefs(r).map((ref) => ({ ref, name: norm(ref.name) })) : undefined;
        list.push({ r, kind, scoped, scope, deps });
      } else {
        const targetType = r.type.slice(0, r.type.toLowerCase().lastIndexOf('/providers/'));
        const i = r.fullName.toLowerCase().lastIndexOf('/microsoft.insights/');
        list.push({ r, kind, targetType, targetName: i > 0 ? norm(r.fullName.slice(0, i)) : undefined });
      }
    }
    const index = new KeyedEntries();
    list.forEach((e, i) => {
      if (e.r.parent) index.always.push(i);
      if (e.kind === 'legacy') {
        if (e.targetName !== undefined) index.add(`name:${e.targetName}`, i);
      } else if (e.scoped) {
        index.addMatcher(e.scope, i);
        for (const d of e.deps ?? []) index.add(`name:${d.name}`, i);
      }
    });
    settings = { list, index };
    settingsLists.set(dep, settings);
  }
  return settings;
}

function isDiagnosticSetting(r: Resource): 'extension' | 'legacy' | undefined {
  if (sameType(r.type, DIAGNOSTIC_SETTINGS)) return 'extension';
  if (/\/providers\/diagnosticSettings$/i.test(r.type)) return 'legacy';
  return undefined;
}

/**
 * The diagnostic settings of the deployment scoped to `resource`: `Microsoft.Insights/diagnosticSettings`
 * with a `scope` that identifies it (or nested under it without a scope), and the legacy
 * `<type>/providers/diagnosticSettings` named `<name>/Microsoft.Insights/<setting>`. A setting whose
 * scope cannot be read counts when it depends on the resource. Undefined when the resource's child
 * collections were not read (an exported file without them): nothing can be said.
 */
export function diagnosticSettingsFor(dep: Deployment, resource: Resource): Resource[] | undefined {
  if (!resource.childrenRead) return undefined;
  const out: Resource[] = [];
  const names = namesOf(resource);
  const { list, index } = diagnosticSettingsOf(dep);
  for (const i of index.candidates(resource, names)) {
    const e = list[i];
    const r = e.r;
    if (e.kind === 'extension') {
      if (e.scoped) {
        if (matcherRefersTo(e.scope, resource, names)) out.push(r);
        else if (e.deps && e.deps.some((d) => sameType(d.ref.type, resource.type) && names.includes(d.name))) out.push(r);
      } else if (r.parent && sameResource(dep, r.parent, resource)) out.push(r);
      continue;
    }
    if (sameType(e.targetType!, resource.type) && ((e.targetName !== undefined && names.includes(e.targetName)) || (r.parent && sameResource(dep, r.parent, resource)))) out.push(r);
  }
  return out;
}

/** A way a private endpoint reaches a resource. */
export type PrivateEndpointLink =
  | { kind: 'resource'; endpoint: Resource; at?: Span }
  | { kind: 'module'; call: Deployment['moduleCalls'][number]; at?: Span }
  | { kind: 'connection'; at?: Span };

function groupAdmits(groupIds: Val | undefined, groupId: string): boolean {
  if (!groupIds || groupIds.kind === 'unknown') return true;
  if (groupIds.kind !== 'array') return false;
  return groupIds.items.some((g) => {
    const p = prim(g);
    return g.kind === 'unknown' || (typeof p === 'string' && p.toLowerCase() === groupId.toLowerCase());
  });
}

/** Objects below `v` (depth-limited) that carry a `privateLinkServiceId` member. */
function linkObjects(v: Val | undefined, depth = 0, out: ObjectVal[] = []): ObjectVal[] {
  if (!v || depth > 8) return out;
  if (v.kind === 'object') {
    if (v.members.has('privatelinkserviceid')) out.push(v);
    for (const m of v.members.values()) linkObjects(m.value, depth + 1, out);
  } else if (v.kind === 'array') for (const x of v.items) linkObjects(x, depth + 1, out);
  return out;
}

/**
 * The private endpoints (group `groupId`) that reach `resource`: `Microsoft.Network/privateEndpoints`
 * resources whose (manual) private link service connections name it, module calls / nested
 * deployments whose arguments pass its id as `privateLinkServiceId`, and, for live and exported
 * resources, the `privateEndpointConnections` the resource reports.
 */
interface EndpointLinks {
  connections: { endpoint: Resource; c: Val; id?: RefMatcher; groupIds?: Val }[];
  calls: { call: Deployment['moduleCalls'][number]; o: ObjectVal; id?: RefMatcher }[];
  /** The connections and the calls by what their ids name (see KeyedEntries). */
  connectionIndex: KeyedEntries;
  callIndex: KeyedEntries;
}

const endpointLinks = new Memo<Deployment, EndpointLinks>('endpointLinks');

/** The private link service connections of the deployment's endpoints and module calls, read once per deployment. */
function endpointLinksOf(dep: Deployment): EndpointLinks {
  let links = endpointLinks.get(dep);
  if (!links) {
    links = { connections: [], calls: [], connectionIndex: new KeyedEntries(), callIndex: new KeyedEntries() };
    for (const r of ofType(dep.resources, PRIVATE_ENDPOINTS)) {
      for (const key of ['privateLinkServiceConnections', 'manualPrivateLinkServiceConnections']) {
        const list = prop(r.body, 'properties', key);
        if (list?.kind !== 'array') continue;
        for (const c of list.items) {
          const props = prop(c, 'properties') ?? c;
          links.connections.push({ endpoint: r, c, id: refMatcher(prop(props, 'privateLinkServiceId')), groupIds: prop(props, 'groupIds') });
        }
      }
    }
    for (const call of dep.moduleCalls) {
      for (const o of linkObjects(call.args)) links.calls.push({ call, o, id: refMatcher(member(o, 'privateLinkServiceId')!.value) });
    }
    links.connections.forEach((c, i) => links!.connectionIndex.addMatcher(c.id, i));
    links.calls.forEach((c, i) => links!.callIndex.addMatcher(c.id, i));
    endpointLinks.set(dep, links);
  }
  return links;
}

export function privateEndpointsFor(dep: Deployment, resource: Resource, groupId: string): PrivateEndpointLink[] {
  const out: PrivateEndpointLink[] = [];
  const links = endpointLinksOf(dep);
  const names = namesOf(resource);
  for (const i of links.connectionIndex.candidates(resource, names)) {
    const { endpoint, c, id, groupIds } = links.connections[i];
    if (matcherRefersTo(id, resource, names) && groupAdmits(groupIds, groupId)) out.push({ kind: 'resource', endpoint, at: c.at });
  }
  for (const i of links.callIndex.candidates(resource, names)) {
    const { call, o, id } = links.calls[i];
    if (!matcherRefersTo(id, resource, names)) continue;
    const groups = member(o, 'groupIds')?.value;
    if (groups && !groupAdmits(groups, groupId)) continue;
    // A flat call (`privateLinkServiceId: cache.id, service: 'redisCache'`) names its group in `service`.
    const service = prim(member(o, 'service')?.value);
    if (typeof service === 'string' && service.toLowerCase() !== groupId.toLowerCase()) continue;
    out.push({ kind: 'module', call, at: o.at });
  }
  const conns = prop(resource.body, 'properties', 'privateEndpointConnections');
  if (conns?.kind === 'array' && (resource.source === 'live' || resource.source === 'exported')) {
    for (const c of conns.items) out.push({ kind: 'connection', at: c.at });
  }
  return out;
}

/** The module call, in the scanned file, through which a resource was deployed. */
export function callerOf(dep: Deployment, resource: Resource): ModuleCall | undefined {
  let m = resource.module;
  while (m && m.parent && m.file !== dep.file) m = m.parent;
  return m;
}

function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end;
}

/**
 * Where a finding about a missing related resource sits (conventions R1/R4): the resource's
 * declaration; for a resource deployed by a module, in the caller: the argument named one of
 * `argNames` when the caller wrote it, else the module declaration.
 */
export function missingAt(dep: Deployment, resource: Resource, argNames: string[] = []): Span {
  const call = callerOf(dep, resource);
  if (!call) return resource.declAt;
  const inner = resource.module!;
  const mc = dep.moduleCalls.find((c) => sameSpan(c.declAt, inner.declAt));
  for (const n of argNames) {
    const m = mc?.args.members.get(n.toLowerCase());
    if (!m) continue;
    if (call === inner) return m.keyAt ?? m.value.at ?? call.declAt;
    // A call made inside a module: its argument is placed where the scanned file wrote what it
    // evaluates to (R4: the passed object that lacks the key), when that is in the scanned file.
    if (m.value.at?.file === dep.file) return m.value.at;
  }
  return call.declAt;
}

/** The ARM expression (without brackets) or quoted literal written as a member's value in the source JSON. */
export function sourceExpression(dep: Deployment, m: Member | undefined): string | undefined {
  if (!m?.keyAt) return undefined;
  const text = dep.texts.get(m.keyAt.file);
  if (text === undefined) return undefined;
  const match = /^\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text.slice(m.keyAt.end, m.keyAt.end + 20000));
  if (!match) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(match[1]);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'string') return undefined;
  if (raw.startsWith('[') && raw.endsWith(']') && !raw.startsWith('[[')) return raw.slice(1, -1);
  return quote(raw.startsWith('[[') ? raw.slice(1) : raw);
}

/** A quoted ARM string literal. */
function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * One ARM expression per name segment of a resource (`'cache'`, `split(parameters('n'), '/')[1]`),
 * from its evaluated name when known, else from the source of its `name` (and its parent's when
 * declared nested). Undefined when they cannot be written.
 */
/** Whether a resource's name (and its parents', when it is declared nested) is written as literals: safe to copy into a fix. */
function literalName(dep: Deployment, resource: Resource): boolean {
  const own = sourceExpression(dep, member(resource.body, 'name'));
  if (own === undefined) return resource.source !== 'arm';
  if (!own.startsWith("'")) return false;
  return !(resource.parent && resource.name !== resource.fullName) || literalName(dep, resource.parent);
}

export function nameSegmentExprs(dep: Deployment, resource: Resource): string[] | undefined {
  const depth = resource.type.split('/').length - 1;
  // A name evaluated from a parameter (default or parameter file) is written as the expression, never baked in.
  if (resource.knownName && literalName(dep, resource)) {
    const names = resource.knownName.split('/');
    return names.length === depth ? names.map(quote) : undefined;
  }
  const own = sourceExpression(dep, member(resource.body, 'name'));
  if (!own) return undefined;
  // Declared nested under its parent: `name` is its own segment (a linked top-level child writes the full name).
  if (resource.parent && resource.name !== resource.fullName) {
    const up = nameSegmentExprs(dep, resource.parent);
    return up && up.length === depth - 1 ? [...up, own] : undefined;
  }
  if (depth === 1) return [own];
  const args = formatArgs(own, depth);
  return args ?? Array.from({ length: depth }, (_, i) => `split(${own}, '/')[${i}]`);
}

/** The arguments of `format('{0}/{1}', a, b)` (as many as `n` segments), when the expression is exactly that. */
function formatArgs(expr: string, n: number): string[] | undefined {
  const fmt = Array.from({ length: n }, (_, i) => `{${i}}`).join('/');
  const head = `format('${fmt}',`;
  if (!expr.startsWith(head) || !expr.endsWith(')')) return undefined;
  const inner = expr.slice(head.length, -1);
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const c of inner) {
    if (quoted) quoted = c !== "'";
    else if (c === "'") quoted = true;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur.trim());
  return out.length === n && out.every((x) => x) ? out : undefined;
}

/** A resource's name for messages: its evaluated name, or undefined when it cannot be known. */
export function label(r: Resource): string | undefined {
  return r.knownName?.split('/').pop();
}

/** `[resourceId('<type>', <segments>)]` for a resource, when its name can be written. */
export function resourceIdFor(dep: Deployment, resource: Resource): string | undefined {
  const segs = nameSegmentExprs(dep, resource);
  return segs ? `[resourceId(${quote(resource.type)}, ${segs.join(', ')})]` : undefined;
}

/**
 * An ARM `scope` value for an extension resource (a diagnostic setting) on `resource`: a literal
 * `Microsoft.X/type/name/child/name` when the name is known, else a `format()` over the name's
 * source. Undefined when it cannot be written.
 */
export function scopeFor(dep: Deployment, resource: Resource): string | undefined {
  const types = resource.type.split('/');
  const childTypes = types.slice(2);
  if (resource.knownName && literalName(dep, resource)) {
    const names = resource.knownName.split('/');
    if (names.length !== childTypes.length + 1) return undefined;
    return [types[0], types[1], names[0], ...childTypes.flatMap((t, i) => [t, names[i + 1]])].join('/');
  }
  const segs = nameSegmentExprs(dep, resource);
  if (!segs) return undefined;
  const fmt = [types[0], types[1], '{0}', ...childTypes.flatMap((t, i) => [t, `{${i + 1}}`])].join('/');
  return `[format(${quote(fmt)}, ${segs.join(', ')})]`;
}

/** A value as an ARM JSON string: `'x'` → `x`, an expression → `[expr]`. */
export function armString(expr: string): string {
  return /^'(?:[^']|'')*'$/.test(expr) ? expr.slice(1, -1).replace(/''/g, "'") : `[${expr}]`;
}
