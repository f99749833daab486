import { Rule } from '../rule';
import { REDIS, lower, resolve, resourcesOf } from '../judge';
import { Deployment, Fix, Json, Resource, Span, member, prim, prop } from '../model';
import { DIAGNOSTIC_SETTINGS, diagnosticSettingsFor, missingAt, scopeFor, sourceExpression } from './_related';
import { entraEnabled, fromTemplate } from './_redis-related';

const DESTINATIONS = ['workspaceId', 'storageAccountId', 'eventHubAuthorizationRuleId', 'marketplacePartnerId'];
export const WORKSPACE_PARAMETER = 'redisLogsWorkspaceId';

type Verdict = { kind: 'ok' } | { kind: 'unknown' } | { kind: 'bad'; at: Span; path: string; message: string };

function enabledOf(v: Json | undefined): boolean {
  return v === true || lower(v) === 'true';
}

/** Judges one diagnostic setting: does it deliver connection logs somewhere? */
function judgeSetting(s: Resource): Verdict {
  const props = resolve(s, ['properties']);
  if (props.val?.kind === 'unknown') return { kind: 'unknown' };
  if (!props.val || props.isNull || props.val.kind !== 'object') {
    return { kind: 'bad', at: props.at, path: 'properties', message: 'the diagnostic setting scoped to this cache has no properties: it collects no logs and has no destination.' };
  }
  // Property copy loops (`properties.copy`) are not expanded at scan time: what they yield is unknown.
  if (props.val.members.has('copy')) return { kind: 'unknown' };
  const logs = resolve(s, ['properties', 'logs']);
  if (logs.val?.kind === 'unknown') return { kind: 'unknown' };
  const entries = logs.val?.kind === 'array' && !logs.isNull ? logs.val.items : [];
  let qualifying = false;
  let sawUnknown = false;
  let audit = false;
  let disabledAt: Span | undefined;
  for (const e of entries) {
    if (e.kind !== 'object') {
      if (e.kind === 'unknown') sawUnknown = true;
      continue;
    }
    const cat = prop(e, 'category');
    const grp = prop(e, 'categoryGroup');
    if (cat?.kind === 'unknown' || grp?.kind === 'unknown') {
      sawUnknown = true;
      continue;
    }
    const c = lower(prim(cat) ?? undefined);
    const g = lower(prim(grp) ?? undefined);
    const en = member(e, 'enabled');
    // `enabled` is required by the API; an entry that leaves it out is read as enabled.
    const enabled = !en ? true : en.value.kind === 'unknown' ? undefined : enabledOf(prim(en.value) ?? undefined);
    if (g === 'audit' && enabled) audit = true;
    if (c !== 'connectedclientlist' && g !== 'alllogs') continue;
    if (enabled === undefined) sawUnknown = true;
    else if (enabled) qualifying = true;
    else disabledAt ??= en?.keyAt ?? en?.value.at;
  }
  if (qualifying) {
    let dest = false;
    for (const d of DESTINATIONS) {
      const v = member(props.val, d)?.value;
      if (!v) continue;
      if (v.kind === 'unknown' || (v.kind === 'prim' && typeof v.value === 'string' && v.value.trim() !== '')) dest = true;
    }
    if (dest) return { kind: 'ok' };
    return {
      kind: 'bad',
      at: props.at,
      path: 'properties',
      message: 'the diagnostic setting scoped to this cache enables connection logs but has no destination (workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId): the logs go nowhere.',
    };
  }
  if (sawUnknown) return { kind: 'unknown' };
  if (disabledAt) {
    return { kind: 'bad', at: disabledAt, path: 'properties.logs', message: 'the diagnostic setting scoped to this cache lists ConnectedClientList / allLogs but disables it: connections to the cache are not recorded.' };
  }
  const written = !!logs.member && !logs.isNull;
  const base = written
    ? 'the diagnostic setting scoped to this cache enables neither the category ConnectedClientList nor the category group allLogs: connections to the cache are not recorded.'
    : 'the diagnostic setting scoped to this cache collects no logs (metrics at most): connections to the cache are not recorded.';
  const auditNote = audit ? ' The audit group alone may not carry connection logs.' : '';
  return { kind: 'bad', at: logs.at, path: written ? 'properties.logs' : 'properties', message: `${base}${auditNote} Enable ConnectedClientList (or allLogs).` };
}

/** The fix: a new diagnostic setting scoped to the cache, sending allLogs to a workspace given as a new parameter. */
function addSettingFix(dep: Deployment, cache: Resource): Fix | undefined {
  if (!fromTemplate(cache)) return undefined;
  const scope = scopeFor(dep, cache);
  const nameExpr = cache.knownName ? `'${cache.knownName.replace(/'/g, "''")}'` : sourceExpression(dep, member(cache.body, 'name'));
  if (!scope || !nameExpr || cache.parent) return undefined;
  return {
    title: 'Add a diagnostic setting that sends connection logs to a Log Analytics workspace',
    ops: [
      {
        op: 'addResource',
        near: cache,
        resource: {
          type: DIAGNOSTIC_SETTINGS,
          apiVersion: '2021-05-01-preview',
          scope,
          name: 'redis-connection-logs',
          properties: {
            workspaceId: `[parameters('${WORKSPACE_PARAMETER}')]`,
            logs: [{ categoryGroup: 'allLogs', enabled: true }],
          },
          dependsOn: [`[resourceId('${cache.type}', ${nameExpr})]`],
        },
        parameters: {
          [WORKSPACE_PARAMETER]: { type: 'string', metadata: { description: 'Resource id of the Log Analytics workspace that receives the cache connection logs.' } },
        },
      },
    ],
  };
}

export const redisConnectionLogs: Rule = {
  meta: {
    id: 'redis-connection-logs',
    title: 'Azure Cache for Redis sends connection logs to a destination',
    severity: 'medium',
    resourceTypes: [REDIS, DIAGNOSTIC_SETTINGS],
    fixable: true,
  },
  check({ deployment: dep, report }) {
    for (const cache of resourcesOf(dep.resources, REDIS)) {
      const settings = diagnosticSettingsFor(dep, cache);
      if (!settings) continue; // exported without its child collections: unknown
      const entra = entraEnabled(cache)
        ? ' With Microsoft Entra ID on, also collect MSEntraAuthenticationAuditLog (allLogs includes it).'
        : '';
      if (settings.length === 0) {
        report({
          resource: cache,
          path: '',
          message: `no diagnostic setting is scoped to this cache: who connected, and from where, is not recorded. Add a Microsoft.Insights/diagnosticSettings for the cache with the category ConnectedClientList (or the category group allLogs) and a destination.${entra}`,
          at: missingAt(dep, cache, ['diagnosticSettings']),
          fix: addSettingFix(dep, cache),
        });
        continue;
      }
      const verdicts = settings.map((s) => ({ s, v: judgeSetting(s) }));
      if (verdicts.some((x) => x.v.kind !== 'bad')) continue;
      const first = verdicts[0];
      const v = first.v as Extract<Verdict, { kind: 'bad' }>;
      report({
        resource: first.s,
        path: v.path,
        message: `${v.message}${entra}`,
        at: v.at,
        fix: addSettingFix(dep, cache),
      });
    }
  },
};
