import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * An entity ref as the scorecard stores and compares it: the catalog matches
 * refs case-insensitively, so they are kept in lowercase.
 */
export function normalizeRef(
  ref: string | CompoundEntityRef,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string {
  const parsed =
    typeof ref === 'string'
      ? parseEntityRef(ref, { defaultNamespace: 'default', ...defaults })
      : ref;
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}
