// Offset ↔ line/character conversion (0-based, UTF-16 like LSP).

export class LineMap {
  /** The offset each line starts at: the reader's, or found here, counted first so that a large file's array is not regrown as it fills. */
  private readonly starts: Uint32Array;

  /** `starts`, when given, are the text's line starts as a reader found them while reading it (see knownLineStarts in the JSON reader). */
  constructor(
    private text: string,
    starts?: Uint32Array,
  ) {
    if (starts) this.starts = starts;
    else if (text.indexOf('\r') < 0) {
      // Only LF line ends (the common case): jump from one to the next, twice (count, then fill).
      let n = 1;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
      const starts = new Uint32Array(n);
      let k = 1;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
      this.starts = starts;
    } else {
      const starts = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x0a) starts.push(i + 1);
        else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) starts.push(i + 1);
      }
      this.starts = Uint32Array.from(starts);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offset(line: number, character: number): number {
    const start = this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
    return Math.min(start + character, this.text.length);
  }
}

/** Where two texts differ: `before`[start, oldEnd) was replaced by `after`[start, oldEnd + delta). */
export interface TextChange {
  start: number;
  oldEnd: number;
  delta: number;
}

/** Compared a block at a time before character by character: comparing substrings is many times faster. */
const DIFF_BLOCK = 1024;

/** The smallest single replacement that turns `before` into `after` (their common prefix and suffix kept). */
export function changeBetween(before: string, after: string): TextChange {
  const bl = before.length;
  const al = after.length;
  const n = Math.min(bl, al);
  let p = 0;
  while (p + DIFF_BLOCK <= n && before.substring(p, p + DIFF_BLOCK) === after.substring(p, p + DIFF_BLOCK)) p += DIFF_BLOCK;
  while (p < n && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s + DIFF_BLOCK <= n - p && before.substring(bl - s - DIFF_BLOCK, bl - s) === after.substring(al - s - DIFF_BLOCK, al - s)) s += DIFF_BLOCK;
  while (s < n - p && before.charCodeAt(bl - 1 - s) === after.charCodeAt(al - 1 - s)) s++;
  return { start: p, oldEnd: bl - s, delta: al - bl };
}
