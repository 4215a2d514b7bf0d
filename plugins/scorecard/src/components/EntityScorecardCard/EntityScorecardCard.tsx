import useAsync from 'react-use/esm/useAsync';
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
import { LoadProgress } from '../LoadProgress/LoadProgress';
import { ScorecardSummary } from '../ScorecardSummary/ScorecardSummary';

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
}) {
  const { loading, error, scorecard } = props;
  if (loading || error) {
    return (
      <LoadProgress what="the scorecard" loading={loading} error={error} />
    );
  }
  if (!scorecard) {
    return (
      <Typography variant="body2">
        Not evaluated yet: the Scorecard tab can evaluate it now.
      </Typography>
    );
  }
  const failing = topFailing(scorecard);
  return (
    <>
      <ScorecardSummary scorecard={scorecard} />
      {failing.length > 0 && (
        <List dense aria-label="Top failing checks">
          {failing.map(result => (
            <ListItem key={result.checkId} disableGutters>
              <ListItemText
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
  const { loading, error, value } = useAsync(
    () => api.getEntityScorecard(entityRef),
    [api, entityRef],
  );

  return (
    <InfoCard
      title="Scorecard"
      deepLink={{
        title: 'View the scorecard',
        link: `${entityLink(entity)}/scorecard`,
      }}
    >
      <CardBody loading={loading} error={error} scorecard={value} />
    </InfoCard>
  );
}
