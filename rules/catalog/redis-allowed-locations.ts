import { Rule } from '../rule';
import { ENTERPRISE, REDIS, effective } from '../judge';
import { Resource, sameType } from '../model';

const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

export const redisAllowedLocations: Rule = {
  meta: {
    id: 'redis-allowed-locations',
    title: 'Caches (and their geo-replicas) stay in the allowed regions',
    severity: 'medium',
    resourceTypes: [REDIS, ENTERPRISE],
    fixable: false,
  },
  check({ deployment, config, report }) {
    if (config.allowedLocations.length === 0) return;
    const allowed = new Set(config.allowedLocations.map(norm));
    const judge = (r: Resource, path: string[], what: string): void => {
      const j = effective(r, path, undefined);
      if (j.state !== 'written' || typeof j.value !== 'string') return;
      if (allowed.has(norm(j.value))) return;
      report({ resource: r, path: path.join('.'), message: `${what} '${j.value}' is outside the allowed locations (${config.allowedLocations.join(', ')}): data would leave the permitted region.`, at: j.at });
    };
    for (const r of deployment.resources) {
      if (r.existing) continue;
      if (sameType(r.type, REDIS) || sameType(r.type, ENTERPRISE)) judge(r, ['location'], 'location');
      if (sameType(r.type, `${REDIS}/linkedServers`)) judge(r, ['properties', 'linkedRedisCacheLocation'], 'the geo-replication secondary location');
    }
  },
};
