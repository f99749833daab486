// JSON text → located value tree, with the guards that keep bad input from hurting us.

import { ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';
import { ArrayVal, Member, ObjectVal, PrimVal, Span, Val, lowerKey } from '../../model';
import { isExpressionString } from './expression-parser';
import { Members } from '../../members';
import { Memo } from '../../memo';
import { changeBetween } from '../../lines';

export const MAX_NESTING = 512;

export interface JsonDoc {
  root: Val;
}

/** What editTree changed. */
export interface TreeEdit {
  /** The text the tree described before the edit. */
  from: string;
  /** The one primitive value replaced; none when only whitespace between tokens changed. */
  value?: ValueEdit;
  /** The one property name changed. */
  key?: KeyEdit;
}

/** A property renamed by editTree: the path of its object from the root (lower-cased keys, indexes), and its names as written. */
export interface KeyEdit {
  path: (string | number)[];
  before: string;
  after: string;
}

/** A primitive value editTree replaced, by its path from the root (lower-cased keys, indexes). */
export interface ValueEdit {
  path: (string | number)[];
  before: string | number | boolean | null;
  after: string | number | boolean | null;
}

export interface TextError {
  message: string;
  offset: number;
  length: number;
}

/** Deepest bracket nesting of a JSON(C) text, strings and comments skipped; stops counting past `limit`. */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      const j = text.indexOf('\n', i);
      i = j < 0 ? n : j;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const j = text.indexOf('*/', i + 2);
      i = j < 0 ? n : j + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** The text of a file a template names, read with `readFile`, without a byte-order mark; undefined when it cannot be read (a reader that throws included). */
export function readNamedFile(readFile: ((path: string) => string | undefined) | undefined, path: string): string | undefined {
  let text: string | undefined;
  try {
    text = readFile?.(path);
  } catch {
    return undefined;
  }
  return text === undefined ? undefined : withoutBom(text);
}

/** `text` without a leading byte-order mark (readers drop it; an editor's copy may still have it). */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when the text looks binary (NUL bytes or many control characters) rather than JSON. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) control++;
  }
  return control > 8;
}

/**
 * `likelyInvalid`: the text is an edit of one that was strict JSON (readAsStrict), so when it is
 * not strict JSON now it most likely does not parse (a property being typed). The engine's own
 * `JSON.parse` says whether it is strict JSON before the strict path builds a tree it may drop at
 * the error, and then its error is looked for without building a tree (a third of the cost); the
 * tree is built only if it has none.
 */
export function parseJsonDoc(file: string, text: string, hint: { likelyInvalid?: boolean } = {}): { doc?: JsonDoc; error?: TextError } {
  if (looksBinary(text)) return { error: { message: 'not a text file (binary content)', offset: 0, length: 0 } };
  try {
    const strict = hint.likelyInvalid && !isStrictJson(text) ? undefined : withBuilder(file, (b) => buildValsStrict(b, text));
    return strict ?? (hint.likelyInvalid ? syntaxErrorOnly(text) : undefined) ?? withBuilder(file, (b) => buildVals(b, text));
  } catch (err) {
    // jsonc-parser descends recursively: nesting far past MAX_NESTING can exhaust the stack before our own guard answers.
    if (err instanceof RangeError) return { error: tooDeep() };
    throw err;
  }
}

/** The line starts of the text a tree was read from on the strict path (found in the same pass), with that text. */
const lineStartsOf = new Memo<Val, { text: string; starts: Uint32Array }>('lineStarts');

/**
 * Where the lines of `text` start, as the strict path found them while it read `root` from
 * exactly this text (every line break of strict JSON is whitespace between tokens, which it reads
 * one character at a time); undefined otherwise (the engine's LineMap then finds them itself).
 */
export function knownLineStarts(root: Val | undefined, text: string): Uint32Array | undefined {
  const known = root && lineStartsOf.get(root);
  return known && known.text === text ? known.starts : undefined;
}

/**
 * A tree read here: the text it describes now, whether that text is strict JSON (no comments), and
 * every span in it once an edit needed them (see spansOf).
 */
