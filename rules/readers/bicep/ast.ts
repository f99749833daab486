// Syntax tree of the Bicep reader. Every node has `start`/`end` UTF-16 offsets into the source
// text (end exclusive). Nodes form a discriminated union on `kind`.

export interface ParseError {
  message: string;
  start: number;
  end: number;
}

export type DirectiveName = 'disable-next-line' | 'disable-diagnostics' | 'restore-diagnostics';

/** A comment or a `#disable-next-line` style pragma, in source order. */
export interface Comment {
  kind: 'line' | 'block' | 'directive';
  start: number;
  end: number;
  /** Full source text, including `//`, `/* *\/` or `#`. */
  text: string;
  /** Text without the comment markers (without `#` for directives). */
  value: string;
  directive?: { name: DirectiveName; codes: string[] };
}

interface NodeBase {
  start: number;
  end: number;
}

// ------------------------------------------------------------------ shared pieces

export interface Identifier extends NodeBase {
  kind: 'Identifier';
  name: string;
  /** True when the identifier is absent (error recovery); then `name` is '' and the span is empty. */
  missing?: boolean;
}

/** Tokens that could not be parsed. The matching error is in the `errors` list. */
export interface Skipped extends NodeBase {
  kind: 'Skipped';
  text: string;
}

export interface Decorator extends NodeBase {
  kind: 'Decorator';
  /** A FunctionCall, InstanceFunctionCall (`@sys.description(...)`), VariableAccess, PropertyAccess or Skipped. */
  expression: Expression;
}

// ------------------------------------------------------------------ expressions

export interface StringLiteral extends NodeBase {
  kind: 'StringLiteral';
  /** Decoded text segments; always `expressions.length + 1` entries. */
  segments: string[];
  /** Interpolated expressions between the segments. */
  expressions: Expression[];
  /** The decoded value when the string has no interpolation, otherwise null. */
  value: string | null;
  multiline: boolean;
}

export interface IntegerLiteral extends NodeBase {
  kind: 'IntegerLiteral';
  /** Numeric value (may lose precision above 2^53; see `text`). */
  value: number;
  text: string;
}

export interface BooleanLiteral extends NodeBase {
  kind: 'BooleanLiteral';
  value: boolean;
}

export interface NullLiteral extends NodeBase {
  kind: 'NullLiteral';
}

export interface ArrayLiteral extends NodeBase {
  kind: 'ArrayLiteral';
  items: (Expression | SpreadExpression)[];
}

export interface ObjectProperty extends NodeBase {
  kind: 'ObjectProperty';
  /** Identifier or (possibly interpolated) string; Skipped on error. */
  key: Identifier | StringLiteral | Skipped;
  /** The key as text when it is an identifier or a non-interpolated string, otherwise null. */
  keyName: string | null;
  value: Expression;
}

export interface SpreadExpression extends NodeBase {
  kind: 'SpreadExpression';
  expression: Expression;
}

export type ObjectMember = ObjectProperty | SpreadExpression | ResourceDeclaration | MissingDeclaration | Skipped;

export interface ObjectLiteral extends NodeBase {
  kind: 'ObjectLiteral';
  /** Properties, spreads and (in resource bodies) nested child resource declarations, in source order. */
  members: ObjectMember[];
}

export interface VariableAccess extends NodeBase {
  kind: 'VariableAccess';
  name: string;
}

export interface FunctionCall extends NodeBase {
  kind: 'FunctionCall';
  name: Identifier;
  args: Expression[];
}

/** `base.name(args)`, e.g. `az.resourceGroup()` or `cache.listKeys()`. */
export interface InstanceFunctionCall extends NodeBase {
  kind: 'InstanceFunctionCall';
  base: Expression;
  name: Identifier;
  args: Expression[];
}

export interface PropertyAccess extends NodeBase {
  kind: 'PropertyAccess';
  base: Expression;
  property: Identifier;
  /** `.?` safe dereference. */
  safe: boolean;
}

export interface ArrayAccess extends NodeBase {
  kind: 'ArrayAccess';
  base: Expression;
  index: Expression;
  /** `[?...]` safe dereference. */
  safe: boolean;
  /** `[^1]` index from the end. */
  fromEnd: boolean;
}

/** `parent::child` */
export interface ResourceAccess extends NodeBase {
  kind: 'ResourceAccess';
  base: Expression;
  name: Identifier;
}

