// Bicep source → the same Deployment model the ARM reader produces: parameters (defaults,
// `@allowed`, nullable `T?`, `.bicepparam` values), variables, user functions, resources (nested
// children, `parent:`, `scope:`, `existing`, conditions, loops), local modules followed with their
// parameters bound from the call site, registry modules noted, outputs. Expressions are evaluated
// where their inputs are known, with the ARM evaluator's function semantics (applyFunction);
// what cannot be known stays unknown, rendered as Bicep source text.
//
// Placement: every value carries the span where it is written. Spans inside a module file are not
// where the reader of the scanned file can fix anything, so a module's own text is placed on the
// caller's most specific written place (conventions 7 / R4): the argument, the loop element the
// value comes from, else the `module` line in the scanned file.

import { dirname, join } from 'node:path';
import {
  ArrayVal,
  Deployment,
  Json,
  Member,
  ModuleCall,
  ObjectVal,
  Origin,
  Output,
  Resource,
  Span,
  UnknownVal,
  Val,
  member,
  partOrigin,
  prim,
  toJson,
} from '../../model';
import { applyFunction, taint } from '../arm/evaluate';
import { ArmTemplateReader, MAX_COPY, isTemplate, relocate } from '../arm/template';
import { parseJsonDoc, readNamedFile } from '../arm/json';
import type {
  Decorator,
  Expression,
  ForExpression,
  FunctionDeclaration,
  IfCondition,
  ModuleDeclaration,
  ObjectLiteral,
  ObjectProperty,
  ParameterDeclaration,
  ProgramNode,
  ResourceDeclaration,
  Skipped,
  StringLiteral,
  TypeExpression,
  TypeDeclaration,
  VariableDeclaration,
  OutputDeclaration,
} from './ast';
import { parseBicepShared } from './index';
import { BicepConfig, bicepConfigFor, cachedModulePath, cachedTemplateSpecPath, defaultCacheRoot, parseOciReference, parseTemplateSpecReference } from './registry';

const MAX_MODULE_DEPTH = 16;
const MAX_EVAL_DEPTH = 160;

export interface BicepReadOptions {
  /** Reads a module file (a path joined from the caller's directory); undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** A `.bicepparam` (or ARM `.parameters.json`) file to evaluate the template with. */
  parameters?: { file: string; text: string };
  /** The Bicep CLI's cache root, where restored registry modules are read (default `~/.bicep`; a bicepconfig.json `cacheRootDirectory` wins). */
  moduleCacheRoot?: string;
}

export interface BicepReadError {
  file: string;
  message: string;
  start: number;
  end: number;
}

export interface BicepReadResult {
  deployment: Deployment;
  /** Parse errors of the scanned file (and of its parameter file), sorted by offset. */
  errors: BicepReadError[];
}

// ------------------------------------------------------------------ helpers on values

/** Links an unknown value standing for a resource or module symbol to what it stands for. */
const LINK = Symbol('bicep-symbol');
/** Marks an unknown value whose text is a rendered string template (`redis-${uniqueString(...)}`), not an expression. */
const TEMPLATE = Symbol('bicep-template');
/** A lambda value (only meaningful as an argument of map/filter/reduce/...). */
const LAMBDA = Symbol('bicep-lambda');
/** `module.outputs`: access picks one output. */
const OUTPUTS = Symbol('bicep-outputs');

type Linked = UnknownVal & { [LINK]?: ResInstance | ModInstance; [TEMPLATE]?: boolean; [LAMBDA]?: LambdaVal; [OUTPUTS]?: ModInstance };

interface LambdaVal {
  params: string[];
  body: Expression;
  ctx: Ctx;
}

function isNull(v: Val | undefined): boolean {
  return !!v && v.kind === 'prim' && v.value === null;
}

function truthy(v: Json | undefined): boolean {
  return v === true || v === 'true' || v === 'True';
}

function isFalse(v: Json | undefined): boolean {
  return v === false || v === 'false' || v === 'False';
}


/** How a value renders inside a string template. */
function renderPart(v: Val): string | undefined {
  if (v.kind === 'prim') return v.value === null ? '' : String(v.value);
  if (v.kind === 'unknown') return (v as Linked)[TEMPLATE] ? v.text : `\${${v.text}}`;
  const j = toJson(v);
  return j === undefined ? undefined : JSON.stringify(j);
}

function declKeywordStart(text: string, keyword: string, decl: { start: number; decorators: Decorator[] }, nameStart: number): number {
  const from = decl.decorators.length ? decl.decorators[decl.decorators.length - 1].end : decl.start;
  const i = text.indexOf(keyword, from);
  return i >= 0 && i <= nameStart ? i : decl.start;
}

function decoratorCall(decorators: Decorator[], name: string): Expression[] | undefined {
  for (const d of decorators) {
    const e = d.expression;
    if (e.kind === 'FunctionCall' && e.name.name.toLowerCase() === name) return e.args;
    if (e.kind === 'InstanceFunctionCall' && e.name.name.toLowerCase() === name) return e.args;
  }
  return undefined;
}

// ------------------------------------------------------------------ frames, symbols, instances

interface Ctx {
  frame: Frame;
  /** Loop variables, lambda and function parameters. */
  locals?: Map<string, Val>;
  /** Where spans written in a file other than the scanned one are placed. */
  callAt?: Span;
  /** The loop element span a resource read in this context inherits (a module loop whose element comes from the scanned file). */
  loopAt?: Span;
  /** Nested resource symbols visible by their simple name (inside a parent's body). */
  nested?: Map<string, ResSymbol>;
}

class Lazy<T> {
  private state: 0 | 1 | 2 = 0;
  private value?: T;
  constructor(
    private f: () => T,
    private onCycle: () => T,
  ) {}
  get(): T {
    if (this.state === 2) return this.value as T;
    if (this.state === 1) return this.onCycle();
    this.state = 1;
    try {
      this.value = this.f();
    } catch (err) {
      this.state = 0;
      throw err;
    }
    this.state = 2;
    return this.value as T;
  }
}

class Frame {
  params = new Map<string, Lazy<Val>>();
  vars = new Map<string, Lazy<Val>>();
  funcs = new Map<string, FunctionDeclaration>();
  types = new Map<string, TypeDeclaration>();
  symbols = new Map<string, ResSymbol | ModSymbol>();
  outputs = new Map<string, Lazy<Val>>();
  /** `import * as ns from './x.bicep'`: the frame of the imported file. */
  namespaces = new Map<string, Frame>();
  base: Ctx;
  constructor(
    readonly file: string,
    readonly text: string,
    readonly program: ProgramNode,
    readonly module: ModuleCall | undefined,
    readonly depth: number,
    callAt: Span | undefined,
    loopAt: Span | undefined,
    /** The module file paths on the call chain (cycle guard). */
    readonly chain: string[],
  ) {
    this.base = { frame: this, callAt, loopAt };
  }
}

interface Info {
  type: string;
  apiVersion?: string;
  nameVal: Val;
  name: string;
  fullName: string;
  knownName?: string;
}

class ResSymbol {
  private insts?: Lazy<ResInstance[]>;
  constructor(
    readonly reader: BicepReader,
    readonly decl: ResourceDeclaration,
    readonly ctx: Ctx,
    readonly parent?: ResInstance,
  ) {}
  get looped(): boolean {
    return this.decl.value.kind === 'ForExpression';
  }
  instances(): ResInstance[] {
    this.insts ??= new Lazy(
      () => this.reader.resourceInstances(this),
      () => [],
    );
    return this.insts.get();
  }
}

class ResInstance {
  readonly children = new Map<string, ResSymbol>();
  private infoL: Lazy<Info>;
  private resL: Lazy<Resource | undefined>;
  resource?: Resource;
  constructor(
    readonly reader: BicepReader,
    readonly sym: ResSymbol,
    readonly ctx: Ctx,
    readonly body: ObjectLiteral,
    readonly loopAt: Span | undefined,
  ) {
    this.infoL = new Lazy(
      () => reader.resourceInfo(this),
      () => ({ type: '', nameVal: { kind: 'unknown', text: sym.decl.name.name }, name: sym.decl.name.name, fullName: sym.decl.name.name }),
    );
    this.resL = new Lazy(
      () => reader.readResource(this),
      () => undefined,
    );
  }
  info(): Info {
    return this.infoL.get();
  }
  read(): Resource | undefined {
    return this.resL.get();
  }
}

