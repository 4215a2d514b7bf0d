import { useTheme } from '@mui/material/styles';
import {
  EntityHistoryPoint,
  LEVELS,
  levelRank,
} from '@causeway/plugin-scorecard-common';
import { useChipColors } from '../../chipColors';
import { ENTITY_LEVELS, levelLabel } from '../../levels';
import { DayChart } from '../DayChart/DayChart';

/** The days the level changed on, e.g. "Bronze from 2025-01-02". */
function describeChanges(points: EntityHistoryPoint[]): string {
  return points
    .filter((point, i) => i === 0 || point.level !== points[i - 1].level)
    .map(point => `${levelLabel(point.level)} from ${point.day}`)
    .join(', ');
}

/** An entity's level per day as a step chart; a single day as a point. */
export function LevelTrend(props: { points: EntityHistoryPoint[] }) {
  const colors = useChipColors().levels;
  const gridColor = useTheme().palette.divider;
  return (
    <DayChart
      points={props.points}
      width={480}
      height={120}
      left={64}
      emptyText="No history yet: the trend starts with the first evaluation."
      describe={points => `Level over time: ${describeChanges(points)}`}
    >
      {(points, x, { left, right, top, bottom }) => {
        const y = (rank: number) =>
          bottom - (rank / LEVELS.length) * (bottom - top);
        // Hold each level until the next day's, then step.
        const steps = points
          .map((point, i) => {
            const py = y(levelRank(point.level));
            return i === 0
              ? `M${left} ${py}H${x(point.day)}`
              : `H${x(point.day)}V${py}`;
          })
          .join('');
        const last = points[points.length - 1];
        return (
          <>
            {ENTITY_LEVELS.map(level => (
              <g key={level}>
                <line
                  x1={left}
                  x2={right}
                  y1={y(levelRank(level))}
                  y2={y(levelRank(level))}
                  stroke={gridColor}
                />
                <text
                  x={left - 6}
                  y={y(levelRank(level)) + 4}
                  textAnchor="end"
                  fontSize="11"
                  fill={colors[level].background}
                >
                  {levelLabel(level)}
                </text>
              </g>
            ))}
            {points.length === 1 ? (
              <circle
                cx={x(last.day)}
                cy={y(levelRank(last.level))}
                r={5}
                fill={colors[last.level].background}
              />
            ) : (
              <path
                d={`${steps}H${right}`}
                fill="none"
                stroke={colors[last.level].background}
                strokeWidth="2.5"
              />
            )}
          </>
        );
      }}
    </DayChart>
  );
}
