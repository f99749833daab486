// ARM deployment template → Deployment model: parameters (with parameter files), variables,
// user functions, resources as array or symbolic-name object, child resources, copy loops,
// conditions, nested deployments with inner/outer expression scope.

import {
  ArrayVal,
  Deployment,
  Member,
  ModuleCall,
  ObjectVal,
  Origin,
  Output,
  Resource,
  Span,
  Val,
  member,
  prim,
  toJson,
} from '../../model';
import { EvalScope, EvaluatedMembers, UserFunction, evalTree, unknown } from './evaluate';
import { Members } from '../../members';
import { ValueEdit, parseJsonDoc, readNamedFile } from './json';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** ARM's own limit on a copy count (Bicep loops compile to copies: the Bicep reader uses it too). */
export const MAX_COPY = 800;
const MAX_PROPERTY_COPY_DEPTH = 16;
const MAX_NESTED_DEPTH = 16;

export interface ParameterValues {
  file: string;
  /** Members of the parameter file's `parameters` object. */
  values: ObjectVal;
}

interface TemplateFrame {
  file: string;
  params: Map<string, () => Val>;
  variables: Map<string, () => Val>;
  functions: Map<string, UserFunction>;
  symbols: Map<string, string>;
  /** languageVersion 2.0: the body of each symbolic resource read so far (an `existing` one bound to its declaration), for `reference(symbol, apiVersion, 'full')`. */
  bodies: Map<string, ObjectVal>;
  module?: ModuleCall;
  depth: number;
}

/** Outside any copy loop: no copyIndex() has a value. */
const NO_COPY: ReadonlyMap<string, number> = new Map();

/** The expression scope of a template frame at one copy index: one object per resource instance, not a closure per function. */
class FrameScope implements EvalScope {
  readonly functions: Map<string, UserFunction>;
  readonly templateUri: string;

  constructor(
    private readonly frame: TemplateFrame,
    private readonly copy: ReadonlyMap<string, number>,
    private readonly reader: { bodiesRead: boolean; readonly templateUri: string },
  ) {
    this.functions = frame.functions;
    this.templateUri = reader.templateUri;
  }

  param(n: string): Val | undefined {
    return this.frame.params.get(n.toLowerCase())?.();
  }

  variable(n: string): Val | undefined {
    return this.frame.variables.get(n.toLowerCase())?.();
  }

  copyIndex(loop: string | undefined): number | undefined {
    return loop === undefined ? this.copy.get('') : this.copy.get(loop.toLowerCase());
  }

  symbolType(n: string): string | undefined {
    return this.frame.symbols.get(n);
  }

  symbolBody(n: string): ObjectVal | undefined {
    const body = this.frame.bodies.get(n);
    if (body) this.reader.bodiesRead = true;
    return body;
  }
}

export function isTemplate(root: Val): boolean {
  const schema = prim(member(root, '$schema')?.value);
  if (typeof schema === 'string' && /deploymentTemplate\.json/i.test(schema)) return true;
  // Templates without $schema (nested templates, some generators) still have resources and contentVersion or parameters.
  return root.kind === 'object' && root.members.has('resources') && (root.members.has('contentversion') || root.members.has('parameters'));
}

export function isParameterFile(root: Val): boolean {
  const schema = prim(member(root, '$schema')?.value);
  return typeof schema === 'string' && /deploymentParameters\.json/i.test(schema);
}

function lazy<T>(f: () => T, onCycle: () => T): () => T {
  let state: 0 | 1 | 2 = 0;
  let value: T;
  return () => {
    if (state === 2) return value;
    if (state === 1) return onCycle();
    state = 1;
    value = f();
    state = 2;
    return value;
  };
}

/** Deep copy of a value with every location set to `at` (a module default seen from the caller). */
export function relocate(v: Val, at: Span | undefined, origin?: Origin): Val {
  switch (v.kind) {
    case 'prim':
    case 'unknown':
      return { ...v, at, origin };
    case 'array':
      return { ...v, at, origin, items: v.items.map((x) => relocate(x, at)) };
    case 'object': {
      const members = new Map<string, Member>();
      for (const [k, m] of v.members) members.set(k, { key: m.key, keyAt: at, value: relocate(m.value, at) });
      return { kind: 'object', members, at, origin };
    }
  }
}

