// Hand-written recursive-descent parser for Bicep and .bicepparam files, with error recovery.
//
// Design notes:
// - Newlines are tokens and terminate statements, array items and object members.
// - A failed sub-parse throws an internal `Failure`, caught by the nearest `recover()` which skips
//   tokens up to one of its terminators (usually the end of the line) and returns a `Skipped` node
//   plus one error. Errors raised inside the discarded sub-tree are dropped with it.
// - Nesting depth is bounded (MAX_DEPTH). Past it the whole statement is skipped (balancing
//   brackets) with a single error, so deep input can never overflow the stack.
// - Every loop consumes at least one token per iteration or exits (with explicit progress guards).
// - The public entry points never throw.

import type * as A from './ast';
import { lex, type Token, type TokenKind } from './lexer';
import { childNodes } from './walk';

/** Maximum nesting of expressions/types/declarations before the statement is rejected. */
export const MAX_DEPTH = 300;

const NONE = 0;
const COMPLEX = 1; // arrays and objects allowed
const RESOURCES = 2; // nested resource declarations allowed in object bodies

type Flags = number;

class Failure {
  constructor(
    readonly message: string,
    readonly start: number,
    readonly end: number,
  ) {}
}

class DepthExceeded {}
const DEPTH_EXCEEDED = new DepthExceeded();

const PRECEDENCE: Partial<Record<TokenKind, number>> = {
  Modulo: 100,
  Asterisk: 100,
  Slash: 100,
  Plus: 90,
  Minus: 90,
  GreaterThan: 80,
  GreaterThanOrEqual: 80,
  LessThan: 80,
  LessThanOrEqual: 80,
  Equals: 70,
  NotEquals: 70,
  EqualsInsensitive: 70,
  NotEqualsInsensitive: 70,
  LogicalAnd: 50,
  LogicalOr: 40,
  DoubleQuestion: 30,
};

const BINARY_OPERATOR: Partial<Record<TokenKind, A.BinaryOperator>> = {
  Modulo: '%',
  Asterisk: '*',
  Slash: '/',
  Plus: '+',
  Minus: '-',
  GreaterThan: '>',
  GreaterThanOrEqual: '>=',
  LessThan: '<',
  LessThanOrEqual: '<=',
  Equals: '==',
  NotEquals: '!=',
  EqualsInsensitive: '=~',
  NotEqualsInsensitive: '!~',
  LogicalAnd: '&&',
  LogicalOr: '||',
  DoubleQuestion: '??',
};

const DECLARATION_KEYWORDS = new Set([
  'metadata',
  'targetScope',
  'param',
  'var',
  'func',
  'resource',
  'output',
  'module',
  'test',
  'import',
  'extension',
  'type',
  'assert',
  'using',
  'extends',
  'extensionConfig',
]);

const OPERAND_END: TokenKind[] = ['StringRightPiece', 'RightBrace', 'RightParen', 'RightSquare', 'NewLine'];
const OPEN_KINDS = new Set<TokenKind>(['LeftBrace', 'LeftSquare', 'LeftParen', 'StringLeftPiece']);
const CLOSE_KINDS = new Set<TokenKind>(['RightBrace', 'RightSquare', 'RightParen', 'StringRightPiece']);

type Mode = 'bicep' | 'bicepparam';

function isSkipped(node: { kind: string } | Token | null | undefined): node is A.Skipped {
  return !!node && (node as { kind: string }).kind === 'Skipped';
}

/** True for a zero-length recovery node: follow-up errors are suppressed after it. */
function isEmptyFailure(node: A.Node | Token | null | undefined): boolean {
  if (!node) return false;
  if ((node as A.Node).kind === 'Skipped') return node.start === node.end;
  if ((node as A.Node).kind === 'Identifier') return !!(node as A.Identifier).missing && node.start === node.end;
  return false;
}

class Parser {
  private pos = 0;
  private depth = 0;
  readonly errors: A.ParseError[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly mode: Mode,
  ) {}

  // ================================================================ token helpers

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private peekAt(offset: number): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  /** The next token that is not a newline, starting `offset` tokens ahead. */
  private peekSkipNewlines(offset = 0): Token {
    let i = Math.min(this.pos + offset, this.tokens.length - 1);
    while (this.tokens[i].kind === 'NewLine') i++;
    return this.tokens[i];
  }