class ModSymbol {
  private insts?: Lazy<ModInstance[]>;
  constructor(
    readonly reader: BicepReader,
    readonly decl: ModuleDeclaration,
    readonly ctx: Ctx,
  ) {}
  get looped(): boolean {
    return this.decl.value.kind === 'ForExpression';
  }
  instances(): ModInstance[] {
    this.insts ??= new Lazy(
      () => this.reader.moduleInstances(this),
      () => [],
    );
    return this.insts.get();
  }
}

class ModInstance {
  frame?: Frame;
  private readL: Lazy<void>;
  nameVal?: Val;
  constructor(
    readonly reader: BicepReader,
    readonly sym: ModSymbol,
    readonly ctx: Ctx,
    readonly body: ObjectLiteral,
    readonly element: Val | undefined,
  ) {
    this.readL = new Lazy(
      () => reader.readModule(this),
      () => undefined,
    );
  }
  read(): void {
    this.readL.get();
  }
}

// ------------------------------------------------------------------ the reader

class BicepReader {
  readonly resources: Resource[] = [];
  readonly outputs: Output[] = [];
  readonly notes: Deployment['notes'] = [];
  readonly moduleCalls: Deployment['moduleCalls'] = [];
  readonly texts = new Map<string, string>();
  /** Files looked for and not read (missing modules). */
  readonly unread = new Set<string>();
  /** JSON files read as modules, with the module line in the scanned file their findings sit on. */
  readonly jsonModules = new Map<string, Span>();
  /** The bicepconfig.json settings that apply in a folder. */
  private readonly bicepConfigs = new Map<string, BicepConfig>();
  readonly errors: BicepReadError[] = [];
  /** Every resource instance of every frame, for binding `existing` declarations. */
  private readonly allInstances: ResInstance[] = [];
  private readonly programs = new Map<string, { program: ProgramNode; errors: { message: string; start: number; end: number }[] } | undefined>();
  private readonly calls = new Map<string, ModuleCall>();
  private readonly frameOf = new Map<FunctionDeclaration, Frame>();
  private paramFile?: { file: string; values: Map<string, () => Val | undefined> };

  constructor(
    readonly root: string,
    private readonly options: BicepReadOptions,
  ) {}

  read(text: string): void {
    this.texts.set(this.root, text);
    const parsed = parseBicepShared(text);
    for (const e of parsed.errors) this.errors.push({ file: this.root, message: e.message, start: e.start, end: e.end });
    this.programs.set(this.root, parsed);
    if (this.options.parameters) this.readParameterFile(this.options.parameters);
    const frame = new Frame(this.root, text, parsed.program, undefined, 0, undefined, undefined, [this.root]);
    this.declare(frame, undefined);
    this.readFrame(frame);
    for (const s of frame.program.statements) {
      if (s.kind !== 'OutputDeclaration') continue;
      this.outputs.push({ name: s.name.name, type: this.outputType(s), value: frame.outputs.get(s.name.name)!.get(), at: this.declLine(frame.base, s, 'output', s.name.end) });
    }
  }

  // ---------------------------------------------------------------- parameter files

  private readParameterFile(p: { file: string; text: string }): void {
    this.texts.set(p.file, p.text);
    if (/\.json$/i.test(p.file)) {
      const doc = parseJsonDoc(p.file, p.text).doc;
      const values = doc ? member(doc.root, 'parameters')?.value : undefined;
      if (values?.kind !== 'object') return;
      const map = new Map<string, () => Val | undefined>();
      for (const [k, m] of values.members) map.set(k, () => member(m.value, 'value')?.value ?? { kind: 'unknown', text: m.key, at: m.keyAt, secureParam: m.key });
      this.paramFile = { file: p.file, values: map };
      return;
    }
    const parsed = parseBicepShared(p.text, 'bicepparam');
    for (const e of parsed.errors) this.errors.push({ file: p.file, message: e.message, start: e.start, end: e.end });
    const frame = new Frame(p.file, p.text, parsed.program, undefined, 0, undefined, undefined, [p.file]);
    this.declare(frame, undefined);
    const map = new Map<string, () => Val | undefined>();
    for (const s of parsed.program.statements) {
      if (s.kind !== 'ParameterAssignment' || !s.value) continue;
      const value = s.value;
      const lazy = new Lazy<Val>(
        () => this.ev(frame.base, value),
        () => this.unknownOf(frame.base, value),
      );
      frame.params.set(s.name.name, lazy);
      map.set(s.name.name.toLowerCase(), () => lazy.get());
    }
    this.paramFile = { file: p.file, values: map };
  }

  // ---------------------------------------------------------------- declarations of a frame

  /** Registers parameters, variables, functions, types, outputs and symbols of a frame (all lazy). */
  private declare(frame: Frame, args: { values: ObjectVal; propAt: Map<string, { at: Span; inRoot: boolean }>; callAt: Span } | undefined): void {
    const ctx = frame.base;
    for (const s of frame.program.statements) {
      switch (s.kind) {
        case 'TypeDeclaration':
          frame.types.set(s.name.name, s);
          break;
        case 'FunctionDeclaration':
          frame.funcs.set(s.name.name, s);
          this.frameOf.set(s, frame);
          break;
        case 'ParameterDeclaration': {
          const decl = s;
          frame.params.set(
            decl.name.name,
            new Lazy(
              () => (args ? this.moduleParam(frame, decl, args) : this.rootParam(frame, decl)),
              () => ({ kind: 'unknown', text: decl.name.name }),
            ),
          );
          break;
        }
        case 'VariableDeclaration': {
          const decl: VariableDeclaration = s;
          frame.vars.set(
            decl.name.name,
            new Lazy(
              () => {
                const v = this.ev(ctx, decl.value);
                return { ...v, origin: { kind: 'variable', name: decl.name.name, at: this.span(ctx, decl.value) } } as Val;
              },
              () => this.unknownOf(ctx, decl.value),
            ),
          );
          break;
        }
        case 'OutputDeclaration': {
          const decl = s;
          frame.outputs.set(
            decl.name.name,
            new Lazy(
              () => this.ev(ctx, decl.value),
              () => this.unknownOf(ctx, decl.value),
            ),
          );
          break;
        }
        case 'ImportDeclaration':
          this.importFrom(frame, s);
          break;
        case 'ResourceDeclaration':
          frame.symbols.set(s.name.name, new ResSymbol(this, s, ctx));
          break;
        case 'ModuleDeclaration':
          frame.symbols.set(s.name.name, new ModSymbol(this, s, ctx));
          break;
        default:
          break;
      }
    }
  }

  /**
   * Compile-time imports from a local `.bicep` file: its variables and functions (types carry no
   * values). Registry and JSON sources are not read: what they export stays unknown.
   */
  private importFrom(frame: Frame, decl: Extract<ProgramNode['statements'][number], { kind: 'ImportDeclaration' }>): void {
    const path = decl.from.kind === 'StringLiteral' ? decl.from.value ?? '' : '';
    if (!path || /^(br|ts)[:/]/i.test(path) || !/\.bicep$/i.test(path)) return;
    const full = join(dirname(frame.file), path);
    if (frame.chain.includes(full) || frame.depth + 1 > MAX_MODULE_DEPTH) return;
    const parsed = this.program(full);
    if (!parsed) return;
    // What the imported file writes is placed on the `import` line of the importing file.
    const source = new Frame(full, this.texts.get(full)!, parsed.program, frame.module, frame.depth + 1, this.span(frame.base, decl), frame.base.loopAt, [...frame.chain, full]);
    this.declare(source, undefined);
    const imports = decl.imports;
    if (imports.kind === 'WildcardImport') {
      frame.namespaces.set(imports.alias.name, source);
      return;
    }
    if (imports.kind !== 'ImportedSymbolsList') return;
    for (const sym of imports.symbols) {
      if (sym.kind !== 'ImportedSymbol') continue;
      const name = sym.name.kind === 'Identifier' ? sym.name.name : sym.name.value ?? '';
      const alias = sym.alias?.name ?? name;
      const v = source.vars.get(name);
      if (v) frame.vars.set(alias, v);
      const f = source.funcs.get(name);
      if (f) frame.funcs.set(alias, f);
    }
  }