export class ArmTemplateReader {
  readonly resources: Resource[] = [];
  readonly outputs: Output[] = [];
  readonly moduleCalls: Deployment['moduleCalls'] = [];
  readonly notes: Deployment['notes'] = [];
  /**
   * Set once an expression has read a declared resource's body (`reference(symbol, apiVersion,
   * 'full')`): from then on a value inside a resource may have been copied into another value,
   * and keepsReading cannot vouch for any edit. Evaluation is lazy, so rules reading properties
   * after the read may set it too.
   */
  bodiesRead = false;

  /** The files of linked templates read (beside the reader's own), by path. */
  readonly texts = new Map<string, string>();
  /** Linked template files, each with the deployment in the scanned file its findings sit on (see Deployment.placedFiles). */
  readonly placed = new Map<string, Span>();
  /** Local linked templates looked for and not found (a change to one changes what is read). */
  readonly unread = new Set<string>();
  readonly templateUri: string;

  constructor(
    private file: string,
    /** Reads a linked template's file (undefined when it cannot be read); without it, linked templates are not followed. */
    private readonly readFile?: (path: string) => string | undefined,
  ) {
    this.templateUri = pathToFileURL(resolvePath(file)).href;
  }

  read(root: ObjectVal, paramFile?: ParameterValues): void {
    const frame = this.frame(root, undefined, 0, (name, decl) => this.topParam(name, decl, paramFile));
    this.readResources(root, frame, undefined, ['resources']);
    const outs = member(root, 'outputs')?.value;
    if (outs?.kind === 'object') {
      const scope = this.scope(frame, NO_COPY);
      for (const m of outs.members.values()) {
        const type = String(prim(member(m.value, 'type')?.value) ?? '');
        const v = member(m.value, 'value')?.value ?? member(m.value, 'copy')?.value;
        if (!v) continue;
        this.outputs.push({ name: m.key, type, value: evalTree(v, scope), at: m.keyAt ?? root.at! });
      }
    }
  }

  private topParam(name: string, decl: Val, paramFile: ParameterValues | undefined): Val {
    const fileEntry = paramFile ? member(paramFile.values, name)?.value : undefined;
    const allowedVal = member(decl, 'allowedValues');
    const allowedJson = allowedVal ? toJson(allowedVal.value) : undefined;
    const allowed = Array.isArray(allowedJson) && allowedVal?.keyAt ? { values: allowedJson, at: allowedVal.keyAt } : undefined;
    const type = String(prim(member(decl, 'type')?.value) ?? '').toLowerCase();
    const secure = type === 'securestring' || type === 'secureobject';
    if (fileEntry) {
      const v = member(fileEntry, 'value');
      if (v) return { ...v.value, origin: { kind: 'parameterFile', name, at: v.value.at, allowed } };
      return unknown(`[parameters('${name}')]`, fileEntry.at, { secureParam: name, origin: { kind: 'parameterFile', name } });
    }
    return this.declaredValue(name, decl, allowed, secure);
  }

  /** The value of a parameter from its declaration alone: default, null when nullable, else unknown. */
  private declaredValue(name: string, decl: Val, allowed: Origin['allowed'], secure: boolean): Val {
    const def = member(decl, 'defaultValue');
    if (def) {
      const v = def.value;
      const value = secure && v.kind !== 'prim' ? { ...v, secureParam: name } : v;
      return { ...value, origin: { kind: 'parameter', name, at: def.value.at, allowed } } as Val;
    }
    if (prim(member(decl, 'nullable')?.value) === true) return { kind: 'prim', value: null, origin: { kind: 'parameter', name, allowed } };
    return unknown(`[parameters('${name}')]`, undefined, { origin: { kind: 'parameter', name, allowed }, secureParam: secure ? name : undefined });
  }

