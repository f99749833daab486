import { Rule } from '../rule';
import { ENTERPRISE, REDIS } from '../judge';
import { Resource, UnknownVal, Val } from '../model';
import { resolveRef } from './_related';
import { cacheKeyTypes } from './_redis-related';

/** The unknown parts of a value that carry a cache's keys (listKeys() on a Microsoft.Cache resource). */
export function cacheKeyParts(v: Val | undefined, depth = 0, out: UnknownVal[] = []): UnknownVal[] {
  if (!v || depth > 32) return out;
  if (v.kind === 'unknown') {
    if (cacheKeyTypes(v.keysOf).length) out.push(v);
  } else if (v.kind === 'array') for (const x of v.items) cacheKeyParts(x, depth + 1, out);
  else if (v.kind === 'object') for (const m of v.members.values()) cacheKeyParts(m.value, depth + 1, out);
  return out;
}

export const redisKeysInOutputs: Rule = {
  meta: {
    id: 'redis-keys-in-outputs',
    title: 'Template outputs do not carry cache keys',
    severity: 'high',
    resourceTypes: [REDIS, ENTERPRISE],
    fixable: true,
    templateOnly: true,
  },
  check({ deployment: dep, report }) {
    for (const o of dep.outputs) {
      const type = o.type.toLowerCase();
      if (type === 'securestring' || type === 'secureobject') continue;
      const parts = cacheKeyParts(o.value);
      if (!parts.length) continue;
      const types = [...new Set(parts.flatMap((p) => cacheKeyTypes(p.keysOf)))];
      let resource: Resource | undefined;
      for (const p of parts) resource ??= p.ref ? resolveRef(dep, { kind: 'unknown', text: '', ref: p.ref }) : undefined;
      report({
        resource,
        path: `outputs.${o.name}`,
        message: `output '${o.name}' carries a cache access key or connection string (listKeys() on ${types.join(', ')}): outputs are stored in clear text in the deployment history, readable by anyone with read access to the resource group. Remove the output (or declare it secure), and let clients use Microsoft Entra ID instead of keys.`,
        at: o.at,
        fix: { title: `Remove output '${o.name}'`, ops: [{ op: 'removeOutput', output: o }] },
      });
    }
  },
};
