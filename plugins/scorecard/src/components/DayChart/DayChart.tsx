import { ReactNode } from 'react';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { dayScale } from '../../days';

/** Where the marks go, in SVG units. */
export type PlotArea = {
  left: number;
  right: number;
  top: number;
  bottom: number;
};

/**
 * The frame of a chart over days, in plain SVG: the points in day order, the
 * first and last day under the plot, a description for screen readers, and
 * a sentence instead when there are no points. A single day is drawn as
 * a point (the marks place it at x(day)) with its day once under it, never
 * as a line between two copies of the same day.
 */
export function DayChart<P extends { day: string }>(props: {
  points: P[];
  width: number;
  height: number;
  /** Room on the left for the value labels. */
  left: number;
  emptyText: string;
  describe: (points: P[]) => string;
  children: (
    points: P[],
    x: (day: string) => number,
    area: PlotArea,
  ) => ReactNode;
}) {
  const { width, height, left, emptyText, describe, children } = props;
  const axisText = { fontSize: 11, fill: useTheme().palette.text.secondary };
  const points = [...props.points].sort((a, b) => a.day.localeCompare(b.day));
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {emptyText}
      </Typography>
    );
  }
  const area = { left, right: width - 8, top: 10, bottom: height - 22 };
  const x = dayScale(
    points.map(p => p.day),
    area.left,
    area.right,
  );

  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ maxWidth: width }}
      role="img"
      aria-label={describe(points)}
    >
      {children(points, x, area)}
      {points.length === 1 ? (
        <text
          x={x(points[0].day)}
          y={height - 6}
          textAnchor="middle"
          {...axisText}
        >
          {points[0].day}: one day so far
        </text>
      ) : (
        <>
          <text x={area.left} y={height - 6} {...axisText}>
            {points[0].day}
          </text>
          <text x={area.right} y={height - 6} textAnchor="end" {...axisText}>
            {points[points.length - 1].day}
          </text>
        </>
      )}
    </svg>
  );
}
