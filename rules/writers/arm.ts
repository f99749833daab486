// Turns abstract fixes into minimal text edits on ARM JSON (jsonc-parser modify).

import { Deployment, Fix } from '../model';

export interface FileEdit {
  file: string;
  offset: number;
  length: number;
  content: string;
}

/** The text edits for a fix, grouped by nothing: each edit names its file. Undefined when the fix cannot be written. */
export function fixEdits(dep: Deployment, fix: Fix): FileEdit[] | undefined {
  void dep;
  void fix;
  return undefined;
}

/** Applies edits (all on one text) from last to first. */
export function applyEdits(text: string, edits: { offset: number; length: number; content: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}