  private read(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'EndOfFile') this.pos++;
    return t;
  }

  private atEnd(): boolean {
    return this.tokens[this.pos].kind === 'EndOfFile';
  }

  private check(kind: TokenKind): boolean {
    return this.tokens[this.pos].kind === kind && kind !== 'EndOfFile';
  }

  private checkAny(kinds: readonly TokenKind[]): boolean {
    const k = this.tokens[this.pos].kind;
    return k !== 'EndOfFile' && kinds.includes(k);
  }

  private checkKeyword(keyword: string, token: Token = this.peek()): boolean {
    return token.kind === 'Identifier' && token.text === keyword;
  }

  /** End offset of the last consumed token. */
  private prevEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1].end : 0;
  }

  private newLines(): void {
    while (this.check('NewLine')) this.read();
  }

  private failure(token: Token, message: string): Failure {
    // a newline token is reported as a zero-length span at the end of the line
    return token.kind === 'NewLine' || token.kind === 'EndOfFile'
      ? new Failure(message, token.start, token.start)
      : new Failure(message, token.start, token.end);
  }

  private fail(message: string, token: Token = this.peek()): never {
    throw this.failure(token, message);
  }

  private expect(kind: TokenKind, message: string): Token {
    if (this.check(kind)) return this.read();
    return this.fail(message);
  }

  private expectKeyword(keyword: string, message = `Expected the "${keyword}" keyword at this location.`): Token {
    if (this.checkKeyword(keyword)) return this.read();
    return this.fail(message);
  }

  private error(message: string, start: number, end: number): void {
    this.errors.push({ message, start, end });
  }

  /** Records an error at the current token without consuming anything and returns an empty Skipped node. */
  private skipEmpty(message: string | null): A.Skipped {
    const t = this.peek();
    if (message !== null) this.error(message, t.start, t.start);
    return { kind: 'Skipped', start: t.start, end: t.start, text: '' };
  }

  private skippedFrom(startPos: number): A.Skipped {
    const start = this.tokens[startPos].start;
    const end = this.pos > startPos ? this.tokens[this.pos - 1].end : start;
    return { kind: 'Skipped', start, end, text: this.text.slice(start, end) };
  }

  private nested<T>(fn: () => T): T {
    if (this.depth >= MAX_DEPTH) throw DEPTH_EXCEEDED;
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  /**
   * Runs `fn`; on a parse failure skips tokens until one of `terminators` (not consumed unless
   * `consume`), records the failure (unless `suppress`) and returns a Skipped node.
   */
  private recover<T>(fn: () => T, terminators: readonly TokenKind[], suppress = false, consume = false): T | A.Skipped {
    const startPos = this.pos;
    const errorMark = this.errors.length;
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      this.errors.length = errorMark;
      while (!this.atEnd() && !terminators.includes(this.peek().kind)) this.read();
      if (!suppress) this.error(e.message, e.start, e.end);
      const skipped = this.skippedFrom(startPos);
      if (consume && this.checkAny(terminators)) this.read();
      return skipped;
    }
  }

  private failIfSkipped<T extends { kind: string }>(fn: () => T, message: string): T {
    const start = this.peek();
    const node = fn();
    if (isSkipped(node)) throw this.failure(start, message);
    return node;
  }

  // ================================================================ program

  program(): A.ProgramNode {
    const statements: A.Statement[] = [];
    while (!this.atEnd()) {
      const startPos = this.pos;
      const errorMark = this.errors.length;
      try {
        const statement = this.declaration();
        if (statement !== null) {
          statements.push(statement);
          if (statement.kind !== 'Skipped' && !this.atEnd()) {
            // every declaration must be followed by a newline or the end of the file
            if (this.check('NewLine')) this.read();
            else {
              this.recover(
                () => this.fail('Expected a new line character at this location.'),
                ['NewLine'],
                false,
                true,
              );
            }
          }
        }
      } catch (e) {
        // a stack overflow (RangeError) is handled like the explicit depth limit: skip the statement
        if (e !== DEPTH_EXCEEDED && !(e instanceof RangeError)) throw e;
        this.depth = 0;
        this.errors.length = errorMark;
        this.pos = startPos;
        const skipped = this.skipBalancedStatement(startPos);
        this.error(
          `The nesting depth of this statement exceeds the limit of ${MAX_DEPTH} levels; the statement was skipped.`,
          skipped.start,
          skipped.end,
        );
        statements.push(skipped);
      }
      if (this.pos === startPos && !this.atEnd()) {
        // progress guard (should be unreachable)
        const t = this.read();
        this.error(`Unexpected token "${t.text}".`, t.start, t.end);
      }
    }
    const eof = this.peek();
    return { kind: 'Program', start: 0, end: Math.max(eof.end, this.text.length), mode: this.mode, statements };
  }

  /** Skips from `startPos` to the first newline outside any brackets. */
  private skipBalancedStatement(startPos: number): A.Skipped {
    let balance = 0;
    while (!this.atEnd()) {
      const k = this.peek().kind;
      if (k === 'NewLine' && balance <= 0) break;
      if (OPEN_KINDS.has(k)) balance++;
      else if (CLOSE_KINDS.has(k)) balance--;
      this.read();
    }
    return this.skippedFrom(startPos);
  }

  /**
   * Parses one declaration (with its decorators). Returns null when it consumed a blank line.
   * `only` restricts the accepted keywords (nested resources in object bodies).
   */
  private declaration(only?: string): A.Statement | null {
    return this.nested(() => {
      let consumedNewLine = false;
      const result = this.recover((): A.Declaration | null => {
        const decorators = this.decorators();
        const t = this.peek();
        if (t.kind === 'Identifier' && (only === undefined || t.text === only)) {
          const d = this.mode === 'bicep' ? this.bicepDeclaration(t.text, decorators) : this.paramsDeclaration(t.text, decorators);
          if (d) return d;
        }
        if (t.kind === 'NewLine' && decorators.length === 0) {
          this.read();
          consumedNewLine = true;
          return null;
        }
        if (decorators.length > 0) {
          return {
            kind: 'MissingDeclaration',
            start: decorators[0].start,
            end: decorators[decorators.length - 1].end,
            decorators,
          };
        }
        return this.fail(
          this.mode === 'bicep'
            ? 'This declaration type is not recognized. Specify a metadata, parameter, variable, resource, module, output, type, function, import, extension, assert, test or targetScope declaration.'
            : 'This declaration type is not recognized. Specify a using, extends, parameter, variable, import, extension, extensionConfig or type declaration.',
          t,
        );
      }, ['NewLine']);
      if (result === null || consumedNewLine) return null;
      return result;
    });
  }

  private bicepDeclaration(keyword: string, decorators: A.Decorator[]): A.Declaration | null {
    switch (keyword) {
      case 'targetScope':
        return this.targetScope(decorators);
      case 'metadata':
        return this.metadata(decorators);
      case 'type':
        return this.typeDeclaration(decorators);
      case 'param':
        return this.parameterDeclaration(decorators);
      case 'var':
        return this.variableDeclaration(decorators);
      case 'func':
        return this.functionDeclaration(decorators);
      case 'resource':
        return this.resourceDeclaration(decorators);
      case 'output':
        return this.outputDeclaration(decorators);
      case 'module':
        return this.moduleDeclaration(decorators);
      case 'test':
        return this.testDeclaration(decorators);
      case 'import': {
        const start = this.declStart(decorators);
        this.read();
        // legacy extension syntax: import 'az@1.0.0' [with {...}] [as alias]
        if (this.check('StringComplete') || this.check('StringLeftPiece')) return this.extensionDeclaration(start, 'import', decorators);
        return this.compileTimeImport(start, decorators);
      }
      case 'extension': {
        const start = this.declStart(decorators);
        this.read();
        return this.extensionDeclaration(start, 'extension', decorators);
      }
      case 'assert':
        return this.assertDeclaration(decorators);
      default:
        return null;
    }
  }

  private paramsDeclaration(keyword: string, decorators: A.Decorator[]): A.Declaration | null {
    switch (keyword) {
      case 'using':
        return this.usingDeclaration(decorators);
      case 'extends':
        return this.extendsDeclaration(decorators);
      case 'param':
        return this.parameterAssignment(decorators);
      case 'var':
        return this.variableDeclaration(decorators);
      case 'import': {
        const start = this.declStart(decorators);
        this.read();
        return this.compileTimeImport(start, decorators);
      }
      case 'extensionConfig':
        return this.extensionConfigAssignment(decorators);
      case 'extension': {
        const start = this.declStart(decorators);
        this.read();
        return this.extensionDeclaration(start, 'extension', decorators);
      }
      case 'type':
        return this.typeDeclaration(decorators);
      default:
        return null;
    }
  }

  private declStart(decorators: A.Decorator[]): number {
    return decorators.length > 0 ? decorators[0].start : this.peek().start;
  }

  private decorators(): A.Decorator[] {
    const list: A.Decorator[] = [];
    while (this.check('At')) {
      list.push(this.decorator());
      // a decorator must be followed by a newline
      this.recover(() => this.expect('NewLine', 'Expected a new line character at this location.'), ['NewLine'], false, true);
      this.newLines();
    }
    return list;
  }

  private decorator(): A.Decorator {
    const at = this.read();
    const expression = this.recover((): A.Expression => {
      const nameToken = this.expect('Identifier', 'Expected a namespace or decorator name at this location.');
      const name = this.identifierFrom(nameToken);
      let current: A.Expression = this.check('LeftParen')
        ? this.functionCall(name, COMPLEX)
        : { kind: 'VariableAccess', start: name.start, end: name.end, name: name.name };
      while (this.check('Dot')) {
        this.read();
        const member = this.identifierOrSkip('Expected a function or property name at this location.');
        current = this.check('LeftParen')
          ? this.instanceFunctionCall(current, member, COMPLEX)
          : { kind: 'PropertyAccess', start: current.start, end: this.prevEnd(), base: current, property: member, safe: false };
      }
      return current;
    }, ['NewLine']);
    return { kind: 'Decorator', start: at.start, end: Math.max(at.end, expression.end), expression };
  }

  // ================================================================ declarations

  private identifierFrom(token: Token): A.Identifier {
    return { kind: 'Identifier', start: token.start, end: token.end, name: token.text };
  }

  private missingIdentifier(at: { start: number; end: number }): A.Identifier {
    return { kind: 'Identifier', start: at.start, end: at.end, name: '', missing: true };
  }

  private identifierWithRecovery(message: string, terminators: readonly TokenKind[], suppress = false): A.Identifier {
    const result = this.recover(() => this.identifierFrom(this.expect('Identifier', message)), terminators, suppress);
    return isSkipped(result) ? this.missingIdentifier(result) : result;
  }

  private identifierOrSkip(message: string): A.Identifier {
    if (this.check('Identifier')) return this.identifierFrom(this.read());
    return this.missingIdentifier(this.skipEmpty(message));
  }

  private assignment(suppress: boolean): Token | A.Skipped {
    return this.recover(() => this.expect('Assignment', 'Expected the "=" character at this location.'), ['NewLine'], suppress);
  }

  private valueExpression(suppress: boolean): A.Expression {
    return this.recover(() => this.expression(COMPLEX), ['NewLine'], suppress);
  }

  private targetScope(decorators: A.Decorator[]): A.TargetScopeDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const assign = this.assignment(false);
    const value = this.valueExpression(false);
    void assign;
    return { kind: 'TargetScopeDeclaration', start, end: this.prevEnd(), decorators, value };
  }

  private metadata(decorators: A.Decorator[]): A.MetadataDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a metadata identifier at this location.', ['Assignment', 'NewLine']);
    const assign = this.assignment(isEmptyFailure(name));
    const value = this.valueExpression(isEmptyFailure(assign));
    return { kind: 'MetadataDeclaration', start, end: this.prevEnd(), decorators, name, value };
  }

  private parameterDeclaration(decorators: A.Decorator[]): A.ParameterDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a parameter identifier at this location.', ['Identifier', 'NewLine']);
    const type = this.recover(() => this.type(false), ['Assignment', 'LeftBrace', 'NewLine'], isEmptyFailure(name));
    let defaultValue: A.Expression | null = null;
    if (this.check('Assignment')) {
      this.read();
      defaultValue = this.valueExpression(false);
    } else if (!this.check('NewLine') && !this.atEnd()) {
      this.recover(
        () => this.fail('Expected a parameter default value ("=") or a new line at this location.'),
        ['NewLine'],
        isEmptyFailure(type),
      );
    }
    return { kind: 'ParameterDeclaration', start, end: this.prevEnd(), decorators, name, type, defaultValue };
  }

  private parameterAssignment(decorators: A.Decorator[]): A.ParameterAssignment {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a parameter identifier at this location.', ['Identifier', 'NewLine']);
    // `param name` without a value is accepted (e.g. `@inline() param foo` in newer Bicep versions)
    if (!isEmptyFailure(name) && (this.check('NewLine') || this.atEnd())) {
      return { kind: 'ParameterAssignment', start, end: this.prevEnd(), decorators, name, value: null };
    }
    const assign = this.assignment(isEmptyFailure(name));
    const value = this.valueExpression(isEmptyFailure(assign));
    return { kind: 'ParameterAssignment', start, end: this.prevEnd(), decorators, name, value };
  }

  private variableDeclaration(decorators: A.Decorator[]): A.VariableDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a variable identifier at this location.', ['Identifier', 'NewLine']);
    let type: A.TypeExpression | null = null;
    if (!this.atEnd() && !this.check('NewLine') && !this.check('Assignment')) {
      type = this.recover(() => this.type(false), ['Assignment', 'NewLine'], isEmptyFailure(name));
    }
    const assign = this.assignment(isEmptyFailure(type ?? name));
    const value = this.valueExpression(isEmptyFailure(assign));
    return { kind: 'VariableDeclaration', start, end: this.prevEnd(), decorators, name, type, value };
  }

  private outputDeclaration(decorators: A.Decorator[]): A.OutputDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected an output identifier at this location.', ['Identifier', 'NewLine']);
    const type = this.recover(() => this.type(true), ['Assignment', 'NewLine'], isEmptyFailure(name));
    const assign = this.assignment(isEmptyFailure(type));
    const value = this.valueExpression(isEmptyFailure(assign));
    return { kind: 'OutputDeclaration', start, end: this.prevEnd(), decorators, name, type, value };
  }

  private typeDeclaration(decorators: A.Decorator[]): A.TypeDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a type identifier at this location.', ['Assignment', 'NewLine']);
    const assign = this.assignment(isEmptyFailure(name));
    const value = this.recover(() => this.type(false), ['Assignment', 'LeftBrace', 'NewLine'], isEmptyFailure(assign));
    return { kind: 'TypeDeclaration', start, end: this.prevEnd(), decorators, name, value };
  }

  private functionDeclaration(decorators: A.Decorator[]): A.FunctionDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a function identifier at this location.', ['LeftParen', 'NewLine']);
    const lambda = this.recover(() => this.typedLambda(), ['NewLine'], isEmptyFailure(name));
    return { kind: 'FunctionDeclaration', start, end: this.prevEnd(), decorators, name, lambda };
  }

  private assertDeclaration(decorators: A.Decorator[]): A.AssertDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected an assert identifier at this location.', ['Assignment', 'NewLine']);
    const assign = this.assignment(isEmptyFailure(name));
    const value = this.valueExpression(isEmptyFailure(assign));
    return { kind: 'AssertDeclaration', start, end: this.prevEnd(), decorators, name, value };
  }

  private stringOperand(message: string, terminators: readonly TokenKind[], suppress: boolean): A.StringLiteral | A.Skipped {
    return this.recover(() => this.failIfSkipped(() => this.interpolableString(message), message), terminators, suppress);
  }

  private resourceDeclaration(decorators: A.Decorator[]): A.ResourceDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a resource identifier at this location.', [
      'StringComplete',
      'StringLeftPiece',
      'NewLine',
    ]);
    const typeString = this.stringOperand(
      'Expected a resource type string. Specify a valid resource type of format "<type-name>@<apiVersion>".',
      ['Assignment', 'NewLine'],
      isEmptyFailure(name),
    );
    let existing = false;
    if (this.checkKeyword('existing')) {
      this.read();
      existing = true;
    }
    const assign = this.recover(
      () => this.expect('Assignment', 'Expected the "=" character at this location.'),
      ['LeftBrace', 'NewLine'],
      isEmptyFailure(typeString),
    );
    if (!isSkipped(assign) && this.checkKeyword('if', this.peekSkipNewlines())) this.newLines();
    const value = this.recover(() => this.bodyValue(RESOURCES | COMPLEX, true), ['NewLine'], isEmptyFailure(assign));
    return { kind: 'ResourceDeclaration', start, end: this.prevEnd(), decorators, name, typeString, existing, value };
  }

  private moduleDeclaration(decorators: A.Decorator[]): A.ModuleDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a module identifier at this location.', [
      'StringComplete',
      'StringLeftPiece',
      'NewLine',
    ]);
    const path = this.stringOperand('Expected a module path string.', ['Assignment', 'NewLine'], isEmptyFailure(name));
    const assign = this.recover(
      () => this.expect('Assignment', 'Expected the "=" character at this location.'),
      ['LeftBrace', 'NewLine'],
      isEmptyFailure(path),
    );
    if (this.checkKeyword('if', this.peekSkipNewlines())) this.newLines();
    const value = this.recover(() => this.bodyValue(COMPLEX, true), ['NewLine'], isEmptyFailure(assign));
    return { kind: 'ModuleDeclaration', start, end: this.prevEnd(), decorators, name, path, value };
  }

  /** Resource/module body: `{...}`, `if (c) {...}` or `[for ...: ...]`. */
  private bodyValue(flags: Flags, allowLoopAndCondition: boolean): A.ObjectLiteral | A.IfCondition | A.ForExpression {
    const t = this.peek();
    if (t.kind === 'LeftBrace') return this.object(flags);
    if (allowLoopAndCondition && this.checkKeyword('if')) return this.ifCondition(flags, false);
    if (allowLoopAndCondition && t.kind === 'LeftSquare') return this.forExpression(flags, true);
    return this.fail('Expected the "{" character, the "[" character, or the "if" keyword at this location.');
  }

  private testDeclaration(decorators: A.Decorator[]): A.TestDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const name = this.identifierWithRecovery('Expected a test identifier at this location.', [
      'StringComplete',
      'StringLeftPiece',
      'NewLine',
    ]);
    const path = this.stringOperand('Expected a test path string.', ['Assignment', 'NewLine'], isEmptyFailure(name));
    const assign = this.recover(
      () => this.expect('Assignment', 'Expected the "=" character at this location.'),
      ['LeftBrace', 'NewLine'],
      isEmptyFailure(path),
    );
    const value = this.recover(
      () => (this.check('LeftBrace') ? this.object(COMPLEX) : this.fail('Expected the "{" character at this location.')),
      ['NewLine'],
      isEmptyFailure(assign),
    );
    return { kind: 'TestDeclaration', start, end: this.prevEnd(), decorators, name, path, value };
  }

  private compileTimeImport(start: number, decorators: A.Decorator[]): A.ImportDeclaration {
    const expected = 'Expected an import list ("{ ... }") or a wildcard import ("* as alias") at this location.';
    let imports: A.ImportedSymbolsList | A.WildcardImport | A.Skipped;
    const t = this.peek();
    if (t.kind === 'EndOfFile' || t.kind === 'NewLine' || t.kind === 'Identifier') imports = this.skipEmpty(expected);
    else if (t.kind === 'LeftBrace') imports = this.recover(() => this.importedSymbolsList(), ['NewLine']);
    else if (t.kind === 'Asterisk') imports = this.recover(() => this.wildcardImport(), ['NewLine']);
    else {
      const bad = this.read();
      this.error(expected, bad.start, bad.end);
      imports = { kind: 'Skipped', start: bad.start, end: bad.end, text: bad.text };
    }
    const from = this.recover(
      (): A.StringLiteral | A.Skipped => {
        this.expectKeyword('from');
        return this.stringOperand('Expected a file path string at this location.', ['NewLine'], false);
      },
      ['NewLine'],
      isEmptyFailure(imports),
    );
    return { kind: 'ImportDeclaration', start, end: this.prevEnd(), decorators, imports, from };
  }

  private importedSymbolsList(): A.ImportedSymbolsList {
    const open = this.expect('LeftBrace', 'Expected the "{" character at this location.');
    const symbols = this.elements('RightBrace', () => this.importedSymbol());
    this.expect('RightBrace', 'Expected the "}" character at this location.');
    return { kind: 'ImportedSymbolsList', start: open.start, end: this.prevEnd(), symbols };
  }

  private importedSymbol(): A.ImportedSymbol | A.Skipped {
    const t = this.peek();
    let name: A.Identifier | A.StringLiteral;
    if (t.kind === 'Identifier') name = this.identifierFrom(this.read());
    else if (t.kind === 'StringComplete' || t.kind === 'StringLeftPiece') {
      const s = this.interpolableString('Expected a string.');
      if (isSkipped(s)) return s;
      if (s.value === null) this.error('This value must be a compile-time constant (no interpolation).', s.start, s.end);
      name = s;
    } else {
      const bad = this.read();
      this.error('Expected the name of an exported symbol at this location.', bad.start, bad.end);
      return { kind: 'Skipped', start: bad.start, end: bad.end, text: bad.text };
    }
    let alias: A.Identifier | null = null;
    if (this.checkKeyword('as')) {
      this.read();
      alias = this.identifierWithRecovery('Expected an alias name at this location.', ['Comma', 'NewLine']);
    }
    if (name.kind === 'StringLiteral' && alias === null) {
      this.error('An import list item that names its target with a string must include an "as <alias>" clause.', name.start, name.end);
    }
    return { kind: 'ImportedSymbol', start: name.start, end: this.prevEnd(), name, alias };
  }

  private wildcardImport(): A.WildcardImport {
    const star = this.expect('Asterisk', 'Expected the "*" character at this location.');
    this.expectKeyword('as');
    const alias = this.identifierFrom(this.expect('Identifier', 'Expected a namespace identifier at this location.'));
    return { kind: 'WildcardImport', start: star.start, end: alias.end, alias };
  }

  private extensionDeclaration(start: number, keyword: 'extension' | 'import', decorators: A.Decorator[]): A.ExtensionDeclaration {
    const specification: A.Identifier | A.StringLiteral | A.Skipped = this.check('Identifier')
      ? this.identifierFrom(this.read())
      : this.stringOperand('Expected an extension specification string or identifier at this location.', ['NewLine'], false);
    let config: A.ObjectLiteral | A.Skipped | null = null;
    if (!this.atEnd() && !this.check('NewLine') && !this.checkKeyword('as')) {
      config = this.recover(
        () => {
          this.expectKeyword('with', 'Expected the "with" keyword, the "as" keyword, or a new line character at this location.');
          return this.recover(() => this.object(COMPLEX), ['NewLine']);
        },
        ['NewLine'],
        isEmptyFailure(specification),
      );
    }
    let alias: A.Identifier | null = null;
    if (!this.atEnd() && !this.check('NewLine')) {
      const result = this.recover(
        () => {
          this.expectKeyword('as', 'Expected the "with" keyword, the "as" keyword, or a new line character at this location.');
          return this.identifierWithRecovery('Expected an extension alias name at this location.', ['NewLine']);
        },
        ['NewLine'],
        isEmptyFailure(config),
      );
      alias = isSkipped(result) ? this.missingIdentifier(result) : result;
    }
    return { kind: 'ExtensionDeclaration', start, end: this.prevEnd(), decorators, keyword, specification, config, alias };
  }

  private withClause(message: string, suppress: boolean): A.ObjectLiteral | A.Skipped {
    return this.recover(
      () => {
        this.expectKeyword('with', message);
        return this.recover(() => this.object(COMPLEX), ['NewLine']);
      },
      ['NewLine'],
      suppress,
    );
  }

  private usingDeclaration(decorators: A.Decorator[]): A.UsingDeclaration {
    const start = this.declStart(decorators);
    this.read();
    let path: A.StringLiteral | A.Skipped | null;
    const t = this.peek();
    if (t.kind === 'Identifier') {
      this.read();
      path = null;
      if (t.text !== 'none') this.error('Expected a file path string or the "none" keyword at this location.', t.start, t.end);
    } else if (t.kind === 'StringComplete' || t.kind === 'StringLeftPiece') {
      path = this.stringOperand('Expected a file path string at this location.', ['NewLine'], false);
    } else {
      path = this.skipEmpty('Expected a file path string or the "none" keyword at this location.');
    }
    let config: A.ObjectLiteral | A.Skipped | null = null;
    if (!this.atEnd() && !this.check('NewLine')) {
      config = this.withClause('Expected the "with" keyword or a new line character at this location.', isEmptyFailure(path));
    }
    return { kind: 'UsingDeclaration', start, end: this.prevEnd(), decorators, path, config };
  }

  private extendsDeclaration(decorators: A.Decorator[]): A.ExtendsDeclaration {
    const start = this.declStart(decorators);
    this.read();
    const path = this.stringOperand('Expected a file path string at this location.', ['NewLine'], false);
    return { kind: 'ExtendsDeclaration', start, end: this.prevEnd(), decorators, path };
  }

  private extensionConfigAssignment(decorators: A.Decorator[]): A.ExtensionConfigAssignment {
    const start = this.declStart(decorators);
    this.read();
    const alias = this.identifierWithRecovery('Expected an extension alias name at this location.', ['Identifier', 'NewLine']);
    const config = this.withClause('Expected the "with" keyword at this location.', isEmptyFailure(alias));
    return { kind: 'ExtensionConfigAssignment', start, end: this.prevEnd(), decorators, alias, config };
  }

  // ================================================================ lists

  /**
   * Elements of an array, object, object type, tuple or import list: separated by newlines or
   * single commas; `closing` ends the list (not consumed).
   */
  private elements<T>(closing: TokenKind, parseChild: () => T): T[] {
    const items: T[] = [];
    if (this.check(closing)) return items;
    this.newLines();
    let expectElement = true;
    while (!this.atEnd() && this.peek().kind !== closing) {
      if (!expectElement) {
        if (this.check('NewLine')) this.newLines();
        else if (this.check('Comma')) {
          this.read();
          if (this.check('NewLine')) {
            const nl = this.peek();
            this.error('Unexpected new line character after a comma.', nl.start, nl.start);
            this.read();
          }
        } else {
          this.skipEmpty('Expected a new line or comma character at this location.');
        }
        expectElement = true;
        continue;
      }
      const before = this.pos;
      items.push(parseChild());
      expectElement = false;
      if (this.pos === before && !this.atEnd() && !this.checkAny([closing, 'NewLine', 'Comma'])) {
        // progress guard: the element consumed nothing; drop the offending token
        const bad = this.read();
        this.error(`Unexpected token "${bad.text}".`, bad.start, bad.end);
      }
    }
    return items;
  }

  /** Function-call style arguments (`closing` = `)` or `>`), opening token already peeked. */
  private callArguments<T>(closing: TokenKind, closeChar: string, parseChild: () => T): T[] {
    this.read(); // the opening token, pre-checked by callers
    const items: T[] = [];
    if (this.check(closing)) {
      this.read();
      return items;
    }
    this.newLines();
    let expectElement = true;
    while (!this.atEnd() && this.peek().kind !== closing) {
      if (!expectElement) {
        if (this.check('NewLine')) {
          const next = this.peekSkipNewlines();
          if (next.kind === 'EndOfFile') break;
          if (next.kind !== closing) this.skipEmpty('Expected a comma character at this location.');
          this.newLines();
        } else if (this.check('Comma')) {
          this.read();
          this.newLines();
          if (this.check(closing)) items.push(parseChild()); // trailing comma: reports the missing argument
        } else {
          this.skipEmpty('Expected a new line or comma character at this location.');
        }
        expectElement = true;
        continue;
      }
      const before = this.pos;
      items.push(parseChild());
      expectElement = false;
      if (this.pos === before && !this.atEnd() && !this.checkAny([closing, 'NewLine', 'Comma'])) {
        const bad = this.read();
        this.error(`Unexpected token "${bad.text}".`, bad.start, bad.end);
      }
    }
    if (this.check(closing)) this.read();
    else this.skipEmpty(`Expected the "${closeChar}" character at this location.`);
    return items;
  }

  /** `( item, item, ... )`. Items are parsed with recovery; the close paren is recovered too. */
  private parenthesizedList<T extends { kind: string; start: number; end: number }>(
    parseItem: () => T,
    permitNewLines: boolean,
  ): { start: number; items: (T | A.Skipped)[]; closed: boolean; innerStart: number } {
    const open = this.expect('LeftParen', 'Expected the "(" character at this location.');
    const items: (T | A.Skipped)[] = [];
    if (permitNewLines) this.newLines();
    while (!this.check('RightParen')) {
      const before = this.pos;
      const item = this.recover(parseItem, [...OPERAND_END, 'Comma']);
      items.push(item);
      if (permitNewLines) this.newLines();
      if (this.check('Comma')) {
        this.read();
        if (permitNewLines) this.newLines();
      } else break;
      if (this.pos === before) break; // cannot happen (a comma was consumed), kept as a guard
    }
    const last = items[items.length - 1];
    const close = this.recover(
      () => this.expect('RightParen', 'Expected the ")" character at this location.'),
      ['StringRightPiece', 'RightBrace', 'RightSquare', 'NewLine'],
      last !== undefined && isEmptyFailure(last as A.Node),
    );
    return { start: open.start, items, closed: !isSkipped(close), innerStart: open.end };
  }

  // ================================================================ expressions

  private expression(flags: Flags): A.Expression {
    return this.nested(() => {
      const condition = this.binary(flags, 0);
      if (this.peekSkipNewlines().kind === 'Question') this.newLines();
      if (!this.check('Question')) return condition;
      this.read();
      const whenTrue = this.recover(() => this.expression(flags), ['Colon', ...OPERAND_END]);
      if (!isSkipped(whenTrue) && this.peekSkipNewlines().kind === 'Colon') this.newLines();
      const colon = this.recover(() => this.expect('Colon', 'Expected the ":" character at this location.'), OPERAND_END, isEmptyFailure(whenTrue));
      const whenFalse = this.recover(() => this.expression(flags), OPERAND_END, isEmptyFailure(colon));
      return { kind: 'TernaryOperation', start: condition.start, end: this.prevEnd(), condition, whenTrue, whenFalse };
    });
  }

  private binary(flags: Flags, precedence: number): A.Expression {
    let left = this.unary(flags);
    for (;;) {
      const op = this.peek();
      const p = PRECEDENCE[op.kind];
      if (p === undefined || p <= precedence) break;
      this.read();
      const right = this.recover(() => this.binary(flags, p), OPERAND_END);
      left = {
        kind: 'BinaryOperation',
        start: left.start,
        end: this.prevEnd(),
        operator: BINARY_OPERATOR[op.kind] as A.BinaryOperator,
        left,
        right,
      };
    }
    return left;
  }

  private unary(flags: Flags): A.Expression {
    const t = this.peek();
    if (t.kind === 'Exclamation' || t.kind === 'Minus') {
      this.read();
      const operand = this.recover(() => this.member(flags), OPERAND_END);
      return { kind: 'UnaryOperation', start: t.start, end: this.prevEnd(), operator: t.kind === 'Minus' ? '-' : '!', operand };
    }
    return this.member(flags);
  }

  private member(flags: Flags): A.Expression {
    let current = this.primary(flags);
    for (;;) {
      if (this.check('LeftSquare')) {
        this.read();
        let safe = false;
        let fromEnd = false;
        if (this.check('Question')) {
          this.read();
          safe = true;
        }
        if (this.check('Hat')) {
          this.read();
          fromEnd = true;
        }
        let index: A.Expression;
        if (this.check('RightSquare')) {
          index = this.skipEmpty('Indexers must contain an expression.');
        } else {
          index = this.expression(flags);
        }
        this.expect('RightSquare', 'Expected the "]" character at this location.');
        current = { kind: 'ArrayAccess', start: current.start, end: this.prevEnd(), base: current, index, safe, fromEnd };
        continue;
      }
      if (this.check('Dot')) {
        this.read();
        let safe = false;
        let marker: Token | null = null;
        if (this.check('Question')) {
          marker = this.read();
          safe = true;
        }
        const name = this.identifierOrSkip('Expected a function or property name at this location.');
        if (this.check('LeftParen')) {
          if (marker) this.error('The safe-dereference operator ".?" cannot be used on instance function calls.', marker.start, marker.end);
          current = this.instanceFunctionCall(current, name, flags);
        } else {
          current = { kind: 'PropertyAccess', start: current.start, end: this.prevEnd(), base: current, property: name, safe };
        }
        continue;
      }
      if (this.check('DoubleColon')) {
        this.read();
        const name = this.identifierOrSkip('Expected a resource name at this location.');
        current = { kind: 'ResourceAccess', start: current.start, end: this.prevEnd(), base: current, name };
        continue;
      }
      if (this.check('Exclamation')) {
        this.read();
        current = { kind: 'NonNullAssertion', start: current.start, end: this.prevEnd(), base: current };
        continue;
      }
      return current;
    }
  }

  private functionCall(name: A.Identifier, flags: Flags): A.FunctionCall {
    const args = this.callArguments('RightParen', ')', () => this.recover(() => this.expression(flags), ['NewLine', 'Comma', 'RightParen']));
    return { kind: 'FunctionCall', start: name.start, end: this.prevEnd(), name, args };
  }

  private instanceFunctionCall(base: A.Expression, name: A.Identifier, flags: Flags): A.InstanceFunctionCall {
    const args = this.callArguments('RightParen', ')', () => this.recover(() => this.expression(flags), ['NewLine', 'Comma', 'RightParen']));
    return { kind: 'InstanceFunctionCall', start: base.start, end: this.prevEnd(), base, name, args };
  }

  private primary(flags: Flags): A.Expression {
    const t = this.peek();
    switch (t.kind) {
      case 'Integer':
      case 'TrueKeyword':
      case 'FalseKeyword':
      case 'NullKeyword':
        return this.literal();
      case 'StringComplete':
      case 'StringLeftPiece':
        return this.interpolableString('Expected a string.');
      case 'LeftBrace':
        if (flags & COMPLEX) return this.object(flags);
        return this.fail('Object and array literals are not allowed here.');
      case 'LeftSquare':
        if (flags & COMPLEX) {
          return this.checkKeyword('for', this.peekSkipNewlines(1)) ? this.forExpression(flags, false) : this.array();
        }
        return this.fail('Object and array literals are not allowed here.');
      case 'LeftParen':
        return this.parenthesizedOrLambda(flags);
      case 'Identifier':
        return this.identifierExpression(flags);
      default:
        return this.fail('Expected an expression at this location.');
    }
  }

  private literal(): A.IntegerLiteral | A.BooleanLiteral | A.NullLiteral {
    const t = this.read();
    switch (t.kind) {
      case 'TrueKeyword':
        return { kind: 'BooleanLiteral', start: t.start, end: t.end, value: true };
      case 'FalseKeyword':
        return { kind: 'BooleanLiteral', start: t.start, end: t.end, value: false };
      case 'NullKeyword':
        return { kind: 'NullLiteral', start: t.start, end: t.end };
      default: {
        if (t.text.length >= 20 && BigInt(t.text) > 18446744073709551615n) {
          throw this.failure(t, 'This integer literal is too large.');
        }
        return { kind: 'IntegerLiteral', start: t.start, end: t.end, value: Number(t.text), text: t.text };
      }
    }
  }

  private identifierExpression(flags: Flags): A.Expression {
    const name = this.identifierFrom(this.read());
    if (this.check('LeftParen')) return this.functionCall(name, flags);
    if (this.check('Arrow')) {
      this.read();
      const body = this.lambdaBody();
      return { kind: 'Lambda', start: name.start, end: this.prevEnd(), parameters: [name], body };
    }
    return { kind: 'VariableAccess', start: name.start, end: name.end, name: name.name };
  }

  private lambdaBody(): A.Expression {
    if (!DECLARATION_KEYWORDS.has(this.peekSkipNewlines().text)) this.newLines();
    return this.recover(() => this.expression(COMPLEX), ['NewLine', 'RightParen']);
  }

  private parenthesizedOrLambda(flags: Flags): A.Expression {
    const list = this.parenthesizedList(() => this.expression(flags), true);
    if (this.check('Arrow')) {
      this.read();
      const body = this.lambdaBody();
      const parameters = list.items.map((item) => {
        if (item.kind === 'VariableAccess') return this.identifierFrom({ text: item.name, start: item.start, end: item.end } as Token);
        if (item.kind !== 'Skipped' || item.start !== item.end) this.error('Expected a lambda parameter name at this location.', item.start, item.end);
        return this.missingIdentifier(item);
      });
      return { kind: 'Lambda', start: list.start, end: this.prevEnd(), parameters, body };
    }
    return {
      kind: 'ParenthesizedExpression',
      start: list.start,
      end: this.prevEnd(),
      expression: this.singleParenthesizedItem(list.items, list.innerStart),
    };
  }

  private singleParenthesizedItem<T extends A.Node>(items: (T | A.Skipped)[], innerStart: number): T | A.Skipped {
    if (items.length === 1) return items[0];
    const message = 'Parentheses must contain exactly one expression.';
    if (items.length === 0) {
      this.error(message, innerStart, innerStart);
      return { kind: 'Skipped', start: innerStart, end: innerStart, text: '' };
    }
    const start = items[0].start;
    const end = items[items.length - 1].end;
    this.error(message, start, end);
    return { kind: 'Skipped', start, end, text: this.text.slice(start, end) };
  }

  private array(): A.ArrayLiteral {
    const open = this.read();
    const items = this.elements('RightSquare', () =>
      this.recover(() => (this.check('Ellipsis') ? this.spread(['Comma', 'NewLine', 'RightSquare']) : this.expression(COMPLEX)), [
        'NewLine',
        'RightSquare',
      ]),
    );
    this.expect('RightSquare', 'Expected the "]" character at this location.');
    return { kind: 'ArrayLiteral', start: open.start, end: this.prevEnd(), items };
  }

  private spread(terminators: readonly TokenKind[]): A.SpreadExpression {
    const dots = this.read();
    const expression = this.recover(() => this.expression(COMPLEX), terminators);
    return { kind: 'SpreadExpression', start: dots.start, end: this.prevEnd(), expression };
  }

  private object(flags: Flags): A.ObjectLiteral {
    return this.nested(() => {
      const open = this.expect('LeftBrace', 'Expected the "{" character at this location.');
      const members = this.elements('RightBrace', () => this.objectMember(flags));
      this.expect('RightBrace', 'Expected the "}" character at this location.');
      return { kind: 'ObjectLiteral', start: open.start, end: this.prevEnd(), members };
    });
  }

  private objectMember(flags: Flags): A.ObjectMember {
    return this.recover((): A.ObjectMember => {
      if (
        flags & RESOURCES &&
        (this.check('At') || (this.checkKeyword('resource') && this.peekAt(1).kind === 'Identifier'))
      ) {
        const d = this.declaration('resource');
        if (d && (d.kind === 'ResourceDeclaration' || d.kind === 'MissingDeclaration' || d.kind === 'Skipped')) return d;
        return this.skipEmpty(null);
      }
      if (this.check('Ellipsis')) return this.spread(['Comma', 'NewLine', 'RightBrace']);
      const start = this.peek().start;
      const key = this.recover(
        () =>
          this.failIfSkipped((): A.Identifier | A.StringLiteral | A.Skipped => {
            const t = this.peek();
            if (t.kind === 'Identifier') return this.identifierFrom(this.read());
            if (t.kind === 'StringComplete' || t.kind === 'StringLeftPiece') return this.interpolableString('Expected a property name.');
            return this.fail('Expected a property name at this location.');
          }, 'Expected a property name at this location.'),
        ['Colon', 'NewLine', 'RightBrace'],
      );
      const colon = this.recover(() => this.expect('Colon', 'Expected the ":" character at this location.'), ['NewLine', 'RightBrace'], isEmptyFailure(key));
      const value = this.recover(() => this.expression(COMPLEX), ['NewLine', 'RightBrace'], isEmptyFailure(colon));
      return { kind: 'ObjectProperty', start, end: this.prevEnd(), key, keyName: keyName(key), value };
    }, ['NewLine', 'RightBrace']);
  }

  private forExpression(flags: Flags, resourceContext: boolean): A.ForExpression {
    const open = this.read(); // '['
    this.newLines();
    this.expectKeyword('for');
    let item: A.Identifier;
    let index: A.Identifier | null = null;
    let variableErrors = false;
    if (this.check('Identifier')) item = this.identifierFrom(this.read());
    else if (this.check('LeftParen')) {
      const errorMark = this.errors.length;
      const list = this.parenthesizedList(() => this.expression(NONE), false);
      const names = list.items.map((x) => (x.kind === 'VariableAccess' ? this.identifierFrom({ text: x.name, start: x.start, end: x.end } as Token) : null));
      variableErrors = this.errors.length > errorMark;
      if (!variableErrors && (names.length !== 2 || names.some((n) => n === null))) {
        this.error('Expected a loop variable block with exactly 2 identifiers: (item, index).', list.start, this.prevEnd());
        variableErrors = true;
      }
      item = names[0] ?? this.missingIdentifier({ start: list.start, end: list.start });
      index = names[1] ?? null;
    } else {
      const s = this.skipEmpty('Expected a loop item variable identifier or "(" at this location.');
      item = this.missingIdentifier(s);
      variableErrors = true;
    }
    const inKeyword = this.recover(() => this.expectKeyword('in'), ['RightSquare', 'NewLine'], variableErrors);
    const iterable = this.recover(() => this.expression(COMPLEX), ['Colon', 'RightSquare', 'NewLine'], isEmptyFailure(inKeyword));
    const colon = this.recover(() => this.expect('Colon', 'Expected the ":" character at this location.'), ['RightSquare', 'NewLine'], isEmptyFailure(iterable));
    const body = this.recover(() => this.forBody(flags, resourceContext), ['RightSquare', 'NewLine'], isEmptyFailure(colon));
    if (!isSkipped(body)) this.newLines();
    const close = this.recover(() => this.expect('RightSquare', 'Expected the "]" character at this location.'), ['RightSquare', 'NewLine'], isEmptyFailure(body));
    if (isSkipped(close) && this.check('RightSquare')) this.read();
    return { kind: 'ForExpression', start: open.start, end: this.prevEnd(), item, index, iterable, body };
  }

  private forBody(flags: Flags, resourceContext: boolean): A.Expression | A.IfCondition {
    if (!resourceContext) return this.expression(flags | COMPLEX);
    if (this.check('LeftBrace')) return this.object(flags);
    if (this.checkKeyword('if')) return this.ifCondition(flags, true);
    return this.fail('Expected the "{" character or the "if" keyword at this location.');
  }

  private ifCondition(flags: Flags, insideFor: boolean): A.IfCondition {
    const keyword = this.read();
    let closed = false;
    const condition = this.recover(
      () => {
        const list = this.parenthesizedList(() => this.expression(flags & ~RESOURCES), true);
        closed = list.closed;
        return this.singleParenthesizedItem(list.items, list.innerStart);
      },
      insideFor ? ['RightSquare', 'LeftBrace', 'NewLine'] : ['LeftBrace', 'NewLine'],
    );
    const body = this.recover(() => this.object(flags), insideFor ? ['RightSquare', 'NewLine'] : ['NewLine'], isEmptyFailure(condition) || !closed);
    return { kind: 'IfCondition', start: keyword.start, end: this.prevEnd(), condition, body };
  }

  /** A single-line or multi-line string, possibly interpolated. Fails if the next token is not a string. */
  private interpolableString(message: string): A.StringLiteral | A.Skipped {
    const first = this.peek();
    if (first.kind === 'StringComplete') {
      this.read();
      const value = first.value ?? '';
      return { kind: 'StringLiteral', start: first.start, end: first.end, segments: [value], expressions: [], value, multiline: !!first.multiline };
    }
    if (first.kind !== 'StringLeftPiece') return this.fail(message);
    const startPos = this.pos;
    this.read();
    const segments: string[] = [first.value ?? ''];
    const expressions: A.Expression[] = [];
    const holeEnd: TokenKind[] = ['StringMiddlePiece', 'StringRightPiece', 'NewLine'];
    for (;;) {
      let e = this.recover(() => this.expression(NONE), holeEnd);
      if (!this.atEnd() && !this.checkAny(holeEnd)) {
        const t = this.peek();
        while (!this.atEnd() && !this.checkAny(holeEnd)) this.read();
        this.error('Unexpected tokens in the interpolated expression.', t.start, this.prevEnd());
        e = { kind: 'Skipped', start: e.start, end: this.prevEnd(), text: this.text.slice(e.start, this.prevEnd()) };
      }
      expressions.push(e);
      const t = this.peek();
      if (t.kind === 'StringMiddlePiece') {
        this.read();
        segments.push(t.value ?? '');
        continue;
      }
      if (t.kind === 'StringRightPiece') {
        this.read();
        segments.push(t.value ?? '');
        return {
          kind: 'StringLiteral',
          start: first.start,
          end: t.end,
          segments,
          expressions,
          value: null,
          multiline: !!first.multiline,
        };
      }
      // newline or end of file inside an interpolation: the string is not terminated
      if (t.kind === 'EndOfFile') this.error('The string at this location is not terminated.', first.start, t.start);
      return this.skippedFrom(startPos);
    }
  }

  // ================================================================ types

  /** A type in a declaration: `resource 'type@version'` (param/output) or a type expression. */
  private type(allowOptionalResourceType: boolean): A.TypeExpression {
    if (this.checkKeyword('resource') && this.peekAt(1).kind !== 'LessThan') {
      const keyword = this.read();
      let typeString: A.StringLiteral | A.Skipped | null = null;
      if (!allowOptionalResourceType || this.check('StringComplete') || this.check('StringLeftPiece')) {
        typeString = this.stringOperand('Expected a resource type string at this location.', ['Assignment', 'NewLine'], false);
      }
      return { kind: 'ResourceType', start: keyword.start, end: this.prevEnd(), typeString };
    }
    return this.typeExpression();
  }

  private hasUnionSeparator(): boolean {
    return this.check('Pipe') || (this.check('NewLine') && this.peekAt(1).kind === 'Pipe');
  }

  private typeExpression(): A.TypeExpression {
    return this.nested(() => {
      const start = this.peek().start;
      let leadingPipe = false;
      if (this.hasUnionSeparator()) {
        this.newLines();
        this.read();
        leadingPipe = true;
      }
      const first = this.unaryType();
      if (!leadingPipe && !this.hasUnionSeparator()) return first;
      const members: A.TypeExpression[] = [first];
      while (this.hasUnionSeparator()) {
        this.newLines();
        this.read(); // '|'
        if (this.check('NewLine') || this.atEnd()) {
          members.push(this.skipEmpty('Expected a type at this location.'));
        } else {
          const before = this.pos;
          members.push(
            this.recover(() => this.unaryType(), ['NewLine', 'Pipe', 'RightBrace', 'RightSquare', 'RightParen', 'Comma', 'GreaterThan', 'Assignment']),
          );
          if (this.pos === before) break;
        }
      }
      return { kind: 'UnionType', start, end: this.prevEnd(), members };
    });
  }

  private unaryType(): A.TypeExpression {
    let current = this.unaryTypeBase();
    for (;;) {
      if (this.check('Question')) {
        this.read();
        current = { kind: 'NullableType', start: current.start, end: this.prevEnd(), base: current };
        continue;
      }
      if (this.check('Exclamation')) {
        this.read();
        current = { kind: 'NonNullableType', start: current.start, end: this.prevEnd(), base: current };
        continue;
      }
      return current;
    }
  }

  private unaryTypeBase(): A.TypeExpression {
    const t = this.peek();
    if (t.kind === 'Exclamation' || t.kind === 'Minus') {
      this.read();
      const operand = this.recover(() => this.memberType(), OPERAND_END);
      return { kind: 'UnaryTypeOperation', start: t.start, end: this.prevEnd(), operator: t.kind === 'Minus' ? '-' : '!', operand };
    }
    return this.memberType();
  }

  private memberType(): A.TypeExpression {
    let current = this.primaryType();
    for (;;) {
      if (this.check('LeftSquare')) {
        this.read();
        if (this.check('RightSquare')) {
          this.read();
          current = { kind: 'ArrayType', start: current.start, end: this.prevEnd(), item: current };
        } else if (this.check('Asterisk')) {
          this.read();
          this.expect('RightSquare', 'Expected the "]" character at this location.');
          current = { kind: 'TypeItemsAccess', start: current.start, end: this.prevEnd(), base: current };
        } else {
          const index = this.expression(NONE);
          this.expect('RightSquare', 'Expected the "]" character at this location.');
          current = { kind: 'TypeIndexAccess', start: current.start, end: this.prevEnd(), base: current, index };
        }
        continue;
      }
      if (this.check('Dot')) {
        this.read();
        if (this.check('Asterisk')) {
          this.read();
          current = { kind: 'TypeAdditionalPropertiesAccess', start: current.start, end: this.prevEnd(), base: current };
          continue;
        }
        const name = this.identifierOrSkip('Expected a property name at this location.');
        if (this.check('LessThan')) {
          const args = this.typeArguments();
          current = { kind: 'InstanceParameterizedType', start: current.start, end: this.prevEnd(), base: current, name, args };
        } else {
          current = { kind: 'TypePropertyAccess', start: current.start, end: this.prevEnd(), base: current, property: name };
        }
        continue;
      }
      return current;
    }
  }

  private typeArguments(): A.TypeExpression[] {
    return this.callArguments('GreaterThan', '>', () => this.recover(() => this.typeExpression(), ['NewLine', 'Comma', 'GreaterThan']));
  }

  private primaryType(): A.TypeExpression {
    const t = this.peek();
    switch (t.kind) {
      case 'Integer':
      case 'TrueKeyword':
      case 'FalseKeyword':
      case 'NullKeyword':
        return this.literal();
      case 'StringComplete':
      case 'StringLeftPiece':
        return this.interpolableString('Expected a string.');
      case 'LeftBrace':
        return this.objectType();
      case 'LeftSquare':
        return this.tupleType();
      case 'LeftParen': {
        const list = this.parenthesizedList(() => this.typeExpression(), false);
        return { kind: 'ParenthesizedType', start: list.start, end: this.prevEnd(), type: this.singleParenthesizedItem(list.items, list.innerStart) };
      }
      case 'Identifier': {
        const name = this.identifierFrom(this.read());
        if (this.check('LessThan')) {
          const args = this.typeArguments();
          return { kind: 'ParameterizedType', start: name.start, end: this.prevEnd(), name, args };
        }
        return { kind: 'TypeReference', start: name.start, end: name.end, name: name.name };
      }
      default:
        return this.fail('Expected a type at this location.');
    }
  }

  private objectType(): A.ObjectType {
    const open = this.read();
    const members = this.elements('RightBrace', () => this.objectTypeMember());
    this.expect('RightBrace', 'Expected the "}" character at this location.');
    return { kind: 'ObjectType', start: open.start, end: this.prevEnd(), members };
  }

  private objectTypeMember(): A.ObjectTypeProperty | A.ObjectTypeAdditionalProperties | A.Skipped {
    return this.nested(() => {
      const decorators = this.decorators();
      const start = decorators.length > 0 ? decorators[0].start : this.peek().start;
      let star = false;
      const key = this.recover(
        () =>
          this.failIfSkipped((): A.Identifier | A.StringLiteral | A.Skipped => {
            const t = this.peek();
            if (t.kind === 'Identifier') return this.identifierFrom(this.read());
            if (t.kind === 'StringComplete' || t.kind === 'StringLeftPiece') return this.interpolableString('Expected a property name.');
            if (t.kind === 'Asterisk') {
              this.read();
              star = true;
              return { kind: 'Identifier', start: t.start, end: t.end, name: '*' }; // placeholder for `*: T`
            }
            return this.fail('Expected a property name or "*" at this location.');
          }, 'Expected a property name at this location.'),
        ['Colon', 'NewLine', 'RightBrace'],
      );
      const colon = this.recover(() => this.expect('Colon', 'Expected the ":" character at this location.'), ['NewLine', 'RightBrace'], isEmptyFailure(key));
      const value = this.recover(() => this.typeExpression(), ['NewLine', 'RightBrace'], isEmptyFailure(colon));
      if (star) return { kind: 'ObjectTypeAdditionalProperties', start, end: this.prevEnd(), decorators, value };
      return { kind: 'ObjectTypeProperty', start, end: this.prevEnd(), decorators, key, keyName: keyName(key), value };
    });
  }

  private tupleType(): A.TupleType {
    const open = this.read();
    const items = this.elements('RightSquare', () =>
      this.recover((): A.TupleTypeItem => {
        const decorators = this.decorators();
        const start = decorators.length > 0 ? decorators[0].start : this.peek().start;
        const value = this.typeExpression();
        return { kind: 'TupleTypeItem', start, end: this.prevEnd(), decorators, value };
      }, ['NewLine', 'RightSquare']),
    );
    this.expect('RightSquare', 'Expected the "]" character at this location.');
    return { kind: 'TupleType', start: open.start, end: this.prevEnd(), items };
  }

  private typedLambda(): A.TypedLambda {
    const list = this.parenthesizedList((): A.TypedParameter => {
      const name = this.identifierOrSkip('Expected a parameter name at this location.');
      const type = this.recover(() => this.type(false), ['NewLine', 'Comma', 'RightParen']);
      return { kind: 'TypedParameter', start: name.start, end: this.prevEnd(), name, type };
    }, true);
    const returnType = this.recover(() => this.type(false), ['NewLine', 'RightParen']);
    const arrow = this.recover(() => this.expect('Arrow', 'Expected the "=>" characters at this location.'), ['NewLine', 'RightParen']);
    if (!isSkipped(arrow) && !DECLARATION_KEYWORDS.has(this.peekSkipNewlines().text)) this.newLines();
    const body = this.recover(() => this.expression(COMPLEX), ['NewLine', 'RightParen']);
    return { kind: 'TypedLambda', start: list.start, end: this.prevEnd(), parameters: list.items, returnType, body };
  }
}

