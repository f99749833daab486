// Evaluates ARM template expressions to located values. What cannot be known (uniqueString,
// reference(), resourceGroup().location, ...) becomes an UnknownVal: rules never guess.

import { Json, Member, ObjectVal, Span, UnknownVal, Val, fromJson, partOrigin, toJson, withOrigin } from '../../model';
import { Members } from '../../members';
import { Expr, ExpressionSyntaxError, isExpressionString, parseExpression, unescapeLiteral } from './expression-parser';

export interface UserFunction {
  params: string[];
  output: Val;
}

export interface EvalScope {
  param(name: string): Val | undefined;
  variable(name: string): Val | undefined;
  copyIndex(loop: string | undefined): number | undefined;
  /** languageVersion 2.0: the type of a symbolic resource name. */
  symbolType(name: string): string | undefined;
  /** languageVersion 2.0: the evaluated body of a symbolic resource, for `reference(symbol, apiVersion, 'full')`. */
  symbolBody?(name: string): ObjectVal | undefined;
  functions?: Map<string, UserFunction>;
  lambdaVars?: Map<string, Val>;
  /** Function parameters while evaluating a user-defined function body. */
  fnParams?: Map<string, Val>;
  /**
   * What `deployment().properties.templateLink.uri` gives: the template's own location, as a
   * file URI. The `_artifactsLocation` convention of quickstart templates resolves linked
   * templates and scripts against it, and they sit beside the template.
   */
  templateUri?: string;
}

/**
 * `scope` with some of its entries replaced. It inherits the rest rather than copying them: a
 * scope may be a class instance whose functions are methods, which a spread would leave out.
 */
function within(scope: EvalScope, changes: Partial<EvalScope>): EvalScope {
  return Object.assign(Object.create(scope) as EvalScope, changes);
}

const MAX_DEPTH = 64;
const exprCache = new Map<string, Expr | ExpressionSyntaxError>();

/** The parsed expression of an expression string (`[...]`, brackets included: the key is the string as written). */
function parseCached(s: string): Expr {
  let e = exprCache.get(s);
  if (!e) {
    try {
      e = parseExpression(s.slice(1, -1));
    } catch (err) {
      e = err instanceof ExpressionSyntaxError ? err : new ExpressionSyntaxError(String(err));
    }
    if (exprCache.size > 20000) exprCache.clear();
    exprCache.set(s, e);
  }
  if (e instanceof ExpressionSyntaxError) throw e;
  return e;
}

export function unknown(text: string, at: Span | undefined, extra?: Partial<UnknownVal>): UnknownVal {
  const u: UnknownVal = { kind: 'unknown', text, at };
  // Field by field, only those given: a spread is a slow path in V8, and unknowns are common.
  if (extra) {
    if (extra.origin !== undefined) u.origin = extra.origin;
    if (extra.keysOf !== undefined) u.keysOf = extra.keysOf;
    if (extra.secureParam !== undefined) u.secureParam = extra.secureParam;
    if (extra.ref !== undefined) u.ref = extra.ref;
    if (extra.at !== undefined) u.at = extra.at;
    if (extra.text !== undefined) u.text = extra.text;
  }
  return u;
}

/** Evaluates a JSON string as written in a template: an expression or a literal. */
export function evalString(s: string, at: Span | undefined, scope: EvalScope): Val {
  if (!isExpressionString(s)) return { kind: 'prim', value: unescapeLiteral(s), at };
  let expr: Expr;
  try {
    expr = parseCached(s);
  } catch {
    return unknown(s, at);
  }
  return evaluateExpr(scope, at, s, expr, 0);
}

/** Collects keysOf / secure markers from unknown parts of the inputs into one unknown result. */
export function taint(text: string, at: Span | undefined, inputs: (Val | undefined)[]): UnknownVal {
  const u = unknown(text, at);
  // Most inputs carry no marker: no set of keys is made for them.
  let keys: Set<string> | undefined;
  let secureParam: string | undefined;
  const visit = (v: Val | undefined, depth: number): void => {
    if (!v || depth > 20) return;
    if (v.kind === 'unknown') {
      if (v.keysOf) for (const k of v.keysOf) (keys ??= new Set()).add(k);
      secureParam ??= v.secureParam;
    } else if (v.kind === 'array') {
      for (const x of v.items) visit(x, depth + 1);
    } else if (v.kind === 'object') v.members.forEach((m) => visit(m.value, depth + 1));
  };
  for (const v of inputs) if (v && v.kind !== 'prim') visit(v, 0);
  if (keys) u.keysOf = [...keys];
  if (secureParam) u.secureParam = secureParam;
  return u;
}