const editable = new Memo<Val, { text: string; strict: boolean; spans?: NodeSpan[] }>('editableTree');

/**
 * Every span of a tree read here: its nodes, each its own span (objects, arrays, members and
 * primitives). Collected by a walk when the first edit moves them, not kept as the tree is built:
 * most trees (every one the CLI reads) are never edited.
 */
function spansOf(e: { spans?: NodeSpan[] }, root: Val): NodeSpan[] {
  if (e.spans) return e.spans;
  const out: NodeSpan[] = [];
  const walk = (v: Val): void => {
    out.push(v as unknown as NodeSpan);
    if (v.kind === 'array') for (const item of v.items) walk(item);
    else if (v.kind === 'object') {
      for (const m of v.members.values()) {
        out.push(m as unknown as NodeSpan);
        walk(m.value);
      }
    }
  };
  walk(root);
  return (e.spans = out);
}

/**
 * The tree of `text`, made from `root` (a tree parseJsonDoc read) when `text` differs from what
 * the tree describes only within one value: the characters between a string's quotes, with no
 * quote, backslash or control character on either side and the string an expression before and
 * after or neither; or a number, boolean or null token that is still one. That value is replaced
 * and the spans at and after the edit move: typing in a value of a large template does not read
 * the whole text again. Whitespace typed or deleted between the tokens of strict JSON moves the
 * spans alone (in a text with comments it could end or start one). An edit between the quotes
 * of a property name renames it, under the same conditions as a string's content and unless its
 * object has the new name already, repeats a name, or the name is or becomes `copy`. The tree itself changes
 * (whatever was read from it before no longer matches it). Undefined for any other edit, and
 * then the text is read anew.
 */
export function editTree(root: Val, text: string): (JsonDoc & { edit?: TreeEdit }) | undefined {
  const e = editable.get(root);
  if (!e) return undefined;
  const before = e.text;
  if (before === text) return { root };
  const { start: p, oldEnd, delta } = changeBetween(before, text);
  if (e.strict && blank(before, p, oldEnd) && blank(text, p, oldEnd + delta) && betweenTokens(root, p, oldEnd)) {
    for (const span of spansOf(e, root)) {
      // Nothing starts or ends inside whitespace: what starts at or after it moves, and what ends after it.
      if (span.start >= oldEnd) span.start += delta;
      if (span.end > p) span.end += delta;
    }
    e.text = text;
    return { root, edit: { from: before } };
  }
  const path: (string | number)[] = [];
  const token = tokenAt(root, p, oldEnd, path);
  const renamed = renameKey(token, path, before, text, delta);
  if (renamed === null) return undefined;
  if (renamed) {
    moveSpans(spansOf(e, root), oldEnd, delta);
    e.text = text;
    return { root, edit: { from: before, key: renamed } };
  }
  const target = token && 'value' in token ? token.value : undefined;
  if (!target?.at) return undefined;
  const was = target.value;
  const { start, end } = target.at;
  if (typeof target.value === 'string') {
    const oldValue = before.slice(start + 1, end - 1);
    const newValue = text.slice(start + 1, end - 1 + delta);
    if (target.value !== oldValue || !plainStringContent(newValue)) return undefined;
    if (isExpressionString(oldValue) !== isExpressionString(newValue)) return undefined;
    target.value = newValue;
  } else {
    // A number, true, false or null: the new token must be one too (what follows it is unchanged, and was a delimiter).
    const token = text.slice(start, end + delta);
    if (token === 'true' || token === 'false' || token === 'null') target.value = token === 'null' ? null : token === 'true';
    else if (JSON_NUMBER.test(token)) target.value = Number(token);
    else return undefined;
  }
  // The value's own start stays where it is when the edit is at it (a sign typed before a number).
  moveSpans(spansOf(e, root), oldEnd, delta, target.at as NodeSpan);
  e.text = text;
  return { root, edit: { from: before, value: { path, before: was, after: target.value } } };
}