/**
 * Widens every node's span to cover its children. Recovery nodes for missing syntax are placed at
 * the next token (after whitespace), which can lie just past the end of the enclosing node.
 */
function coverChildren(root: A.Node): void {
  // Pre-order with each node's children recorded once: walked backwards, children come before their parents.
  const order: A.Node[] = [];
  /** `order[i]`'s children are kids[first[i]] up to kids[first[i + 1]]. */
  const first: number[] = [];
  const kids: A.Node[] = [];
  const stack: A.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push(node);
    first.push(kids.length);
    const from = kids.length;
    childNodes(node, kids);
    for (let k = from; k < kids.length; k++) stack.push(kids[k]);
  }
  first.push(kids.length);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    for (let k = first[i]; k < first[i + 1]; k++) {
      const child = kids[k];
      if (child.start < node.start) node.start = child.start;
      if (child.end > node.end) node.end = child.end;
    }
  }
}

function keyName(key: A.Identifier | A.StringLiteral | A.Skipped): string | null {
  if (key.kind === 'Identifier') return key.missing ? null : key.name;
  if (key.kind === 'StringLiteral') return key.value;
  return null;
}

export interface ParseResult {
  program: A.ProgramNode;
  errors: A.ParseError[];
  comments: A.Comment[];
  /** All tokens (the last is EndOfFile); trivia + text of all tokens reproduces the source. */
  tokens: Token[];
}

/** Parses `text` as a `.bicep` file (mode 'bicep') or a `.bicepparam` file. Never throws. */
export function parse(text: string, mode: Mode = 'bicep'): ParseResult {
  let tokens: Token[] = [];
  let comments: A.Comment[] = [];
  const errors: A.ParseError[] = [];
  try {
    const lexed = lex(text);
    tokens = lexed.tokens;
    comments = lexed.comments;
    const parser = new Parser(text, tokens, mode);
    const program = parser.program();
    coverChildren(program);
    errors.push(...lexed.errors, ...parser.errors);
    errors.sort((a, b) => a.start - b.start || a.end - b.end);
    return { program, errors, comments, tokens };
  } catch (e) {
    // defensive: an internal error must never escape; report it and return an empty tree
    errors.push({
      message: `Internal parser error: ${e instanceof Error ? e.message : String(e)}`,
      start: 0,
      end: text.length,
    });
    return {
      program: { kind: 'Program', start: 0, end: text.length, mode, statements: [] },
      errors,
      comments,
      tokens,
    };
  }
}