  /** Reads every resource and module of a frame, in source order. */
  private readFrame(frame: Frame): void {
    for (const s of frame.program.statements) {
      if (s.kind !== 'ResourceDeclaration' && s.kind !== 'ModuleDeclaration') continue;
      const sym = frame.symbols.get(s.name.name);
      if (sym instanceof ResSymbol) for (const i of sym.instances()) i.read();
      else if (sym instanceof ModSymbol) for (const i of sym.instances()) i.read();
    }
  }

  private isNullableType(frame: Frame, t: TypeExpression, depth = 0): boolean {
    if (t.kind === 'NullableType') return true;
    if (t.kind === 'ParenthesizedType') return this.isNullableType(frame, t.type, depth + 1);
    if (t.kind === 'TypeReference' && depth < 8) {
      const d = frame.types.get(t.name);
      return !!d && this.isNullableType(frame, d.value, depth + 1);
    }
    return false;
  }

  private allowedOf(ctx: Ctx, decl: ParameterDeclaration): Origin['allowed'] {
    const args = decoratorCall(decl.decorators, 'allowed');
    if (!args?.[0]) return undefined;
    const values = toJson(this.ev(ctx, args[0]));
    if (!Array.isArray(values)) return undefined;
    const dec = decl.decorators.find((d) => d.start <= args[0].start && args[0].end <= d.end)!;
    return { values, at: this.span(ctx, dec) };
  }

  private rootParam(frame: Frame, decl: ParameterDeclaration): Val {
    const ctx = frame.base;
    const name = decl.name.name;
    const allowed = this.allowedOf(ctx, decl);
    const secure = !!decoratorCall(decl.decorators, 'secure');
    const fromFile = this.paramFile?.values.get(name.toLowerCase())?.();
    if (fromFile) {
      const v = secure && fromFile.kind !== 'prim' ? { ...fromFile, secureParam: name } : fromFile;
      return { ...v, origin: { kind: 'parameterFile', name, at: fromFile.at, allowed } } as Val;
    }
    return this.declaredParam(frame, decl, allowed, secure);
  }

  /** A parameter's value from its declaration alone: its default, null when nullable, else unknown. */
  private declaredParam(frame: Frame, decl: ParameterDeclaration, allowed: Origin['allowed'], secure: boolean): Val {
    const ctx = frame.base;
    const name = decl.name.name;
    if (decl.defaultValue) {
      const v = this.ev(ctx, decl.defaultValue);
      const value = secure && v.kind !== 'prim' ? { ...v, secureParam: name } : v;
      return { ...value, origin: { kind: 'parameter', name, at: this.span(ctx, decl.defaultValue), allowed } } as Val;
    }
    if (this.isNullableType(frame, decl.type)) return { kind: 'prim', value: null, origin: { kind: 'parameter', name, allowed } };
    return { kind: 'unknown', text: name, origin: { kind: 'parameter', name, allowed }, secureParam: secure ? name : undefined };
  }

  private moduleParam(frame: Frame, decl: ParameterDeclaration, args: { values: ObjectVal; propAt: Map<string, { at: Span; inRoot: boolean }>; callAt: Span }): Val {
    const name = decl.name.name;
    const key = name.toLowerCase();
    const arg = args.values.members.get(key);
    if (arg && !isNull(arg.value)) return arg.value;
    // Not passed (or passed null): the module default applies, seen from the caller on the argument or the call.
    const prop = args.propAt.get(key);
    const at = !arg ? args.callAt : prop?.inRoot ? prop.at : arg.value.at ?? args.callAt;
    const secure = !!decoratorCall(decl.decorators, 'secure');
    const v = this.declaredParam(frame, decl, undefined, secure);
    if (v.kind === 'unknown') return { ...v, at };
    return relocate(v, at, { kind: 'moduleDefault', name, at });
  }

  // ---------------------------------------------------------------- spans

  /** A span of the frame's file, placed for the scanned file. */
  span(ctx: Ctx, node: { start: number; end: number }): Span {
    const s: Span = { file: ctx.frame.file, start: node.start, end: node.end };
    return this.place(ctx, s);
  }

  place(ctx: Ctx, s: Span): Span {
    if (s.file === this.root || !ctx.callAt) return s;
    return ctx.callAt;
  }

  private inRoot(s: Span | undefined): boolean {
    return !!s && s.file === this.root;
  }

  private src(ctx: Ctx, node: { start: number; end: number }): string {
    return ctx.frame.text.slice(node.start, node.end);
  }

  /** The `resource` / `module` / `output` line of a declaration: from the keyword to `end`. */
  private declLine(ctx: Ctx, decl: { start: number; decorators: Decorator[] }, keyword: string, end: number): Span {
    const start = declKeywordStart(ctx.frame.text, keyword, decl, end);
    return this.span(ctx, { start, end });
  }

  private unknownOf(ctx: Ctx, node: { start: number; end: number }, extra: Partial<UnknownVal> = {}): Linked {
    return { kind: 'unknown', text: this.src(ctx, node), at: this.span(ctx, node), ...extra };
  }

  private outputType(s: OutputDeclaration): string {
    const secure = !!decoratorCall(s.decorators, 'secure');
    let t: TypeExpression = s.type;
    if (t.kind === 'NullableType') t = t.base;
    const name = t.kind === 'TypeReference' ? t.name.toLowerCase() : t.kind === 'ResourceType' ? 'resource' : t.kind === 'ArrayType' ? 'array' : 'object';
    if (secure) return name === 'object' ? 'secureobject' : 'securestring';
    return name;
  }

  // ---------------------------------------------------------------- resources

  /** Expands a resource declaration into its instances: condition known false → none; loop over a known array → one per element. */
  resourceInstances(sym: ResSymbol): ResInstance[] {
    const out: ResInstance[] = [];
    for (const b of this.bodies(sym.ctx, sym.decl.value)) {
      const inst = new ResInstance(this, sym, b.ctx, b.body, b.loopAt);
      out.push(inst);
      this.allInstances.push(inst);
    }
    return out;
  }

  /**
   * The bodies of a resource/module declaration value with the context each is evaluated in:
   * `{...}`, `if (c) {...}` (skipped when c is known false), `[for x in xs: ...]` (one per element
   * of a known array, once with unknown loop variables otherwise).
   */
  private bodies(ctx: Ctx, value: ObjectLiteral | IfCondition | ForExpression | Skipped): { ctx: Ctx; body: ObjectLiteral; loopAt?: Span; element?: Val }[] {
    if (value.kind === 'ObjectLiteral') return [{ ctx, body: value }];
    if (value.kind === 'IfCondition') {
      if (value.body.kind !== 'ObjectLiteral') return [];
      const c = toJson(this.ev(ctx, value.condition));
      if (isFalse(c)) return [];
      return [{ ctx, body: value.body }];
    }
    if (value.kind !== 'ForExpression') return [];
    const f = value;
    const iter = this.ev(ctx, f.iterable);
    const inner = f.body.kind === 'IfCondition' ? f.body.body : f.body;
    if (inner.kind !== 'ObjectLiteral') return [];
    const cond = f.body.kind === 'IfCondition' ? f.body.condition : undefined;
    const out: { ctx: Ctx; body: ObjectLiteral; loopAt?: Span; element?: Val }[] = [];
    const one = (item: Val, index: Val, known: boolean): void => {
      const locals = new Map(ctx.locals ?? []);
      if (!f.item.missing) locals.set(f.item.name, item);
      if (f.index) locals.set(f.index.name, index);
      let c: Ctx = { ...ctx, locals };
      let loopAt: Span | undefined;
      if (known) {
        loopAt = item.at ?? this.span(ctx, inner);
        // A loop in a module file over elements the scanned file writes: what the element's resources
        // do not write themselves sits on the element (conventions 8 / R9), not on the module line.
        const elementInRoot = ctx.frame.file !== this.root && this.inRoot(item.at);
        if (elementInRoot) c = { ...c, callAt: item.at, loopAt: item.at };
      } else loopAt = this.span(ctx, inner);
      if (cond && isFalse(toJson(this.ev(c, cond)))) return;
      out.push({ ctx: c, body: inner, loopAt, element: known ? item : undefined });
    };
    if (iter.kind === 'array') {
      iter.items.slice(0, MAX_COPY).forEach((item, i) => {
        const it = iter.origin && !item.origin ? ({ ...item, origin: partOrigin(iter.origin) } as Val) : item;
        one(it, { kind: 'prim', value: i, at: it.at }, true);
      });
    } else if (iter.kind === 'object') {
      // `for x in obj` is not valid Bicep (items() is); treat as unknown.
      one(this.unknownOf(ctx, f.item), this.unknownOf(ctx, f.index ?? f.item), false);
    } else if (!isNull(iter)) {
      const item = taint(f.item.missing ? '?' : f.item.name, this.span(ctx, f.item), [iter]);
      one(item, { kind: 'unknown', text: f.index?.name ?? 'index', at: this.span(ctx, f) }, false);
    }
    return out;
  }

