// SARIF 2.1.0 log for a scan report (docs: /work/shared/spec/cli.md). Pure: no fs, no process.

import { RuleLevel } from './config';
import { Range } from './engine';
import { LineMap } from './lines';
import { Severity } from './model';
import { Report, ReportEntry, RuleInfo, isFixable, sortEntries } from './report';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export function sarifLevel(s: Severity): SarifLevel {
  return s === 'high' ? 'error' : s === 'medium' ? 'warning' : 'note';
}

/** GitHub code scanning reads `properties.security-severity` (a CVSS-like score) for security rules. */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0' };

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifPhysicalLocation {
  artifactLocation: { uri: string };
  region?: SarifRegion;
}

export interface SarifLocation {
  id?: number;
  physicalLocation?: SarifPhysicalLocation;
  logicalLocations?: { kind: string; name: string; fullyQualifiedName: string }[];
  message?: { text: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  fixes?: {
    description: { text: string };
    artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[] }[];
  }[];
}

export interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: { text: string };
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'security-severity': string };
}

export interface SarifNotification {
  level: SarifLevel;
  message: { text: string };
  locations?: SarifLocation[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifReportingDescriptor[] } };
    invocations: {
      executionSuccessful: boolean;
      toolExecutionNotifications: SarifNotification[];
      ruleConfigurationOverrides?: { descriptor: { id: string; index: number }; configuration: { enabled?: boolean; level?: SarifLevel } }[];
    }[];
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

export interface SarifOptions {
  toolVersion: string;
  informationUri: string;
  /** Every rule that can report: the catalog and the engine's own (parse-error, unused-suppression). */
  rules: readonly RuleInfo[];
  /** Rule levels set by configuration or --rule, by id. */
  overrides?: Readonly<Record<string, RuleLevel>>;
}

/**
 * A file path as a SARIF `artifactLocation.uri`: relative paths stay relative (forward slashes,
 * percent-encoded segments); absolute ones become `file://` URIs.
 */
export function pathToUri(p: string): string {
  const fwd = p.replace(/\\/g, '/');
  const enc = (s: string): string => s.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  if (/^[A-Za-z]:\//.test(fwd)) return `file:///${fwd.slice(0, 2)}${enc(fwd.slice(2))}`;
  if (fwd.startsWith('/')) return `file://${enc(fwd)}`;
  return enc(fwd);
}

export function toRegion(r: Range): SarifRegion {
  return { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
}

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

function descriptor(r: RuleInfo): SarifReportingDescriptor {
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.title },
    helpUri: r.docUrl,
    defaultConfiguration: { level: sarifLevel(r.severity) },
    properties: { tags: ['security'], 'security-severity': SECURITY_SEVERITY[r.severity] },
  };
}

function fixesOf(e: ReportEntry, texts: ReadonlyMap<string, string>, lineMaps: Map<string, LineMap>): SarifResult['fixes'] {
  if (!isFixable(e) || !e.finding.fix) return undefined;
  const byFile = new Map<string, { deletedRegion: SarifRegion; insertedContent: { text: string } }[]>();
  for (const edit of e.edits!) {
    const text = texts.get(edit.file);
    if (text === undefined) return undefined; // cannot place it: better no fix than a wrong one
    let lm = lineMaps.get(edit.file);
    if (!lm) lineMaps.set(edit.file, (lm = new LineMap(text)));
    const region = toRegion({ start: lm.position(edit.offset), end: lm.position(edit.offset + edit.length) });
    const list = byFile.get(edit.file) ?? [];
    list.push({ deletedRegion: region, insertedContent: { text: edit.content } });
    byFile.set(edit.file, list);
  }
  return [
    {
      description: { text: e.finding.fix.title },
      artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: { uri: pathToUri(file) }, replacements })),
    },
  ];
}

export function buildSarif(report: Report, opts: SarifOptions): SarifLog {
  const rules = [...opts.rules];
  const index = new Map<string, number>();
  rules.forEach((r, i) => index.set(r.id, i));
  const entries = sortEntries(report.entries);
  // A rule id the catalog does not list (the engine's internal-error): describe it so ruleIndex stays valid.
  for (const e of entries) {
    const f = e.finding;
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, rules.length);
      rules.push({ id: f.ruleId, title: f.ruleId.replace(/-/g, ' '), severity: f.severity, fixable: false, docUrl: f.docUrl });
    }
  }
  const lineMaps = new Map<string, LineMap>();

  const results: SarifResult[] = entries.map((e) => {
    const f = e.finding;
    const loc: SarifLocation = {};
    // Findings on deployed resources (live) have no text range: they get no physical location.
    if (f.range) loc.physicalLocation = { artifactLocation: { uri: pathToUri(f.file) }, region: toRegion(f.range) };
    if (f.resource) {
      loc.logicalLocations = [
        { kind: 'resource', name: f.resource.name, fullyQualifiedName: !f.range && f.resource.id ? f.resource.id : `${f.resource.type}/${f.resource.name}` },
      ];
    }
    const result: SarifResult = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [loc],
    };
    if (f.related.length) {
      result.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: { uri: pathToUri(r.file) }, region: toRegion(r.range) },
        message: { text: r.message },
      }));
    }
    const fixes = fixesOf(e, report.texts, lineMaps);
    if (fixes) result.fixes = fixes;
    return result;
  });

  const notifications: SarifNotification[] = report.errors.map((err) => {
    const n: SarifNotification = { level: 'error', message: { text: err.pattern ? `${err.file}: ${err.message}` : err.message } };
    if (!err.pattern) n.locations = [{ physicalLocation: { artifactLocation: { uri: pathToUri(err.file) }, ...(err.range ? { region: toRegion(err.range) } : {}) } }];
    return n;
  });

  type Override = NonNullable<SarifLog['runs'][number]['invocations'][number]['ruleConfigurationOverrides']>[number];
  const overrides = Object.entries(opts.overrides ?? {}).flatMap(([id, level]): Override[] => {
    const i = index.get(id);
    if (i === undefined) return [];
    const rule = rules[i];
    if (level === 'off') return [{ descriptor: { id, index: i }, configuration: { enabled: false } }];
    if (level === rule.severity) return [];
    return [{ descriptor: { id, index: i }, configuration: { level: sarifLevel(level) } }];
  });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'redis-posture',
            version: opts.toolVersion,
            semanticVersion: opts.toolVersion,
            informationUri: opts.informationUri,
            rules: rules.map(descriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: notifications,
            ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(report: Report, opts: SarifOptions): string {
  return `${JSON.stringify(buildSarif(report, opts), null, 2)}\n`;
}
