/** Days as YYYY-MM-DD (UTC): placing them on a chart, and picking them. */

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Maps YYYY-MM-DD days onto [x0, x1] by date, so gaps in the data stay gaps.
 * A single day sits in the middle: one day is a point, not a line.
 */
export function dayScale(days: string[], x0: number, x1: number) {
  const times = days.map(day => Date.parse(`${day}T00:00:00Z`));
  const first = Math.min(...times);
  const span = Math.max(...times) - first;
  return (day: string) => {
    const t = Date.parse(`${day}T00:00:00Z`);
    return span === 0 ? (x0 + x1) / 2 : x0 + ((t - first) / span) * (x1 - x0);
  };
}

/** YYYY-MM-DD (UTC) of today moved by `offset` days, e.g. 1 for tomorrow. */
export function dayFromToday(offset: number, now = new Date()): string {
  return new Date(now.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
}