  /** Type, apiVersion and name of a resource instance (what references to it need). */
  resourceInfo(inst: ResInstance): Info {
    const decl = inst.sym.decl;
    const ctx = this.instanceCtx(inst);
    const ts = decl.typeString.kind === 'StringLiteral' ? decl.typeString.value ?? '' : '';
    const at = ts.lastIndexOf('@');
    let type = at >= 0 ? ts.slice(0, at) : ts;
    const apiVersion = at >= 0 ? ts.slice(at + 1) : undefined;
    const parent = this.parentOf(inst);
    const pinfo = parent?.info();
    if (pinfo && !/^[^/]*\./.test(type)) type = `${pinfo.type}/${type}`;
    const nameProp = this.property(inst.body, 'name');
    const nameVal: Val = nameProp ? this.ev(ctx, nameProp.value) : { kind: 'unknown', text: decl.name.name, at: this.declLine(ctx, decl, 'resource', decl.typeString.end) };
    const p = prim(nameVal);
    const known = typeof p === 'string' || typeof p === 'number' ? String(p) : undefined;
    const name = known ?? (nameVal.kind === 'unknown' ? nameVal.text : nameProp ? this.src(ctx, nameProp.value) : decl.name.name);
    const fullName = pinfo ? `${pinfo.fullName}/${name}` : name;
    const knownName = pinfo ? (pinfo.knownName && known !== undefined ? `${pinfo.knownName}/${known}` : undefined) : known;
    return { type, apiVersion, nameVal, name, fullName, knownName };
  }

  /** The context a resource body is evaluated in: its own, with its nested (and sibling) symbols visible. */
  private instanceCtx(inst: ResInstance): Ctx {
    const nested = new Map(inst.ctx.nested ?? []);
    for (const m of inst.body.members) if (m.kind === 'ResourceDeclaration') nested.set(m.name.name, this.childSymbol(inst, m));
    return { ...inst.ctx, nested };
  }

  private childSymbol(inst: ResInstance, decl: ResourceDeclaration): ResSymbol {
    let s = inst.children.get(decl.name.name);
    if (!s) {
      const nested = new Map(inst.ctx.nested ?? []);
      s = new ResSymbol(this, decl, { ...inst.ctx, nested }, inst);
      inst.children.set(decl.name.name, s);
      for (const m of inst.body.members) if (m.kind === 'ResourceDeclaration' && m !== decl) nested.set(m.name.name, this.childSymbol(inst, m));
      nested.set(decl.name.name, s);
    }
    return s;
  }

  /** The parent instance: the enclosing resource of a nested declaration, or the one `parent:` names. */
  private parentOf(inst: ResInstance): ResInstance | undefined {
    if (inst.sym.parent) return inst.sym.parent;
    const p = this.property(inst.body, 'parent');
    if (!p) return undefined;
    const v = this.ev(this.instanceCtx(inst), p.value) as Linked;
    const link = v.kind === 'unknown' ? v[LINK] : undefined;
    return link instanceof ResInstance ? link : undefined;
  }

  private property(obj: ObjectLiteral, key: string): ObjectProperty | undefined {
    for (const m of obj.members) if (m.kind === 'ObjectProperty' && m.keyName?.toLowerCase() === key) return m;
    return undefined;
  }

  readResource(inst: ResInstance): Resource | undefined {
    const decl = inst.sym.decl;
    const info = inst.info();
    if (!info.type) return undefined;
    const ctx = this.instanceCtx(inst);
    const parentInst = this.parentOf(inst);
    // A nested child is read while its parent is being read: the parent's Resource exists by then.
    const parent = parentInst ? parentInst.resource ?? parentInst.read() : undefined;
    let spread: Val | undefined;
    const raw = this.evObject(ctx, inst.body, 0, (v) => (spread = v)) as ObjectVal;
    const body: ObjectVal = { ...raw, members: new Map(raw.members) };
    body.members.delete('parent');
    if (spread) {
      // A spread that cannot be known may carry any property: what is not written explicitly is unknown, never absent.
      for (const k of ['properties', 'sku', 'identity', 'tags', 'location', 'kind', 'zones'])
        if (!body.members.has(k)) body.members.set(k, { key: k, value: taint(this.src(ctx, inst.body), body.at, [spread]) });
    }
    const typeAt = this.span(ctx, decl.typeString);
    const typeMember: Member = { key: 'type', keyAt: typeAt, value: { kind: 'prim', value: info.type, at: typeAt } };
    const members = new Map<string, Member>([['type', typeMember]]);
    if (info.apiVersion) members.set('apiversion', { key: 'apiVersion', keyAt: typeAt, value: { kind: 'prim', value: info.apiVersion, at: typeAt } });
    for (const [k, m] of body.members) members.set(k, m);
    body.members = members;
    const resource: Resource = {
      type: info.type,
      apiVersion: info.apiVersion,
      name: info.name,
      fullName: info.fullName,
      knownName: info.knownName,
      body,
      declAt: this.declLine(ctx, decl, 'resource', decl.typeString.end),
      loopAt: inst.loopAt ?? ctx.loopAt,
      existing: decl.existing,
      parent,
      children: [],
      scope: body.members.get('scope')?.value,
      module: ctx.frame.module,
      source: 'bicep',
      childrenRead: true,
    };
    inst.resource = resource;
    if (parent) parent.children.push(resource);
    this.resources.push(resource);
    for (const m of inst.body.members) {
      if (m.kind !== 'ResourceDeclaration') continue;
      for (const c of this.childSymbol(inst, m).instances()) c.read();
    }
    return resource;
  }

  /** The body an `existing` declaration stands for: the resource declared elsewhere with the same type and name (convention 9). */
  private boundInstance(inst: ResInstance): ResInstance {
    if (!inst.sym.decl.existing) return inst;
    const info = inst.info();
    const names = new Set([info.fullName.toLowerCase(), info.knownName?.toLowerCase()].filter((x): x is string => !!x));
    for (const o of this.allInstances) {
      if (o === inst || o.sym.decl.existing) continue;
      const oi = o.info();
      if (oi.type.toLowerCase() !== info.type.toLowerCase()) continue;
      if (names.has(oi.fullName.toLowerCase()) || (oi.knownName && names.has(oi.knownName.toLowerCase()))) return o;
    }
    return inst;
  }

  // ---------------------------------------------------------------- modules

  moduleInstances(sym: ModSymbol): ModInstance[] {
    return this.bodies(sym.ctx, sym.decl.value).map((b) => new ModInstance(this, sym, b.ctx, b.body, b.element));
  }

  private moduleCallOf(ctx: Ctx, decl: ModuleDeclaration): ModuleCall {
    const key = `${ctx.frame.file}|${decl.start}|${ctx.frame.module ? this.callKey(ctx.frame.module) : ''}`;
    let mc = this.calls.get(key);
    if (!mc) {
      const start = declKeywordStart(ctx.frame.text, 'module', decl, decl.name.start);
      mc = { declAt: { file: ctx.frame.file, start, end: decl.path.end }, file: ctx.frame.file, parent: ctx.frame.module };
      this.calls.set(key, mc);
    }
    return mc;
  }

