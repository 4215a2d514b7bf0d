import { EntityLevel, LEVELS } from '@causeway/plugin-scorecard-common';

/** Every level an entity can be at, lowest first. */
export const ENTITY_LEVELS: readonly EntityLevel[] = ['none', ...LEVELS];

/** The colour a level is drawn in, in badges and charts alike. */
export const LEVEL_COLORS: Record<EntityLevel, string> = {
  none: '#9e9e9e',
  bronze: '#a0652f',
  silver: '#7b8a95',
  gold: '#b8860b',
};

export function levelLabel(level: EntityLevel): string {
  return level === 'none'
    ? 'No level'
    : `${level[0].toUpperCase()}${level.slice(1)}`;
}
