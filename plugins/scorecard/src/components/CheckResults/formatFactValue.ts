import { FactValue } from '@causeway/plugin-scorecard-common';

/** A fact's value as a check saw it: 1, true, "Group", [pci, sox], unknown. */
export function formatFactValue(value: FactValue | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}
