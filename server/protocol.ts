// What the client and the server say to each other beyond standard LSP. No runtime imports:
// the client bundles this file too.

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}

/** The diagnostics' `source`. */
export const SOURCE = 'redis-posture';

/** Code action kind of "fix everything Redis Posture can fix in this file". */
export const FIX_ALL_KIND = 'source.fixAll.redisPosture';

/** Client → server: check these files (workspace scan) and publish their diagnostics. */
export const SCAN_FILES_REQUEST = 'redisPosture/scanFiles';

export interface ScanFilesParams {
  /** `file:` URIs of *.json, *.jsonc and *.bicep files. */
  uris: string[];
}

export interface ScanFilesResult {
  /** Templates (and exported-resource files) that were checked. */
  checked: number;
  /** Diagnostics published for them. */
  problems: number;
  /** Files that were not ARM/Bicep, ignored by configuration, too large or unreadable. */
  skipped: number;
}

/** Client → server: forget the workspace scan (clear the diagnostics of files that are not open). */
export const CLEAR_SCAN_REQUEST = 'redisPosture/clearWorkspaceScan';

/** Data carried by code actions that are resolved lazily. */
export interface ActionData {
  uri: string;
  version?: number;
  kind: 'fix' | 'fixRule' | 'fixAll';
  ruleId?: string;
  /** 'fix': the finding's range in `uri` (with ruleId, what identifies it). */
  range?: Range;
}
