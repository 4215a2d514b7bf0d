import { useReducer } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EntityHistoryPoint,
  EntityScorecard,
  scorecardEvaluatePermission,
  scorecardWaiverCreatePermission,
  scorecardWaiverDeletePermission,
} from '@causeway/plugin-scorecard-common';
import { scorecardApiRef, StoredWaiver } from '../../api/ScorecardClient';

export type EntityScorecardData = {
  /** Undefined when the entity was never evaluated. */
  scorecard?: EntityScorecard;
  /** The last 90 days, or why they could not be read. */
  history: EntityHistoryPoint[] | Error;
  /** The stored waivers (with the ids revoking needs), for those who may. */
  waivers: StoredWaiver[];
  /** Whether the user may grade it again now (its owners and admins). */
  canEvaluate: boolean;
  canWaive: boolean;
  canRevoke: boolean;
};

/**
 * Everything the Scorecard tab shows, read together once the permissions
 * are known, so the tab appears whole; `reload` reads it again.
 */
export function useEntityScorecardData(entityRef: string) {
  const api = useApi(scorecardApiRef);
  const [version, reload] = useReducer((v: number) => v + 1, 0);
  const waive = usePermission({
    permission: scorecardWaiverCreatePermission,
    resourceRef: entityRef,
  });
  const revoke = usePermission({
    permission: scorecardWaiverDeletePermission,
    resourceRef: entityRef,
  });
  const evaluate = usePermission({
    permission: scorecardEvaluatePermission,
    resourceRef: entityRef,
  });
  const permissionsKnown =
    !waive.loading && !revoke.loading && !evaluate.loading;

  const state = useAsync(async (): Promise<EntityScorecardData | undefined> => {
    if (!permissionsKnown) return undefined;
    const [scorecard, history, waivers] = await Promise.all([
      api.getEntityScorecard(entityRef),
      api
        .getEntityHistory(entityRef, { days: 90 })
        .catch((error: Error) => error),
      revoke.allowed ? api.getWaivers(entityRef) : [],
    ]);
    return {
      scorecard,
      history,
      waivers,
      canEvaluate: evaluate.allowed,
      canWaive: waive.allowed,
      canRevoke: revoke.allowed,
    };
  }, [
    api,
    entityRef,
    version,
    permissionsKnown,
    waive.allowed,
    revoke.allowed,
    evaluate.allowed,
  ]);

  return { ...state, reload };
}
