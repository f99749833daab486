// Parser for ARM template expressions: the text between the brackets of "[...]".

export type Expr =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  /** `lower`: the name lower-cased (function names are case-insensitive), when the parser made the node. */
  | { kind: 'call'; name: string; args: Expr[]; lower?: string }
  | { kind: 'member'; target: Expr; name: string; optional: boolean }
  | { kind: 'index'; target: Expr; index: Expr; optional: boolean };

export class ExpressionSyntaxError extends Error {}

type Token =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string }
  | { t: 'punct'; v: '(' | ')' | ',' | '.' | '[' | ']' | '?' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExpressionSyntaxError('unterminated string literal');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < src.length && /[0-9.]/.test(src[j])) j++;
      out.push({ t: 'num', v: Number(src.slice(i, j)) });
      i = j;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_$]/.test(src[j])) j++;
      out.push({ t: 'id', v: src.slice(i, j) });
      i = j;
    } else if ('(),.[]?'.includes(c)) {
      out.push({ t: 'punct', v: c as '(' });
      i++;
    } else {
      throw new ExpressionSyntaxError(`unexpected character '${c}'`);
    }
  }
  return out;
}

/** Parses the inside of an ARM expression (without the outer brackets). */
export function parseExpression(src: string): Expr {
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Token | undefined => toks[pos];
  const isPunct = (v: string): boolean => {
    const t = toks[pos];
    return t !== undefined && t.t === 'punct' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isPunct(v)) throw new ExpressionSyntaxError(`expected '${v}'`);
    pos++;
  };

  function primary(): Expr {
    const t = peek();
    if (!t) throw new ExpressionSyntaxError('unexpected end of expression');
    pos++;
    if (t.t === 'str') return { kind: 'string', value: t.v };
    if (t.t === 'num') return { kind: 'number', value: t.v };
    if (t.t === 'id') {
      // Namespaced user-defined functions: ns.fn(...)
      let name = t.v;
      if (isPunct('.') && toks[pos + 1]?.t === 'id' && toks[pos + 2]?.t === 'punct' && (toks[pos + 2] as { v: string }).v === '(') {
        name += '.' + (toks[pos + 1] as { v: string }).v;
        pos += 2;
      }
      if (!isPunct('(')) throw new ExpressionSyntaxError(`expected '(' after ${name}`);
      pos++;
      const args: Expr[] = [];
      if (!isPunct(')')) {
        for (;;) {
          args.push(expression());
          if (isPunct(',')) {
            pos++;
            continue;
          }
          break;
        }
      }
      expect(')');
      return { kind: 'call', name, args, lower: name.toLowerCase() };
    }
    throw new ExpressionSyntaxError(`unexpected '${t.v}'`);
  }

  function expression(): Expr {
    let e = primary();
    for (;;) {
      let optional = false;
      if (isPunct('?') && (toks[pos + 1]?.t === 'punct')) {
        optional = true;
        pos++;
      }
      if (isPunct('.')) {
        pos++;
        const t = peek();
        if (!t || t.t !== 'id') throw new ExpressionSyntaxError('expected a property name');
        pos++;
        e = { kind: 'member', target: e, name: t.v, optional };
      } else if (isPunct('[')) {
        pos++;
        const index = expression();
        expect(']');
        e = { kind: 'index', target: e, index, optional };
      } else {
        if (optional) throw new ExpressionSyntaxError("unexpected '?'");
        return e;
      }
    }
  }

  const e = expression();
  if (pos !== toks.length) throw new ExpressionSyntaxError('unexpected text after the expression');
  return e;
}

/** Whether a JSON string is an ARM expression (`[...]`, not the `[[` escape). */
export function isExpressionString(s: string): boolean {
  return s.length >= 2 && s[0] === '[' && s[1] !== '[' && s[s.length - 1] === ']';
}

/** The literal a string stands for when it is not an expression (`[[x]` means `[x]`). */
export function unescapeLiteral(s: string): string {
  return s.startsWith('[[') ? s.slice(1) : s;
}