/** After an edit within one token, ending at `oldEnd` in the text before: what starts or ends at or after it moves by `delta`, but for the start of `own` (the token's). */
function moveSpans(spans: NodeSpan[], oldEnd: number, delta: number, own?: NodeSpan): void {
  if (delta === 0) return;
  for (const span of spans) {
    if (span.start >= oldEnd && span !== own) span.start += delta;
    if (span.end >= oldEnd) span.end += delta;
  }
}

/**
 * When the edit lies between the quotes of a property name (`found`), that property renamed in place:
 * the edit (undefined when the edit is not in a name, null when it is but cannot be made here: an
 * escape or quote on either side, a name its object already has or had twice, a `copy`).
 */
function renameKey(found: Token | undefined, path: (string | number)[], before: string, text: string, delta: number): KeyEdit | null | undefined {
  if (!found || !('key' in found)) return undefined;
  const { obj, member, lowered } = found.key;
  const at = member.keyAt as NodeSpan;
  const oldName = before.slice(at.start + 1, at.end - 1);
  const newName = text.slice(at.start + 1, at.end - 1 + delta);
  if (oldName !== member.key || !plainStringContent(oldName) || !plainStringContent(newName)) return null;
  if (isCopyKey(oldName) || isCopyKey(newName) || !(obj.members instanceof Members) || repeatedKeys.get(obj)) return null;
  const newLower = lowerKey(newName);
  if (newLower !== lowered && obj.members.has(newLower)) return null;
  obj.members.rename(lowered, newLower);
  member.key = newName;
  at.segment = newName;
  return { path, before: oldName, after: newName };
}

/** Whether text[from, to) is JSON whitespace only (or empty). */
function blank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/** Whether [from, to] lies between tokens: inside no string, number, boolean or null (their edges are outside). */
function betweenTokens(v: Val, from: number, to: number): boolean {
  const inside = (s: Span | undefined): boolean => !!s && s.start < from && to < s.end;
  for (let cur: Val | undefined = v; cur; ) {
    if (!inside(cur.at)) return true;
    if (cur.kind === 'prim' || cur.kind === 'unknown') return false;
    let next: Val | undefined;
    if (cur.kind === 'array') next = cur.items.find((x) => inside(x.at));
    else {
      for (const m of cur.members.values()) {
        if (inside(m.keyAt)) return false;
        if (inside(m.value.at)) next = m.value;
      }
    }
    // Inside this container and no child: between its tokens (or between its brackets and them).
    if (!next) return true;
    cur = next;
  }
  return true;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The token an edit lies in (see tokenAt): a value, or a property name with its object. */
type Token = { value: PrimVal } | { key: { obj: ObjectVal; member: Member; lowered: string } };

/**
 * The token [from, to) is an edit of (an empty range: a place): the string or property name whose
 * quotes enclose it, or the number, boolean or null token it lies in, the token's edges included;
 * `path` gets the path to it (for a name, to its object). Undefined when the edit touches anything
 * else (brackets, a name's quotes, what lies between tokens).
 */
function tokenAt(v: Val, from: number, to: number, path: (string | number)[]): Token | undefined {
  const touches = (s: Span | undefined): boolean => !!s && s.start <= to && s.end >= from;
  for (let cur: Val | undefined = v; cur?.at; ) {
    const { start, end } = cur.at;
    if (cur.kind === 'prim') {
      if (typeof cur.value === 'string') return from > start && to < end ? { value: cur } : undefined;
      return from >= start && to <= end ? { value: cur } : undefined;
    }
    if (cur.kind === 'unknown' || from <= start || to >= end) return undefined;
    let next: Val | undefined;
    if (cur.kind === 'array') {
      const i = cur.items.findIndex((x) => touches(x.at));
      if (i >= 0) {
        next = cur.items[i];
        path.push(i);
      }
    } else {
      for (const [k, m] of cur.members) {
        const ka = m.keyAt;
        if (ka && touches(ka)) return from > ka.start && to < ka.end ? { key: { obj: cur, member: m, lowered: k } } : undefined;
        if (touches(m.value.at)) {
          next = m.value;
          path.push(k);
        }
      }
    }
    cur = next;
  }
  return undefined;
}

/** Whether text between a string's quotes reads as itself: no quote, backslash or control character. */
function plainStringContent(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c < 0x20) return false;
  }
  return true;
}

