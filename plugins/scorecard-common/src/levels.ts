/** The readiness levels, lowest first. */
export const LEVELS = ['bronze', 'silver', 'gold'] as const;
export type Level = (typeof LEVELS)[number];

/** An entity's level: the highest whose checks, and all lower ones', pass. */
export type EntityLevel = Level | 'none';

export const levelRank = (level: EntityLevel): number =>
  level === 'none' ? 0 : LEVELS.indexOf(level) + 1;

/**
 * The level reached given whether each level's checks all pass (a level
 * with no applicable checks passes). Waived checks count as passing.
 */
export function computeLevel(
  results: Iterable<{ level: Level; passing: boolean }>,
): EntityLevel {
  const failing = new Set<Level>();
  for (const result of results) {
    if (!result.passing) failing.add(result.level);
  }
  let reached: EntityLevel = 'none';
  for (const level of LEVELS) {
    if (failing.has(level)) break;
    reached = level;
  }
  return reached;
}
