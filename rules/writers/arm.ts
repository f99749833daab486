// Turns abstract fixes into minimal text edits on ARM JSON: jsonc-parser `modify` on the JSON
// path of what must change, with the document's own indentation and line endings. A value that
// comes from a parameter is fixed where it is written (the default or the parameter file).

import { FormattingOptions, JSONPath, applyEdits as jsoncApply, findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
import { Deployment, Fix, FixOp, Json, JsonPath, Member, Resource, Span, Val, member, pathOf } from '../model';
import { Memo } from '../memo';
import { bicepFixEdits } from './bicep';
import { FileEdit, diffEdits, editsDiff, originalEdits } from './diff';

export type { FileEdit };

export function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /\n([ \t]+)\S/.exec(text);
  if (m && m[1].startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: m ? Math.min(m[1].length, 8) : 2, eol };
}

/** Where a `set` writes: a file and the JSON path of the container plus the keys still to create. */
interface SetTarget {
  file: string;
  path: JsonPath;
  /** Keys below `path` that do not exist yet. */
  missing: string[];
}

/** Where a value is written, with its JSON path, when the JSON reader read it there. */
function writtenAt(s: Span | undefined): { file: string; path: JsonPath } | undefined {
  const path = pathOf(s);
  return path ? { file: s!.file, path } : undefined;
}

function setTarget(resource: Resource, path: string[]): SetTarget | undefined {
  const body = writtenAt(resource.body.at);
  if (!body) return undefined;
  let file = body.file;
  let containerPath: JsonPath = body.path;
  let cur: Val = resource.body;
  let viaRef = false;
  for (let i = 0; i < path.length; i++) {
    const m = member(cur, path[i]);
    if (!m) return { file, path: containerPath, missing: path.slice(i) };
    const v = m.value;
    if (v.origin?.kind === 'moduleDefault' || v.origin?.kind === 'argument') return undefined;
    viaRef = viaRef || !!v.origin;
    const loc = writtenAt(viaRef ? v.at : m.keyAt);
    if (!loc) return undefined;
    if (i === path.length - 1) return { file: loc.file, path: loc.path, missing: [] };
    if (v.kind !== 'object') return undefined;
    // The object must be written as an object literal where we write (not an expression yielding one).
    file = loc.file;
    containerPath = loc.path;
    cur = v;
  }
  return undefined;
}

/**
 * The texts a fix is written on, with the edits made to them so far. The reader's tree gives
 * offsets in the original texts; `span` finds an original span in the current text, so later
 * edits of one fix can still use windows of that tree.
 */
/** formattingOf of each file of a deployment's texts, by file, kept on that map (every fix of the deployment writes in the same texts). */
const formats = new Memo<Map<string, string>, Map<string, FormattingOptions>>('formats');

class WorkingTexts {
  /**
   * The current text of each file edited, made when asked for (see get): applying an edit to a
   * large text and reading the result copies all of it, and most fixes never read it.
   */
  private readonly current = new Map<string, string>();
  /** Per file, each `modify` result applied, in order (offsets in the text as it was then). */
  private applied = new Map<string, { offset: number; length: number; content: string }[][]>();

  constructor(private readonly original: Map<string, string>) {}

  get(file: string): string | undefined {
    const batches = this.applied.get(file);
    if (!batches?.length) return this.original.get(file);
    let text = this.current.get(file);
    if (text === undefined) {
      const edits = this.originalEdits(file);
      const original = this.original.get(file)!;
      if (edits) {
        // In one pass over the original: pieces between the edits, joined once.
        const parts: string[] = [];
        let pos = 0;
        for (const e of edits) {
          parts.push(original.slice(pos, e.offset), e.content);
          pos = e.offset + e.length;
        }
        parts.push(original.slice(pos));
        text = parts.join('');
      } else {
        text = original;
        for (const batch of batches) text = jsoncApply(text, batch);
      }
      this.current.set(file, text);
    }
    return text;
  }

