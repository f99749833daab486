// Generic traversal of the Bicep syntax tree.

import type { Node, NodeKind, NodeOfKind } from './ast';

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

/** The direct child nodes of `node`, in no particular order (cheaper than `children` where order does not matter). */
export function childNodes(node: Node, out: Node[] = []): Node[] {
  for (const key in node) {
    if (key === 'kind' || key === 'start' || key === 'end') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  return out;
}

/** The direct child nodes of `node`, in source order. */
export function children(node: Node): Node[] {
  const out = childNodes(node);
  if (out.length > 1) out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out;
}

/**
 * Depth-first, pre-order walk over `root` and all its descendants (iterative: deep trees cannot
 * overflow the stack). Return `false` from the callback to skip a node's children.
 */
export function walk(root: Node, callback: (node: Node, parent: Node | null) => void | boolean): void {
  const stack: { node: Node; parent: Node | null }[] = [{ node: root, parent: null }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    if (callback(node, parent) === false) continue;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], parent: node });
  }
}

export type Visitor = { [K in NodeKind]?: (node: NodeOfKind<K>, parent: Node | null) => void | boolean };

/** Walks `root`, calling the visitor method named after each node's kind. */
export function visit(root: Node, visitor: Visitor): void {
  walk(root, (node, parent) => {
    const fn = visitor[node.kind] as ((n: Node, p: Node | null) => void | boolean) | undefined;
    return fn ? fn(node, parent) : undefined;
  });
}

/** All nodes of one kind under `root` (including `root`), in source order. */
export function findAll<K extends NodeKind>(root: Node, kind: K): NodeOfKind<K>[] {
  const out: NodeOfKind<K>[] = [];
  walk(root, (node) => {
    if (node.kind === kind) out.push(node as NodeOfKind<K>);
  });
  return out;
}

/** The innermost node whose span contains `offset` (start <= offset < end). */
export function nodeAt(root: Node, offset: number): Node | null {
  let found: Node | null = null;
  walk(root, (node) => {
    if (node.start <= offset && offset < node.end) {
      found = node;
      return true;
    }
    return false;
  });
  return found;
}
