// Turns abstract fixes into minimal text edits on Bicep source: a property inserted into an object
// literal on its own line with the object's indentation (nested objects created as needed, keys
// quoted when they are not identifiers), a value replaced where it is written (a parameter default,
// a `.bicepparam` value, a module argument), a `param` default or `@allowed` list edited, the
// apiVersion raised inside the type string, a resource, output or loop element removed, and a
// resource (with its new parameters) added after the one it belongs to.
//
// Ops are applied one after the other; spans of the model (offsets into the original texts) are
// mapped through the edits already made, and every op re-parses the text it edits.

import {
  ArrayLiteral,
  Decorator,
  Expression,
  ModuleDeclaration,
  Node,
  ObjectLiteral,
  ObjectProperty,
  OutputDeclaration,
  ProgramNode,
  ResourceDeclaration,
  parseBicepShared,
  walk,
} from '../readers/bicep/index';
import { Expr, parseExpression } from '../readers/arm/expression-parser';
import { Deployment, Fix, FixOp, Json, Origin, Resource, Span, Val, member, toJson } from '../model';
import { FileEdit, diffEdits, editsDiff, originalEdits } from './diff';

// ------------------------------------------------------------------ text state

interface Applied {
  offset: number;
  removed: number;
  inserted: number;
  content: string;
}

class Texts {
  readonly current: Map<string, string>;
  private applied = new Map<string, Applied[]>();

  /** Set when an edit of a read-only file was asked for: the fix cannot be written. */
  refused = false;

  constructor(
    readonly original: Map<string, string>,
    private readonly readOnly?: ReadonlyMap<string, unknown>,
  ) {
    this.current = new Map(original);
  }

  text(file: string): string | undefined {
    return this.current.get(file);
  }

  /** An offset of the original text in the current one; undefined when an edit replaced it. `end`: an end offset (text inserted right at it stays after it). */
  map(file: string, offset: number, end = false): number | undefined {
    let o = offset;
    for (const e of this.applied.get(file) ?? []) {
      if (end && e.removed === 0 && o === e.offset) continue;
      if (o >= e.offset + e.removed) o += e.inserted - e.removed;
      else if (o > e.offset) return undefined;
    }
    return o;
  }

  edit(file: string, offset: number, removed: number, insert: string): void {
    if (this.readOnly?.has(file)) {
      // A JSON module: the Bicep writer does not write JSON, and its findings sit in the caller.
      this.refused = true;
      return;
    }
    const t = this.current.get(file)!;
    this.current.set(file, t.slice(0, offset) + insert + t.slice(offset + removed));
    const list = this.applied.get(file) ?? [];
    list.push({ offset, removed, inserted: insert.length, content: insert });
    this.applied.set(file, list);
  }

  /** The edits made to `file` as edits of the original text (see originalEdits). */
  originalEdits(file: string): { offset: number; length: number; content: string }[] | undefined {
    return originalEdits((this.applied.get(file) ?? []).map((e) => ({ offset: e.offset, length: e.removed, content: e.content })));
  }

  program(file: string): ProgramNode | undefined {
    const text = this.current.get(file);
    return text === undefined ? undefined : parsedProgram(file, text);
  }
}

function parsedProgram(file: string, text: string): ProgramNode {
  return parseBicepShared(text, /\.bicepparam$/i.test(file) ? 'bicepparam' : 'bicep').program;
}

// ------------------------------------------------------------------ layout helpers

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (m && m[1].startsWith('\t')) return '\t';
  return m ? ' '.repeat(Math.min(m[1].length, 8)) : '  ';
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset of the line break ending the line of `offset` (text length at the end). */
function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Offset after the line break ending the line of `offset`. */
function nextLineStart(text: string, offset: number): number {
  let i = lineEnd(text, offset);
  if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
  else if (i < text.length) i++;
  return i;
}

function indentAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(s, offset))![0];
}

function sameLine(text: string, a: number, b: number): boolean {
  return !/[\r\n]/.test(text.slice(Math.min(a, b), Math.max(a, b)));
}

// ------------------------------------------------------------------ rendering values as Bicep

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/** An ARM expression (`parameters('x')`, `resourceId(...)`) as a Bicep expression; undefined when it has no plain translation. */
function bicepExpr(e: Expr): string | undefined {
  switch (e.kind) {
    case 'string':
      return quote(e.value);
    case 'number':
      return String(e.value);
    case 'member': {
      const t = bicepExpr(e.target);
      return t && `${t}${e.optional ? '.?' : '.'}${e.name}`;
    }
    case 'index': {
      const t = bicepExpr(e.target);
      const i = bicepExpr(e.index);
      return t && i && `${t}[${e.optional ? '?' : ''}${i}]`;
    }
    case 'call': {
      const n = e.name.toLowerCase();
      if ((n === 'parameters' || n === 'variables') && e.args.length === 1 && e.args[0].kind === 'string' && IDENT.test(e.args[0].value)) return e.args[0].value;
      if (n === 'true' || n === 'false' || n === 'null') return n;
      const args = e.args.map(bicepExpr);
      if (args.some((a) => a === undefined)) return undefined;
      return `${e.name}(${args.join(', ')})`;
    }
  }
}

