// The `ignore` globs of the configuration, for the workspace scan: gitignore-like, relative to the
// workspace folder (`*` within a segment, `?` one character, `**` any number of segments; a
// pattern without a slash matches at any depth; a leading `/` or `./` anchors it).

const SPECIAL = /[\\^$.+()[\]{}|]/;

function globSource(glob: string): string {
  const parts = glob.split('/');
  let src = '';
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (p === '**') {
      src += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    for (const ch of p) src += ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : SPECIAL.test(ch) ? `\\${ch}` : ch;
    if (!last) src += '/';
  });
  return src;
}

export function ignoreMatcher(patterns: readonly string[]): (rel: string) => boolean {
  const res: RegExp[] = [];
  for (const raw of patterns) {
    let p = raw.trim().replace(/\\/g, '/');
    if (!p) continue;
    let anchored = false;
    if (p.startsWith('./')) [p, anchored] = [p.slice(2), true];
    else if (p.startsWith('/')) [p, anchored] = [p.slice(1), true];
    if (p.endsWith('/')) p = p.slice(0, -1);
    if (!anchored && !p.includes('/')) p = `**/${p}`;
    const flags = process.platform === 'win32' ? 'i' : '';
    // A matching directory ignores everything below it.
    res.push(new RegExp(`^${globSource(p)}(?:/.*)?$`, flags));
  }
  return (rel) => res.some((re) => re.test(rel));
}
