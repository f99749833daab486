// A Microsoft.Cache/redis resource for rule tables.

export function cache(properties: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.Cache/redis',
    apiVersion: '2024-11-01',
    name: 'cache1',
    location: 'westeurope',
    tags: { owner: 'team-a' },
    ...extra,
    ...(properties ? { properties } : {}),
  };
}

export const premium = { name: 'Premium', family: 'P', capacity: 1 };