/** An ARM-style string (`[expr]` is an expression) as a Bicep expression. */
function renderString(s: string): string {
  if (s.startsWith('[[')) return quote(s.slice(1));
  if (s.startsWith('[') && s.endsWith(']')) {
    try {
      const b = bicepExpr(parseExpression(s.slice(1, -1)));
      if (b) return b;
    } catch {
      // not an expression: a literal
    }
  }
  return quote(s);
}

function renderKey(k: string): string {
  if (IDENT.test(k)) return k;
  if (k.startsWith('[') && k.endsWith(']') && !k.startsWith('[[')) {
    const e = renderString(k);
    if (!e.startsWith("'")) return `'\${${e}}'`;
  }
  return quote(k);
}

interface Layout {
  eol: string;
  unit: string;
}

/** A JSON value as Bicep, multi-line objects/arrays indented from `indent`; `inline` for a single-line context. */
function render(v: Json, indent: string, l: Layout, inline = false): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return renderString(v);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    if (inline) return `[${v.map((x) => render(x, indent, l, true)).join(', ')}]`;
    const inner = indent + l.unit;
    return `[${l.eol}${v.map((x) => inner + render(x, inner, l)).join(l.eol)}${l.eol}${indent}]`;
  }
  const entries = Object.entries(v);
  if (!entries.length) return '{}';
  if (inline) return `{ ${entries.map(([k, x]) => `${renderKey(k)}: ${render(x, indent, l, true)}`).join(', ')} }`;
  const inner = indent + l.unit;
  return `{${l.eol}${entries.map(([k, x]) => `${inner}${renderKey(k)}: ${render(x, inner, l)}`).join(l.eol)}${l.eol}${indent}}`;
}

function nested(keys: string[], value: Json): Json {
  return keys.reduceRight<Json>((acc, k) => ({ [k]: acc }), value);
}

// ------------------------------------------------------------------ finding nodes

/** The innermost node of `kind` whose span starts at `start` (and ends at `end` when given). */
function nodeStartingAt<K extends Node['kind']>(program: ProgramNode, start: number, kinds: K[], end?: number): Extract<Node, { kind: K }> | undefined {
  let found: Node | undefined;
  walk(program, (n) => {
    if (n.end < start || n.start > start) return false;
    if (n.start === start && (kinds as string[]).includes(n.kind) && (end === undefined || n.end === end)) found = n;
    return true;
  });
  return found as Extract<Node, { kind: K }> | undefined;
}

/** The declaration whose keyword (`resource`, `module`, `output`) is at `offset`. */
function declarationAt<K extends 'ResourceDeclaration' | 'ModuleDeclaration' | 'OutputDeclaration'>(program: ProgramNode, text: string, offset: number, kind: K): Extract<Node, { kind: K }> | undefined {
  let found: Node | undefined;
  walk(program, (n) => {
    if (n.end < offset || n.start > offset) return false;
    if (n.kind === kind) {
      const d = n as ResourceDeclaration | ModuleDeclaration | OutputDeclaration;
      const from = d.decorators.length ? d.decorators[d.decorators.length - 1].end : d.start;
      const kw = text.indexOf(kind === 'ResourceDeclaration' ? 'resource' : kind === 'ModuleDeclaration' ? 'module' : 'output', from);
      if (kw === offset) found = n;
    }
    return true;
  });
  return found as Extract<Node, { kind: K }> | undefined;
}

function bodyObject(value: ResourceDeclaration['value']): ObjectLiteral | undefined {
  if (value.kind === 'ObjectLiteral') return value;
  if (value.kind === 'IfCondition') return value.body.kind === 'ObjectLiteral' ? value.body : undefined;
  if (value.kind === 'ForExpression') {
    const b = value.body.kind === 'IfCondition' ? value.body.body : value.body;
    return b.kind === 'ObjectLiteral' ? b : undefined;
  }
  return undefined;
}

function propertyOf(obj: ObjectLiteral, key: string): ObjectProperty | undefined {
  const k = key.toLowerCase();
  for (const m of obj.members) if (m.kind === 'ObjectProperty' && m.keyName?.toLowerCase() === k) return m;
  return undefined;
}

// ------------------------------------------------------------------ the writer

class BicepWriter {
  readonly t: Texts;
  constructor(readonly dep: Deployment) {
    this.t = new Texts(dep.texts, dep.placedFiles);
  }

  private layout(file: string): Layout {
    const text = this.t.text(file)!;
    return { eol: eolOf(text), unit: indentUnit(text) };
  }

  private isBicep(file: string): boolean {
    return /\.bicep(param)?$/i.test(file);
  }

