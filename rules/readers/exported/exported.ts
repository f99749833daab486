// Exported resources: ARM resource JSON as the REST API returns it (one object, an array, or a
// list page `{ value: [...] }`), children optionally nested under a `resources` array.

import { ObjectVal, Resource, Val, member, prim } from '../../model';

function isArmResource(v: Val): v is ObjectVal {
  if (v.kind !== 'object') return false;
  const id = prim(member(v, 'id')?.value);
  const type = prim(member(v, 'type')?.value);
  return typeof id === 'string' && id.startsWith('/') && typeof type === 'string' && type.includes('/');
}

/** The resource objects of an exported file, or undefined when the JSON is not one. */
export function exportedItems(root: Val): ObjectVal[] | undefined {
  let items: Val[] | undefined;
  if (root.kind === 'array') items = root.items;
  else if (root.kind === 'object' && !root.members.has('$schema')) {
    const value = member(root, 'value')?.value;
    items = value?.kind === 'array' ? value.items : [root];
  }
  if (!items || items.length === 0 || !items.every(isArmResource)) return undefined;
  return items as ObjectVal[];
}

/** The ARM id of the resource a child/extension id hangs from (`.../providers/Microsoft.Insights/...` stripped). */
export function scopeOfId(id: string): string | undefined {
  const i = id.toLowerCase().lastIndexOf('/providers/');
  const first = id.toLowerCase().indexOf('/providers/');
  return i > first ? id.slice(0, i) : undefined;
}

export function readExported(file: string, items: ObjectVal[], source: 'exported' | 'live' = 'exported'): Resource[] {
  const out: Resource[] = [];
  const visit = (v: ObjectVal, parent: Resource | undefined): void => {
    const typeMember = member(v, 'type')!;
    const id = String(prim(member(v, 'id')?.value));
    const name = String(prim(member(v, 'name')?.value) ?? id.split('/').pop());
    const childList = member(v, 'resources')?.value;
    const type = String(prim(typeMember.value));
    const fullName = parent && !name.includes('/') ? `${parent.fullName}/${name}` : name;
    const scopeId = /\/providers\/microsoft\.insights\//i.test(id) ? scopeOfId(id) : undefined;
    const r: Resource = {
      type,
      name: fullName.split('/').pop()!,
      fullName,
      knownName: fullName,
      body: v,
      declAt: typeMember.keyAt ?? v.at!,
      existing: false,
      parent,
      children: [],
      scope: scopeId ? { kind: 'prim', value: scopeId } : undefined,
      source,
      id,
      childrenRead: source === 'live' || childList?.kind === 'array',
    };
    out.push(r);
    parent?.children.push(r);
    if (childList?.kind === 'array') for (const c of childList.items) if (isArmResource(c)) visit(c, r);
  };
  for (const item of items) visit(item, undefined);
  return out;
}