function tooDeep(): TextError {
  return { message: `JSON nested deeper than ${MAX_NESTING} levels; not a template this tool reads`, offset: 0, length: 0 };
}

/**
 * The span of a JSON node, with what pathOf needs: `pathParent` (the span whose path this one
 * extends; a member value's is its key's) and `segment` (the key or index this node adds; none for
 * a member value). Every node read is its own span: a value's `at` and a member's `keyAt` are the
 * value or member itself, which saves an object per node. Nodes are made as object literals with
 * every field set, not as class instances: V8 allocates objects from a literal that mostly outlive
 * young collections directly in the old generation, and a tree lives as long as its deployment,
 * so its nodes are not copied by every scavenge while a large template is read.
 */
type NodeSpan = Span & { pathParent: NodeSpan | undefined; segment: string | number | undefined };

/** An object or array read from JSON. */
type Container = (ObjectVal | ArrayVal) & NodeSpan;

/** A member read from JSON: the span of its property name. */
type MemberNode = Member & NodeSpan;

/** A property name as read, shared by every property written with it, and its lower-cased form. */
interface KeyName {
  name: string;
  lower: string;
  mark: KeyMark;
}

/**
 * Where a lower-cased name was last given to a member: the object's serial and the member's slot in
 * the scratch list. Objects are numbered as they open, and only objects opened inside one can take
 * members while it is open, so a mark of an earlier object says the name is not in the one being
 * read: no search for a repeated name. A mark of a later object (the same name at two depths)
 * says nothing, and the object is searched.
 */
interface KeyMark {
  object: number;
  slot: number;
}

/**
 * An open container. Every field is set when it is made (as are the container's when it closes):
 * objects that gain properties later change hidden class on the way, and V8 discards optimized
 * code that depends on hidden classes no live object has any more, as after a full collection.
 * The builder keeps the frames it made and uses them again (see withBuilder); `at` and `pathAt`
 * are undefined only while a frame waits to be used.
 */
interface Frame {
  kind: 'object' | 'array';
  /** The container, which is its own span (its end, children and marks are set when it closes). */
  at: Container | undefined;
  /** The span that stands for this container's path (an object member's key span, else its own). */
  pathAt: NodeSpan | undefined;
  /** Where this container's children start in the builder's scratch list. */
  base: number;
  /** An object's number in the order objects were opened (1, 2, ...); 0 for an array. */
  serial: number;
  /** For objects: the name of the property whose value comes next (cleared once it has its value), and its member. */
  keyName: KeyName | undefined;
  keyAt: MemberNode | undefined;
  /** Whether an expression string was seen inside (the value is marked `literal` otherwise). */
  expr: boolean;
  /** Whether a `copy` key was seen inside (the value is marked `hasCopy`). */
  copy: boolean;
  /** Whether a property name was repeated in this object (its earlier value is not in the tree). */
  repeated: boolean;
}

/** Objects with a property name written twice: renaming either would bring back a value the tree dropped. */
const repeatedKeys = new Memo<ObjectVal, true>('repeatedKeys');

/** A `copy` key, in any case: ARM property names are case-insensitive. */
function isCopyKey(key: string): boolean {
  return key.length === 4 && key.toLowerCase() === 'copy';
}

/** Slots of TreeBuilder's recent-names table (a power of two). */
const RECENT_NAMES = 512;

/**
 * Builds the located tree from the tokens of a JSON text, in document order: what both readers
 * below do once they know where a token starts and ends. The children of open containers wait in
 * one scratch list and are copied out exactly sized when their container closes; property names
 * are shared (a template repeats a few hundred names thousands of times).
 */
class TreeBuilder {
  private readonly stack: Frame[] = [];
  /** Frames closed in this parse or earlier ones, to be used again by `open`. */
  private readonly spare: Frame[] = [];
  /** Open containers' children: items for an array, (lower-cased key, member) pairs for an object. */
  private readonly scratch: unknown[] = [];
  /** Each property name read, once, with its lower-cased form (the members' key). */
  private readonly names = new Map<string, KeyName>();
  /** One mark per lower-cased name, shared by the names that lower-case alike. */
  private readonly marks = new Map<string, KeyMark>();
  /** Names read by plainKey lately, by a hash of their length and end characters (only names without control characters). */
  private readonly recent: (KeyName | undefined)[] = new Array<KeyName | undefined>(RECENT_NAMES).fill(undefined);
  /** Numbers the objects opened, in order (see KeyMark). */
  private serial = 0;
  /** The file of the text being read. */
  private file = '';
  root: Val | undefined;

