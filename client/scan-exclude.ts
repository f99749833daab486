// What "Scan workspace" leaves out. Pure (no vscode import) so it can be tested on its own.

/** Always left out: dependencies are not the user's templates. */
const ALWAYS = '**/node_modules/**';

/**
 * The exclude glob for `workspace.findFiles`: node_modules and the user's `files.exclude`
 * patterns turned on (`true`; a `{ when }` condition depends on sibling files and is left to the
 * editor). An explicit exclude replaces the editor's default excludes, so they are added here.
 * Undefined when a pattern cannot be put in one brace group (it has braces or commas of its own):
 * the caller then lets the editor apply `files.exclude` and drops node_modules itself.
 */
export function scanExcludeGlob(filesExclude: unknown): string | undefined {
  const patterns = [ALWAYS];
  if (filesExclude && typeof filesExclude === 'object' && !Array.isArray(filesExclude)) {
    for (const [pattern, on] of Object.entries(filesExclude as Record<string, unknown>)) {
      if (on !== true || !pattern.trim()) continue;
      if (/[{},]/.test(pattern)) return undefined;
      patterns.push(pattern);
    }
  }
  return patterns.length === 1 ? ALWAYS : `{${patterns.join(',')}}`;
}

/** Whether a path lies in a node_modules folder (for the case where the editor's defaults apply). */
export function inNodeModules(path: string): boolean {
  return /(^|[\\/])node_modules([\\/]|$)/.test(path);
}
