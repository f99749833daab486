// Turns abstract fixes into minimal text edits on ARM JSON: jsonc-parser `modify` on the JSON
// path of what must change, with the document's own indentation and line endings. A value that
// comes from a parameter is fixed where it is written (the default or the parameter file).

import { FormattingOptions, JSONPath, applyEdits as jsoncApply, findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
import { Deployment, Fix, FixOp, Json, JsonPath, Resource, Span, Val, member } from '../model';
import { bicepFixEdits } from './bicep';
import { FileEdit, diffEdits, editDiff } from './diff';

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

function writablePath(v: Val): Span | undefined {
  return v.at?.path ? v.at : undefined;
}

function setTarget(resource: Resource, path: string[]): SetTarget | undefined {
  const bodyAt = resource.body.at;
  if (!bodyAt?.path) return undefined;
  let file = bodyAt.file;
  let containerPath: JsonPath = bodyAt.path;
  let cur: Val = resource.body;
  let viaRef = false;
  for (let i = 0; i < path.length; i++) {
    const m = member(cur, path[i]);
    if (!m) return { file, path: containerPath, missing: path.slice(i) };
    const v = m.value;
    if (v.origin?.kind === 'moduleDefault' || v.origin?.kind === 'argument') return undefined;
    viaRef = viaRef || !!v.origin;
    const loc = viaRef ? writablePath(v) : m.keyAt?.path ? m.keyAt : undefined;
    if (!loc?.path) return undefined;
    if (i === path.length - 1) return { file: loc.file, path: loc.path, missing: [] };
    if (v.kind !== 'object') return undefined;
    // The object must be written as an object literal where we write (not an expression yielding one).
    if (viaRef && !v.at?.path) return undefined;
    file = loc.file;
    containerPath = viaRef ? v.at!.path! : loc.path;
    cur = v;
  }
  return undefined;
}

/**
 * modify() on part of the text instead of all of it (modify() parses the text it is given, once
 * per fix), found in the tree the reader built (`root`): the literal being replaced when a
 * string, number, boolean or null replaces one; else the deepest object or array literal on the
 * way to `path`. That window starts with the indentation of the literal's first line, so the
 * lines modify() formats get the indentation they have in the file. Undefined when no window
 * fits, and the caller uses the whole text.
 */
function windowedModify(text: string, root: Val | undefined, path: JSONPath, value: Json | undefined, options: FormattingOptions): ReturnType<typeof modify> | undefined {
  let cur = root;
  let container: { at: Span; depth: number } | undefined;
  let depth = 0;
  for (; depth < path.length && cur; depth++) {
    if ((cur.kind === 'object' || cur.kind === 'array') && cur.at) container = { at: cur.at, depth };
    const seg = path[depth];
    if (cur.kind === 'object' && typeof seg === 'string') cur = cur.members.get(seg.toLowerCase())?.value;
    else if (cur.kind === 'array' && typeof seg === 'number') cur = cur.items[seg];
    else cur = undefined;
  }
  const primitive = value !== undefined && (value === null || typeof value !== 'object');
  if (cur?.kind === 'prim' && cur.at && primitive && /^["\-0-9tfn]/.test(text.charAt(cur.at.start))) {
    const at = cur.at;
    return modify(text.slice(at.start, at.end), [], value, { formattingOptions: options }).map((e) => ({ ...e, offset: e.offset + at.start }));
  }
  if (!container) return undefined;
  const { at } = container;
  const open = text.charCodeAt(at.start);
  const close = text.charCodeAt(at.end - 1);
  if (!((open === 0x7b && close === 0x7d) || (open === 0x5b && close === 0x5d))) return undefined;
  const lineStart = text.lastIndexOf('\n', at.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, at.start))![0];
  const shift = at.start - indent.length;
  const edits = modify(indent + text.slice(at.start, at.end), path.slice(container.depth), value, { formattingOptions: options });
  // An edit reaching into the stand-in indentation would touch text the window left out.
  if (edits.some((e) => e.offset < indent.length)) return undefined;
  return edits.map((e) => ({ ...e, offset: e.offset + shift }));
}

/** The `modify` calls an op made, in order, each against the text as it was then. */
type EditLog = { file: string; edits: { offset: number; length: number; content: string }[] }[];

/** Applies one op to the working texts; false when it cannot be written. */
function applyOp(texts: Map<string, string>, op: FixOp, dep: Deployment, log?: EditLog): boolean {
  const edit = (file: string, path: JSONPath, value: Json | undefined, insertAt?: number): boolean => {
    const text = texts.get(file);
    if (text === undefined) return false;
    const formattingOptions = formattingOf(text);
    // A window only while the text is the one the reader's tree was built from.
    const windowed = insertAt === undefined && text === dep.texts.get(file) ? windowedModify(text, dep.roots?.get(file), path, value, formattingOptions) : undefined;
    const edits =
      windowed ??
      modify(text, path, value, {
        formattingOptions,
        ...(insertAt !== undefined ? { isArrayInsertion: true } : {}),
      });
    if (!edits.length) return value === undefined;
    log?.push({ file, edits });
    texts.set(file, jsoncApply(text, edits));
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
      const p = op.resource.body.at?.path;
      return !!p && edit(op.resource.body.at!.file, [...p, 'apiVersion'], op.version);
    }
    case 'dropAllowed': {
      const a = op.origin.allowed;
      if (!a?.at.path) return false;
      const drop = new Set(op.values.map((v) => JSON.stringify(v)));
      return edit(a.at.file, a.at.path, a.values.filter((v) => !drop.has(JSON.stringify(v))));
    }
    case 'removeResource': {
      const p = op.resource.body.at?.path;
      return !!p && edit(op.resource.body.at!.file, p, undefined);
    }
    case 'removeOutput': {
      const p = op.output.at.path;
      return !!p && edit(op.output.at.file, p, undefined);
    }
    case 'addResource': {
      const p = op.near.body.at?.path;
      if (!p) return false;
      const file = op.near.body.at!.file;
      const container = p.slice(0, -1);
      for (const [name, decl] of Object.entries(op.parameters ?? {})) {
        const paramsPath = [...container.slice(0, -1), 'parameters', name];
        if (!edit(file, paramsPath, decl)) return false;
      }
      const text = texts.get(file)!;
      const root = parseTree(text);
      const resources = root && findNodeAtLocation(root, container);
      if (!resources) return false;
      if (resources.type === 'array') return edit(file, [...container, resources.children?.length ?? 0], op.resource, resources.children?.length ?? 0);
      const base = String(op.resource.name ?? 'resource').replace(/[^A-Za-z0-9_]/g, '') || 'resource';
      return edit(file, [...container, `${base}Added`], op.resource);
    }
  }
}