  /** Starts reading a text of `file` (end left nothing of the one before). */
  begin(file: string): void {
    this.file = file;
  }

  /**
   * Drops everything of the text just read (a tree, its names, which are slices of its text),
   * keeping the builder's own structures for the next text; also after a reader threw.
   */
  end(): void {
    this.root = undefined;
    this.file = '';
    while (this.stack.length) this.spare.push(this.stack.pop()!);
    for (const f of this.spare) {
      f.at = undefined;
      f.pathAt = undefined;
      f.keyName = undefined;
      f.keyAt = undefined;
    }
    this.scratch.length = 0;
    this.names.clear();
    this.marks.clear();
    this.recent.fill(undefined);
    this.serial = 0;
  }

  /** How many objects and arrays are open. */
  get depth(): number {
    return this.stack.length;
  }

  /** Whether the innermost open container is an object (the next string after `{` or `,` is a key). */
  inObject(): boolean {
    return this.stack[this.stack.length - 1]?.kind === 'object';
  }

  /** The finished tree of `text`, remembered so that an edit within one value can move its spans (editTree). */
  done(text: string, strict: boolean): JsonDoc {
    const root = this.root!;
    editable.set(root, { text, strict });
    return { root };
  }

  private attach(v: Val): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = v;
      return;
    }
    const s = this.scratch;
    if (top.kind === 'array') {
      s.push(v);
      return;
    }
    const name = top.keyName;
    if (name === undefined) return;
    top.keyName = undefined;
    const { lower: k, mark } = name;
    const m = top.keyAt!;
    m.value = v;
    // A repeated key (in any case) keeps its first place and takes the last value, as a Map would.
    let slot = -1;
    if (mark.object === top.serial) slot = mark.slot;
    else if (mark.object > top.serial) {
      // Last given to an object opened inside this one: look.
      for (let i = top.base; i < s.length; i += 2) {
        if (s[i] === k) {
          slot = i;
          break;
        }
      }
    }
    if (slot >= 0) {
      s[slot + 1] = m;
      top.repeated = true;
    } else {
      slot = s.length;
      s.push(k, m);
    }
    mark.object = top.serial;
    mark.slot = slot;
  }

  /** The span whose path a node starting now extends: its member's in an object, its array's in an array. */
  private pathParentIn(top: Frame | undefined): NodeSpan | undefined {
    return !top ? undefined : top.kind === 'object' ? top.keyAt : top.pathAt;
  }

  /** The index a node starting now has in its array (none in an object or at the root). */
  private indexIn(top: Frame | undefined): number | undefined {
    return !top || top.kind === 'object' ? undefined : this.scratch.length - top.base;
  }

  /** A `{` or `[` at `offset`. */
  open(kind: 'object' | 'array', offset: number): void {
    const top = this.stack[this.stack.length - 1];
    // The container is its own span, like every node; its children and marks are set when it closes.
    const pathParent = this.pathParentIn(top);
    const segment = this.indexIn(top);
    const file = this.file;
    const at = (
      kind === 'object'
        ? { kind, members: undefined, at: undefined, literal: false, hasCopy: false, file, start: offset, end: offset, pathParent, segment }
        : { kind, items: undefined, at: undefined, literal: false, hasCopy: false, file, start: offset, end: offset, pathParent, segment }
    ) as unknown as Container;
    at.at = at;
    const f = this.spare.pop() ?? { kind, at: undefined, pathAt: undefined, base: 0, serial: 0, keyName: undefined, keyAt: undefined, expr: false, copy: false, repeated: false };
    f.kind = kind;
    f.at = at;
    f.pathAt = top?.kind === 'object' ? top.keyAt! : at;
    f.base = this.scratch.length;
    f.serial = kind === 'object' ? ++this.serial : 0;
    f.keyName = undefined;
    f.keyAt = undefined;
    f.expr = false;
    f.copy = false;
    f.repeated = false;
    this.stack.push(f);
  }

  /** The shared entry of a property name. */
  private nameEntry(name: string): KeyName {
    let entry = this.names.get(name);
    if (entry === undefined) {
      const lower = lowerKey(name);
      let mark = this.marks.get(lower);
      if (!mark) this.marks.set(lower, (mark = { object: 0, slot: 0 }));
      this.names.set(name, (entry = { name, lower, mark }));
    }
    return entry;
  }

  /** A property name, its token from `start` to `end`. */
  key(name: string, start: number, end: number): void {
    this.member(this.nameEntry(name), start, end);
  }

  /**
   * A property name written without escapes, as `text` from `start + 1` to `end - 1` (its quotes
   * from `start` to `end`); `undefined` when that text has a character JSON does not allow
   * unescaped in a string (nothing is read then). A name read this way recently is found by
   * comparing it in place: no copy of the name and no hash of it, for most of a template's names.
   */
  plainKey(text: string, start: number, end: number): true | undefined {
    const from = start + 1;
    const len = end - 1 - from;
    const slot = len > 0 ? (len * 31 + text.charCodeAt(from) * 7 + text.charCodeAt(end - 2)) & (RECENT_NAMES - 1) : 0;
    let entry = this.recent[slot];
    if (entry === undefined || entry.name.length !== len || !text.startsWith(entry.name, from)) {
      const name = text.slice(from, end - 1);
      if (CONTROL.test(name)) return undefined;
      this.recent[slot] = entry = this.nameEntry(name);
    }
    this.member(entry, start, end);
    return true;
  }

  private member(entry: KeyName, start: number, end: number): void {
    const top = this.stack[this.stack.length - 1];
    const shared = entry.name;
    top.keyName = entry;
    // The member is its property name's span (its `keyAt` is itself); its value is set when read.
    const m = { key: shared, keyAt: undefined, value: undefined, file: this.file, start, end, pathParent: top.pathAt, segment: shared } as unknown as MemberNode;
    m.keyAt = m;
    top.keyAt = m;
    if (isCopyKey(shared)) top.copy = true;
  }

  /** A string, number, boolean or null value. */
  literal(value: string | number | boolean | null, start: number, end: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top && typeof value === 'string' && isExpressionString(value)) top.expr = true;
    // The value is its own span (`at` is the object itself): one object per primitive, not two.
    const n: PrimVal & NodeSpan = {
      kind: 'prim',
      value,
      at: undefined,
      file: this.file,
      start,
      end,
      pathParent: this.pathParentIn(top),
      segment: this.indexIn(top),
    };
    n.at = n;
    this.attach(n);
  }

  /** The `}` or `]` of the innermost open container, ending at `end`. */
  close(end: number): void {
    const f = this.stack.pop()!;
    const top = this.stack[this.stack.length - 1];
    const v = f.at!;
    v.end = end;
    const children = this.scratch.slice(f.base);
    this.scratch.length = f.base;
    if (v.kind === 'array') v.items = children as Val[];
    else {
      v.members = Members.fromPairs(children as (string | Member)[]);
      if (f.repeated) repeatedKeys.set(v, true);
    }
    v.literal = !f.expr;
    v.hasCopy = f.copy;
    if (f.expr && top) top.expr = true;
    if (f.copy && top) top.copy = true;
    this.spare.push(f);
    this.attach(v);
  }
}