function truthy(v: Json): boolean {
  return v === true || v === 'true' || v === 'True';
}

function jsonEquals(a: Json, b: Json): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

function jsonArgs(vals: Val[]): Json[] | undefined {
  const out: Json[] = [];
  for (const v of vals) {
    const j = toJson(v);
    if (j === undefined) return undefined;
    out.push(j);
  }
  return out;
}

/**
 * `format()`'s placeholders: `{n}` (and `{n:spec}`, whose spec is ignored) replaced by `arg(n)`;
 * any other text kept as it is. A loop rather than a regular expression with a callback: format
 * is among the commonest template functions.
 */
function formatString(fmt: string, arg: (i: number) => string): string {
  let out = '';
  let from = 0;
  for (let open = fmt.indexOf('{'); open >= 0; open = fmt.indexOf('{', open + 1)) {
    let j = open + 1;
    while (j < fmt.length && fmt.charCodeAt(j) >= 0x30 && fmt.charCodeAt(j) <= 0x39) j++;
    if (j === open + 1) continue;
    let close = j;
    if (fmt.charCodeAt(j) === 0x3a /* : */) {
      close = fmt.indexOf('}', j);
      if (close < 0) break;
    } else if (fmt.charCodeAt(j) !== 0x7d /* } */) continue;
    out += fmt.slice(from, open) + arg(Number(fmt.slice(open + 1, j)));
    from = close + 1;
    open = close;
  }
  return from === 0 ? fmt : out + fmt.slice(from);
}

/** The resource type of a resourceId()/resource reference string such as "Microsoft.Cache/redis". */
function looksLikeType(s: string): boolean {
  return /^[A-Za-z0-9]+\.[A-Za-z0-9.]+\/[A-Za-z0-9/]+$/.test(s);
}

/** The scope of an evaluator not in use: knows nothing. */
const NO_SCOPE: EvalScope = { param: () => undefined, variable: () => undefined, copyIndex: () => undefined, symbolType: () => undefined };

/** Evaluators not in use (see evaluateExpr). */
const spareEvaluators: Evaluator[] = [];

/**
 * `expr` evaluated in `scope` by a spare evaluator (evaluations nest: a variable's value is
 * evaluated while the expression that reads it is). As with the JSON reader's builder, evaluators
 * made per expression left no live object of their hidden class after each major collection, and
 * V8 then discarded its optimized code for all of the evaluator's methods; spare ones stay alive.
 */
function evaluateExpr(scope: EvalScope, at: Span | undefined, text: string, expr: Expr, depth: number): Val {
  const ev = spareEvaluators.pop() ?? new Evaluator();
  ev.scope = scope;
  ev.at = at;
  ev.text = text;
  try {
    return ev.eval(expr, depth);
  } finally {
    ev.scope = NO_SCOPE;
    ev.at = undefined;
    ev.text = '';
    spareEvaluators.push(ev);
  }
}

class Evaluator {
  scope: EvalScope = NO_SCOPE;
  /** Where the expression is written and its text: what its results carry. */
  at: Span | undefined = undefined;
  text = '';

  private prim(value: string | number | boolean | null): Val {
    return { kind: 'prim', value, at: this.at };
  }

  private unk(extra?: Partial<UnknownVal>): UnknownVal {
    return unknown(this.text, this.at, extra);
  }

  eval(e: Expr, depth: number): Val {
    if (depth > MAX_DEPTH) return this.unk();
    switch (e.kind) {
      case 'string':
        return this.prim(e.value);
      case 'number':
        return this.prim(e.value);
      case 'member': {
        if (this.scope.templateUri !== undefined && isTemplateLinkUri(e)) return this.prim(this.scope.templateUri);
        const target = this.eval(e.target, depth + 1);
        return this.access(target, e.name, e.optional);
      }
      case 'index': {
        const target = this.eval(e.target, depth + 1);
        const index = this.eval(e.index, depth + 1);
        if (index.kind !== 'prim') return taint(this.text, this.at, [target, index]);
        if (target.kind === 'array' && typeof index.value === 'number') {
          const item = target.items[index.value];
          if (item) return target.origin && !item.origin ? withOrigin(item, partOrigin(target.origin)) : item;
          return e.optional ? this.prim(null) : this.unk();
        }
        return this.access(target, String(index.value), e.optional);
      }
      case 'call':
        return this.call(e.lower ?? e.name.toLowerCase(), e.args, depth + 1);
    }
  }