  /** Replaces an expression (by its current span) with a rendered value. */
  private replaceExpr(file: string, start: number, end: number, value: Json): boolean {
    const text = this.t.text(file)!;
    if (!this.isBicep(file)) {
      this.t.edit(file, start, end - start, JSON.stringify(value, null, 2).replace(/\n/g, eolOf(text) + indentAt(text, start)));
      return true;
    }
    const l = this.layout(file);
    // Inside a single-line object or array (more code after the value on its line): render inline.
    const rest = text.slice(end, lineEnd(text, end)).trim();
    const inline = rest !== '' && !rest.startsWith('//') && !/^[}\]]$/.test(rest);
    this.t.edit(file, start, end - start, render(value, indentAt(text, start), l, inline));
    return true;
  }

  /** Inserts `key: value` into an object literal (current offsets), on its own line with the object's indentation. */
  private insertProperty(file: string, obj: ObjectLiteral, key: string, value: Json): boolean {
    const text = this.t.text(file)!;
    const l = this.layout(file);
    const members = obj.members.filter((m) => m.kind !== 'Skipped');
    const last = members[members.length - 1];
    if (last && sameLine(text, obj.start, obj.end)) {
      // Single-line object: `{ a: 1, b: 2 }` → `{ a: 1, b: 2, key: value }`.
      this.t.edit(file, last.end, 0, `, ${renderKey(key)}: ${render(value, '', l, true)}`);
      return true;
    }
    if (last) {
      const indent = indentAt(text, last.start);
      const at = lineEnd(text, last.end);
      this.t.edit(file, at, 0, `${l.eol}${indent}${renderKey(key)}: ${render(value, indent, l)}`);
      return true;
    }
    const base = indentAt(text, obj.start);
    const indent = base + l.unit;
    const prop = `${indent}${renderKey(key)}: ${render(value, indent, l)}`;
    if (sameLine(text, obj.start, obj.end)) this.t.edit(file, obj.start, obj.end - obj.start, `{${l.eol}${prop}${l.eol}${base}}`);
    else this.t.edit(file, obj.start + 1, 0, `${l.eol}${prop}`);
    return true;
  }

  /** Writes `value` at `keys` below an object literal found at its original start offset, creating what is missing. */
  private setIn(file: string, objStartOrig: number, keys: string[], value: Json): boolean {
    const start = this.t.map(file, objStartOrig);
    const program = this.t.program(file);
    if (start === undefined || !program) return false;
    let obj = nodeStartingAt(program, start, ['ObjectLiteral']);
    if (!obj) return false;
    for (let i = 0; i < keys.length; i++) {
      const p = propertyOf(obj, keys[i]);
      if (!p) return this.insertProperty(file, obj, keys[i], nested(keys.slice(i + 1), value));
      if (i === keys.length - 1) return this.replaceExpr(file, p.value.start, p.value.end, value);
      if (p.value.kind !== 'ObjectLiteral') return false;
      obj = p.value;
    }
    return false;
  }

  /** The expression written at a value's span: an argument / object property (its value), or the expression itself. */
  private expressionAt(span: Span): { start: number; end: number; node: Expression | ObjectProperty } | undefined {
    const program = this.t.program(span.file);
    const s = this.t.map(span.file, span.start);
    const e = this.t.map(span.file, span.end, true);
    if (!program || s === undefined || e === undefined) return undefined;
    if (!this.isBicep(span.file)) return { start: s, end: e, node: undefined as never };
    const prop = nodeStartingAt(program, s, ['ObjectProperty'], e);
    if (prop) return { start: prop.value.start, end: prop.value.end, node: prop };
    const expr = nodeStartingAt(
      program,
      s,
      ['StringLiteral', 'IntegerLiteral', 'BooleanLiteral', 'NullLiteral', 'ArrayLiteral', 'ObjectLiteral', 'VariableAccess', 'FunctionCall', 'InstanceFunctionCall', 'PropertyAccess', 'ArrayAccess', 'UnaryOperation', 'BinaryOperation', 'TernaryOperation', 'ParenthesizedExpression'],
      e,
    );
    return expr ? { start: expr.start, end: expr.end, node: expr as Expression } : undefined;
  }

  /** Writes `value` at `rest` below a value written at `span` (a default, a parameter-file value, an argument). */
  private setAtValue(span: Span, rest: string[], value: Json): boolean {
    if (!this.t.text(span.file)) return false;
    const x = this.expressionAt(span);
    if (!x) return false;
    if (!rest.length) return this.replaceExpr(span.file, x.start, x.end, value);
    if (!this.isBicep(span.file)) return false;
    const program = this.t.program(span.file)!;
    const obj = nodeStartingAt(program, x.start, ['ObjectLiteral'], x.end);
    if (!obj) return false;
    // setIn maps original offsets: find the object's original start by mapping back is not needed, walk from here.
    let cur: ObjectLiteral = obj;
    for (let i = 0; i < rest.length; i++) {
      const p = propertyOf(cur, rest[i]);
      if (!p) return this.insertProperty(span.file, cur, rest[i], nested(rest.slice(i + 1), value));
      if (i === rest.length - 1) return this.replaceExpr(span.file, p.value.start, p.value.end, value);
      if (p.value.kind !== 'ObjectLiteral') return false;
      cur = p.value;
    }
    return false;
  }

  /** A module default is fixed in the caller by passing the secure value (convention 7). */
  private passArgument(resource: Resource, origin: Origin, current: Val, rest: string[], value: Json): boolean {
    const call = resource.module;
    if (!call || call.file !== this.dep.file || !origin.at || origin.at.file !== this.dep.file) return false;
    const base = toJson(current);
    if (base === undefined) return false;
    let arg: Json = value;
    if (rest.length) {
      if (base !== null && (typeof base !== 'object' || Array.isArray(base))) return false;
      arg = merge(base, nested(rest, value));
    }
    const x = this.expressionAt(origin.at);
    if (x && x.node?.kind === 'ObjectProperty') return this.replaceExpr(origin.at.file, x.start, x.end, arg);
    const program = this.t.program(call.file);
    const kw = this.t.map(call.file, call.declAt.start);
    if (!program || kw === undefined) return false;
    const decl = declarationAt(program, this.t.text(call.file)!, kw, 'ModuleDeclaration');
    const body = decl && bodyObject(decl.value);
    if (!body) return false;
    const params = propertyOf(body, 'params');
    if (!params) return this.insertProperty(call.file, body, 'params', { [origin.name]: arg });
    if (params.value.kind !== 'ObjectLiteral') return false;
    const existing = propertyOf(params.value, origin.name);
    if (existing) return this.replaceExpr(call.file, existing.value.start, existing.value.end, arg);
    return this.insertProperty(call.file, params.value, origin.name, arg);
  }

  private set(op: Extract<FixOp, { op: 'set' }>): boolean {
    const r = op.resource;
    // A resource declared in a module file: its body is that file's, placed in the caller; only what
    // the caller writes (arguments, module defaults it can override, its own parameters) is writable.
    const inModule = !!r.module;
    if (!r.body.at) return false;
    let cur: Val = r.body;
    let container: Span = r.body.at;
    for (let i = 0; i < op.path.length; i++) {
      const m = member(cur, op.path[i]);
      const last = i === op.path.length - 1;
      const rest = op.path.slice(i + 1);
      if (!m) return !inModule && this.t.text(container.file) !== undefined && this.setIn(container.file, container.start, op.path.slice(i), op.value);
      const v = m.value;
      if (v.origin) {
        if (v.origin.kind === 'moduleDefault') {
          // Only a whole default can be passed as the argument: a property or item of one (`config.tls`) would replace all of it.
          if (v.origin.part) return false;
          return this.passArgument(r, v.origin, v, rest, op.value);
        }
        if (!this.writableOrigin(v)) return false;
        // A nullable parameter without a default (`param tags object?`): the secure value becomes its default.
        if (!v.at) return v.origin.kind === 'parameter' && isNullVal(v) && this.addDefault(v.origin.name, last ? op.value : nested(rest, op.value));
        // Written elsewhere (parameter default, parameter file, variable, argument): edit it there.
        if (isNullVal(v) && this.objectAt(v.at)) return false; // a passed object that lacks the key: what key the module reads is not known here
        if (last) return this.setAtValue(v.at, [], op.value);
        if (v.kind !== 'object') return false;
        return this.setAtValue(v.at, rest, op.value);
      }
      if (last) return !inModule && !!m.keyAt && this.setAtKey(m.keyAt, op.value);
      if (v.kind !== 'object' || !v.at) return false;
      container = v.at;
      cur = v;
    }
    return false;
  }

  /** Gives a parameter of the scanned file that has no default the default `value`. */
  private addDefault(name: string, value: Json): boolean {
    const file = this.dep.file;
    const program = this.t.program(file);
    const decl = program?.statements.find((s) => s.kind === 'ParameterDeclaration' && s.name.name === name);
    if (!decl || decl.kind !== 'ParameterDeclaration' || decl.defaultValue) return false;
    const text = this.t.text(file)!;
    this.t.edit(file, decl.type.end, 0, ` = ${render(value, indentAt(text, decl.start), this.layout(file))}`);
    return true;
  }

  /** Whether a value that arrived through a reference is written where the fix can edit it. */
  private writableOrigin(v: Val): boolean {
    const o = v.origin!;
    if (o.kind === 'parameter' || o.kind === 'parameterFile') return true;
    if (!o.at || o.at.file !== this.dep.file) return false;
    if (o.kind === 'argument') {
      // Arguments are written as properties of the call's `params` (a module's own text placed in the caller is not).
      const x = this.expressionAt(o.at);
      return x?.node?.kind === 'ObjectProperty';
    }
    if (o.kind === 'variable') {
      const program = this.t.program(o.at.file);
      const s = this.t.map(o.at.file, o.at.start);
      return !!program && program.statements.some((st) => st.kind === 'VariableDeclaration' && st.name.name === o.name && st.value.start === s);
    }
    return false;
  }

  /** Whether an object literal (or a property whose value is one) is written at `span`. */
  private objectAt(span: Span): boolean {
    const x = this.isBicep(span.file) ? this.expressionAt(span) : undefined;
    if (!x) return false;
    const program = this.t.program(span.file)!;
    return !!nodeStartingAt(program, x.start, ['ObjectLiteral'], x.end);
  }

  /** Replaces the value of the property whose key is at `keyAt`. */
  private setAtKey(keyAt: Span, value: Json): boolean {
    const program = this.t.program(keyAt.file);
    const s = this.t.map(keyAt.file, keyAt.start);
    if (!program || s === undefined) return false;
    const prop = nodeStartingAt(program, s, ['ObjectProperty']);
    if (!prop) return false;
    return this.replaceExpr(keyAt.file, prop.value.start, prop.value.end, value);
  }

  private raiseApiVersion(op: Extract<FixOp, { op: 'raiseApiVersion' }>): boolean {
    const d = this.resourceDecl(op.resource);
    if (!d || d.decl.typeString.kind !== 'StringLiteral' || d.decl.typeString.expressions.length) return false;
    const ts = d.decl.typeString;
    const text = this.t.text(d.file)!;
    const inner = text.slice(ts.start + 1, ts.end - 1);
    const at = inner.lastIndexOf('@');
    if (at < 0) return false;
    this.t.edit(d.file, ts.start + 1 + at + 1, inner.length - at - 1, op.version);
    return true;
  }

  private resourceDecl(r: Resource): { file: string; decl: ResourceDeclaration } | undefined {
    const file = r.declAt.file;
    const program = this.t.program(file);
    const kw = this.t.map(file, r.declAt.start);
    if (!program || kw === undefined || !this.isBicep(file)) return undefined;
    const decl = declarationAt(program, this.t.text(file)!, kw, 'ResourceDeclaration');
    return decl ? { file, decl } : undefined;
  }

  private dropAllowed(op: Extract<FixOp, { op: 'dropAllowed' }>): boolean {
    const a = op.origin.allowed;
    if (!a || !this.isBicep(a.at.file)) return false;
    const program = this.t.program(a.at.file);
    const s = this.t.map(a.at.file, a.at.start);
    if (!program || s === undefined) return false;
    const dec = nodeStartingAt(program, s, ['Decorator']) as Decorator | undefined;
    const call = dec?.expression;
    const arr = call && (call.kind === 'FunctionCall' || call.kind === 'InstanceFunctionCall') ? call.args[0] : undefined;
    if (!dec || !arr || arr.kind !== 'ArrayLiteral') return false;
    const drop = new Set(op.values.map((v) => JSON.stringify(v)));
    const keep = a.values.filter((v) => !drop.has(JSON.stringify(v)));
    const text = this.t.text(a.at.file)!;
    if (!keep.length) {
      // Nothing left to allow: the decorator goes (an empty @allowed list is an error).
      this.removeLines(a.at.file, dec.start, dec.end);
      return true;
    }
    const l = this.layout(a.at.file);
    const indent = indentAt(text, dec.start);
    const inline = sameLine(text, arr.start, arr.end);
    const rendered = inline ? `[${keep.map((v) => render(v, indent, l, true)).join(', ')}]` : `[${l.eol}${keep.map((v) => indent + l.unit + render(v, indent + l.unit, l)).join(l.eol)}${l.eol}${indent}]`;
    this.t.edit(a.at.file, arr.start, arr.end - arr.start, rendered);
    return true;
  }

  /** Removes whole lines from the line of `start` through the line of `end`, and a blank line left doubled. */
  private removeLines(file: string, start: number, end: number): void {
    const text = this.t.text(file)!;
    let s = lineStart(text, start);
    let e = nextLineStart(text, end - 1 < start ? start : end - 1);
    // Keep the text around when the node shares its lines with other code.
    if (text.slice(s, start).trim() || text.slice(end, lineEnd(text, end)).trim().replace(/^\/\/.*$/, '')) {
      s = start;
      e = end;
    } else {
      // A directive or suppression comment written for the removed declaration goes with it.
      while (s > 0) {
        const prev = lineStart(text, s - 1);
        if (!/^\s*(#disable-next-line\b|\/\/\s*redis-posture-disable-next-line\b)/.test(text.slice(prev, s))) break;
        s = prev;
      }
      const before = s > 0 ? text.slice(lineStart(text, s - 1), s).trim() : 'x';
      const after = text.slice(e, lineEnd(text, e)).trim();
      if (!before && !after && e < text.length) e = nextLineStart(text, e);
      else if (!before && e >= text.length && s > 0) s = lineStart(text, s - 1);
    }
    this.t.edit(file, s, e - s, '');
  }

  private removeResource(op: Extract<FixOp, { op: 'removeResource' }>): boolean {
    const r = op.resource;
    // A resource from a loop element: remove the element (the others stay).
    if (r.loopAt && this.isBicep(r.loopAt.file) && this.t.text(r.loopAt.file) !== undefined) {
      const program = this.t.program(r.loopAt.file)!;
      const s = this.t.map(r.loopAt.file, r.loopAt.start);
      const e = this.t.map(r.loopAt.file, r.loopAt.end, true);
      if (s !== undefined && e !== undefined) {
        let arr: ArrayLiteral | undefined;
        let item: Node | undefined;
        walk(program, (n) => {
          if (n.end < s || n.start > s) return false;
          if (n.kind === 'ArrayLiteral') {
            const it = n.items.find((x) => x.start === s && x.end === e);
            if (it) {
              arr = n;
              item = it;
            }
          }
          return true;
        });
        if (arr && item) {
          const a: ArrayLiteral = arr;
          const it: Node = item;
          const text = this.t.text(r.loopAt.file)!;
          if (sameLine(text, a.start, a.end)) {
            const others = a.items.filter((x) => x !== it).map((x) => text.slice(x.start, x.end));
            this.t.edit(r.loopAt.file, a.start, a.end - a.start, `[${others.join(', ')}]`);
          } else this.removeLines(r.loopAt.file, it.start, it.end);
          return true;
        }
      }
      if (r.module) return false;
    }
    if (r.module && r.declAt.file === this.dep.file) return false;
    const d = this.resourceDecl(r);
    if (!d) return false;
    this.removeLines(d.file, d.decl.start, d.decl.end);
    return true;
  }

  private removeOutput(op: Extract<FixOp, { op: 'removeOutput' }>): boolean {
    const file = op.output.at.file;
    const program = this.t.program(file);
    const kw = this.t.map(file, op.output.at.start);
    if (!program || kw === undefined || !this.isBicep(file)) return false;
    const decl = declarationAt(program, this.t.text(file)!, kw, 'OutputDeclaration');
    if (!decl) return false;
    this.removeLines(file, decl.start, decl.end);
    return true;
  }

  private addResource(op: Extract<FixOp, { op: 'addResource' }>): boolean {
    const near = this.resourceDecl(op.near);
    if (!near || near.file !== this.dep.file || op.near.module) return false;
    const program = this.t.program(near.file)!;
    // Only a top-level, single (not looped) resource can be named as a scope by its symbol.
    if (!program.statements.includes(near.decl) || near.decl.value.kind === 'ForExpression') return false;
    const file = near.file;
    const l = this.layout(file);
    const res = op.resource;
    const type = typeof res.type === 'string' ? res.type : undefined;
    const api = typeof res.apiVersion === 'string' ? res.apiVersion : undefined;
    if (!type || !api) return false;
    const symbols = new Set(program.statements.flatMap((s) => ('name' in s && s.name && typeof s.name === 'object' && 'name' in s.name ? [String(s.name.name)] : [])));
    const base = symbolName(typeof res.name === 'string' && !res.name.startsWith('[') ? res.name : type.split('/').pop() ?? 'resource');
    let sym = base;
    for (let n = 2; symbols.has(sym); n++) sym = `${base}${n}`;
    const body: { [k: string]: Json } = {};
    for (const [k, v] of Object.entries(res)) {
      const lk = k.toLowerCase();
      if (lk === 'type' || lk === 'apiversion' || lk === 'dependson' || lk === 'scope') continue;
      body[k] = v;
    }
    const lines: string[] = [];
    lines.push(`resource ${sym} '${type}@${api}' = {`);
    const entries = Object.entries(body);
    const scopeLine = 'scope' in res ? `${l.unit}scope: ${near.decl.name.name}` : undefined;
    const nameEntry = entries.find(([k]) => k.toLowerCase() === 'name');
    if (nameEntry) lines.push(`${l.unit}name: ${render(nameEntry[1], l.unit, l)}`);
    if (scopeLine) lines.push(scopeLine);
    for (const [k, v] of entries) if (k.toLowerCase() !== 'name') lines.push(`${l.unit}${renderKey(k)}: ${render(v, l.unit, l)}`);
    lines.push('}');
    const text = this.t.text(file)!;
    const after = nextLineStart(text, near.decl.end - 1);
    const needsBreak = after === text.length && !/[\r\n]$/.test(text);
    const params = this.parameterInsertion(file, program, text, op.parameters ?? {});
    if (!params) return false;
    // Both found in the same parse: the later one is written first, so the other's offset still holds.
    const edits = [{ at: after, insert: `${needsBreak ? l.eol : ''}${l.eol}${lines.join(l.eol)}${l.eol}` }, ...(params.insert ? [params] : [])];
    for (const e of edits.sort((x, y) => y.at - x.at)) this.t.edit(file, e.at, 0, e.insert);
    return true;
  }

  /**
   * Where and what to insert to declare the parameters the file does not have yet (after its
   * last parameter, else before its first statement), worked out on `program`, the parse of
   * `text`; undefined when a name is not an identifier.
   */
  private parameterInsertion(file: string, program: ProgramNode, text: string, params: { [name: string]: Json }): { at: number; insert: string } | undefined {
    const l = this.layout(file);
    const blocks: string[] = [];
    for (const [name, decl] of Object.entries(params)) {
      if (program.statements.some((s) => s.kind === 'ParameterDeclaration' && s.name.name === name)) continue;
      if (!IDENT.test(name)) return undefined;
      const d = decl && typeof decl === 'object' && !Array.isArray(decl) ? decl : {};
      const armType = String(d.type ?? 'string').toLowerCase();
      const type = armType === 'securestring' ? 'string' : armType === 'secureobject' ? 'object' : armType === 'int' || armType === 'bool' || armType === 'object' || armType === 'array' ? armType : 'string';
      const meta = d.metadata && typeof d.metadata === 'object' && !Array.isArray(d.metadata) ? d.metadata : {};
      const lines: string[] = [];
      if (typeof meta.description === 'string') lines.push(`@description(${quote(meta.description)})`);
      if (armType.startsWith('secure')) lines.push('@secure()');
      lines.push(`param ${name} ${type}`);
      blocks.push(lines.join(l.eol));
    }
    if (!blocks.length) return { at: 0, insert: '' };
    const declared = program.statements.filter((s) => s.kind === 'ParameterDeclaration');
    const lastParam = declared[declared.length - 1];
    if (lastParam) {
      // Each after the one before, a blank line between them.
      const at = nextLineStart(text, lastParam.end - 1);
      const needsBreak = at === text.length && !/[\r\n]$/.test(text);
      return { at, insert: `${needsBreak ? l.eol : ''}${blocks.map((b) => `${l.eol}${b}${l.eol}`).join('')}` };
    }
    const first = program.statements.find((s) => s.kind !== 'TargetScopeDeclaration' && s.kind !== 'MetadataDeclaration' && s.kind !== 'ImportDeclaration' && s.kind !== 'ExtensionDeclaration');
    const at = first ? lineStart(text, first.start) : text.length;
    return { at, insert: `${blocks.join(`${l.eol}${l.eol}`)}${l.eol}${l.eol}` };
  }

  apply(op: FixOp): boolean {
    switch (op.op) {
      case 'set':
        return this.set(op);
      case 'raiseApiVersion':
        return this.raiseApiVersion(op);
      case 'dropAllowed':
        return this.dropAllowed(op);
      case 'removeResource':
        return this.removeResource(op);
      case 'removeOutput':
        return this.removeOutput(op);
      case 'addResource':
        return this.addResource(op);
    }
  }
}

function isNullVal(v: Val): boolean {
  return v.kind === 'prim' && v.value === null;
}

function merge(base: Json, add: Json): Json {
  if (base === null || typeof base !== 'object' || Array.isArray(base) || add === null || typeof add !== 'object' || Array.isArray(add)) return add;
  const out: { [k: string]: Json } = { ...base };
  for (const [k, v] of Object.entries(add)) {
    const existing = Object.keys(out).find((x) => x.toLowerCase() === k.toLowerCase());
    if (existing !== undefined) out[existing] = merge(out[existing], v);
    else out[k] = v;
  }
  return out;
}

/** A Bicep identifier from a resource name (`redis-connection-logs` → `redisConnectionLogs`). */
function symbolName(s: string): string {
  const parts = s.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const id = parts.map((p, i) => (i === 0 ? p[0].toLowerCase() + p.slice(1) : p[0].toUpperCase() + p.slice(1))).join('');
  return /^[A-Za-z_]/.test(id) ? id : `r${id}`;
}

/** The edits a writer made, against the original texts. */
function writtenEdits(dep: Deployment, w: BicepWriter): FileEdit[] {
  const out: FileEdit[] = [];
  for (const [file, after] of w.t.current) {
    const before = dep.texts.get(file)!;
    if (after === before) continue;
    const edits = w.t.originalEdits(file);
    // Diff the lines the edits touch, not the whole file, when the edits are known in the original's offsets.
    out.push(...(edits ? editsDiff(file, before, edits) : diffEdits(file, before, after)));
  }
  return out;
}

/** How many keys of a `set` path exist in the resource body (the first missing one is at this index). */
function existingDepth(op: Extract<FixOp, { op: 'set' }>): number {
  let cur: Val | undefined = op.resource.body;
  let i = 0;
  for (; i < op.path.length; i++) {
    cur = member(cur, op.path[i])?.value;
    if (!cur) break;
  }
  return i;
}

/**
 * Whether two `set` ops that insert at the same place add different properties to one object,
 * so that writing one after the other gives the two insertions in op order: they must not both
 * create the same missing key (a shared new parent is written once when applied in turn).
 */
function distinctAdditions(a: FixOp, b: FixOp): boolean {
  if (a.op !== 'set' || b.op !== 'set' || a.resource !== b.resource) return false;
  const da = existingDepth(a);
  const db = existingDepth(b);
  if (da !== db || da >= a.path.length || db >= b.path.length) return false;
  for (let i = 0; i < da; i++) if (a.path[i].toLowerCase() !== b.path[i].toLowerCase()) return false;
  return a.path[da].toLowerCase() !== b.path[da].toLowerCase();
}

/**
 * Each op written against the original texts, when their edits neither overlap nor touch (two
 * properties added at the end of one object are joined in op order): every op then works on the
 * parse of the text the reader already has, where ops applied one after another parse the text
 * again after each edit. 'touching' when they must be applied in turn, 'unwritable' when an op
 * cannot be written at all.
 */
function independentEdits(dep: Deployment, ops: FixOp[]): FileEdit[] | 'touching' | 'unwritable' {
  const raw: (FileEdit & { op: number })[] = [];
  for (let i = 0; i < ops.length; i++) {
    const w = new BicepWriter(dep);
    if (!w.apply(ops[i]) || w.t.refused) return 'unwritable';
    for (const [file, after] of w.t.current) {
      if (after === dep.texts.get(file)) continue;
      const edits = w.t.originalEdits(file);
      if (!edits) return 'touching';
      for (const e of edits) raw.push({ file, ...e, op: i });
    }
  }
  raw.sort((a, b) => (a.file === b.file ? a.offset - b.offset || a.op - b.op : a.file < b.file ? -1 : 1));
  const merged: (FileEdit & { ops: number[] })[] = [];
  for (const e of raw) {
    const prev = merged[merged.length - 1];
    if (prev && prev.file === e.file && e.offset <= prev.offset + prev.length) {
      const joinable = prev.length === 0 && e.length === 0 && prev.offset === e.offset && prev.ops.every((o) => o !== e.op && distinctAdditions(ops[o], ops[e.op]));
      if (!joinable) return 'touching';
      prev.content += e.content;
      prev.ops.push(e.op);
      continue;
    }
    merged.push({ file: e.file, offset: e.offset, length: e.length, content: e.content, ops: [e.op] });
  }
  // The text all ops give, diffed on the lines they touch: the edits a user sees do not depend on how they were found.
  const out: FileEdit[] = [];
  const byFile = new Map<string, FileEdit[]>();
  for (const { file, offset, length, content } of merged) {
    const list = byFile.get(file);
    if (list) list.push({ file, offset, length, content });
    else byFile.set(file, [{ file, offset, length, content }]);
  }
  for (const [file, edits] of byFile) out.push(...editsDiff(file, dep.texts.get(file)!, edits));
  return out.length ? out : 'touching';
}

/**
 * `set` ops that create the same missing key of one resource (`identity.type` and
 * `identity.userAssignedIdentities` without an `identity`) as one `set` of that key to the
 * merged object: what writing them in turn gives, in one edit, so the other ops stay independent.
 */
function coalescedSets(ops: FixOp[]): FixOp[] {
  const out: FixOp[] = [];
  const groups = new Map<string, { at: number; op: Extract<FixOp, { op: 'set' }>; value: Json }>();
  for (const op of ops) {
    const d = op.op === 'set' ? existingDepth(op) : -1;
    if (op.op !== 'set' || d >= op.path.length - 1) {
      out.push(op);
      continue;
    }
    const key = op.path.slice(0, d + 1).map((k) => k.toLowerCase()).join('\u0000');
    const rest = nested(op.path.slice(d + 1), op.value);
    const g = groups.get(key);
    if (g && g.op.resource === op.resource) {
      g.value = merge(g.value, rest);
      out[g.at] = { op: 'set', resource: op.resource, path: op.path.slice(0, d + 1), value: g.value };
      continue;
    }
    groups.set(key, { at: out.length, op, value: rest });
    out.push(op);
  }
  return out;
}

/** The text edits for a fix on a Bicep deployment (each edit names its file), or undefined when it cannot be written. */
export function bicepFixEdits(dep: Deployment, fix: Fix): FileEdit[] | undefined {
  if (fix.ops.length > 1) {
    const independent = independentEdits(dep, coalescedSets(fix.ops));
    if (typeof independent !== 'string') return independent;
    // An op that cannot be written on its own is not written after the others either: what it edits is found from the reader's values.
    if (independent === 'unwritable') return undefined;
  }
  const w = new BicepWriter(dep);
  for (const op of fix.ops) if (!w.apply(op)) return undefined;
  if (w.t.refused) return undefined;
  const out = writtenEdits(dep, w);
  return out.length ? out : undefined;
}