/** The builder waiting for the next parse; undefined while one is in progress. */
let idleBuilder: TreeBuilder | undefined;

/**
 * `read` with the one builder parses share (a new one if a parse is already using it). V8
 * discards optimized code whose hidden classes no live object has any more, which is what a
 * major collection finds of a builder and frames made per parse: the next parse then ran the
 * reader's code unoptimized until V8 had optimized it again. Kept, they stay alive.
 */
function withBuilder<T>(file: string, read: (b: TreeBuilder) => T): T {
  const b = idleBuilder ?? new TreeBuilder();
  idleBuilder = undefined;
  b.begin(file);
  try {
    return read(b);
  } finally {
    b.end();
    idleBuilder = b;
  }
}

/** What may come next in strict JSON (buildValsStrict). */
const enum Next {
  /** A value (at the start, after `:`, after `,` in an array). */
  Value,
  /** A value or `]` (after `[`). */
  ValueOrEnd,
  /** A property name or `}` (after `{`). */
  KeyOrEnd,
  /** A property name (after `,` in an object). */
  Key,
  /** A `:` (after a property name). */
  Colon,
  /** A `,` or the end of the container (after a value); only whitespace after the root value. */
  More,
}

/** A character JSON does not allow unescaped in a string (U+0000 to U+001F). */
const CONTROL = /[\u0000-\u001f]/;

