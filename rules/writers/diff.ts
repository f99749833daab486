// Text differences as edits: what a writer's rewritten text changed, as few small edits.

export interface FileEdit {
  file: string;
  offset: number;
  length: number;
  content: string;
}

type Edit = { offset: number; length: number; content: string };

/**
 * Edits made one after another (each in offsets of the text as it was then) as edits of the
 * original text: sorted, not overlapping. An edit within what an earlier one wrote (a second
 * parameter added after the first) becomes part of that one. Undefined when an edit reaches
 * from an earlier one's text into the original text around it, or is right against an earlier
 * one from outside (where the order of the two would be a guess).
 */
export function originalEdits(sequence: readonly Edit[]): Edit[] | undefined {
  const out: Edit[] = [];
  for (const e of sequence) {
    let delta = 0;
    let at = out.length;
    let merged = false;
    for (let i = 0; i < out.length; i++) {
      const p = out[i];
      const start = p.offset + delta;
      const end = start + p.content.length;
      if (e.offset + e.length < start) {
        at = i;
        break;
      }
      if (e.offset >= start && e.offset + e.length <= end) {
        out[i] = { offset: p.offset, length: p.length, content: p.content.slice(0, e.offset - start) + e.content + p.content.slice(e.offset + e.length - start) };
        merged = true;
        break;
      }
      if (e.offset <= end) return undefined;
      delta += p.content.length - p.length;
    }
    if (!merged) out.splice(at, 0, { offset: e.offset - delta, length: e.length, content: e.content });
  }
  return out;
}

/**
 * `diffEdits` of `text` before and after some edits (sorted, not overlapping, in offsets of
 * `text`), worked out on the lines they touch only: edits whose lines meet are diffed together,
 * the rest of a large file is not read.
 */
export function editsDiff(file: string, text: string, edits: readonly Edit[]): FileEdit[] {
  const out: FileEdit[] = [];
  let i = 0;
  while (i < edits.length) {
    // lastIndexOf takes a negative start as 0, where a line break would be found: offset 0 is a line start.
    const from = edits[i].offset > 0 ? text.lastIndexOf('\n', edits[i].offset - 1) + 1 : 0;
    let to = 0;
    let j = i;
    for (;;) {
      const end = edits[j].offset + edits[j].length;
      const nl = text.indexOf('\n', end);
      to = nl < 0 ? text.length : nl + 1;
      if (j + 1 < edits.length && edits[j + 1].offset < to) j++;
      else break;
    }
    let after = '';
    let pos = from;
    for (let k = i; k <= j; k++) {
      after += text.slice(pos, edits[k].offset) + edits[k].content;
      pos = edits[k].offset + edits[k].length;
    }
    after += text.slice(pos, to);
    for (const d of diffEdits(file, text.slice(from, to), after)) out.push({ ...d, offset: d.offset + from });
    i = j + 1;
  }
  return out;
}

/**
 * `diffEdits` of `text` before and after one edit, worked out on the lines the edit touches only:
 * the same small edits as diffing the whole texts, without reading the rest of a large file.
 */
export function editDiff(file: string, text: string, e: Edit): FileEdit[] {
  return editsDiff(file, text, [e]);
}

/** One minimal replace edit that turns `before` into `after`. */
function diffEdit(file: string, before: string, after: string): FileEdit | undefined {
  if (before === after) return undefined;
  // Whole chunks compared as strings first (native comparison), then characters: files run to megabytes.
  const CHUNK = 256;
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start + CHUNK <= limit && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB - CHUNK >= start && endA - CHUNK >= start && before.slice(endB - CHUNK, endB) === after.slice(endA - CHUNK, endA)) {
    endB -= CHUNK;
    endA -= CHUNK;
  }
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return { file, offset: start, length: endB - start, content: after.slice(start, endA) };
}

/** Lines with their end-of-line kept, so joining them gives the text back. */
function splitLines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The edits that turn `before` into `after`, one per changed block of lines (a longest common
 * subsequence of the lines between the first and the last change), each trimmed to the characters
 * that differ. Falls back to one edit when the changed region is large.
 */
export function diffEdits(file: string, before: string, after: string): FileEdit[] {
  const whole = diffEdit(file, before, after);
  if (!whole) return [];
  const lineStart = whole.offset > 0 ? before.lastIndexOf('\n', whole.offset - 1) + 1 : 0;
  const tailB = before.indexOf('\n', whole.offset + whole.length);
  const endB = tailB < 0 ? before.length : tailB + 1;
  const endA = endB + (after.length - before.length);
  const a = splitLines(before.slice(lineStart, endB));
  const b = splitLines(after.slice(lineStart, endA));
  if (a.length * b.length > 250000) return [whole];
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: FileEdit[] = [];
  let i = 0;
  let j = 0;
  let offB = lineStart;
  let offA = lineStart;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      offB += a[i++].length;
      offA += b[j++].length;
      continue;
    }
    const startB = offB;
    const startA = offA;
    while ((i < a.length || j < b.length) && !(i < a.length && j < b.length && a[i] === b[j])) {
      if (j >= b.length || (i < a.length && lcs[i + 1][j] >= lcs[i][j + 1])) offB += a[i++].length;
      else offA += b[j++].length;
    }
    const e = diffEdit(file, before.slice(startB, offB), after.slice(startA, offA));
    if (e) out.push({ ...e, offset: e.offset + startB });
  }
  return out;
}
