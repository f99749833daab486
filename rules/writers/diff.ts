// Text differences as edits: what a writer's rewritten text changed, as few small edits.

export interface FileEdit {
  file: string;
  offset: number;
  length: number;
  content: string;
}

/**
 * `diffEdits` of `text` before and after one edit, worked out on the lines the edit touches only:
 * the same small edits as diffing the whole texts, without reading the rest of a large file.
 */
export function editDiff(file: string, text: string, e: { offset: number; length: number; content: string }): FileEdit[] {
  // lastIndexOf takes a negative start as 0, where a line break would be found: offset 0 is a line start.
  const from = e.offset > 0 ? text.lastIndexOf('\n', e.offset - 1) + 1 : 0;
  const nl = text.indexOf('\n', e.offset + e.length);
  const to = nl < 0 ? text.length : nl + 1;
  const before = text.slice(from, to);
  const after = before.slice(0, e.offset - from) + e.content + before.slice(e.offset + e.length - from);
  return diffEdits(file, before, after).map((d) => ({ ...d, offset: d.offset + from }));
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