  private callKey(m: ModuleCall): string {
    return `${m.file}:${m.declAt.start}<${m.parent ? this.callKey(m.parent) : ''}`;
  }

  readModule(inst: ModInstance): void {
    const decl = inst.sym.decl;
    const ctx = inst.ctx;
    const path = decl.path.kind === 'StringLiteral' ? decl.path.value ?? '' : '';
    const mc = this.moduleCallOf(ctx, decl);
    const lineAt = this.place(ctx, mc.declAt);
    // Arguments: written values are the caller's (origin 'argument', on the argument property).
    const values: ObjectVal = { kind: 'object', members: new Map(), at: lineAt };
    const propAt = new Map<string, { at: Span; inRoot: boolean }>();
    const paramsProp = this.property(inst.body, 'params');
    if (paramsProp) {
      values.at = this.span(ctx, paramsProp.value);
      if (paramsProp.value.kind === 'ObjectLiteral') {
        for (const m of paramsProp.value.members) {
          if (m.kind === 'ObjectProperty' && m.keyName !== null) {
            const raw: Span = { file: ctx.frame.file, start: m.start, end: m.end };
            const at = this.place(ctx, raw);
            const v = this.ev(ctx, m.value);
            const value = v.origin ? v : ({ ...v, at, origin: { kind: 'argument', name: m.keyName, at } } as Val);
            values.members.set(m.keyName.toLowerCase(), { key: m.keyName, keyAt: this.span(ctx, m.key), value });
            propAt.set(m.keyName.toLowerCase(), { at, inRoot: raw.file === this.root });
          } else if (m.kind === 'SpreadExpression') {
            const v = this.ev(ctx, m.expression);
            if (v.kind === 'object') for (const [k, mm] of v.members) values.members.set(k, mm);
          }
        }
      } else {
        const v = this.ev(ctx, paramsProp.value);
        if (v.kind === 'object') for (const [k, m] of v.members) values.members.set(k, m);
      }
    }
    const nameProp = this.property(inst.body, 'name');
    const nameVal = nameProp ? this.ev(ctx, nameProp.value) : { kind: 'prim' as const, value: decl.name.name };
    inst.nameVal = nameVal;
    const np = prim(nameVal);
    const callName = typeof np === 'string' ? np : nameVal.kind === 'unknown' ? nameVal.text : decl.name.name;
    const declAt = mc.declAt;
    if (/^(br|ts)[:/]/i.test(path)) {
      this.moduleCalls.push({ name: callName, declAt, args: values, path });
      const cached = this.cachedRegistryModule(ctx.frame.file, path);
      if (cached && this.readJsonModule(ctx, path, cached.file, mc, values, lineAt, true, cached.templateSpec)) return;
      const what = /^ts[:/]/i.test(path) ? 'template spec' : 'registry module';
      const why = cached ? "it is not in the Bicep CLI's local module cache: run `bicep restore`" : 'its alias is not in a bicepconfig.json, or the reference is not one the Bicep CLI restores';
      this.note(`${what} '${path}' is not followed (${why}): what it deploys is not checked`, lineAt);
      return;
    }
    this.moduleCalls.push({ name: callName, declAt, args: values, path });
    if (!path) return;
    const full = join(dirname(ctx.frame.file), path);
    if (/\.json$/i.test(path)) {
      this.readJsonModule(ctx, path, full, mc, values, lineAt);
      return;
    }
    if (ctx.frame.depth + 1 > MAX_MODULE_DEPTH) {
      this.note(`modules nested deeper than ${MAX_MODULE_DEPTH} levels are not followed`, lineAt);
      return;
    }
    if (ctx.frame.chain.includes(full)) {
      this.note(`module '${path}' calls itself: not followed again`, lineAt);
      return;
    }
    const parsed = this.program(full);
    if (!parsed) {
      this.note(`module '${path}' could not be read: what it deploys is not checked`, lineAt);
      return;
    }
    if (parsed.errors.length) this.note(`module '${path}' has syntax errors (${parsed.errors[0].message}): only what parsed is checked`, lineAt);
    // Where the module's own text is placed in the caller: the `module` line (R4), or, for a loop in
    // a module file over elements the scanned file writes, that element (bodies() set it as callAt).
    const callAt = lineAt;
    const frame = new Frame(full, this.texts.get(full)!, parsed.program, mc, ctx.frame.depth + 1, callAt, ctx.loopAt, [...ctx.frame.chain, full]);
    inst.frame = frame;
    this.declare(frame, { values, propAt, callAt });
    this.readFrame(frame);
  }

  /**
   * A `module` of a JSON file (an ARM template, compiled Bicep): read by the ARM reader as a
   * module called with these arguments. What it deploys is placed on the module line, as for a
   * Bicep module; its file is read-only to fixes (the Bicep writer does not write JSON).
   */
  private readJsonModule(ctx: Ctx, path: string, full: string, mc: ModuleCall, args: ObjectVal, lineAt: Span, quietWhenMissing = false, templateSpec = false): boolean {
    if (ctx.frame.depth + 1 > MAX_MODULE_DEPTH) {
      this.note(`modules nested deeper than ${MAX_MODULE_DEPTH} levels are not followed`, lineAt);
      return true;
    }
    const text = this.readText(full);
    if (text === undefined) {
      if (!quietWhenMissing) this.note(`module '${path}' could not be read: what it deploys is not checked`, lineAt);
      return false;
    }
    const { doc, error } = parseJsonDoc(full, text);
    // A cached template spec is the version resource; its template is `properties.mainTemplate`.
    const root = doc && templateSpec ? member(member(doc.root, 'properties')?.value, 'mainTemplate')?.value : doc?.root;
    if (!root || root.kind !== 'object' || !isTemplate(root)) {
      const what = templateSpec ? `cached template spec '${path}'` : `JSON module '${path}'`;
      const problem = error ? `does not parse (${error.message})` : templateSpec ? 'has no ARM template in properties.mainTemplate' : 'is not an ARM template';
      this.note(`${what} ${problem}: what it deploys is not checked`, lineAt);
      return true;
    }
    this.texts.set(full, text);
    this.jsonModules.set(full, lineAt);
    const arm = new ArmTemplateReader(full, (p) => this.readText(p));
    arm.readModule(root, mc, args, ctx.frame.depth + 1, lineAt);
    this.resources.push(...arm.resources);
    this.moduleCalls.push(...arm.moduleCalls);
    for (const n of arm.notes) this.note(n.message, lineAt);
    // The templates it links are placed on this module line too.
    for (const [f, t] of arm.texts) {
      this.texts.set(f, t);
      this.jsonModules.set(f, lineAt);
    }
    return true;
  }

  /**
   * Where the Bicep CLI restores a registry module (`br:` / `br/<alias>:`) or a template spec
   * (`ts:` / `ts/<alias>:`): its cached `main.json`. Undefined for a reference it cannot restore
   * (a malformed one, an alias no bicepconfig.json defines).
   */
  private cachedRegistryModule(callerFile: string, path: string): { file: string; templateSpec: boolean } | undefined {
    const dir = dirname(callerFile);
    let cfg = this.bicepConfigs.get(dir);
    if (!cfg) this.bicepConfigs.set(dir, (cfg = bicepConfigFor(callerFile, (p) => this.readText(p, false))));
    const root = cfg.cacheRoot ?? this.options.moduleCacheRoot ?? defaultCacheRoot();
    const spec = parseTemplateSpecReference(path, cfg.templateSpecAliases);
    if (spec) return { file: cachedTemplateSpecPath(spec, root), templateSpec: true };
    const ref = parseOciReference(path, cfg.aliases);
    return ref && { file: cachedModulePath(ref, root), templateSpec: false };
  }

  /** A module file's text (without a byte-order mark), undefined when it cannot be read (then remembered as unread, unless `remember` is false). */
  private readText(full: string, remember = true): string | undefined {
    const text = readNamedFile(this.options.readFile, full);
    if (text === undefined && remember) this.unread.add(full);
    return text;
  }

  private program(full: string): { program: ProgramNode; errors: { message: string; start: number; end: number }[] } | undefined {
    if (this.programs.has(full)) return this.programs.get(full);
    const text = this.readText(full);
    if (text === undefined) {
      this.programs.set(full, undefined);
      return undefined;
    }
    this.texts.set(full, text);
    const parsed = parseBicepShared(text);
    this.programs.set(full, parsed);
    return parsed;
  }