  private frame(
    root: ObjectVal,
    module: ModuleCall | undefined,
    depth: number,
    paramValue: (name: string, decl: Val, frame: TemplateFrame) => Val,
  ): TemplateFrame {
    const frame: TemplateFrame = {
      file: this.file,
      params: new Map(),
      variables: new Map(),
      functions: new Map(),
      symbols: new Map(),
      bodies: new Map(),
      module,
      depth,
    };
    const params = member(root, 'parameters')?.value;
    if (params?.kind === 'object') {
      for (const m of params.members.values()) {
        const decl = m.value;
        frame.params.set(
          m.key.toLowerCase(),
          lazy(
            () => {
              const raw = paramValue(m.key, decl, frame);
              // Defaults may themselves be expressions over other parameters.
              return raw.kind === 'unknown' ? raw : { ...evalTree(raw, this.scope(frame, NO_COPY)), origin: raw.origin };
            },
            () => unknown(`[parameters('${m.key}')]`, undefined),
          ),
        );
      }
    }
    const vars = member(root, 'variables')?.value;
    if (vars?.kind === 'object') {
      for (const m of vars.members.values()) {
        if (m.key.toLowerCase() === 'copy') continue;
        frame.variables.set(
          m.key.toLowerCase(),
          lazy(
            () => {
              const v = evalTree(m.value, this.scope(frame, NO_COPY));
              return { ...v, origin: { kind: 'variable', name: m.key, at: m.value.at } } as Val;
            },
            () => unknown(`[variables('${m.key}')]`, m.value.at),
          ),
        );
      }
      const copies = member(vars, 'copy')?.value;
      if (copies?.kind === 'array') {
        for (const c of copies.items) {
          const name = prim(member(c, 'name')?.value);
          if (typeof name !== 'string') continue;
          frame.variables.set(
            name.toLowerCase(),
            lazy(
              () => this.variableCopy(c, frame),
              () => unknown(`[variables('${name}')]`, c.at),
            ),
          );
        }
      }
    }
    const fns = member(root, 'functions')?.value;
    if (fns?.kind === 'array') {
      for (const ns of fns.items) {
        const nsName = String(prim(member(ns, 'namespace')?.value) ?? '');
        const mems = member(ns, 'members')?.value;
        if (mems?.kind !== 'object') continue;
        for (const fm of mems.members.values()) {
          const ps = member(fm.value, 'parameters')?.value;
          const out = prop2(fm.value, 'output', 'value');
          if (!out) continue;
          frame.functions.set(`${nsName}.${fm.key}`.toLowerCase(), {
            params: ps?.kind === 'array' ? ps.items.map((p) => String(prim(member(p, 'name')?.value) ?? '')) : [],
            output: out,
          });
        }
      }
    }
    const res = member(root, 'resources')?.value;
    if (res?.kind === 'object') {
      for (const m of res.members.values()) {
        const t = prim(member(m.value, 'type')?.value);
        if (typeof t === 'string') frame.symbols.set(m.key, t);
      }
    }
    return frame;
  }

  private variableCopy(c: Val, frame: TemplateFrame): Val {
    const name = String(prim(member(c, 'name')?.value));
    const count = toJson(evalTree(member(c, 'count')?.value ?? { kind: 'prim', value: 0 }, this.scope(frame, NO_COPY)));
    const input = member(c, 'input')?.value;
    if (typeof count !== 'number' || !input) return unknown(`[variables('${name}')]`, c.at);
    const items: Val[] = [];
    for (let i = 0; i < Math.min(count, MAX_COPY); i++) items.push(evalTree(input, this.scope(frame, new Map([[name.toLowerCase(), i]]))));
    return { kind: 'array', items, at: c.at, origin: { kind: 'variable', name, at: c.at } };
  }

  private scope(frame: TemplateFrame, copy: ReadonlyMap<string, number>): EvalScope {
    return new FrameScope(frame, copy, this);
  }

  private readResources(container: Val, frame: TemplateFrame, parent: Resource | undefined, path: (string | number)[]): void {
    const res = member(container, 'resources')?.value;
    if (!res) return;
    const entries: { symbol?: string; body: Val }[] =
      res.kind === 'array' ? res.items.map((body) => ({ body })) : res.kind === 'object' ? [...res.members.values()].map((m) => ({ symbol: m.key, body: m.value })) : [];
    for (const e of entries) {
      if (e.body.kind !== 'object') continue;
      this.readResource(e.body, frame, parent, e.symbol);
    }
    void path;
  }

