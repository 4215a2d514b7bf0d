import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

const GROUP_REF_DEFAULTS = {
  defaultKind: 'group',
  defaultNamespace: 'default',
};

/** A Group of the catalog as the picker shows it. */
export type GroupOption = {
  /** The value: e.g. group:default/payments-team */
  ref: string;
  name: string;
  /** The display name, when the group has one. */
  title?: string;
};

/** `payments-team` or `group:default/payments-team` as a group ref, if it is one. */
export function parseGroupRef(value: string): CompoundEntityRef | undefined {
  try {
    const ref = parseEntityRef(value, GROUP_REF_DEFAULTS);
    return ref.kind.toLocaleLowerCase('en-US') === 'group' ? ref : undefined;
  } catch {
    return undefined;
  }
}

const normalize = (value: string) => {
  const ref = parseGroupRef(value);
  return ref && stringifyEntityRef(ref);
};

/** The catalog fields entityDisplayName reads (with those of its ref). */
export const DISPLAY_NAME_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile.displayName',
];

/** A group's profile display name, or any entity's title. */
export function entityDisplayName(entity: Entity): string | undefined {
  const profile = entity.spec?.profile as { displayName?: unknown } | undefined;
  return typeof profile?.displayName === 'string'
    ? profile.displayName
    : entity.metadata.title;
}

export function toGroupOption(entity: Entity): GroupOption {
  const title = entityDisplayName(entity);
  return {
    ref: stringifyEntityRef(entity),
    name: entity.metadata.name,
    ...(title && title !== entity.metadata.name ? { title } : {}),
  };
}

export const groupLabel = (group: GroupOption) =>
  group.title ? `${group.title} (${group.name})` : group.name;

/**
 * The groups the picker offers: the user's own, or every group to whoever
 * may write for any team (platform admins). The preflight refuses any other
 * owner on the server; this only keeps the form from proposing one.
 */
export function offeredGroups(options: {
  groups: GroupOption[];
  ownershipEntityRefs: string[];
  anyTeam: boolean;
}): GroupOption[] {
  if (options.anyTeam) return options.groups;
  const own = new Set(options.ownershipEntityRefs.map(normalize));
  return options.groups.filter(group => own.has(group.ref));
}

/**
 * The group a new service should belong to by default: the first of the
 * user's groups that is in the catalog, preferring groups not named in
 * `notDefault` (e.g. platform-admins, that everyone on the platform team is
 * also in).
 */
export function defaultOwnerGroup(options: {
  ownershipEntityRefs: string[];
  groups: GroupOption[];
  notDefault?: string[];
}): string | undefined {
  const known = new Set(options.groups.map(group => group.ref));
  const avoided = new Set(
    (options.notDefault ?? []).map(normalize).filter(Boolean),
  );
  const userGroups = options.ownershipEntityRefs
    .filter(ref => ref.toLocaleLowerCase('en-US').startsWith('group:'))
    .map(normalize)
    .filter((ref): ref is string => ref !== undefined && known.has(ref));
  return userGroups.find(ref => !avoided.has(ref)) ?? userGroups[0];
}