  private note(message: string, at: Span): void {
    if (!this.notes.some((n) => n.message === message && n.at.start === at.start && n.at.file === at.file)) this.notes.push({ message, at });
  }

  // ---------------------------------------------------------------- expressions

  ev(ctx: Ctx, e: Expression, depth = 0): Val {
    if (depth > MAX_EVAL_DEPTH) return this.unknownOf(ctx, e);
    const d = depth + 1;
    switch (e.kind) {
      case 'StringLiteral':
        return this.evString(ctx, e, d);
      case 'IntegerLiteral':
        return { kind: 'prim', value: e.value, at: this.span(ctx, e) };
      case 'BooleanLiteral':
        return { kind: 'prim', value: e.value, at: this.span(ctx, e) };
      case 'NullLiteral':
        return { kind: 'prim', value: null, at: this.span(ctx, e) };
      case 'ArrayLiteral': {
        const items: Val[] = [];
        for (const it of e.items) {
          if (it.kind === 'SpreadExpression') {
            const v = this.ev(ctx, it.expression, d);
            if (v.kind === 'array') items.push(...v.items);
            else return taint(this.src(ctx, e), this.span(ctx, e), [v]);
          } else items.push(this.ev(ctx, it, d));
        }
        return { kind: 'array', items, at: this.span(ctx, e) };
      }
      case 'ObjectLiteral':
        return this.evObject(ctx, e, d);
      case 'VariableAccess':
        return this.lookup(ctx, e.name, e);
      case 'ParenthesizedExpression':
        return this.ev(ctx, e.expression, d);
      case 'NonNullAssertion':
        return this.ev(ctx, e.base, d);
      case 'PropertyAccess': {
        if (e.base.kind === 'VariableAccess' && !this.isDeclared(ctx, e.base.name)) {
          const ns = ctx.frame.namespaces.get(e.base.name);
          const v = ns?.vars.get(e.property.name);
          if (ns) return v ? v.get() : this.unknownOf(ctx, e);
        }
        return this.access(ctx, this.ev(ctx, e.base, d), e.property.name, e.safe, e);
      }
      case 'ArrayAccess': {
        const base = this.ev(ctx, e.base, d);
        const index = this.ev(ctx, e.index, d);
        if (index.kind !== 'prim') return taint(this.src(ctx, e), this.span(ctx, e), [base, index]);
        if (base.kind === 'array' && typeof index.value === 'number') {
          const i = e.fromEnd ? base.items.length - index.value : index.value;
          const item = base.items[i];
          if (item) return base.origin && !item.origin ? ({ ...item, origin: partOrigin(base.origin) } as Val) : item;
          return e.safe ? { kind: 'prim', value: null, at: this.span(ctx, e) } : this.unknownOf(ctx, e);
        }
        return this.access(ctx, base, String(index.value), e.safe, e);
      }
      case 'ResourceAccess': {
        const base = this.ev(ctx, e.base, d) as Linked;
        const link = base.kind === 'unknown' ? base[LINK] : undefined;
        const nd = link instanceof ResInstance ? this.nestedDecl(link, e.name.name) : undefined;
        if (link instanceof ResInstance && nd) return this.symbolValue(ctx, this.childSymbol(link, nd), e);
        return this.unknownOf(ctx, e);
      }
      case 'UnaryOperation': {
        const v = this.ev(ctx, e.operand, d);
        if (e.operator === '!') return this.fn(ctx, e, 'not', [v]);
        const p = prim(v);
        return typeof p === 'number' ? { kind: 'prim', value: -p, at: this.span(ctx, e) } : taint(this.src(ctx, e), this.span(ctx, e), [v]);
      }
      case 'BinaryOperation':
        return this.evBinary(ctx, e, d);
      case 'TernaryOperation': {
        const c = this.ev(ctx, e.condition, d);
        if (c.kind !== 'prim') return taint(this.src(ctx, e), this.span(ctx, e), [this.ev(ctx, e.whenTrue, d), this.ev(ctx, e.whenFalse, d)]);
        return truthy(c.value) ? this.ev(ctx, e.whenTrue, d) : this.ev(ctx, e.whenFalse, d);
      }
      case 'FunctionCall':
        return this.call(ctx, e.name.name, e.args, e, d);
      case 'InstanceFunctionCall': {
        if (e.base.kind === 'VariableAccess' && (e.base.name === 'az' || e.base.name === 'sys') && !this.isDeclared(ctx, e.base.name)) return this.call(ctx, e.name.name, e.args, e, d);
        const ns = e.base.kind === 'VariableAccess' && !this.isDeclared(ctx, e.base.name) ? ctx.frame.namespaces.get(e.base.name) : undefined;
        const nsFn = ns?.funcs.get(e.name.name);
        if (ns && nsFn) return this.userCall(ctx, nsFn, e.args, e, d, ns);
        const base = this.ev(ctx, e.base, d);
        const fname = e.name.name.toLowerCase();
        if (fname.startsWith('list')) {
          const ref = base.kind === 'unknown' ? base.ref : undefined;
          return this.unknownOf(ctx, e, { keysOf: [ref?.type ?? 'unknown'], ref });
        }
        if (fname === 'getsecret') return this.unknownOf(ctx, e, { secureParam: this.src(ctx, e) });
        return taint(this.src(ctx, e), this.span(ctx, e), [base, ...e.args.map((a) => this.ev(ctx, a, d))]);
      }
      case 'Lambda': {
        const u = this.unknownOf(ctx, e);
        u[LAMBDA] = { params: e.parameters.map((p) => p.name), body: e.body, ctx };
        return u;
      }
      case 'ForExpression':
        return this.evFor(ctx, e, d);
      case 'Skipped':
        return this.unknownOf(ctx, e);
    }
  }

  private nestedDecl(inst: ResInstance, name: string): ResourceDeclaration | undefined {
    for (const m of inst.body.members) if (m.kind === 'ResourceDeclaration' && m.name.name === name) return m;
    return undefined;
  }

  private isDeclared(ctx: Ctx, name: string): boolean {
    const f = ctx.frame;
    return !!(ctx.locals?.has(name) || f.vars.has(name) || f.params.has(name) || f.symbols.has(name));
  }

  private evString(ctx: Ctx, e: StringLiteral, d: number): Val {
    const at = this.span(ctx, e);
    if (e.value !== null && e.expressions.length === 0) return { kind: 'prim', value: e.value, at };
    const parts = e.expressions.map((x) => this.ev(ctx, x, d));
    if (parts.every((p) => p.kind === 'prim' || toJson(p) !== undefined)) {
      let s = e.segments[0];
      parts.forEach((p, i) => {
        s += renderPart(p) + e.segments[i + 1];
      });
      return { kind: 'prim', value: s, at };
    }
    const u: Linked = taint('', at, parts);
    let text = e.segments[0];
    parts.forEach((p, i) => {
      text += (renderPart(p) ?? `\${${this.src(ctx, e.expressions[i])}}`) + e.segments[i + 1];
    });
    u.text = text;
    u[TEMPLATE] = true;
    return u;
  }

  /** An object literal; `unknownSpread` is set to the value of a spread that cannot be known. */
  evObject(ctx: Ctx, e: ObjectLiteral, d = 0, unknownSpread?: (v: Val) => void): ObjectVal | UnknownVal {
    const members = new Map<string, Member>();
    const at = this.span(ctx, e);
    for (const m of e.members) {
      if (m.kind === 'ObjectProperty') {
        let key = m.keyName;
        if (key === null && m.key.kind === 'StringLiteral') {
          const k = this.evString(ctx, m.key, d);
          key = k.kind === 'prim' ? String(k.value) : k.kind === 'unknown' ? k.text : null;
        }
        if (key === null) continue;
        members.set(key.toLowerCase(), { key, keyAt: this.span(ctx, m.key), value: this.ev(ctx, m.value, d) });
      } else if (m.kind === 'SpreadExpression') {
        const v = this.ev(ctx, m.expression, d);
        if (v.kind === 'object') for (const [k, mm] of v.members) members.set(k, mm);
        else if (!isNull(v)) {
          if (!unknownSpread) return taint(this.src(ctx, e), at, [v]);
          unknownSpread(v);
        }
      }
    }
    return { kind: 'object', members, at };
  }