/**
 * The fast path for strict JSON (most templates): one loop over the characters that finds where
 * tokens start and end and checks the grammar as it goes: what may follow what, the words `true`,
 * `false` and `null`, numbers, no control characters in strings (and, for a string with an
 * escape, the engine's own `JSON.parse` of that string). `undefined` for a text it does not accept
 * (comments, trailing commas, errors; also anything it is unsure of): the visitor below reads
 * those and reports their errors. It accepts exactly what `JSON.parse` accepts (a test compares
 * the two on mutated texts) and builds no throwaway copy of the document to check it.
 */
function buildValsStrict(b: TreeBuilder, text: string): { doc?: JsonDoc; error?: TextError } | undefined {
  let next = Next.Value;
  const n = text.length;
  let i = 0;
  /** The first backslash at or after the current string, `n` when there is none left. */
  let nextBackslash = -1;
  /** Line starts (LF, CRLF and lone CR end a line, as in LineMap), in an array doubled when full. */
  let lines = new Uint32Array(Math.max(64, n >> 5));
  let lineCount = 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
        if (lineCount === lines.length) {
          const grown = new Uint32Array(lines.length * 2);
          grown.set(lines);
          lines = grown;
        }
        lines[lineCount++] = i + 1;
      }
      i++;
      continue;
    }
    if (c === 0x2c /* , */) {
      if (next !== Next.More || b.depth === 0) return undefined;
      next = b.inObject() ? Next.Key : Next.Value;
      i++;
      continue;
    }
    if (c === 0x3a /* : */) {
      if (next !== Next.Colon) return undefined;
      next = Next.Value;
      i++;
      continue;
    }
    if (c === 0x22 /* " */) {
      const isKey: boolean = next === Next.Key || next === Next.KeyOrEnd;
      if (!isKey && next !== Next.Value && next !== Next.ValueOrEnd) return undefined;
      // Strings are most of a template: find their ends with indexOf, not character by character.
      let j = text.indexOf('"', i + 1);
      if (j < 0) return undefined;
      if (nextBackslash < i) nextBackslash = text.indexOf('\\', i);
      if (nextBackslash < 0) nextBackslash = n;
      let value: string;
      if (nextBackslash < j) {
        for (j = i + 1; j < n; ) {
          const d = text.charCodeAt(j);
          if (d === 0x22) break;
          j += d === 0x5c ? 2 : 1;
        }
        if (j >= n) return undefined;
        try {
          value = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return undefined;
        }
        if (isKey) b.key(value, i, j + 1);
        else b.literal(value, i, j + 1);
      } else if (isKey) {
        if (!b.plainKey(text, i, j + 1)) return undefined;
      } else {
        value = text.slice(i + 1, j);
        if (CONTROL.test(value)) return undefined;
        b.literal(value, i, j + 1);
      }
      next = isKey ? Next.Colon : Next.More;
      i = j + 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (next !== Next.Value && next !== Next.ValueOrEnd) return undefined;
      if (b.depth >= MAX_NESTING) return tooDeepOrInvalid(text);
      b.open(c === 0x7b ? 'object' : 'array', i);
      next = c === 0x7b ? Next.KeyOrEnd : Next.ValueOrEnd;
      i++;
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      const inObject = b.inObject();
      if (b.depth === 0 || inObject !== (c === 0x7d)) return undefined;
      if (next !== Next.More && next !== (inObject ? Next.KeyOrEnd : Next.ValueOrEnd)) return undefined;
      b.close(i + 1);
      next = Next.More;
      i++;
      continue;
    }
    // true, false, null or a number: runs to the next delimiter.
    if (next !== Next.Value && next !== Next.ValueOrEnd) return undefined;
    let j = i + 1;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    }
    const token = text.slice(i, j);
    let value: boolean | null | number;
    if (token === 'true') value = true;
    else if (token === 'false') value = false;
    else if (token === 'null') value = null;
    else if (JSON_NUMBER.test(token)) value = Number(token);
    else return undefined;
    b.literal(value, i, j);
    next = Next.More;
    i = j;
  }
  if (next !== Next.More || b.depth !== 0 || !b.root) return undefined;
  const doc = b.done(text, true);
  // A text with few line breaks (minified) keeps an exact copy, not the larger array.
  lineStartsOf.set(doc.root, { text, starts: lines.length > 2 * lineCount + 64 ? lines.slice(0, lineCount) : lines.subarray(0, lineCount) });
  return { doc };
}