/** Postfix `!` */
export interface NonNullAssertion extends NodeBase {
  kind: 'NonNullAssertion';
  base: Expression;
}

export type UnaryOperator = '!' | '-';

export interface UnaryOperation extends NodeBase {
  kind: 'UnaryOperation';
  operator: UnaryOperator;
  operand: Expression;
}

export type BinaryOperator =
  | '??'
  | '||'
  | '&&'
  | '=='
  | '!='
  | '=~'
  | '!~'
  | '<'
  | '<='
  | '>'
  | '>='
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

export interface BinaryOperation extends NodeBase {
  kind: 'BinaryOperation';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface TernaryOperation extends NodeBase {
  kind: 'TernaryOperation';
  condition: Expression;
  whenTrue: Expression;
  whenFalse: Expression;
}

export interface ParenthesizedExpression extends NodeBase {
  kind: 'ParenthesizedExpression';
  expression: Expression;
}

export interface Lambda extends NodeBase {
  kind: 'Lambda';
  parameters: Identifier[];
  body: Expression;
}

/** `[for item in items: body]`, `[for (item, index) in items: body]` */
export interface ForExpression extends NodeBase {
  kind: 'ForExpression';
  /** The item variable (missing on error). */
  item: Identifier;
  /** The index variable of `(item, index)`, or null. */
  index: Identifier | null;
  iterable: Expression;
  /** Any expression; in resource/module bodies an ObjectLiteral or IfCondition. */
  body: Expression | IfCondition;
}

/** `if (condition) { ... }` — resource/module bodies and loop bodies. */
export interface IfCondition extends NodeBase {
  kind: 'IfCondition';
  condition: Expression;
  body: ObjectLiteral | Skipped;
}

export type Expression =
  | StringLiteral
  | IntegerLiteral
  | BooleanLiteral
  | NullLiteral
  | ArrayLiteral
  | ObjectLiteral
  | VariableAccess
  | FunctionCall
  | InstanceFunctionCall
  | PropertyAccess
  | ArrayAccess
  | ResourceAccess
  | NonNullAssertion
  | UnaryOperation
  | BinaryOperation
  | TernaryOperation
  | ParenthesizedExpression
  | Lambda
  | ForExpression
  | Skipped;

// ------------------------------------------------------------------ types

/** A type name: `string`, `int`, `myType`, `sys.string` base. */
export interface TypeReference extends NodeBase {
  kind: 'TypeReference';
  name: string;
}

/** `resourceInput<'Microsoft.Cache/redis@2024-11-01'>`, `resource<'...'>` */
export interface ParameterizedType extends NodeBase {
  kind: 'ParameterizedType';
  name: Identifier;
  args: TypeExpression[];
}

/** `sys.resourceInput<'...'>` */
export interface InstanceParameterizedType extends NodeBase {
  kind: 'InstanceParameterizedType';
  base: TypeExpression;
  name: Identifier;
  args: TypeExpression[];
}

/** `T.property` */
export interface TypePropertyAccess extends NodeBase {
  kind: 'TypePropertyAccess';
  base: TypeExpression;
  property: Identifier;
}

/** `T.*` */
export interface TypeAdditionalPropertiesAccess extends NodeBase {
  kind: 'TypeAdditionalPropertiesAccess';
  base: TypeExpression;
}

/** `T[0]` */
export interface TypeIndexAccess extends NodeBase {
  kind: 'TypeIndexAccess';
  base: TypeExpression;
  index: Expression;
}

/** `T[*]` */
export interface TypeItemsAccess extends NodeBase {
  kind: 'TypeItemsAccess';
  base: TypeExpression;
}

/** `T[]` */
export interface ArrayType extends NodeBase {
  kind: 'ArrayType';
  item: TypeExpression;
}

/** `T?` */
export interface NullableType extends NodeBase {
  kind: 'NullableType';
  base: TypeExpression;
}

/** `T!` */
export interface NonNullableType extends NodeBase {
  kind: 'NonNullableType';
  base: TypeExpression;
}

export interface UnionType extends NodeBase {
  kind: 'UnionType';
  members: TypeExpression[];
}

export interface ObjectTypeProperty extends NodeBase {
  kind: 'ObjectTypeProperty';
  decorators: Decorator[];
  key: Identifier | StringLiteral | Skipped;
  keyName: string | null;
  /** Optional members are written with a nullable value type: `name: string?`. */
  value: TypeExpression;
}

/** `*: T` */
export interface ObjectTypeAdditionalProperties extends NodeBase {
  kind: 'ObjectTypeAdditionalProperties';
  decorators: Decorator[];
  value: TypeExpression;
}

export interface ObjectType extends NodeBase {
  kind: 'ObjectType';
  members: (ObjectTypeProperty | ObjectTypeAdditionalProperties | Skipped)[];
}

export interface TupleTypeItem extends NodeBase {
  kind: 'TupleTypeItem';
  decorators: Decorator[];
  value: TypeExpression;
}

export interface TupleType extends NodeBase {
  kind: 'TupleType';
  items: (TupleTypeItem | Skipped)[];
}

export interface ParenthesizedType extends NodeBase {
  kind: 'ParenthesizedType';
  type: TypeExpression;
}

/** `-1` as a literal type. */
export interface UnaryTypeOperation extends NodeBase {
  kind: 'UnaryTypeOperation';
  operator: UnaryOperator;
  operand: TypeExpression;
}

/** `resource 'Microsoft.Storage/storageAccounts@2023-01-01'` (param/output), or bare `resource` (output). */
export interface ResourceType extends NodeBase {
  kind: 'ResourceType';
  typeString: StringLiteral | Skipped | null;
}

export type TypeExpression =
  | TypeReference
  | ParameterizedType
  | InstanceParameterizedType
  | TypePropertyAccess
  | TypeAdditionalPropertiesAccess
  | TypeIndexAccess
  | TypeItemsAccess
  | ArrayType
  | NullableType
  | NonNullableType
  | UnionType
  | ObjectType
  | TupleType
  | ParenthesizedType
  | UnaryTypeOperation
  | ResourceType
  | StringLiteral
  | IntegerLiteral
  | BooleanLiteral
  | NullLiteral
  | Skipped;

// ------------------------------------------------------------------ declarations

interface DeclarationBase extends NodeBase {
  /** Decorators written before the declaration; `start` includes them. */
  decorators: Decorator[];
}

export interface TargetScopeDeclaration extends DeclarationBase {
  kind: 'TargetScopeDeclaration';
  value: Expression;
}

export interface MetadataDeclaration extends DeclarationBase {
  kind: 'MetadataDeclaration';
  name: Identifier;
  value: Expression;
}

export interface ParameterDeclaration extends DeclarationBase {
  kind: 'ParameterDeclaration';
  name: Identifier;
  type: TypeExpression;
  defaultValue: Expression | null;
}

/** `.bicepparam`: `param name = value` */
export interface ParameterAssignment extends DeclarationBase {
  kind: 'ParameterAssignment';
  name: Identifier;
  /** Null for a bare `param name` (no value), as used with `@inline()`. */
  value: Expression | null;
}

export interface VariableDeclaration extends DeclarationBase {
  kind: 'VariableDeclaration';
  name: Identifier;
  /** Optional declared type: `var x string = ...`. */
  type: TypeExpression | null;
  value: Expression;
}

export interface OutputDeclaration extends DeclarationBase {
  kind: 'OutputDeclaration';
  name: Identifier;
  /** A type, or ResourceType for `output x resource 'type' = ...` / `output x resource = ...`. */
  type: TypeExpression;
  value: Expression;
}

export interface ResourceDeclaration extends DeclarationBase {
  kind: 'ResourceDeclaration';
  name: Identifier;
  /** `'Microsoft.Cache/redis@2024-11-01'` */
  typeString: StringLiteral | Skipped;
  existing: boolean;
  /** ObjectLiteral, IfCondition, ForExpression (body ObjectLiteral or IfCondition) or Skipped. */
  value: ObjectLiteral | IfCondition | ForExpression | Skipped;
}

export interface ModuleDeclaration extends DeclarationBase {
  kind: 'ModuleDeclaration';
  name: Identifier;
  /** `'./x.bicep'`, `'br:registry/path:tag'`, `'br/public:avm/...:1.0.0'`, `'ts:sub/rg/spec:1.0'` */
  path: StringLiteral | Skipped;
  value: ObjectLiteral | IfCondition | ForExpression | Skipped;
}

export interface TestDeclaration extends DeclarationBase {
  kind: 'TestDeclaration';
  name: Identifier;
  path: StringLiteral | Skipped;
  value: ObjectLiteral | Skipped;
}

export interface ImportedSymbol extends NodeBase {
  kind: 'ImportedSymbol';
  /** The exported name: identifier, or string with an alias. */
  name: Identifier | StringLiteral;
  alias: Identifier | null;
}

export interface ImportedSymbolsList extends NodeBase {
  kind: 'ImportedSymbolsList';
  symbols: (ImportedSymbol | Skipped)[];
}

/** `* as ns` */
export interface WildcardImport extends NodeBase {
  kind: 'WildcardImport';
  alias: Identifier;
}

/** `import { a, b as c } from 'path'` / `import * as ns from 'path'` */
export interface ImportDeclaration extends DeclarationBase {
  kind: 'ImportDeclaration';
  imports: ImportedSymbolsList | WildcardImport | Skipped;
  from: StringLiteral | Skipped;
}

/** `extension microsoftGraphV1`, `extension 'br:...' with { ... } as alias`; legacy `import 'az@1.0.0'`. */
export interface ExtensionDeclaration extends DeclarationBase {
  kind: 'ExtensionDeclaration';
  keyword: 'extension' | 'import';
  specification: Identifier | StringLiteral | Skipped;
  config: ObjectLiteral | Skipped | null;
  alias: Identifier | null;
}

/** `.bicepparam`: `extensionConfig alias with { ... }` */
export interface ExtensionConfigAssignment extends DeclarationBase {
  kind: 'ExtensionConfigAssignment';
  alias: Identifier;
  config: ObjectLiteral | Skipped;
}

export interface TypeDeclaration extends DeclarationBase {
  kind: 'TypeDeclaration';
  name: Identifier;
  value: TypeExpression;
}

export interface TypedParameter extends NodeBase {
  kind: 'TypedParameter';
  name: Identifier;
  type: TypeExpression;
}

export interface TypedLambda extends NodeBase {
  kind: 'TypedLambda';
  parameters: (TypedParameter | Skipped)[];
  returnType: TypeExpression;
  body: Expression;
}

export interface FunctionDeclaration extends DeclarationBase {
  kind: 'FunctionDeclaration';
  name: Identifier;
  lambda: TypedLambda | Skipped;
}

export interface AssertDeclaration extends DeclarationBase {
  kind: 'AssertDeclaration';
  name: Identifier;
  value: Expression;
}

/** `.bicepparam`: `using './main.bicep'` / `using none`, optionally `with { ... }`. */
export interface UsingDeclaration extends DeclarationBase {
  kind: 'UsingDeclaration';
  /** The template path, or null for `using none`. */
  path: StringLiteral | Skipped | null;
  config: ObjectLiteral | Skipped | null;
}

/** `.bicepparam`: `extends './base.bicepparam'` */
export interface ExtendsDeclaration extends DeclarationBase {
  kind: 'ExtendsDeclaration';
  path: StringLiteral | Skipped;
}

/** Decorators that are not followed by a declaration. */
export interface MissingDeclaration extends DeclarationBase {
  kind: 'MissingDeclaration';
}

export type Declaration =
  | TargetScopeDeclaration
  | MetadataDeclaration
  | ParameterDeclaration
  | ParameterAssignment
  | VariableDeclaration
  | OutputDeclaration
  | ResourceDeclaration
  | ModuleDeclaration
  | TestDeclaration
  | ImportDeclaration
  | ExtensionDeclaration
  | ExtensionConfigAssignment
  | TypeDeclaration
  | FunctionDeclaration
  | AssertDeclaration
  | UsingDeclaration
  | ExtendsDeclaration
  | MissingDeclaration;

export type Statement = Declaration | Skipped;

export interface ProgramNode extends NodeBase {
  kind: 'Program';
  mode: 'bicep' | 'bicepparam';
  statements: Statement[];
}

export type Node =
  | ProgramNode
  | Declaration
  | Expression
  | TypeExpression
  | Identifier
  | Decorator
  | ObjectProperty
  | SpreadExpression
  | IfCondition
  | ObjectTypeProperty
  | ObjectTypeAdditionalProperties
  | TupleTypeItem
  | ImportedSymbol
  | ImportedSymbolsList
  | WildcardImport
  | TypedParameter
  | TypedLambda;

export type NodeKind = Node['kind'];
export type NodeOfKind<K extends NodeKind> = Extract<Node, { kind: K }>;