  private evBinary(ctx: Ctx, e: Extract<Expression, { kind: 'BinaryOperation' }>, d: number): Val {
    if (e.operator === '??') {
      const l = this.ev(ctx, e.left, d);
      if (l.kind === 'unknown') return l;
      if (!isNull(l)) return l;
      return this.ev(ctx, e.right, d);
    }
    if (e.operator === '&&' || e.operator === '||') {
      const l = toJson(this.ev(ctx, e.left, d));
      const want = e.operator === '||';
      if (l !== undefined && truthy(l) === want) return { kind: 'prim', value: want, at: this.span(ctx, e) };
      const r = toJson(this.ev(ctx, e.right, d));
      if (r !== undefined && truthy(r) === want) return { kind: 'prim', value: want, at: this.span(ctx, e) };
      if (l === undefined || r === undefined) return this.unknownOf(ctx, e);
      return { kind: 'prim', value: !want, at: this.span(ctx, e) };
    }
    const l = this.ev(ctx, e.left, d);
    const r = this.ev(ctx, e.right, d);
    switch (e.operator) {
      case '==':
        return this.fn(ctx, e, 'equals', [l, r]);
      case '!=':
        return this.fn(ctx, e, 'not', [this.fn(ctx, e, 'equals', [l, r])]);
      case '=~':
      case '!~': {
        const lj = toJson(l);
        const rj = toJson(r);
        if (lj === undefined || rj === undefined) return taint(this.src(ctx, e), this.span(ctx, e), [l, r]);
        const eq = typeof lj === 'string' && typeof rj === 'string' ? lj.toLowerCase() === rj.toLowerCase() : JSON.stringify(lj) === JSON.stringify(rj);
        return { kind: 'prim', value: e.operator === '=~' ? eq : !eq, at: this.span(ctx, e) };
      }
      case '<':
        return this.fn(ctx, e, 'less', [l, r]);
      case '<=':
        return this.fn(ctx, e, 'lessOrEquals', [l, r]);
      case '>':
        return this.fn(ctx, e, 'greater', [l, r]);
      case '>=':
        return this.fn(ctx, e, 'greaterOrEquals', [l, r]);
      case '+':
        return this.fn(ctx, e, 'add', [l, r]);
      case '-':
        return this.fn(ctx, e, 'sub', [l, r]);
      case '*':
        return this.fn(ctx, e, 'mul', [l, r]);
      case '/':
        return this.fn(ctx, e, 'div', [l, r]);
      case '%':
        return this.fn(ctx, e, 'mod', [l, r]);
      default:
        return this.unknownOf(ctx, e);
    }
  }

  private evFor(ctx: Ctx, e: ForExpression, d: number): Val {
    const iter = this.ev(ctx, e.iterable, d);
    const at = this.span(ctx, e);
    if (iter.kind !== 'array') return isNull(iter) ? { kind: 'array', items: [], at } : taint(this.src(ctx, e), at, [iter]);
    const body = e.body;
    if (body.kind === 'IfCondition') return this.unknownOf(ctx, e);
    const items: Val[] = [];
    iter.items.slice(0, 5000).forEach((item, i) => {
      const locals = new Map(ctx.locals ?? []);
      const it = iter.origin && !item.origin ? ({ ...item, origin: partOrigin(iter.origin) } as Val) : item;
      if (!e.item.missing) locals.set(e.item.name, it);
      if (e.index) locals.set(e.index.name, { kind: 'prim', value: i, at: it.at });
      items.push(this.ev({ ...ctx, locals }, body, d));
    });
    return { kind: 'array', items, at };
  }

  /** A name: loop variable / lambda parameter, variable, parameter, resource or module symbol. */
  private lookup(ctx: Ctx, name: string, node: Expression): Val {
    const local = ctx.locals?.get(name);
    if (local) return local;
    const nested = ctx.nested?.get(name);
    if (nested) return this.symbolValue(ctx, nested, node);
    const f = ctx.frame;
    const v = f.vars.get(name);
    if (v) return v.get();
    const p = f.params.get(name);
    if (p) return p.get();
    const s = f.symbols.get(name);
    if (s) return this.symbolValue(ctx, s, node);
    return this.unknownOf(ctx, node);
  }

  /** A resource or module symbol as a value: its instance (an array of them for a loop). */
  private symbolValue(ctx: Ctx, sym: ResSymbol | ModSymbol, node: Expression): Val {
    const one = (inst: ResInstance | ModInstance): Val => {
      const u = this.unknownOf(ctx, node);
      u[LINK] = inst;
      if (inst instanceof ResInstance) {
        const info = inst.info();
        if (info.type) u.ref = { type: info.type, name: info.knownName ?? info.fullName };
      }
      return u;
    };
    const insts = sym.instances();
    if (sym.looped) return { kind: 'array', items: insts.map(one), at: this.span(ctx, node) };
    if (!insts.length) return this.unknownOf(ctx, node);
    return one(insts[0]);
  }

  /** `target.name` / `target.?name`. */
  private access(ctx: Ctx, target: Val, name: string, safe: boolean, node: Expression): Val {
    if (target.kind === 'object') {
      const m = target.members.get(name.toLowerCase());
      if (m) return target.origin && !m.value.origin ? ({ ...m.value, origin: partOrigin(target.origin) } as Val) : m.value;
      // A passed object that lacks the key: the null sits on that object (R4).
      if (safe) return { kind: 'prim', value: null, at: target.at ?? this.span(ctx, node), origin: target.origin && partOrigin(target.origin) };
      return this.unknownOf(ctx, node);
    }
    if (isNull(target)) return safe ? { kind: 'prim', value: null, at: target.at ?? this.span(ctx, node), origin: target.origin && partOrigin(target.origin) } : this.unknownOf(ctx, node);
    if (target.kind === 'unknown') {
      const outs = (target as Linked)[OUTPUTS];
      if (outs) {
        outs.read();
        const o = outs.frame?.outputs.get(name) ?? [...(outs.frame?.outputs ?? [])].find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
        return o ? o.get() : this.unknownOf(ctx, node);
      }
      const link = (target as Linked)[LINK];
      if (link instanceof ResInstance) return this.resourceProperty(ctx, link, name, node);
      if (link instanceof ModInstance) return this.moduleProperty(ctx, link, name, node);
      return this.unknownOf(ctx, node, { keysOf: target.keysOf, secureParam: target.secureParam, ref: target.ref });
    }
    return this.unknownOf(ctx, node);
  }

  private resourceProperty(ctx: Ctx, inst: ResInstance, name: string, node: Expression): Val {
    const info = inst.info();
    const ref = info.type ? { type: info.type, name: info.knownName ?? info.fullName } : undefined;
    switch (name.toLowerCase()) {
      case 'name':
        return info.nameVal;
      case 'id':
        return this.unknownOf(ctx, node, { ref });
      case 'type':
        return { kind: 'prim', value: info.type, at: this.span(ctx, node) };
      case 'apiversion':
        return info.apiVersion ? { kind: 'prim', value: info.apiVersion, at: this.span(ctx, node) } : this.unknownOf(ctx, node);
      default: {
        // Properties as written on the declared resource (an `existing` one bound to its declaration).
        const target = this.boundInstance(inst).read();
        const m = target?.body.members.get(name.toLowerCase());
        if (m) return m.value;
        return this.unknownOf(ctx, node, { ref });
      }
    }
  }

  private moduleProperty(ctx: Ctx, inst: ModInstance, name: string, node: Expression): Val {
    inst.read();
    const n = name.toLowerCase();
    if (n === 'name') return inst.nameVal ?? this.unknownOf(ctx, node);
    if (n === 'outputs') {
      const u = this.unknownOf(ctx, node);
      u[OUTPUTS] = inst;
      return u;
    }
    return this.unknownOf(ctx, node);
  }

  /** Calls an ARM-shared function on evaluated arguments. */
  private fn(ctx: Ctx, node: { start: number; end: number }, name: string, args: Val[]): Val {
    return applyFunction(name, args, this.span(ctx, node), this.src(ctx, node));
  }