  private access(target: Val, name: string, optional: boolean): Val {
    if (target.kind === 'object') {
      const m = target.members.get(name.toLowerCase());
      if (m) return target.origin && !m.value.origin ? withOrigin(m.value, partOrigin(target.origin)) : m.value;
      return optional ? this.prim(null) : this.unk();
    }
    if (target.kind === 'prim' && target.value === null && optional) return this.prim(null);
    if (target.kind === 'unknown') {
      // Keep what we know about the unknown value: its keys, its resource reference.
      return this.unk({ keysOf: target.keysOf, secureParam: target.secureParam, ref: target.ref });
    }
    return this.unk();
  }

  /** Argument `i` evaluated, null when not given. */
  private ev(args: Expr[], i: number, depth: number): Val {
    return i < args.length ? this.eval(args[i], depth) : this.prim(null);
  }

  /** Every argument evaluated, in order. */
  private all(args: Expr[], depth: number): Val[] {
    const out: Val[] = [];
    for (let i = 0; i < args.length; i++) out.push(this.eval(args[i], depth));
    return out;
  }

  /** `f` over the arguments as plain JSON; unknown when an argument is or `f` fails. */
  private computed(args: Expr[], depth: number, f: (xs: Json[]) => Json | undefined): Val {
    return this.computedFrom(this.all(args, depth), f);
  }

  /** `computed` over arguments already evaluated (evaluation has no side effects: the same values again). */
  private computedFrom(vals: Val[], f: (xs: Json[]) => Json | undefined): Val {
    const xs = jsonArgs(vals);
    if (!xs) return taint(this.text, this.at, vals);
    let r: Json | undefined;
    try {
      r = f(xs);
    } catch {
      r = undefined;
    }
    return r === undefined ? this.unk() : fromJson(r, this.at);
  }