  originalText(file: string): string | undefined {
    return this.original.get(file);
  }

  /** How `file` is formatted (line ends, indentation), as its original text shows: worked out once per file, not once per edit. */
  formatting(file: string): FormattingOptions | undefined {
    const text = this.original.get(file);
    if (text === undefined) return undefined;
    // Kept across fixes too (each fix has its own working texts, over the same original texts).
    const byFile = formats.get(this.original) ?? formats.set(this.original, new Map());
    let options = byFile.get(file);
    if (!options) byFile.set(file, (options = formattingOf(text)));
    return options;
  }

  apply(file: string, edits: { offset: number; length: number; content: string }[]): void {
    this.current.delete(file);
    const list = this.applied.get(file) ?? [];
    list.push(edits);
    this.applied.set(file, list);
  }

  /** The edits made to `file` as edits of the original text (see originalEdits). */
  originalEdits(file: string): { offset: number; length: number; content: string }[] | undefined {
    // The edits of one modify() result share that text's offsets: last first, they apply one after another.
    return originalEdits((this.applied.get(file) ?? []).flatMap((batch) => [...batch].sort((a, b) => b.offset - a.offset)));
  }

  /** What was written, as small edits of the original texts: diffed on the lines the edits touch (the whole text when their offsets cannot be told). */
  diff(): FileEdit[] {
    const out: FileEdit[] = [];
    for (const [file, batches] of this.applied) {
      // The texts are not compared whole (a large file's would be read through): diffing the lines the edits touch finds no change too.
      if (!batches.length) continue;
      const before = this.original.get(file)!;
      const edits = this.originalEdits(file);
      out.push(...(edits ? editsDiff(file, before, edits) : diffEdits(file, before, this.get(file)!)));
    }
    return out;
  }

  /**
   * The current text of what was the original span [start, end) of `file`, pieced together from
   * the original text and the edits made inside it (as span() with `editsInside` places them):
   * reading the current text itself would copy all of an edited large file into one string first.
   * Undefined where span() would be.
   */
  slice(file: string, start: number, end: number): string | undefined {
    const edits = this.originalEdits(file);
    const original = this.original.get(file);
    if (!edits || original === undefined) return undefined;
    let out = '';
    let pos = start;
    for (const x of edits) {
      const xEnd = x.offset + x.length;
      if (xEnd <= start) continue;
      if (x.offset >= end) break;
      if (x.offset < start || xEnd > end) return undefined;
      out += original.slice(pos, x.offset) + x.content;
      pos = xEnd;
    }
    return out + original.slice(pos, end);
  }

  /**
   * Where the original span [start, end) of `file` is in the current text: undefined when an edit
   * crossed one of its ends, or (unless `editsInside`) when one was made inside it.
   */
  span(file: string, start: number, end: number, editsInside = false): { start: number; end: number } | undefined {
    const edits = this.originalEdits(file);
    if (!edits) return undefined;
    let ds = 0;
    let de = 0;
    for (const x of edits) {
      const delta = x.content.length - x.length;
      const xEnd = x.offset + x.length;
      if (xEnd <= start) {
        // Before the span (text inserted right at its start stays before it).
        ds += delta;
        de += delta;
      } else if (x.offset >= end) break;
      else if (x.offset < start || xEnd > end || !editsInside) return undefined;
      else de += delta;
    }
    return { start: start + ds, end: end + de };
  }
}

/** The value at a JSON path of a reader tree. */
function valueAt(root: Val | undefined, path: JsonPath): Val | undefined {
  let cur = root;
  for (const seg of path) {
    if (cur?.kind === 'object' && typeof seg === 'string') cur = cur.members.get(seg.toLowerCase())?.value;
    else if (cur?.kind === 'array' && typeof seg === 'number') cur = cur.items[seg];
    else return undefined;
  }
  return cur;
}

