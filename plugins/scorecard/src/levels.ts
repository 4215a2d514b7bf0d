import { EntityLevel, LEVELS } from '@causeway/plugin-scorecard-common';

/** Every level an entity can be at, lowest first. */
export const ENTITY_LEVELS: readonly EntityLevel[] = ['none', ...LEVELS];

export function levelLabel(level: EntityLevel): string {
  return level === 'none'
    ? 'No level'
    : `${level[0].toUpperCase()}${level.slice(1)}`;
}