  /** `name` lower-cased. */
  private call(name: string, args: Expr[], depth: number): Val {
    switch (name) {
      case 'parameters': {
        const n = toJson(this.ev(args, 0, depth));
        if (typeof n !== 'string') return this.unk();
        return this.scope.param(n) ?? this.unk();
      }
      case 'variables': {
        const n = toJson(this.ev(args, 0, depth));
        if (typeof n !== 'string') return this.unk();
        return this.scope.variable(n) ?? this.unk();
      }
      case 'lambdavariables': {
        const n = toJson(this.ev(args, 0, depth));
        return (typeof n === 'string' && this.scope.lambdaVars?.get(n)) || this.unk();
      }
      case 'copyindex': {
        let loop: string | undefined;
        let offset = 0;
        for (const v of this.all(args, depth)) {
          const j = toJson(v);
          if (typeof j === 'string') loop = j;
          else if (typeof j === 'number') offset = j;
        }
        const i = this.scope.copyIndex(loop);
        return i === undefined ? this.unk() : this.prim(i + offset);
      }
      case 'true':
        return this.prim(true);
      case 'false':
        return this.prim(false);
      case 'null':
        return this.prim(null);
      case 'if': {
        const c = this.ev(args, 0, depth);
        if (c.kind !== 'prim') return taint(this.text, this.at, [this.ev(args, 1, depth), this.ev(args, 2, depth)]);
        return truthy(c.value) ? this.ev(args, 1, depth) : this.ev(args, 2, depth);
      }
      case 'coalesce': {
        for (let i = 0; i < args.length; i++) {
          const v = this.ev(args, i, depth);
          if (v.kind === 'unknown') return v;
          if (!(v.kind === 'prim' && v.value === null)) return v;
        }
        return this.prim(null);
      }
      case 'and': {
        let sawUnknown = false;
        for (let i = 0; i < args.length; i++) {
          const v = toJson(this.ev(args, i, depth));
          if (v === undefined) sawUnknown = true;
          else if (!truthy(v)) return this.prim(false);
        }
        return sawUnknown ? this.unk() : this.prim(true);
      }
      case 'or': {
        let sawUnknown = false;
        for (let i = 0; i < args.length; i++) {
          const v = toJson(this.ev(args, i, depth));
          if (v === undefined) sawUnknown = true;
          else if (truthy(v)) return this.prim(true);
        }
        return sawUnknown ? this.unk() : this.prim(false);
      }
      case 'not':
        return this.computed(args, depth, ([x]) => !truthy(x));
      case 'bool':
        return this.computed(args, depth, ([x]) => (typeof x === 'string' ? x.toLowerCase() === 'true' : Boolean(x)));
      case 'equals':
        return this.computed(args, depth, ([a, b]) => jsonEquals(a, b));
      case 'greater':
        return this.computed(args, depth, ([a, b]) => (a as number) > (b as number));
      case 'greaterorequals':
        return this.computed(args, depth, ([a, b]) => (a as number) >= (b as number));
      case 'less':
        return this.computed(args, depth, ([a, b]) => (a as number) < (b as number));
      case 'lessorequals':
        return this.computed(args, depth, ([a, b]) => (a as number) <= (b as number));
      case 'string':
        return this.computed(args, depth, ([x]) => (typeof x === 'string' ? x : JSON.stringify(x)));
      case 'int':
        return this.computed(args, depth, ([x]) => Math.trunc(Number(x)));
      case 'tolower':
        return this.computed(args, depth, ([x]) => String(x).toLowerCase());
      case 'toupper':
        return this.computed(args, depth, ([x]) => String(x).toUpperCase());
      case 'trim':
        return this.computed(args, depth, ([x]) => String(x).trim());
      case 'add':
        return this.computed(args, depth, ([a, b]) => (a as number) + (b as number));
      case 'sub':
        return this.computed(args, depth, ([a, b]) => (a as number) - (b as number));
      case 'mul':
        return this.computed(args, depth, ([a, b]) => (a as number) * (b as number));
      case 'div':
        return this.computed(args, depth, ([a, b]) => Math.trunc((a as number) / (b as number)));
      case 'mod':
        return this.computed(args, depth, ([a, b]) => (a as number) % (b as number));
      case 'min':
        return this.computed(args, depth, (xs) => Math.min(...(xs.flat() as number[])));
      case 'max':
        return this.computed(args, depth, (xs) => Math.max(...(xs.flat() as number[])));
      case 'concat': {
        const vals = this.all(args, depth);
        if (vals.length && vals.every((v) => v.kind === 'array')) {
          return { kind: 'array', items: vals.flatMap((v) => (v as { items: Val[] }).items), at: this.at };
        }
        if (!jsonArgs(vals)) return this.partialText(vals, (parts) => parts.join(''));
        return this.computedFrom(vals, (xs) => (xs.every((x) => Array.isArray(x)) ? (xs as Json[][]).flat() : xs.map((x) => (x === null ? '' : String(x))).join('')));
      }
      case 'format': {
        const vals = this.all(args, depth);
        if (!jsonArgs(vals)) return this.partialText(vals, ([fmt, ...rest]) => formatString(fmt, (i) => rest[i] ?? ''), true);
        return this.computedFrom(vals, ([fmt, ...rest]) =>
          formatString(String(fmt), (i) => {
            const v = rest[i];
            return v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
          }),
        );
      }
      case 'contains': {
        const c = this.ev(args, 0, depth);
        const x = toJson(this.ev(args, 1, depth));
        if (x === undefined) return this.unk();
        if (c.kind === 'object') return this.prim(c.members.has(String(x).toLowerCase()));
        return this.computed(args, depth, ([container, item]) => {
          if (typeof container === 'string') return container.toLowerCase().includes(String(item).toLowerCase());
          if (Array.isArray(container)) return container.some((y) => jsonEquals(y, item));
          return undefined;
        });
      }
      case 'empty': {
        const v = this.ev(args, 0, depth);
        if (v.kind === 'object') return this.prim(v.members.size === 0);
        if (v.kind === 'array') return this.prim(v.items.length === 0);
        if (v.kind === 'prim') return this.prim(v.value === null || v.value === '');
        return this.unk();
      }
      case 'length': {
        const v = this.ev(args, 0, depth);
        if (v.kind === 'array') return this.prim(v.items.length);
        if (v.kind === 'object') return this.prim(v.members.size);
        if (v.kind === 'prim' && typeof v.value === 'string') return this.prim(v.value.length);
        return this.unk();
      }
      case 'first':
      case 'last': {
        const v = this.ev(args, 0, depth);
        if (v.kind === 'array') return (name === 'first' ? v.items[0] : v.items[v.items.length - 1]) ?? this.prim(null);
        if (v.kind === 'prim' && typeof v.value === 'string') return this.prim(name === 'first' ? v.value.slice(0, 1) : v.value.slice(-1));
        return taint(this.text, this.at, [v]);
      }
      case 'split':
        return this.computed(args, depth, ([s, sep]) => {
          const seps = Array.isArray(sep) ? (sep as string[]) : [String(sep)];
          let parts = [String(s)];
          for (const d of seps) parts = parts.flatMap((p) => p.split(d));
          return parts;
        });
      case 'join':
        return this.computed(args, depth, ([xs, sep]) => (xs as Json[]).map(String).join(String(sep)));
      case 'replace':
        return this.computed(args, depth, ([s, a, b]) => String(s).split(String(a)).join(String(b)));
      case 'substring':
        return this.computed(args, depth, ([s, start, len]) => String(s).substr(Number(start), len === undefined ? undefined : Number(len)));
      case 'startswith':
        return this.computed(args, depth, ([s, p]) => String(s).toLowerCase().startsWith(String(p).toLowerCase()));
      case 'endswith':
        return this.computed(args, depth, ([s, p]) => String(s).toLowerCase().endsWith(String(p).toLowerCase()));
      case 'indexof':
        return this.computed(args, depth, ([s, p]) => String(s).toLowerCase().indexOf(String(p).toLowerCase()));
      case 'take':
      case 'skip': {
        const v = this.ev(args, 0, depth);
        const n = toJson(this.ev(args, 1, depth));
        if (typeof n !== 'number') return this.unk();
        if (v.kind === 'array') return { kind: 'array', items: name === 'take' ? v.items.slice(0, n) : v.items.slice(n), at: this.at };
        if (v.kind === 'prim' && typeof v.value === 'string') return this.prim(name === 'take' ? v.value.slice(0, n) : v.value.slice(n));
        return this.unk();
      }
      case 'range':
        return this.computed(args, depth, ([start, count]) => Array.from({ length: Math.min(Number(count), 10000) }, (_, i) => Number(start) + i));
      case 'array': {
        const v = this.ev(args, 0, depth);
        return v.kind === 'array' ? v : { kind: 'array', items: [v], at: this.at };
      }
      case 'createarray':
        return { kind: 'array', items: this.all(args, depth), at: this.at };
      case 'createobject': {
        const members = new Map<string, Member>();
        for (let i = 0; i + 1 < args.length; i += 2) {
          const k = toJson(this.ev(args, i, depth));
          if (typeof k !== 'string') return this.unk();
          members.set(k.toLowerCase(), { key: k, value: this.ev(args, i + 1, depth) });
        }
        return { kind: 'object', members, at: this.at };
      }
      case 'union':
      case 'shallowmerge': {
        let vals = this.all(args, depth);
        if (name === 'shallowmerge') {
          const a = vals[0];
          if (a?.kind !== 'array') return this.unk();
          vals = a.items;
        }
        if (vals.every((v) => v.kind === 'object')) {
          const members = new Map<string, Member>();
          for (const v of vals as ObjectVal[]) {
            for (const [k, m] of v.members) {
              const prev = members.get(k);
              if (name === 'union' && prev && prev.value.kind === 'object' && m.value.kind === 'object') {
                const merged = new Map(prev.value.members);
                for (const [k2, m2] of m.value.members) merged.set(k2, m2);
                members.set(k, { key: m.key, keyAt: m.keyAt, value: { kind: 'object', members: merged, at: m.value.at } });
              } else members.set(k, m);
            }
          }
          return { kind: 'object', members, at: this.at };
        }
        if (vals.every((v) => v.kind === 'array')) {
          const items: Val[] = [];
          const seen = new Set<string>();
          for (const v of vals as { items: Val[] }[])
            for (const it of v.items) {
              const key = JSON.stringify(toJson(it) ?? Math.random());
              if (!seen.has(key)) {
                seen.add(key);
                items.push(it);
              }
            }
          return { kind: 'array', items, at: this.at };
        }
        return taint(this.text, this.at, vals);
      }
      case 'intersection':
        return this.unk();
      case 'json':
        return this.computed(args, depth, ([s]) => JSON.parse(String(s)) as Json);
      case 'trygetvalue':
      case 'tryget': {
        let v = this.ev(args, 0, depth);
        for (let i = 1; i < args.length; i++) {
          const k = this.ev(args, i, depth);
          if (k.kind !== 'prim') return taint(this.text, this.at, [v]);
          if (v.kind === 'prim' && v.value === null) return this.prim(null);
          if (v.kind === 'array' && typeof k.value === 'number') v = v.items[k.value] ?? this.prim(null);
          else if (v.kind === 'object') v = this.access(v, String(k.value), true);
          else if (v.kind === 'unknown') return this.unk({ keysOf: v.keysOf, ref: v.ref });
          else return this.prim(null);
        }
        return v;
      }
      case 'items': {
        const v = this.ev(args, 0, depth);
        if (v.kind !== 'object') return this.unk();
        const items: Val[] = [...v.members.values()].map((m) => {
          const members = new Map<string, Member>([
            ['key', { key: 'key', value: this.prim(m.key) }],
            ['value', { key: 'value', value: m.value }],
          ]);
          return { kind: 'object', members, at: m.value.at ?? this.at } as Val;
        });
        return { kind: 'array', items, at: this.at };
      }
      case 'map':
      case 'filter':
      case 'reduce':
      case 'toobject':
      case 'sort':
        return this.lambdaCall(name, args, depth);
      case 'lambda':
        return this.unk();
      case 'resourceid':
      case 'subscriptionresourceid':
      case 'tenantresourceid':
      case 'extensionresourceid': {
        const vals = this.all(args, depth);
        let start = name === 'extensionresourceid' ? 1 : 0;
        while (start < vals.length) {
          const j = toJson(vals[start]);
          if (typeof j === 'string' && looksLikeType(j)) break;
          start++;
        }
        if (start >= vals.length) return this.unk();
        const type = toJson(vals[start]) as string;
        const names = vals.slice(start + 1).map((v) => {
          const j = toJson(v);
          return typeof j === 'string' || typeof j === 'number' ? String(j) : v.kind === 'unknown' ? v.text : '?';
        });
        return this.unk({ ref: { type, name: names.join('/') } });
      }
      case 'reference': {
        const target = this.ev(args, 0, depth);
        // reference(symbol, apiVersion, 'full') reads the declared resource (sku, location, properties as written).
        if (args.length >= 3 && target.kind === 'prim' && typeof target.value === 'string' && String(toJson(this.ev(args, 2, depth))).toLowerCase() === 'full') {
          const body = this.scope.symbolBody?.(target.value);
          if (body) return body;
        }
        const ref = this.refOf(target);
        return this.unk({ ref });
      }
      case 'listkeys':
      case 'listconnectionstrings':
      case 'listaccountsas':
      case 'listservicesas':
      case 'listsecrets': {
        const ref = this.refOf(this.ev(args, 0, depth));
        return this.unk({ keysOf: [ref?.type ?? 'unknown'], ref });
      }
      case 'listoutputswithsecurevalues':
        return this.unk({ keysOf: ['unknown'] });
      case 'resourcegroup':
      case 'subscription':
      case 'tenant':
      case 'managementgroup':
      case 'deployment':
      case 'environment':
      case 'uniquestring':
      case 'guid':
      case 'newguid':
      case 'uri':
        // A relative reference resolved against an absolute base, as a URL is (a base without a trailing slash loses its last segment).
        return this.computed(args, depth, ([base, rel]) => (typeof base === 'string' && typeof rel === 'string' ? new URL(rel, base).href : undefined));
      case 'utcnow':
      case 'datetimeadd':
      case 'base64':
      case 'base64tostring':
      case 'datauri':
      case 'pickzones':
      case 'fail':
        return taint(this.text, this.at, this.all(args, depth));
      default: {
        const fn = this.scope.functions?.get(name);
        if (fn) return this.userCall(fn, args, depth);
        if (name.startsWith('list')) {
          const ref = this.refOf(this.ev(args, 0, depth));
          return this.unk({ keysOf: [ref?.type ?? 'unknown'], ref });
        }
        return taint(this.text, this.at, this.all(args, depth));
      }
    }
  }