/** `edits` of a window's text as edits of the whole text: window offset `from` is text offset `to`; undefined when one reaches before `from`. */
function shifted(edits: { offset: number; length: number; content: string }[], from: number, to: number): { offset: number; length: number; content: string }[] | undefined {
  if (edits.some((e) => e.offset < from)) return undefined;
  return edits.map((e) => ({ offset: e.offset - from + to, length: e.length, content: e.content }));
}

/**
 * The last element of a multi-line object or array and what separates it from the one before,
 * as a window starting on the line of that element: an insertion after the last element
 * (`modify()` adds new properties and array items there) gives the same edits in it as in the
 * whole container, whose other elements it need not parse. Undefined when the container has
 * fewer than two elements or is not laid out with the last one on lines of its own.
 */
function tailWindow(text: string, container: Val): { start: number; end: number } | undefined {
  let last: { start: number } | undefined;
  let prevEnd: number | undefined;
  if (container.kind === 'object') {
    const ms = [...container.members.values()];
    if (ms.length < 2) return undefined;
    last = ms[ms.length - 1].keyAt;
    prevEnd = ms[ms.length - 2].value.at?.end;
  } else if (container.kind === 'array') {
    if (container.items.length < 2) return undefined;
    last = container.items[container.items.length - 1].at;
    prevEnd = container.items[container.items.length - 2].at?.end;
  }
  if (!last || prevEnd === undefined || !container.at) return undefined;
  const cut = text.lastIndexOf('\n', last.start - 1) + 1;
  // Only a comma and line breaks between the two elements: the window starts on a line of the last element's own.
  if (cut <= prevEnd || !/^\s*,\s*$/.test(text.slice(prevEnd, cut)) || text.slice(cut, last.start).trim() !== '') return undefined;
  return { start: cut, end: container.at.end };
}

/**
 * The removal of one element of an object or array (a resource of a `resources` list) written by
 * modify() on a window of the text around it. modify() removes an element together with what
 * separates it from the next one (from the previous one when it is the last, all the space inside
 * the brackets when it is the only one) and formats the whole lines around the cut, so a window
 * must hold those lines as they are: for a large container, the element and the next one (the
 * previous one and the closing bracket, for the last), starting on a line of their own; for a
 * small one that is a property's value, that whole property from the start of its line (the line
 * modify() formats when the container empties).
 * Undefined when the layout is not one element per line, or an edit would reach past the window.
 */