  private readResource(raw: ObjectVal, frame: TemplateFrame, parent: Resource | undefined, symbol: string | undefined): void {
    const copy = member(raw, 'copy')?.value;
    if (copy && copy.kind === 'object') {
      const loopName = String(prim(member(copy, 'name')?.value) ?? '').toLowerCase();
      const count = toJson(evalTree(member(copy, 'count')?.value ?? { kind: 'prim', value: 0 }, this.scope(frame, NO_COPY)));
      if (typeof count === 'number') {
        for (let i = 0; i < Math.min(count, MAX_COPY); i++) {
          const idx = new Map([['', i], [loopName, i]]);
          this.readInstance(raw, frame, parent, symbol, idx);
        }
        return;
      }
    }
    this.readInstance(raw, frame, parent, symbol, NO_COPY);
  }

  private readInstance(raw: ObjectVal, frame: TemplateFrame, parent: Resource | undefined, symbol: string | undefined, copy: ReadonlyMap<string, number>): void {
    const scope = this.scope(frame, copy);
    const cond = member(raw, 'condition')?.value;
    if (cond) {
      const c = toJson(evalTree(cond, scope));
      if (c === false || c === 'false' || c === 'False') return;
    }
    const typeMember = member(raw, 'type');
    const typeVal = typeMember ? evalTree(typeMember.value, scope) : undefined;
    let type = typeof prim(typeVal) === 'string' ? String(prim(typeVal)) : '';
    if (!type) return;
    if (parent && !type.includes('.')) type = `${parent.type}/${type}`;
    const declAt = typeMember?.keyAt ?? raw.at!;

    // Nested resources are evaluated separately below; do not evaluate them as part of this body.
    const isDeployment = type.toLowerCase() === 'microsoft.resources/deployments';
    const innerTemplate = isDeployment ? prop2(raw, 'properties', 'template') : undefined;
    let body: ObjectVal;
    if (innerTemplate) {
      const bodyRaw: ObjectVal = { ...raw, members: new Map(raw.members) };
      bodyRaw.members.delete('resources');
      const props = member(raw, 'properties')!.value as ObjectVal;
      const p2: ObjectVal = { ...props, members: new Map(props.members) };
      p2.members.delete('template');
      bodyRaw.members.set('properties', { ...member(raw, 'properties')!, value: p2 });
      body = evalTree(bodyRaw, scope) as ObjectVal;
    } else {
      // What evalTree gives for the body without `resources` (evaluated as rules read it).
      // Field by field: spreading the tree's node (a span too) would copy its span fields and take V8's slow path.
      body = { kind: 'object', members: new EvaluatedMembers(raw.members, scope, 0, 'resources'), at: raw.at, origin: raw.origin, literal: raw.literal, hasCopy: raw.hasCopy };
    }
    body = this.expandPropertyCopies(raw, body, frame, copy);

    const nameMember = member(raw, 'name');
    const nameVal = nameMember ? body.members.get('name')!.value : undefined;
    const nameKnown = typeof prim(nameVal) === 'string' ? String(prim(nameVal)) : undefined;
    const nameText = nameKnown ?? (nameVal?.kind === 'unknown' ? nameVal.text : String(prim(nameMember?.value) ?? symbol ?? '?'));
    const existing = prim(member(raw, 'existing')?.value) === true;
    const fullName = parent ? `${parent.fullName}/${nameText}` : nameText;
    const resource: Resource = {
      type,
      apiVersion: typeof prim(body.members.get('apiversion')?.value) === 'string' ? String(prim(body.members.get('apiversion')!.value)) : undefined,
      name: nameText,
      fullName,
      knownName: parent ? (parent.knownName && nameKnown ? `${parent.knownName}/${nameKnown}` : undefined) : nameKnown,
      body,
      declAt,
      loopAt: copy.size ? raw.at : undefined,
      existing,
      parent,
      children: [],
      scope: body.members.get('scope')?.value,
      module: frame.module,
      source: 'arm',
      childrenRead: true,
      suppress: suppressionsOf(body),
    };
    if (symbol) frame.symbols.set(symbol, type);
    if (symbol && !copy.size) frame.bodies.set(symbol, this.boundBody(resource));
    if (parent) parent.children.push(resource);
    this.resources.push(resource);

    if (innerTemplate && innerTemplate.kind === 'object') this.readNested(raw, body, innerTemplate, frame, declAt, nameText);
    else if (isDeployment && member(member(raw, 'properties')?.value, 'templateLink')) this.readLinked(body, frame, declAt, nameText);
    this.readResources(raw, frame, resource, []);
  }