  /**
   * format()/concat() over partly unknown strings: unknown, with the known parts rendered and each
   * unknown part as its own source text (`[parameters('cluster')]/default`), so names and ids of
   * children stay comparable with their parents'. Falls back to the whole expression text when a
   * part is not a string, or an unknown part has no text of its own (it comes from this same expression).
   */
  private partialText(vals: Val[], render: (parts: string[]) => string, firstKnown = false): UnknownVal {
    const u = taint(this.text, this.at, vals);
    const parts: string[] = [];
    for (const v of vals) {
      if (v.kind === 'prim') parts.push(v.value === null ? '' : String(v.value));
      else if (v.kind === 'unknown' && v.text && v.text !== this.text && !(firstKnown && parts.length === 0)) parts.push(v.text);
      else return u;
    }
    u.text = render(parts);
    return u;
  }

  private refOf(target: Val): { type: string; name: string } | undefined {
    if (target.kind === 'unknown') return target.ref;
    if (target.kind === 'prim' && typeof target.value === 'string') {
      const type = this.scope.symbolType(target.value);
      if (type) return { type, name: target.value };
      const m = /providers\/([^/]+\/[^/]+)\/([^/]+)/i.exec(target.value);
      if (m) return { type: m[1], name: m[2] };
    }
    return undefined;
  }