function removalWindowEdits(
  work: WorkingTexts,
  file: string,
  /** The original text of `file` (the tree's offsets are in it; the window has no edits inside, so its text is the same now). */
  text: string,
  container: Val,
  holder: Member | undefined,
  seg: string | number,
  options: FormattingOptions,
): ReturnType<typeof modify> | undefined {
  const elements: Span[] = [];
  let index = -1;
  if (container.kind === 'array' && typeof seg === 'number') {
    for (const item of container.items) if (item.at) elements.push(item.at);
    if (elements.length !== container.items.length) return undefined;
    index = seg;
  } else if (container.kind === 'object' && typeof seg === 'string') {
    const lower = seg.toLowerCase();
    let i = 0;
    for (const [k, m] of container.members) {
      const at = m.keyAt;
      const end = m.value.at?.end;
      if (!at || end === undefined) return undefined;
      if (k === lower) index = i;
      elements.push({ file: at.file, start: at.start, end });
      i++;
    }
  }
  const n = elements.length;
  if (index < 0 || index >= n || !container.at) return undefined;
  // In document order, one after the other (a name written twice keeps its first place, not its last).
  for (let i = 1; i < n; i++) if (elements[i].start < elements[i - 1].end) return undefined;
  const isArray = container.kind === 'array';
  const eol = /\r\n?|\n/.exec(text)?.[0] ?? '\n';
  /** modify() on `open` + the text of [from, to) + `close`, at `inWindow`, its edits moved back to the file. */
  const inWindow = (from: number, to: number, open: string, close: string, at: JSONPath): ReturnType<typeof modify> | undefined => {
    const lineStart = text.lastIndexOf('\n', from - 1) + 1;
    if (text.slice(lineStart, from).trim() !== '') return undefined;
    const span = work.span(file, lineStart, to);
    if (!span) return undefined;
    // Nothing was edited inside: the original text of the window is its current text, which starts at span.start now.
    const windowText = open + text.slice(lineStart, to) + close;
    const edits = modify(windowText, at, undefined, { formattingOptions: options });
    if (edits.some((e) => e.offset + e.length > windowText.length - close.length)) return undefined;
    return shifted(edits, open.length, span.start);
  };
  // The element and the one modify() cuts up to: the next one, or the previous one for the last.
  const first = index === n - 1 ? Math.max(0, index - 1) : index;
  const last = Math.min(n - 1, index + 1);
  if (n >= 4) {
    const throughClose = last === n - 1;
    // The window's last line must be all there (up to its comma): modify() formats whole lines, and a comment after the cut would be left out.
    if (!throughClose) {
      const eolAt = text.indexOf('\n', elements[last].end);
      if (!/^\s*,?\s*$/.test(text.slice(elements[last].end, eolAt < 0 ? text.length : eolAt))) return undefined;
    }
    return inWindow(elements[first].start, throughClose ? container.at.end : elements[last].end, (isArray ? '[' : '{') + eol, throughClose ? '' : eol + (isArray ? ']' : '}'), [isArray ? index - first : seg]);
  }
  if (!holder?.keyAt) return undefined;
  return inWindow(holder.keyAt.start, container.at.end, '{' + eol, eol + '}', [holder.key, seg]);
}

/**
 * modify() on part of the text instead of all of it (modify() parses the text it is given, once
 * per fix), found in the tree the reader built (`root`): the literal being replaced when a
 * string, number, boolean or null replaces one; for a property or item added at the end of a
 * large object or array, its last element (see tailWindow); else the deepest object or array
 * literal on the way to `path`. A container's window starts with the indentation of its first
 * line, so the lines modify() formats get the indentation they have in the file. Undefined when
 * no window fits (or the text there was already edited), and the caller uses the whole text.
 */