  /** An `existing` resource's body is the one of the resource declared (read earlier) with the same type and name. */
  private boundBody(r: Resource): ObjectVal {
    if (!r.existing) return r.body;
    const t = r.type.toLowerCase();
    const n = r.fullName.toLowerCase();
    const decl = this.resources.find((o) => !o.existing && o.type.toLowerCase() === t && o.fullName.toLowerCase() === n);
    return decl?.body ?? r.body;
  }

  /**
   * Property iteration: a `copy: [{ name, count, input }]` in `properties` or in any object below
   * it (`properties.storageProfile.copy` for VM data disks) becomes the array property `name`
   * with one evaluated `input` per index (copyIndex(name)); a count that cannot be known leaves
   * the property unknown.
   */
  private expandPropertyCopies(raw: ObjectVal, body: ObjectVal, frame: TemplateFrame, copy: ReadonlyMap<string, number>): ObjectVal {
    const rawProps = member(raw, 'properties')?.value;
    if (!rawProps?.hasCopy) return body;
    const props = body.members.get('properties');
    if (rawProps?.kind !== 'object' || props?.value.kind !== 'object') return body;
    const expanded = this.expandCopiesIn(rawProps, props.value, frame, copy, 0);
    if (expanded === props.value) return body;
    const members = Members.copy(body.members);
    members.set('properties', { key: props.key, keyAt: props.keyAt, value: expanded });
    return { ...body, members };
  }

  /** `evaluated` (the evaluation of `raw`) with the property iterations inside `raw` expanded. */
  private expandCopiesIn(raw: Val, evaluated: Val, frame: TemplateFrame, copy: ReadonlyMap<string, number>, depth: number): Val {
    // Only where the JSON reader saw a `copy` key below: the rest need not be evaluated here.
    if (depth > MAX_PROPERTY_COPY_DEPTH || !raw.hasCopy) return evaluated;
    if (raw.kind === 'array') {
      if (evaluated.kind !== 'array' || evaluated.items.length !== raw.items.length) return evaluated;
      let items: Val[] | undefined;
      for (let i = 0; i < raw.items.length; i++) {
        const e = this.expandCopiesIn(raw.items[i], evaluated.items[i], frame, copy, depth + 1);
        if (e !== evaluated.items[i]) (items ??= evaluated.items.slice())[i] = e;
      }
      return items ? { ...evaluated, items } : evaluated;
    }
    if (raw.kind !== 'object' || evaluated.kind !== 'object') return evaluated;
    let members: Members<Member> | undefined;
    raw.members.forEach((m, k) => {
      if (k === 'copy' || m.value.kind === 'prim') return;
      const ev = evaluated.members.get(k);
      if (!ev) return;
      const e = this.expandCopiesIn(m.value, ev.value, frame, copy, depth + 1);
      if (e !== ev.value) (members ??= Members.copy(evaluated.members)).set(k, { key: ev.key, keyAt: ev.keyAt, value: e });
    });
    const copies = member(raw, 'copy');
    // Directly in `properties` a `copy` array is always iteration; deeper, only when it has the iteration shape (a property may be called copy).
    if (copies?.value.kind === 'array' && (depth === 0 || isPropertyIteration(copies.value))) {
      members ??= Members.copy(evaluated.members);
      members.delete('copy');
      for (const c of copies.value.items) {
        const name = prim(member(c, 'name')?.value);
        const input = member(c, 'input')?.value;
        if (typeof name !== 'string' || !input) continue;
        const count = toJson(evalTree(member(c, 'count')?.value ?? { kind: 'prim', value: 0 }, this.scope(frame, copy)));
        const value: Val =
          typeof count === 'number'
            ? {
                kind: 'array',
                items: Array.from({ length: Math.max(0, Math.min(count, MAX_COPY)) }, (_, i) => evalTree(input, this.scope(frame, new Map([...copy, [name.toLowerCase(), i]])))),
                at: c.at,
              }
            : unknown(`[copy '${name}']`, c.at);
        members.set(name.toLowerCase(), { key: name, keyAt: copies.keyAt, value });
      }
    }
    return members ? { ...evaluated, members } : evaluated;
  }

