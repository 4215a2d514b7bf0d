import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { GroupHistoryPoint } from '@causeway/plugin-scorecard-common';
import { useChipColors } from '../../chipColors';
import { ENTITY_LEVELS, levelLabel } from '../../levels';
import { DayChart } from '../DayChart/DayChart';

/** Gold at the bottom, "no level" on top. */
const STACK = [...ENTITY_LEVELS].reverse();

function describe(points: GroupHistoryPoint[]) {
  const first = points[0];
  const last = points[points.length - 1];
  const counts = STACK.map(
    level => `${levelLabel(level)} ${last.levels[level] ?? 0}`,
  ).join(', ');
  return `Entities per level from ${first.day} to ${last.day}; on ${last.day}: ${counts}`;
}

/** A single day's stack: a column, since one day has no trend to draw. */
const COLUMN_WIDTH = 24;

/**
 * How many entities were at each level per day, as stacked areas; a single
 * day as one stacked column.
 */
export function GroupTrend(props: { points: GroupHistoryPoint[] }) {
  const colors = useChipColors().levels;
  const tickColor = useTheme().palette.text.secondary;
  const chart = (
    <DayChart
      points={props.points}
      width={560}
      height={160}
      left={32}
      emptyText="No history yet: the trend starts with the first evaluations."
      describe={describe}
    >
      {(points, x, { left, top, bottom }) => {
        const max = Math.max(1, ...points.map(p => p.entities));
        const y = (count: number) => bottom - (count / max) * (bottom - top);
        // Per day, the [lower, upper] count each level's band spans.
        const bands = points.map(point => {
          let sum = 0;
          return Object.fromEntries(
            STACK.map(level => [
              level,
              [sum, (sum += point.levels[level] ?? 0)],
            ]),
          );
        });
        const columns = points.map(
          (point, i) => [x(point.day), bands[i]] as const,
        );
        return (
          <>
            {[0, max].map(tick => (
              <text
                key={tick}
                x={left - 6}
                y={y(tick) + 4}
                textAnchor="end"
                fontSize="11"
                fill={tickColor}
              >
                {tick}
              </text>
            ))}
            {STACK.map(level => {
              if (columns.length === 1) {
                const [px, band] = columns[0];
                const [lower, upper] = band[level];
                return (
                  <rect
                    key={level}
                    x={px - COLUMN_WIDTH / 2}
                    y={y(upper)}
                    width={COLUMN_WIDTH}
                    height={y(lower) - y(upper)}
                    fill={colors[level].background}
                  />
                );
              }
              const upper = columns.map(([px, b]) => `${px},${y(b[level][1])}`);
              const lower = columns.map(([px, b]) => `${px},${y(b[level][0])}`);
              return (
                <polygon
                  key={level}
                  points={[...upper, ...lower.reverse()].join(' ')}
                  fill={colors[level].background}
                  fillOpacity={0.85}
                />
              );
            })}
          </>
        );
      }}
    </DayChart>
  );
  if (props.points.length === 0) return chart;

  return (
    <Box>
      {chart}
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        {STACK.map(level => (
          <Typography key={level} variant="caption">
            <Box
              component="span"
              sx={{
                display: 'inline-block',
                width: 10,
                height: 10,
                mr: 0.5,
                bgcolor: colors[level].background,
              }}
            />
            {levelLabel(level)}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
