import { useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { DEFAULT_NAMESPACE, Entity } from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { scaffolderRootRouteRef, selectedTemplateRouteRef } from '../../routes';
import { TemplateCard } from './TemplateCard';

// Only what a card shows and its link needs; template specs can be large.
const TEMPLATE_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
];

const titleOf = (entity: Entity) =>
  entity.metadata.title ?? entity.metadata.name;

// The platform team tags the golden paths it wants a newcomer to start from.
const RECOMMENDED_TAG = 'recommended';
const isRecommended = (entity: Entity) =>
  entity.metadata.tags?.includes(RECOMMENDED_TAG) ?? false;

/** Recommended templates first, then the rest; each by shown title. */
function byRecommendedThenTitle(a: Entity, b: Entity): number {
  return (
    Number(isRecommended(b)) - Number(isRecommended(a)) ||
    titleOf(a).localeCompare(titleOf(b))
  );
}

/** Home widget: the software templates (golden paths) to start from. */
export function GoldenPaths() {
  const catalogApi = useApi(catalogApiRef);
  const templateRoute = useRouteRef(selectedTemplateRouteRef);
  const createRoute = useRouteRef(scaffolderRootRouteRef);

  const loadTemplates = useCallback(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'template' },
      fields: TEMPLATE_FIELDS,
    });
    // Sorted here, not by the catalog: the shown title falls back to the name.
    return items.sort(byRecommendedThenTitle);
  }, [catalogApi]);
  const templates = useAsyncValue(loadTemplates);

  if (templates.status === 'loading') {
    return <LinearProgress aria-label="Loading golden paths" />;
  }
  if (templates.status === 'error') {
    return (
      <Alert severity="error">
        Could not load golden paths: {templates.error.message}
      </Alert>
    );
  }
  if (templates.value.length === 0) {
    return (
      <Typography variant="body2">
        No software templates are registered yet.{' '}
        {createRoute && (
          <Link component={RouterLink} to={createRoute()}>
            Go to Create
          </Link>
        )}
      </Typography>
    );
  }

  return (
    <Box
      component="ul"
      aria-label="Golden paths"
      sx={{
        listStyle: 'none',
        m: 0,
        p: 0,
        display: 'grid',
        gap: 2,
        gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
      }}
    >
      {templates.value.map(template => {
        const { name, description, tags = [] } = template.metadata;
        const namespace = template.metadata.namespace ?? DEFAULT_NAMESPACE;
        return (
          <TemplateCard
            key={`${namespace}/${name}`}
            title={titleOf(template)}
            description={description}
            tags={tags}
            chooseHref={templateRoute?.({ namespace, templateName: name })}
          />
        );
      })}
    </Box>
  );
}