/** The text edits for a fix (each edit names its file), or undefined when it cannot be written. */
export function fixEdits(dep: Deployment, fix: Fix): FileEdit[] | undefined {
  if (dep.source === 'bicep') return bicepFixEdits(dep, fix);
  return independentEdits(dep, fix.ops) ?? sequentialEdits(dep, fix.ops);
}

/** Each op written against the original text: several small edits, when none of them touch. */
function independentEdits(dep: Deployment, ops: FixOp[]): FileEdit[] | undefined {
  const out: FileEdit[] = [];
  for (const op of ops) {
    const texts = new Map(dep.texts);
    const log: EditLog = [];
    if (!applyOp(texts, op, dep, log)) return undefined;
    if (log.length === 1 && log[0].edits.length === 1) {
      // One edit on the original text: diff only the lines it touches (diffing whole texts made large files slow).
      const { file, edits } = log[0];
      out.push(...editDiff(file, dep.texts.get(file)!, edits[0]));
      continue;
    }
    for (const [file, after] of texts) out.push(...diffEdits(file, dep.texts.get(file)!, after));
  }
  const sorted = [...out].sort((a, b) => (a.file === b.file ? a.offset - b.offset : a.file < b.file ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev.file === cur.file && cur.offset <= prev.offset + prev.length) return undefined;
  }
  return sorted.length ? sorted : undefined;
}

/** Ops applied one after another (they share a new parent object, say), as one edit per file. */
function sequentialEdits(dep: Deployment, ops: FixOp[]): FileEdit[] | undefined {
  const texts = new Map(dep.texts);
  // Removals shift array indices: do them after everything else.
  const ordered = [...ops.filter((o) => o.op !== 'removeResource'), ...ops.filter((o) => o.op === 'removeResource')];
  for (const op of ordered) if (!applyOp(texts, op, dep)) return undefined;
  const out: FileEdit[] = [];
  for (const [file, after] of texts) out.push(...diffEdits(file, dep.texts.get(file)!, after));
  return out.length ? out : undefined;
}

/** Applies edits (all on one text) from last to first. */
export function applyEdits(text: string, edits: { offset: number; length: number; content: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

