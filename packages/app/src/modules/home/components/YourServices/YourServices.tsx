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
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { useAsyncValue } from '../../hooks/useAsyncValue';
import { scaffolderRootRouteRef } from '../../routes';

// Just the columns shown, and the namespace their links need.
const COMPONENT_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'spec.type',
  'spec.lifecycle',
  'spec.system',
];

const specString = (entity: Entity, key: string) => {
  const value = entity.spec?.[key];
  return typeof value === 'string' ? value : undefined;
};

/** Home widget: the Components owned by the signed-in user or their groups. */
export function YourServices() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const createRoute = useRouteRef(scaffolderRootRouteRef);

  const loadServices = useCallback(async () => {
    // The refs already include the user's groups (resolved at sign-in), so
    // one catalog query covers personal and team ownership.
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    // An empty list would drop the condition and match every component.
    if (ownershipEntityRefs.length === 0) {
      return [];
    }
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'component', 'relations.ownedBy': ownershipEntityRefs },
      fields: COMPONENT_FIELDS,
      order: { field: 'metadata.name', order: 'asc' },
    });
    return items;
  }, [identityApi, catalogApi]);
  const services = useAsyncValue(loadServices);

  const linkTo = (ref: CompoundEntityRef, text: string) =>
    entityRoute ? (
      <Link component={RouterLink} to={entityRoute(entityRouteParams(ref))}>
        {text}
      </Link>
    ) : (
      text
    );

  if (services.status === 'loading') {
    return <LinearProgress aria-label="Loading your services" />;
  }
  if (services.status === 'error') {
    return (
      <Alert severity="error">
        Could not load your services: {services.error.message}
      </Alert>
    );
  }
  if (services.value.length === 0) {
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
    <Table size="small" aria-label="Your services">
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Type</TableCell>
          <TableCell>Lifecycle</TableCell>
          <TableCell>System</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {services.value.map(entity => {
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
              <TableCell>{specString(entity, 'type')}</TableCell>
              <TableCell>{specString(entity, 'lifecycle')}</TableCell>
              <TableCell>
                {systemRef ? linkTo(systemRef, systemRef.name) : '—'}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