  private lambdaCall(name: string, args: Expr[], depth: number): Val {
    const input = this.eval(args[0], depth);
    if (input.kind !== 'array') return taint(this.text, this.at, [input]);
    const fnArgs = args.slice(1);
    const lambdas = fnArgs.filter((a) => a.kind === 'call' && a.name.toLowerCase() === 'lambda') as Extract<Expr, { kind: 'call' }>[];
    const apply = (lam: Extract<Expr, { kind: 'call' }>, values: Val[]): Val => {
      const names = lam.args.slice(0, -1).map((a) => (a.kind === 'string' ? a.value : ''));
      const vars = new Map(this.scope.lambdaVars ?? []);
      names.forEach((n, i) => vars.set(n, values[i] ?? this.prim(null)));
      return evaluateExpr(within(this.scope, { lambdaVars: vars }), this.at, this.text, lam.args[lam.args.length - 1], depth + 1);
    };
    const items = input.items.slice(0, 5000);
    if (!lambdas[0]) return this.unk();
    switch (name) {
      case 'map':
        return { kind: 'array', items: items.map((it, i) => apply(lambdas[0], [it, this.prim(i)])), at: this.at };
      case 'filter': {
        const out: Val[] = [];
        for (let i = 0; i < items.length; i++) {
          const keep = toJson(apply(lambdas[0], [items[i], this.prim(i)]));
          if (keep === undefined) return this.unk();
          if (truthy(keep)) out.push(items[i]);
        }
        return { kind: 'array', items: out, at: this.at };
      }
      case 'reduce': {
        let acc = this.eval(args[1], depth);
        for (let i = 0; i < items.length; i++) acc = apply(lambdas[0], [acc, items[i], this.prim(i)]);
        return acc;
      }
      case 'toobject': {
        const members = new Map<string, Member>();
        for (const it of items) {
          const k = toJson(apply(lambdas[0], [it]));
          if (typeof k !== 'string') return this.unk();
          members.set(k.toLowerCase(), { key: k, value: lambdas[1] ? apply(lambdas[1], [it]) : it });
        }
        return { kind: 'object', members, at: this.at };
      }
      default:
        return this.unk();
    }
  }

