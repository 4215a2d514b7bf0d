import { useReducer } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EntityHistoryPoint,
  EntityScorecard,
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
  const permissionsKnown = !waive.loading && !revoke.loading;

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
  ]);

  return { ...state, reload };
}