  private call(ctx: Ctx, rawName: string, argNodes: Expression[], node: Expression, d: number): Val {
    const name = rawName.toLowerCase();
    const user = ctx.frame.funcs.get(rawName);
    if (user) return this.userCall(ctx, user, argNodes, node, d);
    const args = (): Val[] => argNodes.map((a) => this.ev(ctx, a, d));
    switch (name) {
      case 'any':
        return argNodes[0] ? this.ev(ctx, argNodes[0], d) : this.unknownOf(ctx, node);
      case 'map':
      case 'filter':
      case 'reduce':
      case 'sort':
      case 'toobject':
      case 'mapvalues':
      case 'groupby':
        return this.lambdaCall(ctx, name, args(), node, d);
      case 'flatten': {
        const [a] = args();
        if (a?.kind === 'array' && a.items.every((x) => x.kind === 'array')) return { kind: 'array', items: a.items.flatMap((x) => (x as ArrayVal).items), at: this.span(ctx, node) };
        return taint(this.src(ctx, node), this.span(ctx, node), [a]);
      }
      case 'objectkeys': {
        const [a] = args();
        if (a?.kind === 'object') return { kind: 'array', items: [...a.members.values()].map((m) => ({ kind: 'prim', value: m.key, at: this.span(ctx, node) }) as Val), at: this.span(ctx, node) };
        return taint(this.src(ctx, node), this.span(ctx, node), [a]);
      }
      case 'lastindexof':
        return this.computed(ctx, node, args(), ([s, p]) => String(s).toLowerCase().lastIndexOf(String(p).toLowerCase()));
      case 'loadtextcontent':
      case 'loadjsoncontent':
      case 'loadyamlcontent':
      case 'loadfileasbase64':
      case 'readenvironmentvariable':
      case 'externalinput':
      case 'getsecret':
        return this.unknownOf(ctx, node);
      default:
        return this.fn(ctx, node, rawName, args());
    }
  }

  private computed(ctx: Ctx, node: Expression, vals: Val[], f: (xs: Json[]) => Json | undefined): Val {
    const xs: Json[] = [];
    for (const v of vals) {
      const j = toJson(v);
      if (j === undefined) return taint(this.src(ctx, node), this.span(ctx, node), vals);
      xs.push(j);
    }
    const r = f(xs);
    return r === undefined ? this.unknownOf(ctx, node) : { kind: 'prim', value: r as string | number | boolean | null, at: this.span(ctx, node) };
  }

  private userCall(ctx: Ctx, fn: FunctionDeclaration, argNodes: Expression[], node: Expression, d: number, declaring?: Frame): Val {
    if (fn.lambda.kind !== 'TypedLambda') return this.unknownOf(ctx, node);
    const locals = new Map<string, Val>();
    fn.lambda.parameters.forEach((p, i) => {
      if (p.kind !== 'TypedParameter') return;
      locals.set(p.name.name, argNodes[i] ? this.ev(ctx, argNodes[i], d) : { kind: 'prim', value: null });
    });
    // A function body sees its parameters and other functions only; it is written in the declaring frame.
    const frame = declaring ?? this.declaringFrame(ctx.frame, fn);
    return this.ev({ frame, locals, callAt: frame.base.callAt ?? ctx.callAt, loopAt: ctx.loopAt }, fn.lambda.body, d);
  }

  /** The frame a function is written in (an imported function's own file). */
  private declaringFrame(frame: Frame, fn: FunctionDeclaration): Frame {
    if (frame.program.statements.includes(fn)) return frame;
    for (const ns of frame.namespaces.values()) if (ns.program.statements.includes(fn)) return ns;
    return this.frameOf.get(fn) ?? frame;
  }

  private lambdaCall(ctx: Ctx, name: string, args: Val[], node: Expression, d: number): Val {
    const at = this.span(ctx, node);
    const input = args[0];
    const lambdas = args.slice(1).map((a) => (a.kind === 'unknown' ? (a as Linked)[LAMBDA] : undefined));
    const apply = (lam: LambdaVal, values: Val[]): Val => {
      const locals = new Map(lam.ctx.locals ?? []);
      lam.params.forEach((p, i) => locals.set(p, values[i] ?? { kind: 'prim', value: null }));
      return this.ev({ ...lam.ctx, locals }, lam.body, d);
    };
    if (name === 'mapvalues') {
      const lam = lambdas[0];
      if (input?.kind !== 'object' || !lam) return taint(this.src(ctx, node), at, [input]);
      const members = new Map<string, Member>();
      for (const [k, m] of input.members) members.set(k, { ...m, value: apply(lam, [m.value]) });
      return { kind: 'object', members, at };
    }
    if (input?.kind !== 'array') return taint(this.src(ctx, node), at, [input]);
    const items = input.items.slice(0, 5000);
    switch (name) {
      case 'map': {
        const lam = lambdas[0];
        if (!lam) return this.unknownOf(ctx, node);
        return { kind: 'array', items: items.map((it, i) => apply(lam, [it, { kind: 'prim', value: i }])), at };
      }
      case 'filter': {
        const lam = lambdas[0];
        if (!lam) return this.unknownOf(ctx, node);
        const out: Val[] = [];
        for (let i = 0; i < items.length; i++) {
          const keep = toJson(apply(lam, [items[i], { kind: 'prim', value: i }]));
          if (keep === undefined) return taint(this.src(ctx, node), at, items);
          if (truthy(keep)) out.push(items[i]);
        }
        return { kind: 'array', items: out, at };
      }
      case 'reduce': {
        const lam = args[2]?.kind === 'unknown' ? (args[2] as Linked)[LAMBDA] : undefined;
        if (!lam) return this.unknownOf(ctx, node);
        let acc = args[1] ?? { kind: 'prim', value: null };
        for (let i = 0; i < items.length; i++) acc = apply(lam, [acc, items[i], { kind: 'prim', value: i }]);
        return acc;
      }
      case 'sort': {
        const lam = lambdas[0];
        if (!lam) return this.unknownOf(ctx, node);
        const out = [...items];
        let unknownOrder = false;
        out.sort((a, b) => {
          const r = toJson(apply(lam, [a, b]));
          if (r === undefined) unknownOrder = true;
          return truthy(r ?? false) ? -1 : 1;
        });
        return unknownOrder ? taint(this.src(ctx, node), at, items) : { kind: 'array', items: out, at };
      }
      case 'toobject': {
        const keyLam = lambdas[0];
        if (!keyLam) return this.unknownOf(ctx, node);
        const members = new Map<string, Member>();
        for (const it of items) {
          const k = toJson(apply(keyLam, [it]));
          if (typeof k !== 'string') return taint(this.src(ctx, node), at, items);
          members.set(k.toLowerCase(), { key: k, value: lambdas[1] ? apply(lambdas[1], [it]) : it });
        }
        return { kind: 'object', members, at };
      }
      case 'groupby': {
        const lam = lambdas[0];
        if (!lam) return this.unknownOf(ctx, node);
        const members = new Map<string, Member>();
        for (const it of items) {
          const k = toJson(apply(lam, [it]));
          if (typeof k !== 'string') return taint(this.src(ctx, node), at, items);
          const m = members.get(k.toLowerCase());
          if (m) (m.value as ArrayVal).items.push(it);
          else members.set(k.toLowerCase(), { key: k, value: { kind: 'array', items: [it], at } });
        }
        return { kind: 'object', members, at };
      }
      default:
        return this.unknownOf(ctx, node);
    }
  }
}

/** Reads a `.bicep` file (its local modules followed through `readFile`) into a Deployment. */
export function readBicep(file: string, text: string, options: BicepReadOptions): BicepReadResult {
  const reader = new BicepReader(file, options);
  reader.read(text);
  const errors = [...reader.errors].sort((a, b) => (a.file === b.file ? a.start - b.start : a.file === file ? -1 : 1));
  return {
    deployment: {
      file,
      source: 'bicep',
      resources: reader.resources,
      outputs: reader.outputs,
      notes: reader.notes,
      texts: reader.texts,
      moduleCalls: reader.moduleCalls,
      unread: reader.unread,
      placedFiles: reader.jsonModules,
    },
    errors,
  };
}
