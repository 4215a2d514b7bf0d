/** A field's value as compact JSON: 5, "nginx:1.27", {"cpu":"500m"}; absent as —. */
export function formatJson(value: unknown): string {
  return value === undefined ? '—' : JSON.stringify(value);
}