function windowedModify(
  work: WorkingTexts,
  file: string,
  root: Val | undefined,
  path: JSONPath,
  value: Json | undefined,
  options: FormattingOptions,
  arrayInsertion: boolean,
): ReturnType<typeof modify> | undefined {
  const original = work.originalText(file);
  /** The current text, for the cases the original one and the edits made cannot stand in for. */
  const current = (): string => work.get(file)!;
  let cur = root;
  let container: { val: Val; at: Span; depth: number; holder?: Member } | undefined;
  /** The member whose value `cur` is (none for an array item or the root). */
  let holder: Member | undefined;
  let depth = 0;
  for (; depth < path.length && cur; depth++) {
    if ((cur.kind === 'object' || cur.kind === 'array') && cur.at) container = { val: cur, at: cur.at, depth, holder };
    const seg = path[depth];
    holder = undefined;
    if (cur.kind === 'object' && typeof seg === 'string') cur = (holder = cur.members.get(seg.toLowerCase()))?.value;
    else if (cur.kind === 'array' && typeof seg === 'number') cur = arrayInsertion && depth === path.length - 1 ? undefined : cur.items[seg];
    else cur = undefined;
  }
  const primitive = value !== undefined && (value === null || typeof value !== 'object');
  if (!arrayInsertion && cur?.kind === 'prim' && cur.at && primitive) {
    const w = work.span(file, cur.at.start, cur.at.end);
    // A literal replaced by a literal: what modify() writes for it, the new value in JSON, without parsing anything.
    // (Nothing was edited inside it, so the original text shows what it starts with: the current one, edited, would be copied whole to be read.)
    if (w && /^["\-0-9tfn]/.test((original ?? current()).charAt(cur.at.start))) return [{ offset: w.start, length: w.end - w.start, content: JSON.stringify(value) }];
    return undefined;
  }
  if (!container) return undefined;
  if (value === undefined && !arrayInsertion && cur && depth === path.length && container.depth === path.length - 1) {
    const removed = original !== undefined ? removalWindowEdits(work, file, original, container.val, container.holder, path[path.length - 1], options) : undefined;
    if (removed) return removed;
  }
  const rest = path.slice(container.depth);
  // The first key missing is the container's own (the loop stopped right below it): modify() adds at its end.
  const adding = value !== undefined && cur === undefined && depth === container.depth + 1 && container.val.kind === (arrayInsertion ? 'array' : 'object');
  const tail = adding && original !== undefined ? tailWindow(original, container.val) : undefined;
  // Earlier edits of this fix inside a window are fine: what was added there is in the window too.
  const t = tail && work.span(file, tail.start, tail.end, true);
  if (t) {
    // modify() formats with the first line break of the text it is given: the file's own.
    const open = (container.val.kind === 'array' ? '[' : '{') + (/\r\n?|\n/.exec(original ?? current())?.[0] ?? '\n');
    const inWindow = container.val.kind === 'array' ? [1, ...rest.slice(1)] : rest;
    const windowText = work.slice(file, tail!.start, tail!.end) ?? current().slice(t.start, t.end);
    const edits = modify(open + windowText, inWindow, value, { formattingOptions: options, ...(arrayInsertion ? { isArrayInsertion: true } : {}) });
    const out = shifted(edits, open.length, t.start);
    if (out) return out;
  }
  const w = work.span(file, container.at.start, container.at.end, true);
  if (!w) return undefined;
  const inside = work.slice(file, container.at.start, container.at.end) ?? current().slice(w.start, w.end);
  const open = inside.charCodeAt(0);
  const close = inside.charCodeAt(inside.length - 1);
  if (!((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d))) return undefined;
  // The indentation of the container's first line, from the original text when nothing was edited on that line before it.
  const lineStart = original !== undefined ? original.lastIndexOf('\n', container.at.start - 1) + 1 : -1;
  const before = lineStart >= 0 && work.span(file, lineStart, container.at.start) ? original!.slice(lineStart, container.at.start) : current().slice(current().lastIndexOf('\n', w.start - 1) + 1, w.start);
  const indent = /^[ \t]*/.exec(before)![0];
  const edits = modify(indent + inside, rest, value, {
    formattingOptions: options,
    ...(arrayInsertion ? { isArrayInsertion: true } : {}),
  });
  // An edit reaching into the stand-in indentation would touch text the window left out.
  return shifted(edits, indent.length, w.start);
}

/** Applies one op to the working texts; false when it cannot be written. */
function applyOp(work: WorkingTexts, op: FixOp, dep: Deployment): boolean {
  const edit = (file: string, path: JSONPath, value: Json | undefined, arrayInsertion = false): boolean => {
    // A linked template's file is read for its findings, which sit in the scanned file: fixes do not edit it.
    if (dep.placedFiles?.has(file)) return false;
    const formattingOptions = work.formatting(file);
    if (!formattingOptions) return false;
    const edits =
      windowedModify(work, file, dep.roots?.get(file), path, value, formattingOptions, arrayInsertion) ??
      modify(work.get(file)!, path, value, {
        formattingOptions,
        ...(arrayInsertion ? { isArrayInsertion: true } : {}),
      });
    if (!edits.length) return value === undefined;
    work.apply(file, edits);
    return true;
  };
  switch (op.op) {
    case 'set': {
      const t = setTarget(op.resource, op.path);
      if (!t) return false;
      // modify() creates missing parents on the current text, so sets that share a new parent compose.
      return edit(t.file, [...t.path, ...t.missing], op.value);
    }
    case 'raiseApiVersion': {
      const at = writtenAt(op.resource.body.at);
      return !!at && edit(at.file, [...at.path, 'apiVersion'], op.version);
    }
    case 'dropAllowed': {
      const a = op.origin.allowed;
      const at = writtenAt(a?.at);
      if (!a || !at) return false;
      const drop = new Set(op.values.map((v) => JSON.stringify(v)));
      return edit(at.file, at.path, a.values.filter((v) => !drop.has(JSON.stringify(v))));
    }
    case 'removeResource': {
      const at = writtenAt(op.resource.body.at);
      return !!at && edit(at.file, at.path, undefined);
    }
    case 'removeOutput': {
      const at = writtenAt(op.output.at);
      return !!at && edit(at.file, at.path, undefined);
    }
    case 'addResource': {
      const at = writtenAt(op.near.body.at);
      if (!at) return false;
      const { file, path: p } = at;
      const container = p.slice(0, -1);
      for (const [name, decl] of Object.entries(op.parameters ?? {})) {
        const paramsPath = [...container.slice(0, -1), 'parameters', name];
        if (!edit(file, paramsPath, decl)) return false;
      }
      // The reader's tree says what the resources container is; the parameters added above are outside it.
      const fromTree = valueAt(dep.roots?.get(file), container);
      const node = fromTree ? undefined : findNodeAtLocation(parseTree(work.get(file)!) ?? { type: 'null', offset: 0, length: 0 }, container);
      const kind = fromTree ? fromTree.kind : node?.type;
      if (kind === 'array') return edit(file, [...container, fromTree?.kind === 'array' ? fromTree.items.length : (node?.children?.length ?? 0)], op.resource, true);
      if (kind !== 'object') return false;
      const base = String(op.resource.name ?? 'resource').replace(/[^A-Za-z0-9_]/g, '') || 'resource';
      return edit(file, [...container, `${base}Added`], op.resource);
    }
  }
}


/** The text edits for a fix (each edit names its file), or undefined when it cannot be written. */
export function fixEdits(dep: Deployment, fix: Fix): FileEdit[] | undefined {
  if (dep.source === 'bicep') return bicepFixEdits(dep, fix);
  const independent = independentEdits(dep, fix.ops);
  if (independent === 'unwritable') return undefined;
  return independent === 'touching' ? sequentialEdits(dep, fix.ops) : independent;
}

/**
 * Each op written against the original text: several small edits, when none of them touch
 * ('touching' when some do). 'unwritable' when an op cannot be written at all: ops find what
 * they edit in the reader's tree, so applying them one after another would not write it either.
 */
function independentEdits(dep: Deployment, ops: FixOp[]): FileEdit[] | 'touching' | 'unwritable' {
  const out: FileEdit[] = [];
  for (const op of ops) {
    const work = new WorkingTexts(dep.texts);
    if (!applyOp(work, op, dep)) return 'unwritable';
    out.push(...work.diff());
  }
  const sorted = [...out].sort((a, b) => (a.file === b.file ? a.offset - b.offset : a.file < b.file ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev.file === cur.file && cur.offset <= prev.offset + prev.length) return 'touching';
  }
  return sorted.length ? sorted : 'unwritable';
}

/** Ops applied one after another (they share a new parent object, say), as one edit per file. */
function sequentialEdits(dep: Deployment, ops: FixOp[]): FileEdit[] | undefined {
  const work = new WorkingTexts(dep.texts);
  // Removals shift array indices: do them after everything else.
  const ordered = [...ops.filter((o) => o.op !== 'removeResource'), ...ops.filter((o) => o.op === 'removeResource')];
  for (const op of ordered) if (!applyOp(work, op, dep)) return undefined;
  const out = work.diff();
  return out.length ? out : undefined;
}

/** Applies edits (all on one text) from last to first; insertions at one offset land in the order given. */
export function applyEdits(text: string, edits: { offset: number; length: number; content: string }[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.offset - a.e.offset || b.i - a.i).map((x) => x.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