  private userCall(fn: UserFunction, args: Expr[], depth: number): Val {
    const bound = new Map<string, Val>();
    fn.params.forEach((p, i) => bound.set(p.toLowerCase(), i < args.length ? this.eval(args[i], depth) : this.prim(null)));
    const outer = this.scope;
    const scope = within(outer, { param: (n: string) => bound.get(n.toLowerCase()) ?? outer.param(n) });
    return evalTree(fn.output, scope, depth + 1);
  }
}

/** Evaluates every expression string inside an already-located value tree. */
export function evalTree(v: Val, scope: EvalScope, depth = 0): Val {
  if (depth > MAX_DEPTH) return unknown('(too deep)', v.at);
  switch (v.kind) {
    case 'prim':
      return typeof v.value === 'string' && v.value.startsWith('[') ? evalString(v.value, v.at, scope) : v;
    case 'unknown':
      return v;
    case 'array': {
      if (v.literal) return v;
      // Structural sharing: a subtree without expressions is returned as it is.
      let items: Val[] | undefined;
      for (let i = 0; i < v.items.length; i++) {
        const x = v.items[i];
        const e = evalTree(x, scope, depth + 1);
        if (e !== x && !items) items = v.items.slice(0, i);
        items?.push(e);
      }
      return items ? { ...v, items } : v;
    }
    case 'object':
      if (v.literal) return v;
      return { kind: 'object', members: new EvaluatedMembers(v.members, scope, depth), at: v.at, origin: v.origin };
  }
}

/** Whether `e` is `deployment().properties.templateLink.uri` (in any case). */
function isTemplateLinkUri(e: Extract<Expr, { kind: 'member' }>): boolean {
  const link = e.target;
  if (e.name.toLowerCase() !== 'uri' || link.kind !== 'member' || link.name.toLowerCase() !== 'templatelink') return false;
  const props = link.target;
  if (props.kind !== 'member' || props.name.toLowerCase() !== 'properties') return false;
  const call = props.target;
  return call.kind === 'call' && call.name.toLowerCase() === 'deployment' && call.args.length === 0;
}

/** Whether evaluating `v` gives `v` itself: a literal subtree, an unknown, a primitive that is not an expression string. */
function evaluatesToItself(v: Val): boolean {
  return v.literal === true || v.kind === 'unknown' || (v.kind === 'prim' && !(typeof v.value === 'string' && v.value.startsWith('[')));
}

/**
 * The members of an object written with expressions inside, each evaluated when it is first
 * read. Rules read a few properties of each resource; evaluating every expression of a large
 * template up front (its dependsOn lists, names, tags of resources no rule looks at) was most
 * of the reader's time. Evaluation has no side effects, so when it happens does not change
 * what it gives. `omit` is a member left out (a resource's nested `resources`).
 */
export class EvaluatedMembers implements Map<string, Member> {
  private cache: Members<Member> | undefined;
  /** Evaluated members of a small source, by their slot's index there (see Members.slotOf). */
  private bySlot: (Member | undefined)[] | undefined;
  /** Once written to (set/delete/clear), the members live here, all evaluated. */
  private own: Members<Member> | undefined;

