import { Rule, RawFinding } from '../rule';
import { ENTERPRISE, REDIS } from '../judge';
import { Resource, Span, Val, member, sameType } from '../model';
import { cacheKeyTypes, mayCarryKeys, primText } from './_redis-related';

/** Where a key is allowed to land: a Key Vault secret is the place for a key that must exist. */
const EXEMPT_TYPES = ['Microsoft.KeyVault/vaults/secrets'];
/**
 * Module calls / nested deployments pass values on: where they land is judged in the module's
 * resources (followed), and an argument alone says nothing about where it ends up.
 */
const PASS_THROUGH_TYPES = ['Microsoft.Resources/deployments'];
/** Resource members that are not configuration. */
const NOT_CONFIG = new Set(['name', 'type', 'apiversion', 'dependson', 'location', 'condition', 'copy', 'scope', 'comments', 'existing']);

function kindOf(resource: Resource, path: string[]): string {
  const p = path.map((s) => s.toLowerCase());
  if (p.includes('commandtoexecute')) return 'command line';
  const config = /\/config$/i.test(resource.type);
  if (p.includes('connectionstrings') || p.includes('connectionstring') || (config && /connectionstrings/i.test(resource.name))) return 'connection string';
  if (p.includes('appsettings') || (config && /appsettings/i.test(resource.name))) return 'app setting';
  if (p.includes('environmentvariables') || p.includes('env')) return 'environment variable';
  return 'setting';
}

interface Landing {
  at?: Span;
  path: string[];
  label: string;
  types: string[];
}

/** `path` is the path to `v`, pushed and popped as the walk goes (copied into a landing). */
function walk(v: Val, path: string[], label: string, at: Span | undefined, out: Landing[], depth: number): void {
  // Keys arrive only through expressions: a subtree written without any holds none.
  if (depth > 32 || v.literal) return;
  if (v.kind === 'unknown') {
    const types = cacheKeyTypes(v.keysOf);
    if (types.length) out.push({ at, path: path.slice(), label, types });
    return;
  }
  if (v.kind === 'array') {
    for (let i = 0; i < v.items.length; i++) {
      const x = v.items[i];
      path.push(String(i));
      walk(x, path, label, x.at ?? at, out, depth + 1);
      path.pop();
    }
    return;
  }
  if (v.kind !== 'object') return;
  // `{ name: 'REDIS_PASSWORD', value: ... }`: the setting's name is the better label.
  for (const m of v.members.values()) {
    if (m.value.literal) continue;
    const key = m.key.toLowerCase();
    const named = key === 'value' || key === 'connectionstring' ? primText(member(v, 'name')?.value) : undefined;
    const mLabel = named || m.key;
    path.push(m.key);
    walk(m.value, path, mLabel, m.keyAt ?? m.value.at ?? at, out, depth + 1);
    path.pop();
  }
}

export const redisKeysInAppSettings: Rule = {
  meta: {
    id: 'redis-keys-in-app-settings',
    title: 'Cache keys do not flow into app settings or other configuration',
    severity: 'medium',
    resourceTypes: [REDIS, ENTERPRISE],
    fixable: false,
    templateOnly: true,
  },
  check({ deployment: dep, report }) {
    // Without a list*() call nothing carries a key; not walking every body also leaves unread values unevaluated.
    if (!mayCarryKeys(dep)) return;
    for (const r of dep.resources) {
      if (r.existing) continue;
      if (EXEMPT_TYPES.some((t) => sameType(t, r.type)) || PASS_THROUGH_TYPES.some((t) => sameType(t, r.type))) continue;
      const out: Landing[] = [];
      r.body.members.forEach((m, key) => {
        if (!m.value.literal && !NOT_CONFIG.has(key)) walk(m.value, [m.key], m.key, m.keyAt ?? m.value.at ?? r.declAt, out, 0);
      });
      for (const l of out) {
        const f: RawFinding = {
          resource: r,
          path: l.path.join('.'),
          message: `${kindOf(r, l.path)} '${l.label}' receives a cache access key (listKeys() on ${l.types.join(', ')}): anyone who can read this resource's configuration can use the cache with full rights, and the key must be rotated everywhere it was copied. Use Microsoft Entra ID with a managed identity instead, or keep the key in a Key Vault secret and reference that.`,
          at: l.at ?? r.declAt,
        };
        report(f);
      }
    }
  },
};
