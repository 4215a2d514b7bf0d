import { useCallback } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  identityApiRef,
  useApi,
  useApiHolder,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { scorecardApiRef } from '@causeway/plugin-scorecard';
import { EntityLevel } from '@causeway/plugin-scorecard-common';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { catalogIndexRouteRef, scaffolderRootRouteRef } from '../../routes';
import { refKey, serviceLevels, worstFirstRank } from './serviceLevels';

// Just the columns shown, and the kind and namespace their links need.
const COMPONENT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.type',
  'spec.system',
];

/** The rows shown; the rest are a click away in the catalog. */
export const SHOWN_SERVICES = 10;

// The catalog's own "Owned" filter: the same ownership refs as here.
const OWNED_COMPONENTS = '?filters%5Bkind%5D=component&filters%5Buser%5D=owned';

type Service = { entity: Entity; level?: EntityLevel };

const levelText = (level: EntityLevel | undefined) => {
  if (level === undefined) return 'Not graded';
  return level === 'none'
    ? 'No level'
    : `${level[0].toUpperCase()}${level.slice(1)}`;
};

const specString = (entity: Entity, key: string) => {
  const value = entity.spec?.[key];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Home widget: the Components owned by the signed-in user or their groups,
 * those that most need work first (the lowest scorecard level first, those
 * not graded last), the first few with a link to all of them.
 */
export function YourServices() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  // Optional: an app without the scorecard lists services by name.
  const scorecardApi = useApiHolder().get(scorecardApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const createRoute = useRouteRef(scaffolderRootRouteRef);
  const catalogRoute = useRouteRef(catalogIndexRouteRef);

  const loadServices = useCallback(async () => {
    // The refs already include the user's groups (resolved at sign-in), so
    // one catalog query covers personal and team ownership.
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    // An empty list would drop the condition and match every component.
    if (ownershipEntityRefs.length === 0) {
      return { services: [] };
    }
    const [{ items }, levels] = await Promise.all([
      catalogApi.getEntities({
        filter: {
          kind: 'component',
          'relations.ownedBy': ownershipEntityRefs,
        },
        fields: COMPONENT_FIELDS,
        order: { field: 'metadata.name', order: 'asc' },
      }),
      // Without levels the list is still worth showing, by name.
      scorecardApi &&
        serviceLevels(scorecardApi, ownershipEntityRefs).catch(
          (error: Error) => error,
        ),
    ]);
    const known = levels instanceof Map ? levels : undefined;
    const services: Service[] = items.map(entity => ({
      entity,
      level: known?.get(refKey(entity)),
    }));
    if (known) {
      // Stable: names stay in the catalog's order within a level.
      services.sort(
        (a, b) => worstFirstRank(a.level) - worstFirstRank(b.level),
      );
    }
    return {
      services,
      hasLevels: Boolean(known),
      levelsError: levels instanceof Error ? levels : undefined,
    };
  }, [identityApi, catalogApi, scorecardApi]);
  const loaded = useAsyncValue(loadServices);

  const linkTo = (ref: CompoundEntityRef, text: string) =>
    entityRoute ? (
      <Link component={RouterLink} to={entityRoute(entityRouteParams(ref))}>
        {text}
      </Link>
    ) : (
      text
    );

  if (loaded.status === 'loading') {
    return <LinearProgress aria-label="Loading your services" />;
  }
  if (loaded.status === 'error') {
    return (
      <Alert severity="error">
        Could not load your services: {loaded.error.message}
      </Alert>
    );
  }
  const { services, hasLevels, levelsError } = loaded.value;
  if (services.length === 0) {
    return (
      <Typography variant="body2">
        Neither you nor your teams own any components yet.{' '}
        {createRoute && (
          <Link component={RouterLink} to={createRoute()}>
            Start one from a golden path
          </Link>
        )}
      </Typography>
    );
  }

  return (
    <>
      {levelsError && (
        <Typography variant="body2" color="text.secondary" gutterBottom>
          By name: the scorecard levels could not be loaded (
          {levelsError.message}).
        </Typography>
      )}
      <Table size="small" aria-label="Your services">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Level</TableCell>
            <TableCell>Type</TableCell>
            <TableCell>System</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {services.slice(0, SHOWN_SERVICES).map(({ entity, level }) => {
            const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
            const name = entity.metadata.name;
            const system = specString(entity, 'system');
            // spec.system may be "payments" or a full ref; resolve it the way
            // the catalog does, relative to the component.
            const systemRef =
              system &&
              parseEntityRef(system, {
                defaultKind: 'system',
                defaultNamespace: namespace,
              });
            return (
              <TableRow key={`${namespace}/${name}`}>
                <TableCell>
                  {linkTo({ kind: 'component', namespace, name }, name)}
                </TableCell>
                <TableCell>{hasLevels ? levelText(level) : '—'}</TableCell>
                <TableCell>{specString(entity, 'type')}</TableCell>
                <TableCell>
                  {systemRef ? linkTo(systemRef, systemRef.name) : '—'}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {services.length > SHOWN_SERVICES && catalogRoute && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          <Link
            component={RouterLink}
            to={`${catalogRoute()}${OWNED_COMPONENTS}`}
          >
            See all {services.length} of your services in the catalog
          </Link>
        </Typography>
      )}
    </>
  );
}
