import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_PARENT_OF,
} from '@backstage/catalog-model';
import { GroupEdge } from '../database/ScorecardStore';
import { normalizeRef } from '../refs';
import { entityRefOf } from './evaluation';

/**
 * The group tree as (ancestor, descendant) pairs, each group paired with
 * itself too, from the Group entities' childOf and parentOf relations. A
 * cycle in the catalog does not loop.
 */
export function groupTree(groups: Entity[]): GroupEdge[] {
  const parents = new Map<string, Set<string>>();
  const addParent = (child: string, parent: string) => {
    if (child === parent) return;
    if (!parents.has(child)) parents.set(child, new Set());
    parents.get(child)!.add(parent);
  };
  const refs = new Set<string>();
  for (const group of groups) {
    const ref = entityRefOf(group);
    refs.add(ref);
    for (const relation of group.relations ?? []) {
      const target = normalizeRef(relation.targetRef);
      if (relation.type === RELATION_CHILD_OF) addParent(ref, target);
      if (relation.type === RELATION_PARENT_OF) addParent(target, ref);
    }
  }

  const edges: GroupEdge[] = [];
  for (const descendant of refs) {
    const seen = new Set<string>([descendant]);
    const queue = [descendant];
    while (queue.length) {
      const current = queue.pop()!;
      for (const parent of parents.get(current) ?? []) {
        if (!seen.has(parent) && refs.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
    for (const ancestor of seen) edges.push({ ancestor, descendant });
  }
  return edges;
}