/** Whether the engine's `JSON.parse` accepts the text. */
function isStrictJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Nesting past MAX_NESTING: that error when the text is JSON, else undefined (the visitor reports what is wrong). */
function tooDeepOrInvalid(text: string): { error: TextError } | undefined {
  return isStrictJson(text) ? { error: tooDeep() } : undefined;
}

/** Whether this tree was read from strict JSON (no comments, no trailing commas). */
export function readAsStrict(root: Val): boolean {
  return editable.get(root)?.strict === true;
}

/**
 * The error buildVals would report, found by a visitor pass that builds nothing; undefined when
 * the text has none (or nests too deep before one, which buildVals says in its own way).
 */
function syntaxErrorOnly(text: string): { error: TextError } | undefined {
  let error: TextError | undefined;
  let depth = 0;
  let tooDeep = false;
  const open = (): boolean => {
    if (++depth > MAX_NESTING && !error) tooDeep = true;
    return !tooDeep;
  };
  const close = (): void => {
    depth--;
  };
  visit(
    text,
    {
      onObjectBegin: open,
      onObjectEnd: close,
      onArrayBegin: open,
      onArrayEnd: close,
      onError: (code, offset, length) => {
        error ??= syntaxError(code, offset, length);
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return error && !tooDeep ? { error } : undefined;
}

/** One pass over the text with jsonc-parser's visitor, building located values directly. */
function buildVals(b: TreeBuilder, text: string): { doc?: JsonDoc; error?: TextError } {
  let error: TextError | undefined;
  /** The depth of the container skipped for being too deep (the visitor does not call us inside it), -1 when none. */
  let tooDeepAt = -1;
  const open = (kind: 'object' | 'array', offset: number): boolean => {
    if (b.depth >= MAX_NESTING) {
      error ??= tooDeep();
      tooDeepAt = b.depth;
      return false;
    }
    b.open(kind, offset);
    return true;
  };
  const end = (offset: number, length: number): void => {
    if (tooDeepAt === b.depth) {
      tooDeepAt = -1;
      return;
    }
    b.close(offset + length);
  };
  visit(
    text,
    {
      onObjectBegin: (offset) => open('object', offset),
      onObjectProperty: (property, offset, length) => b.key(property, offset, offset + length),
      onObjectEnd: end,
      onArrayBegin: (offset) => open('array', offset),
      onArrayEnd: end,
      onLiteralValue: (value, offset, length) => b.literal(value ?? null, offset, offset + length),
      onError: (code, offset, length) => {
        error ??= syntaxError(code, offset, length);
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  if (error) return { error };
  if (!b.root) return { error: { message: 'empty file', offset: 0, length: 0 } };
  return { doc: b.done(text, false) };
}

/** The error of a jsonc-parser error code, as both readers report it. */
function syntaxError(code: ParseErrorCode, offset: number, length: number): TextError {
  return { message: `invalid JSON: ${describe(printParseErrorCode(code))}`, offset, length };
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
