import useAsyncFn from 'react-use/esm/useAsyncFn';
import { useLocation } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { NewWaiver, scorecardApiRef } from '../../api/ScorecardClient';
import { CheckResults, ShownChecks } from '../CheckResults/CheckResults';
import { CHECK_STATUSES, checksAnchor } from '../CheckResults/checkGroups';
import { LevelTrend } from '../LevelTrend/LevelTrend';
import { LoadProgress } from '../LoadProgress/LoadProgress';
import { ScorecardSummary } from '../ScorecardSummary/ScorecardSummary';
import { useFirstEvaluationPoll } from '../EntityScorecardCard/useFirstEvaluationPoll';
import { useEntityScorecardData } from './useEntityScorecardData';
import { WaiverActions } from './WaiverActions';

/** The checks the page's #checks-STATUS anchor asks for, if any. */
function useShownChecks(): ShownChecks | undefined {
  const { hash, key } = useLocation();
  const status = CHECK_STATUSES.find(s => hash === `#${checksAnchor(s)}`);
  return status && { status, key };
}

/** The Scorecard tab of an entity page. */
export function EntityScorecardContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(scorecardApiRef);
  const { value, loading, error, reload } = useEntityScorecardData(entityRef);
  const shown = useShownChecks();
  // Read again until the first evaluation lands (readers who may not
  // evaluate it are told it is graded within minutes).
  const neverEvaluated = !!value && !value.scorecard;
  useFirstEvaluationPoll(neverEvaluated && !loading && !error, reload);

  const [evaluation, evaluate] = useAsyncFn(async () => {
    await api.evaluateEntity(entityRef);
    reload();
  }, [api, entityRef]);
  const [revocation, revoke] = useAsyncFn(
    async (waiverId: string) => {
      await api.revokeWaiver(entityRef, waiverId);
      reload();
    },
    [api, entityRef],
  );
  const waive = async (waiver: NewWaiver) => {
    await api.createWaiver(entityRef, waiver);
    reload();
  };

  if (error || !value) {
    return <LoadProgress what="the scorecard" loading error={error} />;
  }

  // Grading on request is for the entity's owners and platform admins.
  const evaluateButton = (label: string) =>
    value.canEvaluate ? (
      <Button
        variant="outlined"
        onClick={() => evaluate()}
        disabled={evaluation.loading}
      >
        {evaluation.loading ? 'Evaluating…' : label}
      </Button>
    ) : undefined;
  const actionError = evaluation.error ?? revocation.error;
  const header = (
    <>
      {/* A read again while never evaluated changes nothing in sight. */}
      <LoadProgress what="the scorecard" loading={loading && !neverEvaluated} />
      {actionError && <Alert severity="error">{actionError.message}</Alert>}
    </>
  );
  const { scorecard, history, waivers, canWaive, canRevoke } = value;

  if (!scorecard) {
    return (
      <Stack spacing={2}>
        {header}
        <EmptyState
          missing="data"
          title="Not evaluated yet"
          description={
            value.canEvaluate
              ? 'The checks have not run against this entity, so it has no level yet. Evaluate it now to see its level and what to fix.'
              : 'The checks have not run against this entity yet, so it has no level. Its owners can evaluate it now; otherwise it is graded within minutes.'
          }
          action={evaluateButton('Evaluate now')}
        />
      </Stack>
    );
  }

  // What to do next leads; the trend, for context, comes last.
  return (
    <Stack spacing={3}>
      {header}
      <InfoCard title="Scorecard" action={evaluateButton('Re-evaluate')}>
        <ScorecardSummary
          scorecard={scorecard}
          checksLink={status => `#${checksAnchor(status)}`}
        />
      </InfoCard>
      <InfoCard title="Checks">
        <CheckResults
          level={scorecard.level}
          results={scorecard.results}
          shown={shown}
          actionsFor={result => (
            <WaiverActions
              result={result}
              canWaive={canWaive}
              canRevoke={canRevoke}
              waiverId={
                waivers.find(
                  w => w.checkId === result.checkId && w.active !== false,
                )?.id
              }
              onWaive={waive}
              onRevoke={revoke}
            />
          )}
        />
      </InfoCard>
      <InfoCard title="Level over the last 90 days">
        {history instanceof Error ? (
          <Alert severity="warning">
            Could not load the history: {history.message}
          </Alert>
        ) : (
          <LevelTrend points={history} />
        )}
      </InfoCard>
    </Stack>
  );
}
