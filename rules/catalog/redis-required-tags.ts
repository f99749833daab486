import { Rule } from '../rule';
import { ENTERPRISE, REDIS, resolve } from '../judge';
import { sameType } from '../model';

export const redisRequiredTags: Rule = {
  meta: {
    id: 'redis-required-tags',
    title: 'Caches carry the required ownership and data tags',
    severity: 'low',
    resourceTypes: [REDIS, ENTERPRISE],
    fixable: true,
  },
  check({ deployment, config, report }) {
    for (const r of deployment.resources) {
      if (r.existing || !(sameType(r.type, REDIS) || sameType(r.type, ENTERPRISE))) continue;
      const t = resolve(r, ['tags']);
      if (t.val?.kind === 'unknown') continue;
      const present = t.val?.kind === 'object' ? t.val.members : new Map();
      const at = t.member ? t.at : r.declAt;
      const fixOps = (names: string[]) =>
        r.source === 'live' || r.source === 'exported' || (t.val && t.val.kind !== 'object' && !t.isNull)
          ? undefined
          : { title: `Add tag${names.length > 1 ? 's' : ''} ${names.join(', ')}`, ops: names.map((n) => ({ op: 'set' as const, resource: r, path: ['tags', n], value: '' })) };
      if (config.requiredTags.length === 0) {
        if (present.size > 0) continue;
        report({ resource: r, path: 'tags', message: 'the cache has no tags: without an owner or data classification nobody can tell who answers for it or what data it holds. Add tags (for example owner and dataClassification).', at, fix: fixOps(['owner']) });
        continue;
      }
      const missing = config.requiredTags.filter((n) => !present.has(n.toLowerCase()));
      if (!missing.length) continue;
      report({ resource: r, path: 'tags', message: `the cache lacks required tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`, at, fix: fixOps(missing) });
    }
  },
};