  /**
   * Reads `template` as a module called with `args` (the values passed, by lower-cased parameter
   * name, located where the caller writes them): an inner-scope nested deployment, or a JSON
   * file a Bicep `module` names. A parameter not passed takes its default, seen from the caller
   * at the argument or at `declAt`.
   */
  readModule(template: ObjectVal, module: ModuleCall, args: ObjectVal, depth: number, declAt: Span): void {
    const inner = this.frame(template, module, depth, (pname, decl) => {
      const arg = args.members.get(pname.toLowerCase());
      const type = String(prim(member(decl, 'type')?.value) ?? '').toLowerCase();
      const secure = type === 'securestring' || type === 'secureobject';
      if (arg && !(arg.value.kind === 'prim' && arg.value.value === null)) {
        return arg.value.origin ? arg.value : { ...arg.value, origin: { kind: 'argument', name: pname, at: arg.value.at } };
      }
      // Not passed (or passed null): the module default applies, seen from the caller at the argument or the call.
      const at = arg?.keyAt ?? declAt;
      const v = this.declaredValue(pname, decl, undefined, secure);
      if (v.kind === 'unknown') return { ...v, at };
      return relocate(v, at, { kind: 'moduleDefault', name: pname, at });
    });
    this.readResources(template, inner, undefined, []);
  }

  /**
   * A deployment of a linked template (`templateLink`): followed when it names a local file, by
   * `relativePath` or by a `file:` URI (the `_artifactsLocation` convention, see
   * EvalScope.templateUri), and read as a module with the deployment's `parameters` or the
   * values of its `parametersLink` file. What it deploys is placed on the deployment's line in
   * the scanned file, as for a JSON module of a Bicep file. A link to anywhere else is said.
   */
  private readLinked(body: ObjectVal, frame: TemplateFrame, declAt: Span, name: string): void {
    const props = member(body, 'properties')?.value;
    const link = member(props, 'templateLink')?.value;
    const where = this.localFile(link);
    const what = (v: Val | undefined): string => {
      const t = prim(member(v, 'relativePath')?.value) ?? prim(member(v, 'uri')?.value) ?? prim(member(v, 'id')?.value);
      if (typeof t === 'string') return `'${t}'`;
      const u = member(v, 'uri')?.value ?? member(v, 'relativePath')?.value ?? member(v, 'id')?.value;
      return u?.kind === 'unknown' ? u.text : '(no location)';
    };
    if (!where || !this.readFile) {
      const why = !this.readFile ? 'linked templates are not read here' : member(link, 'id') ? 'a template spec' : 'not a local file';
      this.notes.push({ message: `linked template ${what(link)} is not read (${why}): what it deploys is not checked`, at: declAt });
      return;
    }
    if (frame.depth >= MAX_NESTED_DEPTH) {
      this.notes.push({ message: 'nested deployments deeper than 16 levels are not followed', at: declAt });
      return;
    }
    for (let c = frame.module; c; c = c.parent) {
      if (c.file === where) {
        this.notes.push({ message: `linked template ${what(link)} links back to a template that links it: not read again`, at: declAt });
        return;
      }
    }
    if (where === this.file) {
      this.notes.push({ message: `linked template ${what(link)} is this template: not read again`, at: declAt });
      return;
    }
    const template = this.readJson(where);
    if (!template.root) {
      this.notes.push({ message: `linked template ${what(link)} ${template.problem}: what it deploys is not checked`, at: declAt });
      return;
    }
    if (template.root.kind !== 'object' || !isTemplate(template.root)) {
      this.notes.push({ message: `linked template ${what(link)} is not an ARM template: what it deploys is not checked`, at: declAt });
      return;
    }
    const module: ModuleCall = { declAt, file: this.file, parent: frame.module };
    let top: ModuleCall = module;
    while (top.parent) top = top.parent;
    const passed = member(props, 'parameters')?.value;
    const paramsLink = member(props, 'parametersLink')?.value;
    let values = passed?.kind === 'object' ? passed : undefined;
    if (paramsLink) {
      const file = this.localFile(paramsLink);
      const read = file ? this.readJson(file) : undefined;
      const v = read?.root ? member(read.root, 'parameters')?.value : undefined;
      if (v?.kind !== 'object') {
        this.notes.push({ message: `parameter file ${what(paramsLink)} of this linked template is not read (${read?.problem ?? 'not a local file'}): the template is read with its defaults`, at: declAt });
      } else {
        values = v;
        // Kept with the linked template's: a change to it changes what is read.
        this.texts.set(file!, read!.text!);
        this.placed.set(file!, top.declAt);
      }
    }
    const args = argumentsOf(values, props?.at);
    this.moduleCalls.push({ name, declAt, args });
    const linked = new ArmTemplateReader(where, this.readFile);
    linked.readModule(template.root, module, args, frame.depth + 1, declAt);
    this.resources.push(...linked.resources);
    this.moduleCalls.push(...linked.moduleCalls);
    for (const n of linked.notes) this.notes.push({ message: n.message, at: declAt });
    this.texts.set(where, template.text!);
    this.placed.set(where, top.declAt);
    for (const [f, t] of linked.texts) this.texts.set(f, t);
    for (const f of linked.placed.keys()) this.placed.set(f, top.declAt);
    for (const f of linked.unread) this.unread.add(f);
    if (linked.bodiesRead) this.bodiesRead = true;
  }

