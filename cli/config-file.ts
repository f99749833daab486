// redis-posture.json: found upward from the cwd (or given with --config), validated by rules/config.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { Config, ConfigError, defaultConfig, mergeConfig } from '../rules/config';
import { LineMap } from '../rules/lines';
import { MAX_NESTING, looksBinary, nestingDepth } from '../rules/readers/arm/json';
import { decode, describeFsError, displayPath } from './files';

export const CONFIG_FILE = 'redis-posture.json';

export interface LoadedConfig {
  config: Config;
  /** The file it came from, if any. */
  file?: string;
  /** Where `ignore` globs are relative to: the config file's directory, else the cwd. */
  base: string;
}

/** The nearest redis-posture.json in `dir` or its ancestors. */
export function findConfig(dir: string): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    const candidate = path.join(cur, CONFIG_FILE);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

/** Loads and validates a configuration file. Throws ConfigError with a message that names the file. */
export function loadConfig(cwd: string, explicit: string | undefined, knownRules: ReadonlySet<string>): LoadedConfig {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return { config: defaultConfig, base: cwd };
  const shown = displayPath(cwd, file);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new ConfigError(`cannot read configuration file ${shown}: ${describeFsError(err)}`);
  }
  const decoded = decode(buf);
  if ('error' in decoded) throw new ConfigError(`configuration file ${shown}: ${decoded.error}`);
  if (looksBinary(decoded.text)) throw new ConfigError(`configuration file ${shown} is not a text file`);
  if (nestingDepth(decoded.text, MAX_NESTING) > MAX_NESTING) throw new ConfigError(`configuration file ${shown}: JSON nested deeper than ${MAX_NESTING} levels`);
  const errors: ParseError[] = [];
  const raw: unknown = parse(decoded.text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const e = errors[0];
    const pos = new LineMap(decoded.text).position(e.offset);
    const what = printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    throw new ConfigError(`configuration file ${shown}:${pos.line + 1}:${pos.character + 1}: invalid JSON: ${what}`);
  }
  if (raw === undefined) throw new ConfigError(`configuration file ${shown} is empty`);
  try {
    return { config: mergeConfig(defaultConfig, raw, knownRules), file, base: path.dirname(file) };
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`configuration file ${shown}: ${err.message}`);
    throw err;
  }
}
