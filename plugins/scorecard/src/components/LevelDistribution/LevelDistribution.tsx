import { EntityLevel } from '@causeway/plugin-scorecard-common';
import { useChipColors } from '../../chipColors';
import { ENTITY_LEVELS, levelLabel } from '../../levels';

const WIDTH = 360;
const ROW = 24;
const LABEL = 72;
const COUNT = 40;

/** How many entities are at each level, as horizontal bars, gold on top. */
export function LevelDistribution(props: {
  levels: Record<EntityLevel, number>;
}) {
  const { levels } = props;
  const colors = useChipColors().levels;
  const rows = [...ENTITY_LEVELS].reverse();
  const max = Math.max(1, ...rows.map(level => levels[level] ?? 0));
  const barSpace = WIDTH - LABEL - COUNT;

  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${rows.length * ROW}`}
      width="100%"
      style={{ maxWidth: WIDTH }}
      role="img"
      aria-label={`Entities per level: ${rows
        .map(level => `${levelLabel(level)} ${levels[level] ?? 0}`)
        .join(', ')}`}
    >
      {rows.map((level, i) => {
        const count = levels[level] ?? 0;
        const width = (count / max) * barSpace;
        const y = i * ROW;
        return (
          <g key={level}>
            <text x={0} y={y + 16} fontSize="12" fill="currentColor">
              {levelLabel(level)}
            </text>
            <rect
              x={LABEL}
              y={y + 4}
              width={width}
              height={ROW - 8}
              rx={2}
              fill={colors[level].background}
            />
            <text
              x={LABEL + width + 6}
              y={y + 16}
              fontSize="12"
              fill="currentColor"
            >
              {count}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