  /** The local file a `templateLink` or `parametersLink` names: its `relativePath` (from this template's folder), or a `file:` URI. */
  private localFile(link: Val | undefined): string | undefined {
    const rel = prim(member(link, 'relativePath')?.value);
    // Always relative to the template that declares it, with or without a leading `/` or `./`.
    if (typeof rel === 'string' && rel.replace(/^[./\\]+/, '')) return resolvePath(dirname(this.file), rel.replace(/^\/+/, ''));
    const uri = prim(member(link, 'uri')?.value);
    if (typeof uri !== 'string' || !/^file:/i.test(uri)) return undefined;
    try {
      return fileURLToPath(new URL(uri));
    } catch {
      return undefined;
    }
  }

  /** A linked JSON file read and parsed, or why not. */
  private readJson(path: string): { root?: Val; text?: string; problem?: string } {
    const text = readNamedFile(this.readFile, path);
    if (text === undefined) {
      this.unread.add(path);
      return { problem: 'could not be read' };
    }
    const { doc, error } = parseJsonDoc(path, text);
    if (!doc) return { problem: `does not parse (${error?.message ?? 'invalid JSON'})` };
    return { root: doc.root, text };
  }

  private readNested(raw: ObjectVal, body: ObjectVal, template: ObjectVal, frame: TemplateFrame, declAt: Span, name: string): void {
    if (frame.depth >= MAX_NESTED_DEPTH) {
      this.notes.push({ message: 'nested deployments deeper than 16 levels are not followed', at: declAt });
      return;
    }
    const module: ModuleCall = { declAt, file: this.file, parent: frame.module };
    const scopeOpt = prim(prop2(raw, 'properties', 'expressionEvaluationOptions', 'scope'));
    const args = prop2(body, 'properties', 'parameters');
    const argObj = argumentsOf(args?.kind === 'object' ? args : undefined, args?.at);
    this.moduleCalls.push({ name, declAt, args: argObj });
    if (typeof scopeOpt === 'string' && scopeOpt.toLowerCase() === 'inner') {
      this.readModule(template, module, argObj, frame.depth + 1, declAt);
    } else {
      // Outer scope: the nested template's expressions see the caller's parameters and variables.
      const inner: TemplateFrame = { ...frame, module, depth: frame.depth + 1, symbols: new Map(frame.symbols), bodies: new Map(frame.bodies) };
      this.readResources(template, inner, undefined, []);
    }
  }
}

