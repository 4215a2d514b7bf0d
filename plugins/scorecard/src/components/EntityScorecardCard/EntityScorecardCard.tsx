import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { EntityScorecard, levelRank } from '@causeway/plugin-scorecard-common';
import { scorecardApiRef } from '../../api/ScorecardClient';
import { levelLabel } from '../../levels';
import { checksAnchor } from '../CheckResults/checkGroups';
import { LoadProgress } from '../LoadProgress/LoadProgress';
import { ScorecardSummary } from '../ScorecardSummary/ScorecardSummary';
import { useFirstEvaluationPoll } from './useFirstEvaluationPoll';

const TOP_FAILING = 3;

/** The failing checks that block the next level first. */
function topFailing(scorecard: EntityScorecard) {
  return scorecard.results
    .filter(r => r.status === 'fail')
    .sort((a, b) => levelRank(a.level) - levelRank(b.level))
    .slice(0, TOP_FAILING);
}

function CardBody(props: {
  loading: boolean;
  error?: Error;
  scorecard?: EntityScorecard;
  tabLink: string;
}) {
  const { loading, error, scorecard, tabLink } = props;
  if (loading || error) {
    return (
      <LoadProgress what="the scorecard" loading={loading} error={error} />
    );
  }
  if (!scorecard) {
    return (
      <Typography variant="body2">
        Not evaluated yet: its first evaluation shows here as soon as it has
        run, or the Scorecard tab can evaluate it now.
      </Typography>
    );
  }
  const failing = topFailing(scorecard);
  return (
    <>
      <ScorecardSummary
        scorecard={scorecard}
        checksLink={status => `${tabLink}#${checksAnchor(status)}`}
      />
      {failing.length > 0 && (
        <List dense aria-label="Top failing checks">
          {failing.map(result => (
            <ListItem key={result.checkId} disableGutters>
              <ListItemText
                sx={{ overflowWrap: 'anywhere' }}
                primary={result.title}
                secondary={`${levelLabel(result.level)} · ${result.fix.text}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}

/** The overview tab's scorecard summary: level, counts, what fails first. */
export function EntityScorecardCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(scorecardApiRef);
  const entityLink = useEntityRefLink();
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getEntityScorecard(entityRef),
    [api, entityRef],
  );

  // Read again until the first evaluation lands; once graded, stop.
  const waiting = !loading && !error && !value;
  useFirstEvaluationPoll(waiting, retry);
  // After the first answer, a read again keeps "Not evaluated yet" in place.
  const [answered, setAnswered] = useState(false);
  useEffect(() => {
    if (waiting) setAnswered(true);
  }, [waiting]);

  const tabLink = `${entityLink(entity)}/scorecard`;
  return (
    <InfoCard
      title="Scorecard"
      deepLink={{ title: 'View the scorecard', link: tabLink }}
    >
      <CardBody
        loading={loading && !answered}
        error={error}
        scorecard={value}
        tabLink={tabLink}
      />
    </InfoCard>
  );
}
