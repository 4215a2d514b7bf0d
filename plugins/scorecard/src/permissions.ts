import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Seeing the problems in the check files (file, line, reason) on the
 * Scorecards page. No policy rule lists it, so only platform admins, who may
 * do anything, hold it.
 */
export const scorecardCheckProblemsReadPermission = createPermission({
  name: 'scorecard.check-problems.read',
  attributes: { action: 'read' },
});