/**
 * Resource members the reader itself evaluates and keeps the results of (names, types, the
 * condition, loops, scope, suppressions, child resources): a change to one changes what it read.
 */
const READ_MEMBERS = new Set(['type', 'name', 'apiversion', 'condition', 'copy', 'existing', 'scope', 'metadata', 'resources']);

/**
 * Whether what this reader read from `root` stays true after `edit` (made in place by editTree):
 * the edited value sits in a resource member the reader hands to rules unevaluated or lazily
 * evaluated (`properties`, `sku`, `tags`, `location`, ...), outside property loops and nested
 * deployments, and it is a plain value before and after (not a string starting with `[`, which
 * evaluation would turn into another value). Rules then read the edited value itself wherever
 * they reach it, and the reader's resources can be checked again as they are.
 */
export function keepsReading(reader: ArmTemplateReader, root: Val, edit: ValueEdit): boolean {
  if (reader.bodiesRead) return false;
  for (const v of [edit.before, edit.after]) if (typeof v === 'string' && v.startsWith('[')) return false;
  const path = edit.path;
  if (path[0] !== 'resources') return false;
  let container = member(root, 'resources')?.value;
  let i = 1;
  for (;;) {
    const seg = path[i++];
    if (seg === undefined || !container) return false;
    const resource = container.kind === 'array' && typeof seg === 'number' ? container.items[seg] : container.kind === 'object' && typeof seg === 'string' ? container.members.get(seg)?.value : undefined;
    if (resource?.kind !== 'object') return false;
    const key = path[i++];
    if (typeof key !== 'string') return false;
    if (key === 'resources') {
      container = member(resource, 'resources')?.value;
      continue;
    }
    if (READ_MEMBERS.has(key)) return false;
    // A nested deployment's properties hold its template and the arguments it is read with.
    const type = prim(member(resource, 'type')?.value);
    if (typeof type !== 'string' || type.startsWith('[') || type.toLowerCase() === 'microsoft.resources/deployments') return false;
    // Property iteration evaluates its count and inputs into new values.
    for (let v: Val | undefined = resource.members.get(key)?.value; v && i < path.length; i++) {
      if (v.hasCopy) return false;
      const seg2 = path[i];
      v = v.kind === 'array' && typeof seg2 === 'number' ? v.items[seg2] : v.kind === 'object' && typeof seg2 === 'string' ? v.members.get(seg2)?.value : undefined;
    }
    return true;
  }
}

/** The arguments of a deployment, by lower-cased name: each `{ value }` of `values` (a `reference` to a Key Vault secret is an unknown secure value). */
function argumentsOf(values: ObjectVal | undefined, at: Span | undefined): ObjectVal {
  const args: ObjectVal = { kind: 'object', members: new Map(), at };
  for (const [k, m] of values?.members ?? []) {
    const v = member(m.value, 'value')?.value;
    args.members.set(k, { key: m.key, keyAt: m.keyAt, value: v ?? unknown(`[parameters('${m.key}')]`, m.keyAt, { secureParam: m.key }) });
  }
  return args;
}

export function prop2(v: Val | undefined, ...keys: string[]): Val | undefined {
  let cur = v;
  for (const k of keys) {
    cur = member(cur, k)?.value;
    if (!cur) return undefined;
  }
  return cur;
}

function suppressionsOf(body: ObjectVal): string[] | undefined {
  const s = toJson(prop2(body, 'metadata', 'redis-posture', 'suppress'));
  return Array.isArray(s) ? s.filter((x): x is string => typeof x === 'string') : undefined;
}

function isPropertyIteration(v: ArrayVal): boolean {
  return v.items.length > 0 && v.items.every((c) => c.kind === 'object' && c.members.has('name') && c.members.has('input'));
}
