import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Waive a check for an entity: a resource permission on the catalog entity,
 * so the policy can allow its owners (and platform admins) only.
 */
export const scorecardWaiverCreatePermission = createPermission({
  name: 'scorecard.waiver.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Withdraw a waiver before it expires; same rule as creating one. */
export const scorecardWaiverDeletePermission = createPermission({
  name: 'scorecard.waiver.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Grade an entity again now, on request: a resource permission on the
 * catalog entity, so the policy can allow its owners (and platform admins)
 * only. Each evaluation lists workloads in every cluster and may call
 * GitHub, so it is not a reader's right.
 */
export const scorecardEvaluatePermission = createPermission({
  name: 'scorecard.evaluate',
  attributes: {},
  resourceType: 'catalog-entity',
});

/** Read scorecards, the overview, rollups, history and the gate. */
export const scorecardReadPermission = createPermission({
  name: 'scorecard.read',
  attributes: { action: 'read' },
});

export const scorecardPermissions = [
  scorecardReadPermission,
  scorecardEvaluatePermission,
  scorecardWaiverCreatePermission,
  scorecardWaiverDeletePermission,
];