  constructor(
    private readonly src: Map<string, Member>,
    private readonly scope: EvalScope,
    private readonly depth: number,
    private readonly omit?: string,
  ) {}

  get [Symbol.toStringTag](): string {
    return 'EvaluatedMembers';
  }

  get size(): number {
    if (this.own) return this.own.size;
    return this.src.size - (this.omit !== undefined && this.src.has(this.omit) ? 1 : 0);
  }

  /** `m`, found under `key` at `slot` of a small source (undefined for other sources), evaluated once. */
  private evaluated(key: string, m: Member, slot: number | undefined): Member {
    if (evaluatesToItself(m.value)) return m;
    if (slot !== undefined) {
      // Few members (most objects): evaluations kept by slot, found without a second search.
      const bySlot = (this.bySlot ??= []);
      let e = bySlot[slot >> 1];
      // A member renamed since (editTree) is evaluated again, under its new name.
      if (e === undefined || e.key !== m.key) bySlot[slot >> 1] = e = this.evaluate(m);
      return e;
    }
    let e = this.cache?.get(key);
    if (!e) {
      e = this.evaluate(m);
      (this.cache ??= new Members<Member>()).set(key, e);
    }
    return e;
  }

  private evaluate(m: Member): Member {
    const v = evalTree(m.value, this.scope, this.depth + 1);
    return v === m.value ? m : { key: m.key, keyAt: m.keyAt, value: v };
  }

  get(key: string): Member | undefined {
    if (this.own) return this.own.get(key);
    if (key === this.omit) return undefined;
    const src = this.src;
    const slot = src instanceof Members ? src.slotOf(key) : undefined;
    if (slot === undefined) {
      const m = src.get(key);
      return m && this.evaluated(key, m, undefined);
    }
    return slot < 0 ? undefined : this.evaluated(key, (src as Members<Member>).valueAt(slot), slot);
  }

  has(key: string): boolean {
    if (this.own) return this.own.has(key);
    return key !== this.omit && this.src.has(key);
  }

  forEach(f: (value: Member, key: string, map: Map<string, Member>) => void, thisArg?: unknown): void {
    if (this.own) return this.own.forEach((v, k) => f.call(thisArg, v, k, this));
    const src = this.src;
    // Members of a small source are visited in slot order (Members.forEach): slot = 2 × position.
    const small = src instanceof Members && src.hasSlots();
    let slot = 0;
    src.forEach((m, k) => {
      if (k !== this.omit) f.call(thisArg, this.evaluated(k, m, small ? slot : undefined), k, this);
      slot += 2;
    });
  }

  private pairs(): [string, Member][] {
    const out: [string, Member][] = [];
    this.forEach((m, k) => out.push([k, m]));
    return out;
  }

  entries(): MapIterator<[string, Member]> {
    return this.pairs()[Symbol.iterator]();
  }

  keys(): MapIterator<string> {
    // Keys need no evaluation.
    if (this.own) return this.own.keys();
    const out: string[] = [];
    this.src.forEach((_, k) => {
      if (k !== this.omit) out.push(k);
    });
    return out[Symbol.iterator]();
  }

  values(): MapIterator<Member> {
    return this.pairs().map((p) => p[1])[Symbol.iterator]();
  }

  [Symbol.iterator](): MapIterator<[string, Member]> {
    return this.entries();
  }

  private owned(): Members<Member> {
    if (!this.own) {
      const own = new Members<Member>();
      this.forEach((m, k) => own.set(k, m));
      this.own = own;
    }
    return this.own;
  }

  set(key: string, value: Member): this {
    this.owned().set(key, value);
    return this;
  }

  delete(key: string): boolean {
    return this.owned().delete(key);
  }

  clear(): void {
    this.owned().clear();
  }
}

/**
 * Applies one template function (`equals`, `union`, `resourceId`, `listKeys`, ...) to arguments
 * that are already evaluated, with the semantics above: for readers of other syntaxes (Bicep)
 * that share these function implementations. `text` is the call's source text (the text of an
 * unknown result), `at` where it is written.
 */
export function applyFunction(name: string, args: Val[], at: Span | undefined, text: string): Val {
  const bound = new Map<string, Val>();
  const exprs: Expr[] = args.map((v, i) => {
    const key = `\u0000arg${i}`;
    bound.set(key, v);
    return { kind: 'call', name: 'lambdaVariables', args: [{ kind: 'string', value: key }] };
  });
  return evaluateExpr({ ...NO_SCOPE, lambdaVars: bound }, at, text, { kind: 'call', name, args: exprs }, 0);
}
