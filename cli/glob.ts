// A small glob matcher: `*` (any run of characters within one path segment), `?` (one
// character within a segment) and `**` (any number of whole segments, including none).
// Paths and patterns use forward slashes. Everything else matches literally.
//
// node 20.20 has path.matchesGlob, but it is experimental there and prints an
// ExperimentalWarning on first use, which would end up in the CLI's stderr; it is also
// missing from node 20 releases before 20.17. So we keep our own.

const REGEX_SPECIAL = /[\\^$.+()[\]{}|]/;

/** True when the string contains a glob wildcard. */
export function hasGlobChars(s: string): boolean {
  return /[*?]/.test(s);
}

function segmentSource(seg: string): string {
  let out = '';
  for (const ch of seg) {
    if (ch === '*') {
      if (!out.endsWith('[^/]*')) out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else out += REGEX_SPECIAL.test(ch) ? `\\${ch}` : ch;
  }
  return out;
}

/**
 * Compiles a glob to an anchored regular expression over forward-slash paths.
 * `a/**` matches everything below `a` (and `a/` itself); `**\/x` matches `x` at any depth;
 * a trailing slash (`build/`) matches only the directory form `build/`.
 */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  const parts = glob.split('/');
  let src = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const last = i === parts.length - 1;
    if (p === '**') {
      src += last ? '.*' : '(?:[^/]+/)*';
    } else {
      src += segmentSource(p) + (last ? '' : '/');
    }
  }
  return new RegExp(`^${src}$`, ignoreCase ? 'i' : '');
}

const cache = new Map<string, RegExp>();

/** Whether a forward-slash path matches a glob. */
export function matchGlob(path: string, glob: string): boolean {
  const ignoreCase = process.platform === 'win32';
  const key = `${ignoreCase ? 'i' : 's'}:${glob}`;
  let re = cache.get(key);
  if (!re) {
    re = globToRegExp(glob, ignoreCase);
    if (cache.size > 1000) cache.clear();
    cache.set(key, re);
  }
  return re.test(path);
}

/**
 * An ignore pattern as written in redis-posture.json, gitignore-like: a pattern without a
 * slash (other than a trailing one) matches at any depth (`*.generated.json`, `build/`);
 * a leading `/` or `./` anchors it to the configuration file's directory.
 */
export function ignorePatternGlobs(pattern: string): string[] {
  let p = pattern.trim().replace(/\\/g, '/');
  if (!p) return [];
  let anchored = false;
  if (p.startsWith('./')) {
    p = p.slice(2);
    anchored = true;
  } else if (p.startsWith('/')) {
    p = p.slice(1);
    anchored = true;
  }
  const body = p.endsWith('/') ? p.slice(0, -1) : p;
  if (!anchored && !body.includes('/')) p = `**/${p}`;
  // Matching a directory ignores everything below it.
  return p.endsWith('/') ? [p, `${p}**`] : [p, `${p}/**`];
}

/** Whether a path (relative to the ignore base, forward slashes) is ignored; `isDir` also tries the `dir/` form. */
export function isIgnored(rel: string, patterns: readonly string[], isDir = false): boolean {
  if (!patterns.length || rel === '' || rel.startsWith('../') || rel === '..') return false;
  for (const pattern of patterns) {
    for (const g of ignorePatternGlobs(pattern)) {
      if (matchGlob(rel, g) || (isDir && matchGlob(`${rel}/`, g))) return true;
    }
  }
  return false;
}

/** Splits a glob into the literal directory prefix to walk from and the pattern below it. */
export function splitGlob(pattern: string): { base: string; rest: string } {
  const parts = pattern.split('/');
  const baseParts: string[] = [];
  let i = 0;
  for (; i < parts.length - 1; i++) {
    if (hasGlobChars(parts[i])) break;
    baseParts.push(parts[i]);
  }
  let base = baseParts.join('/');
  if (base === '' && pattern.startsWith('/')) base = '/';
  else if (baseParts.length === 1 && baseParts[0] === '' && pattern.startsWith('/')) base = '/';
  return { base: base === '' ? '.' : base, rest: parts.slice(i).join('/') };
}
