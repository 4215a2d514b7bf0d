/** A claim parameter's value: strings bare (db.t3.small), the rest as JSON. */
export function formatParameter(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? '—' : JSON.stringify(value);
}
